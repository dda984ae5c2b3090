"""Shipment drafts: opened from elsewhere (a buyer's accepted quote) with the readiness check for
the destination market, discarded, or booked from the booking page (`shipment_create(draft=...)`).

Logistics never imports trade: whoever opens a draft passes what it needs and a `source` people
read ("Quote #12")."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agri_platform.api.errors import NotFound, TransitionNotAllowed, ValidationFailed
from agri_platform.api.serializers import unknown_id
from agri_platform.api.tenancy import is_member
from agri_platform.events import services as events
from certification import readiness
from certification.choices import DocumentType

from ..models import ShipmentDraft, ShipmentDraftItem


def readiness_snapshot(checks) -> list[dict]:
    """The readiness checks as the draft stores them: what each requirement is, whether it was met,
    why (in the opener's language: pages read it again in theirs, `snapshot_check`), and whether
    it blocks the dispatch."""
    return [
        {
            "kind": check.kind,
            "code": check.code,
            "name": check.name,
            "status": check.status,
            "met": check.is_met,
            "why": check.explanation,
            "blocks_dispatch": check.blocks_dispatch,
            "effect": check.effect,
            "alternatives": list(check.alternatives),
            "product_ids": list(check.product_ids),
            "certificate_id": check.certificate_id,
            "valid_until": check.valid_until.isoformat() if check.valid_until else None,
        }
        for check in checks
    ]


def snapshot_check(entry: dict, scheme_names: dict[str, str]) -> readiness.RequirementCheck:
    """A stored requirement as a readiness check again, named in the active language
    (`scheme_names`: code → name, for the schemes of the snapshot)."""
    codes = entry.get("alternatives") or [entry["code"]]
    if entry["kind"] == "document":
        names = [str(DocumentType(code).label) for code in codes if code in DocumentType.values]
    else:
        names = [scheme_names[code] for code in codes if code in scheme_names]
    valid_until = entry.get("valid_until")
    return readiness.RequirementCheck(
        kind=entry["kind"],
        code=entry["code"],
        name=_(" or ").join(names) if names else entry["name"],
        status=entry["status"],
        certificate_id=entry.get("certificate_id"),
        valid_until=date.fromisoformat(valid_until) if valid_until else None,
        alternatives=tuple(entry.get("alternatives") or ()),
        product_ids=tuple(entry.get("product_ids") or ()),
        effect=entry.get("effect", "required"),
    )


def is_ready(snapshot: list[dict]) -> bool:
    """Every requirement that blocks the dispatch is met."""
    return not any(entry["blocks_dispatch"] for entry in snapshot)


def check_draft_readiness(draft: ShipmentDraft, *, products=None, on_date: date | None = None):
    """The readiness checks of the draft's products for its destination's country, now."""
    if products is None:
        products = [item.product for item in draft.items.all()]
    return readiness.check_readiness(
        enterprise=draft.enterprise,
        products=products,
        destination=draft.destination.country,
        on_date=on_date or draft.ready_by or timezone.localdate(),
        documents_on_hand=None,
    )


def shipment_draft_open(
    *,
    actor,
    enterprise,
    source: str,
    consignee_name: str,
    consignee_country,
    destination,
    incoterm: str,
    ready_by: date | None,
    items: list[dict],
) -> ShipmentDraft:
    """Open a draft for `enterprise` and store the readiness of its products for the destination's
    country on `ready_by` (or today). The caller is trusted (e.g. trade's quote_accept, acting for
    a buyer's person): no membership is checked here."""
    if not items:
        raise ValidationFailed(_("A shipment draft needs at least one item."), field="items")
    products = [item["product"] for item in items]
    for index, product in enumerate(products):
        if product.enterprise_id != enterprise.pk:
            raise unknown_id(f"items[{index}].product", product.pk)
    with transaction.atomic():
        draft = ShipmentDraft.objects.create(
            enterprise=enterprise,
            source=source[:200],
            consignee_name=consignee_name[:200],
            consignee_country=consignee_country,
            destination=destination,
            incoterm=incoterm,
            ready_by=ready_by,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        ShipmentDraftItem.objects.bulk_create(
            ShipmentDraftItem(
                draft=draft,
                product=item["product"],
                net_kg=item.get("net_kg"),
                packages=item.get("packages"),
                declared_value=item.get("declared_value"),
                currency=item.get("currency"),
            )
            for item in items
        )
        draft.readiness = readiness_snapshot(check_draft_readiness(draft, products=products))
        draft.readiness_checked_at = timezone.now()
        draft.save(update_fields=["readiness", "readiness_checked_at"])
        events.record(
            "shipment.draft_opened",
            payload={
                "shipment_draft_id": draft.pk,
                "enterprise_id": enterprise.pk,
                "destination": destination.pk,
                "source": draft.source,
                "ready": is_ready(draft.readiness),
            },
            enterprise=enterprise,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            subject=draft,
        )
    return draft


def draft_state(draft: ShipmentDraft) -> str:
    """open, booked or discarded: what the draft's pages and API call its state."""
    if draft.shipment_id:
        return "booked"
    if draft.discarded_at:
        return "discarded"
    return "open"


def require_open(draft: ShipmentDraft, action: str) -> None:
    """A booked or discarded draft refuses `action` (a translated verb phrase) with a 409."""
    state = draft_state(draft)
    if state != "open":
        raise TransitionNotAllowed(
            action=action,
            current_status=state,
            status_label={"booked": _("booked"), "discarded": _("discarded")}[state],
            allowed_actions=[],
        )


def require_draft_member(actor, draft: ShipmentDraft) -> None:
    """Only the members of the draft's enterprise act on it; anyone else gets the 404 a missing
    draft gets (staff read drafts, they do not book or discard them)."""
    if not is_member(actor, draft.enterprise_id):
        raise NotFound(_("No such shipment draft."))


def shipment_draft_discard(*, actor, draft: ShipmentDraft) -> ShipmentDraft:
    """The enterprise throws the draft away; a booked or discarded one is a 409."""
    require_draft_member(actor, draft)
    with transaction.atomic():
        draft = ShipmentDraft.objects.select_for_update().get(pk=draft.pk)
        require_open(draft, _("discard a draft"))
        draft.discarded_at = timezone.now()
        draft.save(update_fields=["discarded_at"])
    return draft


def draft_for_booking(actor, enterprise, draft: ShipmentDraft) -> ShipmentDraft:
    """The draft a booking links, locked: the enterprise's own and still open (inside the booking's
    transaction)."""
    if draft.enterprise_id != enterprise.pk or not is_member(actor, enterprise.pk):
        raise unknown_id("draft", draft.pk)
    draft = ShipmentDraft.objects.select_for_update().get(pk=draft.pk)
    require_open(draft, _("book a draft"))
    return draft
