"""The certificate search and the certificate page (`public` namespace)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.public import PublicPage

urlpatterns = [
    path("", PublicPage.as_view(title=_("Check a certificate")), name="verify"),
    path("<str:number>/", PublicPage.as_view(title=_("Certificate")), name="certificate"),
]
