from django.urls import path

from agri_platform.portal.views import UnderConstructionPage

urlpatterns = [
    path("legal/", UnderConstructionPage.as_view(section="legal"), name="legal"),
    path("legal/new/", UnderConstructionPage.as_view(section="legal"), name="legal-new"),
    path("legal/<int:pk>/", UnderConstructionPage.as_view(section="legal"), name="legal-case"),
]
