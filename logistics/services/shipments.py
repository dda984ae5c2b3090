"""Every state change of a shipment: booking, documents, dispatch, cancel, tracking events,
tracking-token rotation. Telemetry ingestion is telemetry.py, excursions excursions.py."""

from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from agri_platform.accounts.choices import PartnerKind
from agri_platform.accounts.models import Partner
from agri_platform.api.documents import document_save
from agri_platform.api.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
    ValidationFailed,
)
from agri_platform.api.serializers import unknown_id
from agri_platform.api.tenancy import is_member, require_membership
from agri_platform.api.workflow import Transition, Workflow
from agri_platform.events import services as events
from certification import readiness
from enterprises.services import require_verified

from .. import facts
from ..choices import MILESTONE_STATUS, EventSource, ExcursionMode, ShipmentStatus
from ..models import (
    Shipment,
    ShipmentDocument,
    ShipmentItem,
    TelemetrySummary,
    TrackingEvent,
    new_tracking_token,
)
from .drafts import draft_for_booking

JIN_KG = Decimal("0.5")


def role_on(shipment: Shipment, user) -> str | None:
    """How `user` relates to `shipment`: staff, carrier, enterprise, or None."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_platform_staff:
        return EventSource.STAFF
    if user.partner_id:
        return EventSource.CARRIER if user.partner_id == shipment.carrier_id else None
    if is_member(user, shipment.enterprise_id):
        return EventSource.ENTERPRISE
    return None


def require_enterprise_side(shipment: Shipment, user, what: str) -> str:
    """The caller's role when it is the enterprise's or staff's; `what` is the action, read by
    people (a translated verb phrase: "dispatch a shipment", "发运运单")."""
    role = role_on(shipment, user)
    if role not in (EventSource.ENTERPRISE, EventSource.STAFF):
        raise PermissionDenied(
            _("Only the enterprise or platform staff may %(action)s.") % {"action": what}
        )
    return role


# The actions a booked shipment allows; the rest of the life cycle follows tracking events (a
# dispatch lands on the status the events already posted say, in transit without any).
SHIPMENT_WORKFLOW = Workflow(
    {
        "dispatch": Transition(
            {ShipmentStatus.BOOKED: ShipmentStatus.IN_TRANSIT},
            who=lambda user, shipment: require_enterprise_side(
                shipment, user, _("dispatch a shipment")
            ),
            guard=lambda shipment: require_verified(shipment.enterprise),
        ),
        "cancel": Transition(
            {ShipmentStatus.BOOKED: ShipmentStatus.CANCELLED},
            who=lambda user, shipment: require_enterprise_side(
                shipment, user, _("cancel a shipment")
            ),
        ),
    },
    write_scope="logistics:write",
    action_labels={
        "dispatch": pgettext_lazy("action", "dispatch"),
        "cancel": pgettext_lazy("action", "cancel"),
    },
)


def _payload(shipment: Shipment, **extra) -> dict:
    return {
        "shipment_id": shipment.pk,
        "reference": shipment.reference,
        "status": shipment.status,
        "enterprise_id": shipment.enterprise_id,
        "carrier_id": shipment.carrier_id,
        **extra,
    }


def _record(kind: str, shipment: Shipment, actor, **extra) -> None:
    """Record the domain event and refresh the shipment's analytics fact after the commit."""
    events.record(
        kind,
        payload=_payload(shipment, **extra),
        enterprise=shipment.enterprise,
        actor=actor,
        subject=shipment,
        partners=[shipment.carrier],
    )
    facts.queue_refresh(shipment.pk)


# --- booking ---------------------------------------------------------------------------------


def bookable_carriers():
    """The partners a shipment may be booked with: active carriers."""
    return Partner.objects.filter(kind=PartnerKind.CARRIER, is_active=True)


