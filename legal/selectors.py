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


def attachments_for(user, request_id):
    """Attachments of one case the caller may see: the case's and those of the thread messages the
    caller reads (an attachment of an internal note reaches only its firm and staff)."""
    attachments = LegalAttachment.objects.filter(
        request_id=request_id, request__in=legal_requests_for(user).values("pk")
    )
    if user.is_authenticated and user.is_platform_staff:
        return attachments
    visible_messages = Q(message__is_internal=False)
    if user.is_authenticated and user.partner_id:
        visible_messages |= Q(message__author_partner_id=user.partner_id)
    return attachments.filter(Q(message__isnull=True) | visible_messages)
