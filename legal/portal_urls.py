from django.urls import path

from . import pages

urlpatterns = [
    path("legal/", pages.CaseListPage.as_view(), name="legal"),
    path("legal/new/", pages.NewCasePage.as_view(), name="legal-new"),
    path("legal/<int:pk>/", pages.CasePage.as_view(), name="legal-case"),
    path("legal/<int:pk>/messages/", pages.MessagePage.as_view(), name="legal-case-message"),
    path("legal/<int:pk>/documents/", pages.DocumentPage.as_view(), name="legal-case-document"),
    path("legal/<int:pk>/close/", pages.ClosePage.as_view(), name="legal-case-close"),
    path("legal/<int:pk>/withdraw/", pages.WithdrawPage.as_view(), name="legal-case-withdraw"),
    path(
        "legal/<int:request_pk>/documents/<int:pk>/",
        pages.DocumentDownload.as_view(),
        name="legal-document",
    ),
]
