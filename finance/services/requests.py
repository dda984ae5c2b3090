"""Every state change of trade finance: requests, routing, offers, disbursement.

Each function locks the request row (`select_for_update`), checks the transition table and the
actor, stamps who and when, saves with `update_fields` and records the domain event, all in one
transaction. Lock order is always request → offers, so accept/expire/withdraw cannot deadlock.
"""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from agri_platform.accounts.models import Partner
from agri_platform.api.documents import client_file_name, document_save
from agri_platform.api.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from agri_platform.api.tenancy import ADMINISTRATOR_ROLES, require_membership
from agri_platform.api.workflow import Transition, Workflow, moves, stays
from agri_platform.events import services as events
from enterprises.services import require_verified

from .. import evidence as evidence_registry
from ..choices import PARTNER_KIND_FOR, FinancingKind, OfferStatus, RequestStatus
from ..models import (
    FinancingDocument,
    FinancingEvidence,
    FinancingOffer,
    FinancingRequest,
    FinancingRouting,
)
from ..money import as_string, check_amount

S = RequestStatus


def _require_routed_partner(actor, financing_request: FinancingRequest) -> None:
    routed = {partner.pk for partner in financing_request.partners.all()}  # prefetched in lists
    if actor is None or not actor.partner_id or actor.partner_id not in routed:
        raise PermissionDenied("Only partners that the request was routed to may make offers.")


def _member(actor, financing_request) -> None:
    require_membership(actor, financing_request.enterprise_id)


def _officer(actor, obj) -> None:
    _require_officer(actor)


def _administrator(actor, financing_request) -> None:
    require_membership(actor, financing_request.enterprise_id, roles=ADMINISTRATOR_ROLES)


def _accepted_partner_or_officer(actor, financing_request) -> None:
    _require_accepted_partner_or_officer(actor, financing_request)


OPEN_STATUSES = (S.DRAFT, S.SUBMITTED, S.ROUTED, S.OFFERED)
# In the order of `allowed_actions`. Disbursing an export credit insurance binds it instead (BOUND).
REQUEST_WORKFLOW = Workflow(
    {
        "accept": Transition({S.OFFERED: S.ACCEPTED}, who=_administrator),
        "add_document": Transition(stays(*OPEN_STATUSES), who=_member),
        "add_evidence": Transition(stays(*OPEN_STATUSES), who=_member),
        "close": Transition(
            moves([S.DISBURSED, S.BOUND], S.CLOSED), who=_accepted_partner_or_officer
        ),
        "decline": Transition(moves([S.SUBMITTED, S.ROUTED, S.OFFERED], S.DECLINED), who=_officer),
        "disburse": Transition({S.ACCEPTED: S.DISBURSED}, who=_accepted_partner_or_officer),
        "offer": Transition(
            {S.ROUTED: S.OFFERED, S.OFFERED: S.OFFERED}, who=_require_routed_partner
        ),
        "route": Transition({S.SUBMITTED: S.ROUTED, **stays(S.ROUTED, S.OFFERED)}, who=_officer),
        "submit": Transition(
            {S.DRAFT: S.SUBMITTED},
            who=_member,
            guard=lambda financing_request: require_verified(financing_request.enterprise),
        ),
        "update": Transition(stays(S.DRAFT), who=_member),
        "withdraw": Transition(moves(OPEN_STATUSES, S.WITHDRAWN), who=_member),
    },
    write_scope="finance:write",
)
OFFER_WORKFLOW = Workflow(
    {
        "accept": Transition(
            {OfferStatus.PENDING: OfferStatus.ACCEPTED},
            who=lambda actor, offer: _administrator(actor, offer.request),
        ),
        "decline": Transition(
            {OfferStatus.PENDING: OfferStatus.DECLINED},
            who=lambda actor, offer: _member(actor, offer.request),
        ),
    },
    write_scope="finance:write",
)


def _lock(financing_request: FinancingRequest) -> FinancingRequest:
    return (
        FinancingRequest.objects.select_for_update(of=("self",))
        .select_related("currency", "enterprise")
        .get(pk=financing_request.pk)
    )


# --- who may act -------------------------------------------------------------------------------


