from django.urls import path

from agri_platform.portal.views import UnderConstructionPage

urlpatterns = [
    path("signup/", UnderConstructionPage.as_view(), name="signup"),
    path("password/reset/", UnderConstructionPage.as_view(), name="password-reset"),
    path("password/change/", UnderConstructionPage.as_view(), name="password-change"),
    path("settings/", UnderConstructionPage.as_view(), name="preferences"),
]
