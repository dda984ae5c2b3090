"""The certification pages of the portal (journey 4) and market readiness (journey 5)."""

from django.urls import path

from . import pages

APPLICATION = "certification/applications/<int:pk>/"
DOCUMENT = "certification/applications/<int:application_pk>/documents/<int:pk>/"
CERTIFICATE = "certification/certificates/<int:pk>/"

urlpatterns = [
    path("certification/", pages.CertificationPage.as_view(), name="certification"),
    path(
        "certification/applications/new/",
        pages.ApplicationNewPage.as_view(),
        name="application-new",
    ),
    path(APPLICATION, pages.ApplicationPage.as_view(), name="application"),
    path(f"{APPLICATION}scope/", pages.ScopePage.as_view(), name="application-scope"),
    path(f"{APPLICATION}documents/", pages.DocumentUploadPage.as_view(), name="application-upload"),
    path(f"{APPLICATION}submit/", pages.SubmitPage.as_view(), name="application-submit"),
    path(f"{APPLICATION}withdraw/", pages.WithdrawPage.as_view(), name="application-withdraw"),
    path(DOCUMENT, pages.DocumentDownloadPage.as_view(), name="application-document"),
    path(
        f"{DOCUMENT}remove/",
        pages.DocumentRemovePage.as_view(),
        name="application-document-remove",
    ),
    path(CERTIFICATE, pages.CertificatePage.as_view(), name="certificate"),
    path(f"{CERTIFICATE}print/", pages.CertificatePrintPage.as_view(), name="certificate-print"),
    path(f"{CERTIFICATE}renew/", pages.CertificateRenewPage.as_view(), name="certificate-renew"),
    path("readiness/", pages.ReadinessPage.as_view(), name="readiness"),
]
