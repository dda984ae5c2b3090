"""The certificate search and the certificate page (`public` namespace)."""

from django.urls import path

from .public_pages import CertificatePublicPage, VerifyPage

urlpatterns = [
    path("", VerifyPage.as_view(), name="verify"),
    path("<str:number>/", CertificatePublicPage.as_view(), name="certificate"),
]
