"""Every state change of promotion events: staff create, edit, publish and cancel them;
enterprises sign up with the products they will show and withdraw.

Each function checks the actor and the transition (trade/workflows_promotions.py), writes in one
transaction and records the catalogue's event.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agri_platform.api.errors import Conflict, ValidationFailed
from agri_platform.api.tenancy import require_membership
from agri_platform.events import services as events
from enterprises.services import require_verified

from ..choices import ParticipantStatus, PromotionStatus
from ..models import PromotionEvent, PromotionParticipant
from ..workflows_promotions import (
    PARTICIPANT_WORKFLOW,
    PROMOTION_WORKFLOW,
    require_promotion_staff,
)

MAX_REASON_LENGTH = 4_000
MAX_NOTE_LENGTH = 4_000
MAX_PRODUCTS = 50
# What staff may write on an event (markets is a many-to-many, set after saving).
EDITABLE_FIELDS = (
    "title_zh",
    "title_en",
    "kind",
    "description_zh",
    "description_en",
    "city",
    "country",
    "venue",
    "starts_on",
    "ends_on",
    "signup_closes_on",
    "categories",
)


def _payload(event: PromotionEvent, **extra) -> dict:
    return {
        "promotion_id": event.pk,
        "title_en": event.title_en,
        "kind": event.kind,
        "city": event.city,
        "country": event.country_id,
        "starts_on": event.starts_on.isoformat(),
        "ends_on": event.ends_on.isoformat(),
        **extra,
    }


def _lock(event: PromotionEvent) -> PromotionEvent:
    return PromotionEvent.objects.select_for_update().get(pk=event.pk)


def _check_dates(event: PromotionEvent) -> None:
    if event.ends_on < event.starts_on:
        raise ValidationFailed(_("The event must not end before it starts."), field="ends_on")
    if event.signup_closes_on and event.signup_closes_on > event.starts_on:
        raise ValidationFailed(
            _("Sign-up must close on or before the first day of the event."),
            field="signup_closes_on",
        )


def _apply_fields(event: PromotionEvent, fields: dict) -> None:
    markets = fields.pop("markets", None)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValidationFailed(_("This field cannot be set."), field=name)
        setattr(event, name, value)
    _check_dates(event)
    event.save()
    if markets is not None:
        event.markets.set(markets)


@transaction.atomic
def promotion_create(*, actor, **fields) -> PromotionEvent:
    """A draft event; nobody but staff sees it until it is published."""
    require_promotion_staff(actor)
    event = PromotionEvent(created_by=actor, status=PromotionStatus.DRAFT)
    _apply_fields(event, fields)
    return event


@transaction.atomic
def promotion_update(*, actor, event: PromotionEvent, **fields) -> PromotionEvent:
    event = _lock(event)
    PROMOTION_WORKFLOW.check("update", actor=actor, obj=event)
    _apply_fields(event, fields)
    return event


@transaction.atomic
def promotion_publish(*, actor, event: PromotionEvent) -> PromotionEvent:
    """The event becomes public and every partner hears of it (`promotion.published`)."""
    event = _lock(event)
    PROMOTION_WORKFLOW.apply("publish", actor=actor, obj=event)
    event.published_at = timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    events.record("promotion.published", payload=_payload(event), actor=actor, subject=event)
    return event


@transaction.atomic
def promotion_cancel(*, actor, event: PromotionEvent, reason: str) -> PromotionEvent:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the event is cancelled."), field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed(
            _("At most %(limit)d characters.") % {"limit": MAX_REASON_LENGTH}, field="reason"
        )
    event = _lock(event)
    was_published = event.status == PromotionStatus.PUBLISHED
    PROMOTION_WORKFLOW.apply("cancel", actor=actor, obj=event)
    event.status_reason = reason
    event.save(update_fields=["status", "status_reason", "updated_at"])
    if was_published:  # a draft nobody saw needs no announcement
        events.record(
            "promotion.cancelled",
            payload=_payload(event, reason=reason),
            actor=actor,
            subject=event,
        )
    return event


def signup_closes_on(event: PromotionEvent) -> date:
    """The last day enterprises may sign up: the day set, else the day before the event."""
    return event.signup_closes_on or event.starts_on - timedelta(days=1)


def signup_open(event: PromotionEvent, *, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return event.status == PromotionStatus.PUBLISHED and today <= signup_closes_on(event)


def _check_signup_open(event: PromotionEvent) -> None:
    if event.status != PromotionStatus.PUBLISHED:
        raise Conflict(
            _("Only a published event takes sign-ups (this one is %(status)s).")
            % {"status": event.get_status_display()},
            code="promotion_not_open",
        )
    if not signup_open(event):
        raise Conflict(
            _("Sign-up for this event closed on %(day)s.")
            % {"day": signup_closes_on(event).isoformat()},
            code="signup_closed",
        )


def _check_products(enterprise, products) -> list:
    if not products:
        raise ValidationFailed(_("Choose at least one product to show."), field="products")
    if len(products) > MAX_PRODUCTS:
        raise ValidationFailed(
            _("At most %(limit)d products.") % {"limit": MAX_PRODUCTS}, field="products"
        )
    for product in products:
        listed = getattr(product, "listed_in_catalogue", True)  # the catalogue's flag, when merged
        if product.enterprise_id != enterprise.pk or not listed:
            raise ValidationFailed(
                _("Product %(id)d is not one of the enterprise's products.") % {"id": product.pk},
                field="products",
                code="does_not_exist",
            )
    return list({product.pk: product for product in products}.values())


@transaction.atomic
def promotion_sign_up(
    *, actor, event: PromotionEvent, enterprise, products: list, note: str = ""
) -> PromotionParticipant:
    """The enterprise takes part with `products` (its own); signing up again after a withdrawal
    takes part again with the new choice."""
    require_membership(actor, enterprise.pk)
    require_verified(enterprise)
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationFailed(
            _("At most %(limit)d characters.") % {"limit": MAX_NOTE_LENGTH}, field="note"
        )
    products = _check_products(enterprise, products)
    event = _lock(event)
    _check_signup_open(event)
    participant = (
        PromotionParticipant.objects.select_for_update()
        .filter(event=event, enterprise=enterprise)
        .first()
    )
    if participant is not None and participant.status == ParticipantStatus.SIGNED_UP:
        raise Conflict(
            _("The enterprise already takes part in this event."), code="already_signed_up"
        )
    if participant is None:
        participant = PromotionParticipant(event=event, enterprise=enterprise)
    participant.status = ParticipantStatus.SIGNED_UP
    participant.note = note
    participant.created_by = actor
    participant.withdrawn_at = None
    participant.save()
    participant.products.set(products)
    events.record(
        "promotion.signed_up",
        payload=_payload(
            event,
            participant_id=participant.pk,
            enterprise_id=enterprise.pk,
            product_ids=sorted(product.pk for product in products),
        ),
        enterprise=enterprise,
        actor=actor,
        subject=participant,
    )
    return participant


@transaction.atomic
def promotion_withdraw(*, actor, participant: PromotionParticipant) -> PromotionParticipant:
    participant = (
        PromotionParticipant.objects.select_for_update(of=("self",))
        .select_related("event", "enterprise")
        .get(pk=participant.pk)
    )
    PARTICIPANT_WORKFLOW.apply("withdraw", actor=actor, obj=participant)
    participant.withdrawn_at = timezone.now()
    participant.save(update_fields=["status", "withdrawn_at"])
    events.record(
        "promotion.withdrawn",
        payload=_payload(
            participant.event,
            participant_id=participant.pk,
            enterprise_id=participant.enterprise_id,
        ),
        enterprise=participant.enterprise,
        actor=actor,
        subject=participant,
    )
    return participant
