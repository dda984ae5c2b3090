"""The enterprise's pages under /portal/ (journeys 2 and 3 of docs/portal.md)."""

from django.urls import path

from . import pages

urlpatterns = [
    path("enterprise/", pages.EnterpriseOverviewPage.as_view(), name="enterprise"),
    path(
        "enterprise/register/", pages.EnterpriseRegisterPage.as_view(), name="enterprise-register"
    ),
    path("enterprise/licence/", pages.EnterpriseLicencePage.as_view(), name="enterprise-licence"),
    path(
        "enterprise/documents/<int:pk>/",
        pages.EnterpriseDocumentPage.as_view(),
        name="enterprise-document",
    ),
    path("enterprise/edit/", pages.EnterpriseEditPage.as_view(), name="enterprise-edit"),
    path("enterprise/members/", pages.MembersPage.as_view(), name="members"),
    path("enterprise/members/<int:pk>/", pages.MemberPage.as_view(), name="member"),
    path(
        "enterprise/invitations/<int:pk>/revoke/",
        pages.InvitationRevokePage.as_view(),
        name="invitation-revoke",
    ),
    path("invitations/accept/", pages.InvitationAcceptPage.as_view(), name="invitation-accept"),
    path("bases/", pages.BasesPage.as_view(), name="bases"),
    path("bases/new/", pages.BaseNewPage.as_view(), name="base-new"),
    path("bases/<int:pk>/", pages.BasePage.as_view(), name="base"),
    path("products/", pages.ProductsPage.as_view(), name="products"),
    path("products/new/", pages.ProductNewPage.as_view(), name="product-new"),
    path("products/hs-codes/", pages.HSCodeOptionsPage.as_view(), name="product-hs-codes"),
    path("products/<int:pk>/", pages.ProductPage.as_view(), name="product"),
]
