"""The law firm's desk (names in the `desk` namespace; see agri_platform/portal/desk.py)."""

from django.urls import path

from . import desk_pages as pages

urlpatterns = [
    path("cases/", pages.CaseListDesk.as_view(), name="cases"),
    path("cases/<int:pk>/", pages.CaseDesk.as_view(), name="case"),
    path("cases/<int:pk>/messages/", pages.MessageDesk.as_view(), name="case-message"),
    path("cases/<int:pk>/start/", pages.StartDesk.as_view(), name="case-start"),
    path("cases/<int:pk>/await-client/", pages.AwaitClientDesk.as_view(), name="case-await-client"),
    path("cases/<int:pk>/resolve/", pages.ResolveDesk.as_view(), name="case-resolve"),
    path("cases/<int:pk>/documents/", pages.DocumentDesk.as_view(), name="case-document"),
    path("cases/<int:pk>/designations/", pages.DesignationDesk.as_view(), name="case-designation"),
    path(
        "cases/<int:request_pk>/files/<int:pk>/",
        pages.FileDownloadDesk.as_view(),
        name="case-file",
    ),
]