def band_of(products) -> tuple[Decimal | None, Decimal | None]:
    """The intersection of the products' bands; ValidationFailed naming the clash when empty."""
    lows = [p for p in products if p.temp_min_c is not None]
    highs = [p for p in products if p.temp_max_c is not None]
    low = max(lows, key=lambda p: p.temp_min_c) if lows else None
    high = min(highs, key=lambda p: p.temp_max_c) if highs else None
    if low is not None and high is not None and low.temp_min_c > high.temp_max_c:
        raise ValidationFailed(
            _(
                "The products' temperature bands do not overlap: %(warm)s needs at least "
                "%(warm_min)s °C but %(cold)s at most %(cold_max)s °C; they cannot ship in one "
                "reefer."
            )
            % {
                "warm": _band_text(low),
                "warm_min": low.temp_min_c,
                "cold": _band_text(high),
                "cold_max": high.temp_max_c,
            },
            field="items",
            code="band_conflict",
            clashing_products=[
                {"id": p.pk, "name": str(p), "temp_min_c": p.temp_min_c, "temp_max_c": p.temp_max_c}
                for p in (low, high)
            ],
        )
    return (low.temp_min_c if low else None, high.temp_max_c if high else None)


def _band_text(product) -> str:
    return _("%(product)s (%(low)s to %(high)s °C)") % {
        "product": product,
        "low": product.temp_min_c,
        "high": product.temp_max_c,
    }


def net_kg_of(item: dict) -> Decimal:
    kg, jin = item.get("net_kg"), item.get("net_jin")
    if (kg is None) == (jin is None):
        raise ValidationFailed(
            _("Give the net weight in net_kg or in net_jin (not both)."), field="items"
        )
    return kg if kg is not None else (jin * JIN_KG).quantize(Decimal("0.001"))


def shipment_create(
    *,
    actor,
    enterprise,
    reference: str,
    consignee_name: str,
    consignee_country,
    origin,
    destination,
    transport_mode: str,
    incoterm: str,
    carrier,
    planned_departure: datetime,
    planned_arrival: datetime,
    items: list[dict],
    route: str = "",
    loaded_at: datetime | None = None,
    excursion_delay_minutes: int = 15,
    excursion_mode: str = ExcursionMode.CONSECUTIVE,
    ignore_minutes_after_loading: int = 0,
    draft=None,
) -> Shipment:
    """Book a shipment for `enterprise` (the caller must be a member; it must be verified). A
    `draft` (the enterprise's own, open) is linked to the booked shipment in the same transaction."""
    require_membership(actor, enterprise.pk)
    require_verified(enterprise)
    if not bookable_carriers().filter(pk=carrier.pk).exists():
        raise unknown_id("carrier", carrier.pk)
    if planned_arrival < planned_departure:
        raise ValidationFailed(
            _("The planned arrival must not be before the departure."), field="planned_arrival"
        )
    if not items:
        raise ValidationFailed(_("A shipment needs at least one item."), field="items")
    products = [item["product"] for item in items]
    for index, product in enumerate(products):
        if product.enterprise_id != enterprise.pk:  # e.g. of another enterprise of the caller
            raise unknown_id(f"items[{index}].product", product.pk)
    temp_min, temp_max = band_of(products)
    with transaction.atomic():
        if draft is not None:
            draft = draft_for_booking(actor, enterprise, draft)
        if Shipment.objects.filter(enterprise=enterprise, reference=reference).exists():
            raise Conflict(
                _("This enterprise already has a shipment with this reference."),
                code="duplicate_reference",
                field="reference",
            )
        shipment = Shipment.objects.create(
            enterprise=enterprise,
            temp_min_c=temp_min,
            temp_max_c=temp_max,
            booked_by=actor,
            status_changed_at=timezone.now(),
            reference=reference,
            consignee_name=consignee_name,
            consignee_country=consignee_country,
            origin=origin,
            destination=destination,
            transport_mode=transport_mode,
            route=route,
            incoterm=incoterm,
            carrier=carrier,
            planned_departure=planned_departure,
            planned_arrival=planned_arrival,
            loaded_at=loaded_at,
            excursion_delay_minutes=excursion_delay_minutes,
            excursion_mode=excursion_mode,
            ignore_minutes_after_loading=ignore_minutes_after_loading,
        )
        ShipmentItem.objects.bulk_create(
            ShipmentItem(
                shipment=shipment,
                product=item["product"],
                net_kg=net_kg_of(item),
                packages=item.get("packages", 1),
                declared_value=item["declared_value"],
                currency=item["currency"],
            )
            for item in items
        )
        TelemetrySummary.objects.create(shipment=shipment)
        if draft is not None:
            draft.shipment = shipment
            draft.save(update_fields=["shipment"])
        _record(
            "shipment.booked",
            shipment,
            actor,
            origin=shipment.origin_id,
            destination=shipment.destination_id,
            product_ids=sorted({item["product"].pk for item in items}),
        )
    return shipment


