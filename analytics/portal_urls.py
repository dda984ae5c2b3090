from django.urls import path

from agri_platform.portal.views import UnderConstructionPage

urlpatterns = [
    path("", UnderConstructionPage.as_view(section="home"), name="home"),
]
