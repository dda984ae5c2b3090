from django.urls import path

from agri_platform.portal.views import UnderConstructionPage

urlpatterns = [
    path("inbox/", UnderConstructionPage.as_view(section="inbox"), name="inbox"),
]
