from django.urls import path

from agri_platform.portal.views import UnderConstructionPage

urlpatterns = [
    path("finance/", UnderConstructionPage.as_view(section="finance"), name="finance"),
    path("finance/new/", UnderConstructionPage.as_view(section="finance"), name="finance-new"),
    path(
        "finance/<int:pk>/",
        UnderConstructionPage.as_view(section="finance"),
        name="finance-request",
    ),
]
