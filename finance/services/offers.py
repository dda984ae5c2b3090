"""Every state change of a partner's offer: create, accept, decline, expire."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agri_platform.api.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from agri_platform.events import services as events

from ..choices import OfferStatus, RequestStatus
from ..models import FinancingOffer, FinancingRequest
from ..money import check_amount
from ._common import check_term, offer_payload, request_lock, request_payload, routed_partners
from .workflows import OFFER_WORKFLOW, REQUEST_WORKFLOW

S = RequestStatus


def pending_offers_decline(
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
            payload=offer_payload(offer, reason=reason),
            enterprise=financing_request.enterprise,
            actor=actor,
            subject=offer,
            partners=[offer.partner],
        )
        declined.append(offer)
    return declined


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
        raise PermissionDenied(_("Only partners that the request was routed to may make offers."))
    financing_request = request_lock(financing_request)
    if not financing_request.routings.filter(partner_id=actor.partner_id).exists():
        raise NotFound(_("No such financing request."))
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
        raise ValidationFailed(_("The rate must be a decimal of at least 0."), field="rate_percent")
    check_term(term_days)
    if valid_until <= timezone.now():
        raise ValidationFailed(
            _("The offer must be valid until a time in the future."), field="valid_until"
        )
    if financing_request.offers.filter(
        partner_id=actor.partner_id, status=OfferStatus.PENDING
    ).exists():
        raise Conflict(_("You already have a pending offer on this request."), code="offer_pending")
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
        payload=offer_payload(offer),
        enterprise=financing_request.enterprise,
        actor=actor,
        subject=offer,
        partners=[offer.partner],
    )
    return offer, True


def _lock_offer(offer: FinancingOffer) -> tuple[FinancingRequest, FinancingOffer]:
    financing_request = request_lock(offer.request)
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
            _("The offer expired at %(time)s.") % {"time": offer.valid_until.isoformat()},
            code="offer_expired",
            current_status="expired",
            allowed_actions=[],
        )
    offer.status = offer_status
    offer.decided_at = now
    offer.decided_by = actor
    offer.save(update_fields=["status", "decided_at", "decided_by"])
    pending_offers_decline(
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
        payload=offer_payload(offer),
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
        payload=offer_payload(offer, reason=reason),
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
            payload=offer_payload(offer),
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
                payload=request_payload(financing_request),
                enterprise=financing_request.enterprise,
                subject=financing_request,
                partners=routed_partners(financing_request),
            )
        return True


def offers_expire_due(*, now: datetime | None = None) -> int:
    """Expire every pending offer whose validity has passed; returns how many."""
    now = now or timezone.now()
    due = FinancingOffer.objects.filter(
        status=OfferStatus.PENDING, valid_until__lte=now
    ).values_list("pk", flat=True)
    return sum(offer_expire(offer_id=pk, now=now) for pk in list(due))