def _require_officer(actor) -> None:
    if actor is None or not actor.has_staff_role("officer"):
        raise PermissionDenied("Only platform officers may do this.")


def _routed_partners(financing_request: FinancingRequest) -> list[Partner]:
    return list(financing_request.partners.all())


def _payload(financing_request: FinancingRequest, **extra) -> dict:
    return {
        "request_id": financing_request.pk,
        "kind": financing_request.kind,
        "status": financing_request.status,
        "amount": as_string(financing_request.amount, financing_request.currency.minor_units),
        "currency": financing_request.currency_id,
        "term_days": financing_request.term_days,
        **extra,
    }


def _offer_payload(offer: FinancingOffer, **extra) -> dict:
    minor = offer.currency.minor_units
    return {
        "request_id": offer.request_id,
        "offer_id": offer.pk,
        "partner_id": offer.partner_id,
        "status": offer.status,
        "amount": as_string(offer.amount, minor),
        "currency": offer.currency_id,
        "rate_percent": format(offer.rate_percent, "f"),
        "term_days": offer.term_days,
        "fees": as_string(offer.fees, minor),
        "valid_until": offer.valid_until.isoformat(),
        **extra,
    }


def _check_term(term_days) -> int:
    if not isinstance(term_days, int) or isinstance(term_days, bool) or term_days <= 0:
        raise ValidationFailed("The term must be at least one day.", field="term_days")
    return term_days