# --- documents ---------------------------------------------------------------------------------


def document_add(
    *, actor, shipment: Shipment, doc_type: str, upload, number: str = ""
) -> ShipmentDocument:
    require_enterprise_side(shipment, actor, _("add documents"))
    if shipment.status == ShipmentStatus.CANCELLED:
        raise TransitionNotAllowed(
            action=_("add a document"),
            current_status=shipment.status,
            status_label=shipment.get_status_display(),
            allowed_actions=[],
        )
    document = ShipmentDocument(shipment=shipment, doc_type=doc_type, number=number)
    return document_save(document, upload=upload, actor=actor)


# --- dispatch and cancel -----------------------------------------------------------------------


def _locked(shipment: Shipment) -> Shipment:
    return (
        Shipment.objects.select_for_update()
        .select_related("enterprise", "carrier")
        .get(pk=shipment.pk)
    )


def shipment_dispatch(*, actor, shipment: Shipment, on_date=None) -> Shipment:
    with transaction.atomic():
        shipment = _locked(shipment)
        to_status = SHIPMENT_WORKFLOW.check("dispatch", actor=actor, obj=shipment)
        missing = [c for c in dispatch_readiness(shipment, on_date=on_date) if c.blocks_dispatch]
        if missing:
            raise Conflict(
                _not_ready_text(missing),
                code="not_ready",
                missing=[
                    {
                        "kind": c.kind,
                        "code": c.code,
                        "name": c.name,
                        "status": c.status,
                        "note": c.note,
                        "valid_until": c.valid_until.isoformat() if c.valid_until else None,
                    }
                    for c in missing
                ],
            )
        old = shipment.status
        shipment.dispatched_at = timezone.now()
        shipment.dispatched_by = actor
        shipment.status = _status_from_events(shipment) or to_status
        shipment.status_changed_at = shipment.dispatched_at
        shipment.save(
            update_fields=["dispatched_at", "dispatched_by", "status", "status_changed_at"]
        )
        _record(
            "shipment.dispatched",
            shipment,
            actor,
            from_status=old,
            dispatched_at=shipment.dispatched_at.isoformat(),
        )
        _announce_status(shipment, old, actor)
    return shipment


def dispatch_readiness(shipment: Shipment, *, on_date=None) -> list:
    """The gate dispatch applies: each requirement of the destination market for the shipment's
    products on the departure date, met or not, with the documents the shipment holds
    (`certification.readiness.RequirementCheck`s; those that `blocks_dispatch` stop it)."""
    products = [item.product for item in shipment.items.select_related("product")]
    on_hand = sorted(set(shipment.documents.values_list("doc_type", flat=True)))
    return readiness.check_readiness(
        enterprise=shipment.enterprise,
        products=products,
        destination=shipment.destination.country,
        on_date=on_date or shipment.planned_departure.date(),
        documents_on_hand=on_hand,
    )


def _not_ready_text(missing) -> str:
    """The dispatch refusal, naming each unmet requirement and why."""
    unmet = pgettext("list separator", "; ").join(_unmet_text(check) for check in missing)
    return _("The shipment is not ready to dispatch; not met: %(unmet)s.") % {"unmet": unmet}


def _unmet_text(check) -> str:
    if check.status == "expiring" and check.valid_until:
        return _("%(requirement)s (valid only until %(date)s)") % {
            "requirement": check.name,
            "date": check.valid_until.isoformat(),
        }
    return _("%(requirement)s (missing)") % {"requirement": check.name}


