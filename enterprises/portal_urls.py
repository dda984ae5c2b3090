from django.urls import path

from agri_platform.portal.views import UnderConstructionPage

urlpatterns = [
    path("enterprise/", UnderConstructionPage.as_view(section="enterprise"), name="enterprise"),
    path("enterprise/register/", UnderConstructionPage.as_view(), name="enterprise-register"),
    path(
        "enterprise/members/", UnderConstructionPage.as_view(section="enterprise"), name="members"
    ),
    path("bases/", UnderConstructionPage.as_view(section="products"), name="bases"),
    path("products/", UnderConstructionPage.as_view(section="products"), name="products"),
]
