"""Desk pages (names in the `desk` namespace; see agri_platform/portal/desk.py)."""

from django.urls import path

from . import desk_pages

urlpatterns = [
    path("applications/", desk_pages.ApplicationQueuePage.as_view(), name="applications"),
    path("applications/<int:pk>/", desk_pages.ApplicationDeskPage.as_view(), name="application"),
    path(
        "applications/<int:pk>/claim/",
        desk_pages.ClaimPage.as_view(),
        name="application-claim",
    ),
    path(
        "applications/<int:pk>/request-changes/",
        desk_pages.RequestChangesPage.as_view(),
        name="application-request-changes",
    ),
    path(
        "applications/<int:pk>/approve/",
        desk_pages.ApprovePage.as_view(),
        name="application-approve",
    ),
    path(
        "applications/<int:pk>/reject/",
        desk_pages.RejectPage.as_view(),
        name="application-reject",
    ),
    path(
        "applications/<int:pk>/notes/",
        desk_pages.NotePage.as_view(),
        name="application-note",
    ),
    path(
        "applications/<int:application_pk>/documents/<int:pk>/",
        desk_pages.DocumentDownloadPage.as_view(),
        name="application-document",
    ),
    path("certificates/", desk_pages.CertificatesPage.as_view(), name="certificates"),
]