# --- requests ----------------------------------------------------------------------------------


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
        raise ValidationFailed(f"Unknown financing kind '{kind}'.", field="kind")
    amount = check_amount(amount, currency)
    _check_term(term_days)
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
    financing_request = _lock(financing_request)
    REQUEST_WORKFLOW.check("update", actor=actor, obj=financing_request)
    allowed = {"kind", "amount", "currency", "term_days", "purpose"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(f"Cannot change {', '.join(sorted(unknown))}.", field=unknown.pop())
    if "kind" in fields and fields["kind"] not in FinancingKind.values:
        raise ValidationFailed(f"Unknown financing kind '{fields['kind']}'.", field="kind")
    currency = fields.get("currency", financing_request.currency)
    fields["amount"] = check_amount(fields.get("amount", financing_request.amount), currency)
    if "term_days" in fields:
        _check_term(fields["term_days"])
    for name, value in fields.items():
        setattr(financing_request, name, value)
    financing_request.save(update_fields=[*fields, "updated_at"])
    return financing_request


@transaction.atomic
def request_submit(*, actor, financing_request: FinancingRequest) -> FinancingRequest:
    financing_request = _lock(financing_request)
    to_status = REQUEST_WORKFLOW.check("submit", actor=actor, obj=financing_request)
    check_amount(financing_request.amount, financing_request.currency)
    financing_request.status = to_status
    financing_request.submitted_at = timezone.now()
    financing_request.submitted_by = actor
    financing_request.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    events.record(
        "finance.request.submitted",
        payload=_payload(financing_request),
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
    financing_request = _lock(financing_request)
    to_status = REQUEST_WORKFLOW.check("route", actor=actor, obj=financing_request)
    partner_kind = PARTNER_KIND_FOR[financing_request.kind]
    if all_partners:
        if partners:
            raise ValidationFailed(
                "Name partners or set all_partners, not both.", field="all_partners"
            )
        chosen = list(Partner.objects.filter(kind=partner_kind, is_active=True))
        if not chosen:
            raise ValidationFailed(
                f"There is no active partner of kind '{partner_kind}'.", field="all_partners"
            )
    else:
        chosen = list(partners or [])
        if not chosen:
            raise ValidationFailed("Choose at least one partner.", field="partners")
        wrong = [p for p in chosen if p.kind != partner_kind or not p.is_active]
        if wrong:
            raise ValidationFailed(
                f"A {financing_request.get_kind_display().lower()} request goes to active "
                f"partners of kind '{partner_kind}'; not to {', '.join(p.name for p in wrong)}.",
                field="partners",
                code="wrong_partner_kind",
            )
    already = set(financing_request.routings.values_list("partner_id", flat=True))
    new = [p for p in dict.fromkeys(chosen) if p.pk not in already]
    if not new:
        raise Conflict(
            "The request is already routed to every partner named.", code="already_routed"
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
        payload=_payload(financing_request, partner_ids=[p.pk for p in new]),
        enterprise=financing_request.enterprise,
        actor=actor,
        subject=financing_request,
        partners=new,
    )
    return new


def _decline_pending_offers(
    financing_request: FinancingRequest, *, actor, reason: str, exclude: int | None = None
) -> list[FinancingOffer]:
    declined = []
    pending = (
        FinancingOffer.objects.select_for_update(of=("self",))
        .select_related("currency", "partner")
        .filter(request=financing_request, status=OfferStatus.PENDING)
        .exclude(pk=exclude)
    )
    now = timezone.now()
    for offer in pending:
        offer.status = OfferStatus.DECLINED
        offer.decided_at = now
        offer.decided_by = actor
        offer.save(update_fields=["status", "decided_at", "decided_by"])
        events.record(
            "finance.offer.declined",
            payload=_offer_payload(offer, reason=reason),
            enterprise=financing_request.enterprise,
            actor=actor,
            subject=offer,
            partners=[offer.partner],
        )
        declined.append(offer)
    return declined


@transaction.atomic
def request_withdraw(
    *, actor, financing_request: FinancingRequest, reason: str = ""
) -> FinancingRequest:
    financing_request = _lock(financing_request)
    REQUEST_WORKFLOW.apply("withdraw", actor=actor, obj=financing_request)
    _decline_pending_offers(financing_request, actor=actor, reason="request withdrawn")
    financing_request.status_reason = reason
    financing_request.save(update_fields=["status", "status_reason", "updated_at"])
    events.record(
        "finance.request.withdrawn",
        payload=_payload(financing_request, reason=reason),
        enterprise=financing_request.enterprise,
        actor=actor,
        subject=financing_request,
        partners=_routed_partners(financing_request),
    )
    return financing_request


@transaction.atomic
def request_decline(*, actor, financing_request: FinancingRequest, reason: str) -> FinancingRequest:
    """An officer turns the request down (ineligible, or no partner will take it)."""
    financing_request = _lock(financing_request)
    to_status = REQUEST_WORKFLOW.check("decline", actor=actor, obj=financing_request)
    if not reason.strip():
        raise ValidationFailed("Say why the request is declined.", field="reason")
    _decline_pending_offers(financing_request, actor=actor, reason="request declined")
    financing_request.status = to_status
    financing_request.status_reason = reason
    financing_request.save(update_fields=["status", "status_reason", "updated_at"])
    events.record(
        "finance.request.declined",
        payload=_payload(financing_request, reason=reason),
        enterprise=financing_request.enterprise,
        actor=actor,
        subject=financing_request,
        partners=_routed_partners(financing_request),
    )
    return financing_request


def _require_accepted_partner_or_officer(actor, financing_request: FinancingRequest) -> None:
    offer = financing_request.accepted_offer
    if actor is not None and actor.partner_id and offer and offer.partner_id == actor.partner_id:
        return
    if actor is not None and actor.has_staff_role("officer"):
        return
    raise PermissionDenied("Only the partner whose offer was accepted, or an officer, may do this.")


@transaction.atomic
def request_disburse(
    *, actor, financing_request: FinancingRequest, reference: str = ""
) -> FinancingRequest:
    """Funds paid out (or, for insurance, cover bound) by the partner whose offer was accepted."""
    financing_request = _lock(financing_request)
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
        payload=_payload(
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
    financing_request = _lock(financing_request)
    REQUEST_WORKFLOW.apply("close", actor=actor, obj=financing_request)
    financing_request.closed_at = timezone.now()
    financing_request.closed_by = actor
    financing_request.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    events.record(
        "finance.request.closed",
        payload=_payload(financing_request),
        enterprise=financing_request.enterprise,
        actor=actor,
        subject=financing_request,
        partners=[financing_request.accepted_offer.partner],
    )
    return financing_request


@transaction.atomic
def evidence_add(
    *, actor, financing_request: FinancingRequest, kind: str, object_id: str
) -> FinancingEvidence:
    """Link one of the enterprise's own shipments or certificates; its summary is snapshotted."""
    financing_request = _lock(financing_request)
    REQUEST_WORKFLOW.check("add_evidence", actor=actor, obj=financing_request)
    object_id = str(object_id).strip()
    if not object_id:
        raise ValidationFailed("Name the object to link.", field="object_id")
    if financing_request.evidence.filter(kind=kind, object_id=object_id).exists():
        raise Conflict("This object is already linked as evidence.", code="evidence_exists")
    summary = evidence_registry.resolve(
        kind, enterprise=financing_request.enterprise, object_id=object_id
    )
    item = FinancingEvidence.objects.create(
        request=financing_request, kind=kind, object_id=object_id, summary=summary, added_by=actor
    )
    if financing_request.status != S.DRAFT:
        events.record(
            "finance.request.evidence_added",
            payload=_payload(financing_request, evidence_kind=kind, object_id=object_id),
            enterprise=financing_request.enterprise,
            actor=actor,
            subject=financing_request,
            partners=_routed_partners(financing_request),
        )
    return item


@transaction.atomic
def document_add(
    *, actor, financing_request: FinancingRequest, upload, title: str = ""
) -> FinancingDocument:
    financing_request = _lock(financing_request)
    REQUEST_WORKFLOW.check("add_document", actor=actor, obj=financing_request)
    document = FinancingDocument(request=financing_request, title=title or client_file_name(upload))
    return document_save(document, upload=upload, actor=actor)


# --- offers ------------------------------------------------------------------------------------


@transaction.atomic
def offer_create(
    *,
    actor,
    financing_request: FinancingRequest,
    amount: Decimal,
    rate_percent: Decimal,
    term_days: int,
    fees: Decimal = Decimal(0),
    conditions: str = "",
    valid_until: datetime,
    external_reference: str = "",
) -> tuple[FinancingOffer, bool]:
    """A routed partner's offer. With `external_reference`, a replay returns the first offer
    (and False); a request not routed to the partner is a 404."""
    if actor is None or not actor.partner_id:
        raise PermissionDenied("Only partners that the request was routed to may make offers.")
    financing_request = _lock(financing_request)
    if not financing_request.routings.filter(partner_id=actor.partner_id).exists():
        raise NotFound("No such financing request.")
    if external_reference:
        existing = (
            FinancingOffer.objects.select_related("currency", "partner", "request")
            .filter(
                request=financing_request,
                partner_id=actor.partner_id,
                external_reference=external_reference,
            )
            .first()
        )
        if existing is not None:
            return existing, False
    to_status = REQUEST_WORKFLOW.check("offer", actor=actor, obj=financing_request)
    currency = financing_request.currency
    amount = check_amount(amount, currency)
    fees = check_amount(fees, currency, field="fees", allow_zero=True)
    if not isinstance(rate_percent, Decimal) or rate_percent < 0:
        raise ValidationFailed("The rate must be a decimal of at least 0.", field="rate_percent")
    _check_term(term_days)
    if valid_until <= timezone.now():
        raise ValidationFailed(
            "The offer must be valid until a time in the future.", field="valid_until"
        )
    if financing_request.offers.filter(
        partner_id=actor.partner_id, status=OfferStatus.PENDING
    ).exists():
        raise Conflict("You already have a pending offer on this request.", code="offer_pending")
    offer = FinancingOffer.objects.create(
        request=financing_request,
        partner_id=actor.partner_id,
        amount=amount,
        currency=currency,
        rate_percent=rate_percent,
        term_days=term_days,
        fees=fees,
        conditions=conditions,
        valid_until=valid_until,
        external_reference=external_reference,
        created_by=actor,
    )
    if financing_request.status != to_status:
        financing_request.status = to_status
        financing_request.save(update_fields=["status", "updated_at"])
    events.record(
        "finance.offer.received",
        payload=_offer_payload(offer),
        enterprise=financing_request.enterprise,
        actor=actor,
        subject=offer,
        partners=[offer.partner],
    )
    return offer, True


def _lock_offer(offer: FinancingOffer) -> tuple[FinancingRequest, FinancingOffer]:
    financing_request = _lock(offer.request)
    offer = (
        FinancingOffer.objects.select_for_update(of=("self",))
        .select_related("currency", "partner")
        .get(pk=offer.pk)
    )
    offer.request = financing_request
    return financing_request, offer


@transaction.atomic
def offer_accept(*, actor, offer: FinancingOffer) -> FinancingOffer:
    """Accept one offer; every other pending offer on the request is declined in the same
    transaction. An offer past its validity is a 409 even before the expiry task has run."""
    financing_request, offer = _lock_offer(offer)
    offer_status = OFFER_WORKFLOW.check("accept", actor=actor, obj=offer)
    request_status = REQUEST_WORKFLOW.check("accept", actor=actor, obj=financing_request)
    now = timezone.now()
    if offer.valid_until <= now:
        raise Conflict(
            f"The offer expired at {offer.valid_until.isoformat()}.",
            code="offer_expired",
            current_status="expired",
            allowed_actions=[],
        )
    offer.status = offer_status
    offer.decided_at = now
    offer.decided_by = actor
    offer.save(update_fields=["status", "decided_at", "decided_by"])
    _decline_pending_offers(
        financing_request, actor=actor, reason="another offer was accepted", exclude=offer.pk
    )
    financing_request.status = request_status
    financing_request.accepted_offer = offer
    financing_request.accepted_at = now
    financing_request.accepted_by = actor
    financing_request.save(
        update_fields=["status", "accepted_offer", "accepted_at", "accepted_by", "updated_at"]
    )
    events.record(
        "finance.offer.accepted",
        payload=_offer_payload(offer),
        enterprise=financing_request.enterprise,
        actor=actor,
        subject=offer,
        partners=[offer.partner],
    )
    return offer


@transaction.atomic
def offer_decline(*, actor, offer: FinancingOffer, reason: str = "") -> FinancingOffer:
    financing_request, offer = _lock_offer(offer)
    OFFER_WORKFLOW.apply("decline", actor=actor, obj=offer)
    offer.decided_at = timezone.now()
    offer.decided_by = actor
    offer.save(update_fields=["status", "decided_at", "decided_by"])
    events.record(
        "finance.offer.declined",
        payload=_offer_payload(offer, reason=reason),
        enterprise=financing_request.enterprise,
        actor=actor,
        subject=offer,
        partners=[offer.partner],
    )
    return offer


def offer_expire(*, offer_id: int, now: datetime | None = None) -> bool:
    """Expire one offer past its validity (idempotent); a request whose last live offer expired
    becomes expired too. Returns whether anything changed."""
    now = now or timezone.now()
    with transaction.atomic():
        offer = FinancingOffer.objects.filter(pk=offer_id).first()
        if offer is None:
            return False
        financing_request, offer = _lock_offer(offer)
        if offer.status != OfferStatus.PENDING or offer.valid_until > now:
            return False
        offer.status = OfferStatus.EXPIRED
        offer.decided_at = now
        offer.save(update_fields=["status", "decided_at"])
        events.record(
            "finance.offer.expired",
            payload=_offer_payload(offer),
            enterprise=financing_request.enterprise,
            subject=offer,
            partners=[offer.partner],
        )
        live = financing_request.offers.filter(
            status__in=[OfferStatus.PENDING, OfferStatus.ACCEPTED]
        )
        if financing_request.status == S.OFFERED and not live.exists():
            financing_request.status = S.EXPIRED
            financing_request.status_reason = "Every offer expired."
            financing_request.save(update_fields=["status", "status_reason", "updated_at"])
            events.record(
                "finance.request.expired",
                payload=_payload(financing_request),
                enterprise=financing_request.enterprise,
                subject=financing_request,
                partners=_routed_partners(financing_request),
            )
        return True


def offers_expire_due(*, now: datetime | None = None) -> int:
    """Expire every pending offer whose validity has passed; returns how many."""
    now = now or timezone.now()
    due = FinancingOffer.objects.filter(
        status=OfferStatus.PENDING, valid_until__lte=now
    ).values_list("pk", flat=True)
    return sum(offer_expire(offer_id=pk, now=now) for pk in list(due))
