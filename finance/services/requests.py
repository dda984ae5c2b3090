"""Every state change of a financing request itself: draft, submit, route, withdraw, decline,
disburse and close."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agri_platform.accounts.choices import PartnerKind
from agri_platform.accounts.models import Partner
from agri_platform.api.errors import Conflict, ValidationFailed
from agri_platform.api.tenancy import require_membership
from agri_platform.events import services as events

from ..choices import PARTNER_KIND_FOR, FinancingKind, RequestStatus
from ..models import FinancingRequest, FinancingRouting
from ..money import check_amount
from ._common import check_term, request_lock, request_payload, routed_partners
from .offers import pending_offers_decline
from .workflows import REQUEST_WORKFLOW

S = RequestStatus


def partner_kind_name(partner_kind: str) -> str:
    """The kind as a word inside a sentence ("bank", "银行")."""
    return str(PartnerKind(partner_kind).label).lower()


def unknown_kind(kind) -> ValidationFailed:
    return ValidationFailed(_("Unknown financing kind “%(kind)s”.") % {"kind": kind}, field="kind")


@transaction.atomic
def request_create(
    *,
    actor,
    enterprise,
    kind: str,
    amount: Decimal,
    currency,
    term_days: int,
    purpose: str,
) -> FinancingRequest:
    """A draft request of `enterprise`; submit it when the evidence and documents are attached."""
    require_membership(actor, enterprise.pk)
    if kind not in FinancingKind.values:
        raise unknown_kind(kind)
    amount = check_amount(amount, currency)
    check_term(term_days)
    return FinancingRequest.objects.create(
        enterprise=enterprise,
        kind=kind,
        amount=amount,
        currency=currency,
        term_days=term_days,
        purpose=purpose,
        created_by=actor,
    )


@transaction.atomic
def request_update(*, actor, financing_request: FinancingRequest, **fields) -> FinancingRequest:
    """Change a draft's kind, amount, currency, term or purpose."""
    financing_request = request_lock(financing_request)
    REQUEST_WORKFLOW.check("update", actor=actor, obj=financing_request)
    allowed = {"kind", "amount", "currency", "term_days", "purpose"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(
            _("Cannot change %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            field=unknown.pop(),
        )
    if "kind" in fields and fields["kind"] not in FinancingKind.values:
        raise unknown_kind(fields["kind"])
    currency = fields.get("currency", financing_request.currency)
    fields["amount"] = check_amount(fields.get("amount", financing_request.amount), currency)
    if "term_days" in fields:
        check_term(fields["term_days"])
    for name, value in fields.items():
        setattr(financing_request, name, value)
    financing_request.save(update_fields=[*fields, "updated_at"])
    return financing_request


@transaction.atomic
def request_submit(*, actor, financing_request: FinancingRequest) -> FinancingRequest:
    financing_request = request_lock(financing_request)
    to_status = REQUEST_WORKFLOW.check("submit", actor=actor, obj=financing_request)
    check_amount(financing_request.amount, financing_request.currency)
    financing_request.status = to_status
    financing_request.submitted_at = timezone.now()
    financing_request.submitted_by = actor
    financing_request.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    events.record(
        "finance.request.submitted",
        payload=request_payload(financing_request),
        enterprise=financing_request.enterprise,
        actor=actor,
        subject=financing_request,
    )
    return financing_request


@transaction.atomic
def request_route(
    *,
    actor,
    financing_request: FinancingRequest,
    partners: list[Partner] | None = None,
    all_partners: bool = False,
) -> list[Partner]:
    """Route to chosen partners of the right kind, or to every active one; returns the new ones."""
    financing_request = request_lock(financing_request)
    to_status = REQUEST_WORKFLOW.check("route", actor=actor, obj=financing_request)
    partner_kind = PARTNER_KIND_FOR[financing_request.kind]
    if all_partners:
        if partners:
            raise ValidationFailed(
                _("Name partners or set all_partners, not both."), field="all_partners"
            )
        chosen = list(Partner.objects.filter(kind=partner_kind, is_active=True))
        if not chosen:
            raise ValidationFailed(
                _("There is no active %(partner_kind)s partner.")
                % {"partner_kind": partner_kind_name(partner_kind)},
                field="all_partners",
            )
    else:
        chosen = list(partners or [])
        if not chosen:
            raise ValidationFailed(_("Choose at least one partner."), field="partners")
        wrong = [p for p in chosen if p.kind != partner_kind or not p.is_active]
        if wrong:
            raise ValidationFailed(
                _(
                    "A %(kind)s request goes to active %(partner_kind)s partners; "
                    "not to %(partners)s."
                )
                % {
                    "kind": financing_request.get_kind_display().lower(),
                    "partner_kind": partner_kind_name(partner_kind),
                    "partners": ", ".join(p.name for p in wrong),
                },
                field="partners",
                code="wrong_partner_kind",
            )
    already = set(financing_request.routings.values_list("partner_id", flat=True))
    new = [p for p in dict.fromkeys(chosen) if p.pk not in already]
    if not new:
        raise Conflict(
            _("The request is already routed to every partner named."), code="already_routed"
        )
    FinancingRouting.objects.bulk_create(
        [FinancingRouting(request=financing_request, partner=p, routed_by=actor) for p in new]
    )
    now = timezone.now()
    fields = ["routed_at", "routed_by", "updated_at"]
    if financing_request.status != to_status:
        financing_request.status = to_status
        fields.append("status")
    financing_request.routed_at = now
    financing_request.routed_by = actor
    financing_request.save(update_fields=fields)
    events.record(
        "finance.request.routed",
        payload=request_payload(financing_request, partner_ids=[p.pk for p in new]),
        enterprise=financing_request.enterprise,
        actor=actor,
        subject=financing_request,
        partners=new,
    )
    return new


@transaction.atomic
def request_withdraw(
    *, actor, financing_request: FinancingRequest, reason: str = ""
) -> FinancingRequest:
    financing_request = request_lock(financing_request)
    REQUEST_WORKFLOW.apply("withdraw", actor=actor, obj=financing_request)
    pending_offers_decline(financing_request, actor=actor, reason="request withdrawn")
    financing_request.status_reason = reason
    financing_request.save(update_fields=["status", "status_reason", "updated_at"])
    events.record(
        "finance.request.withdrawn",
        payload=request_payload(financing_request, reason=reason),
        enterprise=financing_request.enterprise,
        actor=actor,
        subject=financing_request,
        partners=routed_partners(financing_request),
    )
    return financing_request


@transaction.atomic
def request_decline(*, actor, financing_request: FinancingRequest, reason: str) -> FinancingRequest:
    """An officer turns the request down (ineligible, or no partner will take it)."""
    financing_request = request_lock(financing_request)
    to_status = REQUEST_WORKFLOW.check("decline", actor=actor, obj=financing_request)
    if not reason.strip():
        raise ValidationFailed(_("Say why the request is declined."), field="reason")
    pending_offers_decline(financing_request, actor=actor, reason="request declined")
    financing_request.status = to_status
    financing_request.status_reason = reason
    financing_request.save(update_fields=["status", "status_reason", "updated_at"])
    events.record(
        "finance.request.declined",
        payload=request_payload(financing_request, reason=reason),
        enterprise=financing_request.enterprise,
        actor=actor,
        subject=financing_request,
        partners=routed_partners(financing_request),
    )
    return financing_request


@transaction.atomic
def request_disburse(
    *, actor, financing_request: FinancingRequest, reference: str = ""
) -> FinancingRequest:
    """Funds paid out (or, for insurance, cover bound) by the partner whose offer was accepted."""
    financing_request = request_lock(financing_request)
    to_status = REQUEST_WORKFLOW.check("disburse", actor=actor, obj=financing_request)
    insurance = financing_request.kind == FinancingKind.EXPORT_CREDIT_INSURANCE
    financing_request.status = S.BOUND if insurance else to_status
    financing_request.disbursed_at = timezone.now()
    financing_request.disbursed_by = actor
    financing_request.disbursement_reference = reference
    financing_request.save(
        update_fields=[
            "status",
            "disbursed_at",
            "disbursed_by",
            "disbursement_reference",
            "updated_at",
        ]
    )
    events.record(
        "finance.request.bound" if insurance else "finance.request.disbursed",
        payload=request_payload(
            financing_request,
            offer_id=financing_request.accepted_offer_id,
            reference=reference,
        ),
        enterprise=financing_request.enterprise,
        actor=actor,
        subject=financing_request,
        partners=[financing_request.accepted_offer.partner],
    )
    return financing_request


@transaction.atomic
def request_close(*, actor, financing_request: FinancingRequest) -> FinancingRequest:
    """Repaid, settled or the policy has run its term."""
    financing_request = request_lock(financing_request)
    REQUEST_WORKFLOW.apply("close", actor=actor, obj=financing_request)
    financing_request.closed_at = timezone.now()
    financing_request.closed_by = actor
    financing_request.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    events.record(
        "finance.request.closed",
        payload=request_payload(financing_request),
        enterprise=financing_request.enterprise,
        actor=actor,
        subject=financing_request,
        partners=[financing_request.accepted_offer.partner],
    )
    return financing_request
