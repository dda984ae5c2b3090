"""Tenant-scoped reads shared by views, tasks and other apps."""

from django.db.models import Prefetch, Q

from agri_platform.accounts.choices import MembershipRole
from agri_platform.accounts.models import Membership
from agri_platform.api.tenancy import enterprise_ids_of, scope_queryset
from agri_platform.reference.models import HSCode

from . import certificates
from .choices import EnterpriseDocumentKind, VerificationStatus
from .models import Enterprise, EnterpriseDocument, Invitation, Product, ProductionBase


def enterprises_for(user):
    return scope_queryset(
        Enterprise.objects.select_related("prefecture").prefetch_related("export_markets"),
        user,
        enterprise_field="",
    )


def member_enterprises(user):
    """The enterprises `user` is a member of: those they may act for (staff included)."""
    return Enterprise.objects.filter(pk__in=enterprise_ids_of(user))


def products_for(user):
    return scope_queryset(
        Product.objects.select_related("hs_code", "cold_chain_profile").prefetch_related(
            Prefetch("production_bases", queryset=ProductionBase.objects.only("id"))
        ),
        user,
    )


def production_bases_for(user):
    return scope_queryset(
        ProductionBase.objects.select_related("prefecture").prefetch_related(
            Prefetch("products", queryset=Product.objects.only("id"))
        ),
        user,
    )


def memberships_for(user, enterprise_id):
    """Members of one enterprise the caller can see (none for another tenant's enterprise)."""
    return (
        Membership.objects.filter(enterprise__in=enterprises_for(user).filter(pk=enterprise_id))
        .select_related("user")
        .order_by("created_at", "pk")
    )


def invitations_for(user, enterprise_id):
    """Invitations of one enterprise: for its owners and admins, and for platform staff."""
    queryset = Invitation.objects.filter(
        enterprise__in=enterprises_for(user).filter(pk=enterprise_id)
    ).select_related("invited_by")
    if user.is_authenticated and not user.is_platform_staff:
        queryset = queryset.filter(
            enterprise__memberships__user=user,
            enterprise__memberships__role__in=[MembershipRole.OWNER, MembershipRole.ADMIN],
        )
    return queryset


def directory():
    """Verified exporters for the public directory, with what the directory shows prefetched
    (valid certificates as `valid_certificates`: scheme, number, last day only)."""
    return (
        Enterprise.objects.filter(status=VerificationStatus.VERIFIED)
        .select_related("prefecture")
        .prefetch_related(
            "export_markets",
            Prefetch(
                "products",
                queryset=Product.objects.select_related("hs_code").order_by("name_zh", "pk"),
            ),
            Prefetch(
                "certificates",
                queryset=certificates.in_force()
                .select_related("scheme")
                .only("id", "enterprise_id", "number", "expiry_date", "scheme__code")
                .order_by("scheme__code", "number"),
                to_attr="valid_certificates",
            ),
        )
    )


HS_CODE_SUGGESTIONS = 12


def hs_code_search(query: str, limit: int = HS_CODE_SUGGESTIONS):
    """HS codes for a person typing one: digits match the code's start (dots and spaces
    ignored, as the services read it), words match either description."""
    query = (query or "").strip()
    digits = "".join(char for char in query if char not in ". ")
    if not query:
        return HSCode.objects.none()
    if digits.isdigit():
        matches = HSCode.objects.filter(code__startswith=digits)
    else:
        matches = HSCode.objects.filter(
            Q(description_en__icontains=query) | Q(description_zh__icontains=query)
        )
    return matches.order_by("code")[:limit]


def enterprise_documents_for(user):
    """The documents of the enterprises `user` may see (staff: all)."""
    return scope_queryset(EnterpriseDocument.objects.select_related("enterprise"), user)


def documents_of(enterprise: Enterprise):
    """The enterprise's documents, newest first."""
    return EnterpriseDocument.objects.filter(enterprise=enterprise)


def business_licence_of(enterprise: Enterprise) -> EnterpriseDocument | None:
    """The licence uploaded last, if any."""
    return documents_of(enterprise).filter(kind=EnterpriseDocumentKind.BUSINESS_LICENCE).first()
