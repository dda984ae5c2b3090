"""The document check and certificate PDFs (`public` namespace)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.public import PublicPage

urlpatterns = [
    path("document/", PublicPage.as_view(title=_("Check a document")), name="document-check"),
    path("<str:number>/pdf/", PublicPage.as_view(title=_("Certificate")), name="certificate-pdf"),
]
