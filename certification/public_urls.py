"""Public certificate pages under /verify/ (names in the `public` namespace). The document check
and the PDFs come first: "document" is not a certificate number."""

from django.urls import include, path

urlpatterns = [
    path("", include("certification.public_document_urls")),
    path("", include("certification.public_certificate_urls")),
]
