from django.urls import path

from agri_platform.portal.views import UnderConstructionPage

urlpatterns = [
    path(
        "certification/",
        UnderConstructionPage.as_view(section="certification"),
        name="certification",
    ),
    path(
        "certification/applications/<int:pk>/",
        UnderConstructionPage.as_view(section="certification"),
        name="application",
    ),
    path(
        "certification/certificates/<int:pk>/",
        UnderConstructionPage.as_view(section="certification"),
        name="certificate",
    ),
    path("readiness/", UnderConstructionPage.as_view(section="readiness"), name="readiness"),
]