def shipment_cancel(*, actor, shipment: Shipment, reason: str = "") -> Shipment:
    with transaction.atomic():
        shipment = _locked(shipment)
        old = shipment.status
        SHIPMENT_WORKFLOW.apply("cancel", actor=actor, obj=shipment)
        shipment.cancelled_at = shipment.status_changed_at = timezone.now()
        shipment.cancelled_by = actor
        shipment.cancel_reason = reason
        shipment.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "cancel_reason",
                "status_changed_at",
            ]
        )
        _record("shipment.cancelled", shipment, actor, from_status=old, reason=reason)
    return shipment


def shipment_tracking_token_rotate(*, actor, shipment: Shipment) -> Shipment:
    require_enterprise_side(shipment, actor, _("rotate the tracking link"))
    with transaction.atomic():
        shipment = _locked(shipment)
        shipment.tracking_token = new_tracking_token()
        shipment.save(update_fields=["tracking_token"])
    return shipment


# --- tracking events ---------------------------------------------------------------------------


def _status_from_events(shipment: Shipment) -> str | None:
    """The status the latest milestone (by event time) implies; None when no event implies one."""
    milestones = shipment.events.order_by("-occurred_at", "-id").values_list("milestone", flat=True)
    for milestone in milestones:
        status = MILESTONE_STATUS.get(milestone)
        if status is not None:
            return status
    return ShipmentStatus.IN_TRANSIT if milestones else None


def _announce_status(
    shipment: Shipment, old: str, user, event: TrackingEvent | None = None
) -> None:
    """`shipment.status_changed` (with the milestone that caused it; none at dispatch) and, on
    arrival, `shipment.delivered`."""
    if shipment.status == old:
        return
    _record(
        "shipment.status_changed",
        shipment,
        user,
        from_status=old,
        milestone=event.milestone if event else None,
        occurred_at=event.occurred_at.isoformat() if event else None,
    )
    if shipment.status == ShipmentStatus.DELIVERED:
        delivered_at = shipment.delivered_at.isoformat() if shipment.delivered_at else None
        _record("shipment.delivered", shipment, user, delivered_at=delivered_at)


def tracking_event_create(
    *,
    actor,
    shipment: Shipment,
    milestone: str,
    occurred_at: datetime,
    location=None,
    latitude: float | None = None,
    longitude: float | None = None,
    note: str = "",
    event_id: str = "",
) -> tuple[TrackingEvent, bool]:
    """Store a milestone (any order); the status follows the latest one by event time.

    Returns (event, created): a replay with the same `event_id` returns the stored event.
    """
    role = role_on(shipment, actor)
    if role is None:
        raise NotFound(_("No such shipment."))
    with transaction.atomic():
        shipment = _locked(shipment)
        if event_id:
            existing = shipment.events.filter(event_id=event_id).first()
            if existing is not None:
                return existing, False
        if shipment.status == ShipmentStatus.CANCELLED:
            raise TransitionNotAllowed(
                action=_("post a tracking event"),
                current_status=shipment.status,
                status_label=shipment.get_status_display(),
                allowed_actions=[],
            )
        offset = occurred_at.utcoffset()
        try:
            with transaction.atomic():
                event = TrackingEvent.objects.create(
                    shipment=shipment,
                    milestone=milestone,
                    occurred_at=occurred_at,
                    utc_offset_minutes=int(offset.total_seconds() // 60) if offset else 0,
                    location=location,
                    latitude=latitude,
                    longitude=longitude,
                    note=note,
                    event_id=event_id,
                    source=role,
                    recorded_by=actor,
                )
        except IntegrityError:  # a concurrent replay won the race
            return shipment.events.get(event_id=event_id), False
        if shipment.is_dispatched:
            old = shipment.status
            new = _status_from_events(shipment) or old
            if new != old:
                shipment.status = new
                shipment.status_changed_at = timezone.now()
                fields = ["status", "status_changed_at"]
                if new == ShipmentStatus.DELIVERED and shipment.delivered_at is None:
                    shipment.delivered_at = event.occurred_at
                    fields.append("delivered_at")
                shipment.save(update_fields=fields)
                _announce_status(shipment, old, actor, event)
    return event, True
