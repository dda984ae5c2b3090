"""Tenant-scoped reads: an enterprise sees its own cases, a law firm the cases assigned to it,
staff everything. In the thread, internal notes reach only their firm and staff."""

from django.db.models import Q

from agri_platform.api.tenancy import scope_queryset

from .models import LegalAttachment, LegalMessage, LegalRequest


def legal_requests_for(user):
    queryset = LegalRequest.objects.select_related("enterprise", "assigned_firm").prefetch_related(
        "countries", "designations"
    )
    return scope_queryset(queryset, user, partner_field="assigned_firm")


def messages_of(case: LegalRequest, user):
    queryset = (
        LegalMessage.objects.filter(request=case)
        .select_related("author", "author_partner")
        .prefetch_related("attachments")
    )
    if user.is_platform_staff:
        return queryset
    if user.partner_id:
        return queryset.filter(Q(is_internal=False) | Q(author_partner_id=user.partner_id))
    return queryset.filter(is_internal=False)


def documents_of(case: LegalRequest):
    return LegalAttachment.objects.filter(request=case, message__isnull=True)
