"""The document check and certificate PDFs (`public` namespace)."""

from django.urls import path

from .public_documents import CertificatePdfPage, DocumentCheckPage

urlpatterns = [
    path("document/", DocumentCheckPage.as_view(), name="document-check"),
    path("<str:number>/pdf/", CertificatePdfPage.as_view(), name="certificate-pdf"),
]
