"""Every state change of inquiries, their messages and quotes.

Each function locks what it changes (`select_for_update`), checks the transition and the actor
through the tables of trade/workflows.py, stamps who and when and records the catalogue's event in
the same transaction: `enterprise=` the enterprise asked, `partners=[the buyer's partner]` so the
buyer's webhooks and people get it. simple_history keeps the audit trail.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agri_platform.api.errors import (
    Conflict,
    PermissionDenied,
    TooManyRequests,
    ValidationFailed,
    check_length,
)
from agri_platform.api.tenancy import is_member
from agri_platform.events import services as events
from agri_platform.reference.choices import Incoterm
from agri_platform.reference.models import Country, Currency, Location
from logistics.services import drafts

from ..choices import InquiryStatus, MessageSide, PromotionStatus, QuantityUnit, QuoteStatus
from ..models import Buyer, BuyerBlock, Inquiry, InquiryItem, InquiryMessage, Quote, QuoteLine
from ..selectors.buyers import buyer_of
from ..workflows import INQUIRY_WORKFLOW, QUOTE_WORKFLOW
from .buyers import buyer_may_send

# What a person may write (the API's input serializers declare the same limits).
MAX_ITEMS = 20
MAX_NOTES_LENGTH = 4_000
MAX_MESSAGE_LENGTH = 10_000
MAX_REASON_LENGTH = 2_000
MAX_CONDITIONS_LENGTH = 4_000
MAX_LEAD_TIME_DAYS = 365
MAX_QUANTITY = Decimal("999999999.999")
MAX_UNIT_PRICE = Decimal("999999999999.99")
KG_PER_TONNE = Decimal("1000")
_RATE_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


# --- checks ---------------------------------------------------------------------------------------


def _check_incoterm(incoterm: str) -> None:
    if incoterm not in Incoterm.values:
        raise ValidationFailed(
            _("Unknown Incoterm “%(incoterm)s”.") % {"incoterm": incoterm}, field="incoterm"
        )


def _check_unit(unit: str, *, field: str) -> None:
    if unit not in QuantityUnit.values:
        raise ValidationFailed(_("Unknown unit “%(unit)s”.") % {"unit": unit}, field=field)


def _check_quantity(quantity, *, field: str) -> None:
    if not isinstance(quantity, Decimal | int) or not 0 < quantity <= MAX_QUANTITY:
        raise ValidationFailed(_("The quantity must be more than zero."), field=field)


def parse_rate(rate: str) -> tuple[int, int]:
    """("20/day") → (20, 86400): how many inquiries in how many seconds."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(second|minute|hour|day)\s*", rate or "")
    if match is None:
        raise ValueError(f"TRADE_INQUIRY_RATE must read like '20/day', not {rate!r}")
    return int(match[1]), _RATE_PERIODS[match[2]]


def require_within_rate(buyer: Buyer) -> None:
    """429 with Retry-After when `buyer` sent its allowance of inquiries within the period
    (settings.TRADE_INQUIRY_RATE), counted in the database so pages and API share one count."""
    allowed, seconds = parse_rate(settings.TRADE_INQUIRY_RATE)
    since = timezone.now() - timedelta(seconds=seconds)
    recent = list(
        Inquiry.objects.filter(buyer=buyer, created_at__gte=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:allowed]
    )
    if len(recent) < allowed:
        return
    frees_at = recent[-1] + timedelta(seconds=seconds)
    retry_after = max(1, int((frees_at - timezone.now()).total_seconds()) + 1)
    raise TooManyRequests(
        _("You sent %(count)d inquiries recently, the most allowed; try again later.")
        % {"count": allowed},
        retry_after=retry_after,
    )


def _takes_inquiries_from(enterprise, buyer: Buyer) -> bool:
    blocked = BuyerBlock.objects.filter(enterprise=enterprise, buyer=buyer).exists()
    return enterprise.is_verified and not blocked


def _require_sender(actor, buyer: Buyer) -> None:
    acting_for = buyer_of(actor)
    if acting_for is None or acting_for.pk != buyer.pk:
        raise PermissionDenied(
            _("Only a buyer's own people and keys send its inquiries."), code="not_a_buyer"
        )


def _clean_items(enterprise, items: list[dict]) -> list[dict]:
    if not items:
        raise ValidationFailed(_("Ask for at least one product."), field="items")
    if len(items) > MAX_ITEMS:
        raise ValidationFailed(
            _("At most %(count)d products in one inquiry.") % {"count": MAX_ITEMS}, field="items"
        )
    seen = set()
    for index, item in enumerate(items):
        product = item["product"]
        field = f"items[{index}]"
        if product.enterprise_id != enterprise.pk or not product.listed_in_catalogue:
            raise ValidationFailed(
                _("The enterprise offers no such product."),
                field=f"{field}.product",
                code="does_not_exist",
            )
        if product.pk in seen:
            raise ValidationFailed(
                _("Each product once per inquiry."), field=f"{field}.product", code="duplicate"
            )
        seen.add(product.pk)
        _check_quantity(item["quantity"], field=f"{field}.quantity")
        _check_unit(item["unit"], field=f"{field}.unit")
    return items


def _check_window(delivery_from: date, delivery_to: date) -> None:
    if delivery_from < timezone.localdate():
        raise ValidationFailed(_("The delivery window is in the past."), field="delivery_from")
    if delivery_to < delivery_from:
        raise ValidationFailed(
            _("The delivery window must not end before it starts."), field="delivery_to"
        )


# --- events -----------------------------------------------------------------------------------


def _inquiry_payload(inquiry: Inquiry, **extra) -> dict:
    return {
        "inquiry_id": inquiry.pk,
        "enterprise_id": inquiry.enterprise_id,
        "buyer_id": inquiry.buyer_id,
        "status": inquiry.status,
        "destination": inquiry.destination_id,
        "incoterm": inquiry.incoterm,
        "product_ids": sorted(item.product_id for item in inquiry.items.all()),
        **extra,
    }


def _quote_payload(quote: Quote, **extra) -> dict:
    inquiry = quote.inquiry
    return {
        "quote_id": quote.pk,
        "inquiry_id": inquiry.pk,
        "enterprise_id": inquiry.enterprise_id,
        "buyer_id": inquiry.buyer_id,
        "status": quote.status,
        "currency": quote.currency_id,
        "valid_until": quote.valid_until.isoformat(),
        "lead_time_days": quote.lead_time_days,
        **extra,
    }


def _record(kind: str, inquiry: Inquiry, payload: dict, *, actor, subject) -> None:
    events.record(
        kind,
        payload=payload,
        enterprise=inquiry.enterprise,
        actor=actor,
        subject=subject,
        partners=[inquiry.buyer.partner],
    )


# --- inquiries ----------------------------------------------------------------------------------


def _lock_inquiry(inquiry: Inquiry) -> Inquiry:
    return (
        Inquiry.objects.select_for_update(of=("self",))
        .select_related("buyer__partner", "enterprise")
        .get(pk=inquiry.pk)
    )


def _mark_answered(inquiry: Inquiry) -> None:
    """Response times count from the enterprise's first quote, message or decline."""
    if inquiry.first_response_at is None:
        inquiry.first_response_at = timezone.now()


def _close_open_quotes(inquiry: Inquiry, *, except_quote: Quote | None = None) -> None:
    """Open quotes an answer or a close made moot become superseded (no event of their own: the
    inquiry's event says what happened)."""
    open_quotes = inquiry.quotes.filter(status=QuoteStatus.OPEN)
    if except_quote is not None:
        open_quotes = open_quotes.exclude(pk=except_quote.pk)
    for quote in open_quotes.select_for_update():
        quote.status = QuoteStatus.SUPERSEDED
        quote.decided_at = timezone.now()
        quote.save(update_fields=["status", "decided_at"])


@transaction.atomic
def inquiry_send(
    *,
    actor,
    buyer: Buyer,
    enterprise,
    items: list[dict],
    destination: Location,
    incoterm: str,
    delivery_from: date,
    delivery_to: date,
    notes: str = "",
    promotion=None,
) -> Inquiry:
    """A buyer asks `enterprise` for `items` ({"product", "quantity", "unit"}) delivered to
    `destination`. A blocked buyer gets the answer an enterprise that takes no inquiries gives."""
    _require_sender(actor, buyer)
    buyer_may_send(buyer)
    if not _takes_inquiries_from(enterprise, buyer):
        raise ValidationFailed(
            _("This enterprise does not take inquiries at the moment."),
            field="enterprise",
            code="not_taking_inquiries",
        )
    items = _clean_items(enterprise, list(items))
    if not isinstance(destination, Location):
        raise ValidationFailed(_("Give the destination as a UN/LOCODE."), field="destination")
    _check_incoterm(incoterm)
    _check_window(delivery_from, delivery_to)
    check_length(notes, MAX_NOTES_LENGTH, field="notes")
    if promotion is not None and promotion.status != PromotionStatus.PUBLISHED:
        raise ValidationFailed(_("No such promotion event."), field="promotion")
    Buyer.objects.select_for_update().filter(pk=buyer.pk).first()  # one count at a time per buyer
    require_within_rate(buyer)
    inquiry = Inquiry.objects.create(
        buyer=buyer,
        enterprise=enterprise,
        destination=destination,
        incoterm=incoterm,
        delivery_from=delivery_from,
        delivery_to=delivery_to,
        notes=notes,
        promotion=promotion,
        created_by=actor,
    )
    InquiryItem.objects.bulk_create(
        InquiryItem(
            inquiry=inquiry, product=item["product"], quantity=item["quantity"], unit=item["unit"]
        )
        for item in items
    )
    _record("inquiry.sent", inquiry, _inquiry_payload(inquiry), actor=actor, subject=inquiry)
    return inquiry


@transaction.atomic
def inquiry_decline(*, actor, inquiry: Inquiry, reason: str) -> Inquiry:
    """The enterprise says no; the reason is shown to the buyer."""
    inquiry = _lock_inquiry(inquiry)
    INQUIRY_WORKFLOW.check("decline", actor=actor, obj=inquiry)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Tell the buyer why you decline."), field="reason")
    check_length(reason, MAX_REASON_LENGTH, field="reason")
    INQUIRY_WORKFLOW.apply("decline", actor=actor, obj=inquiry)
    inquiry.status_reason = reason
    inquiry.closed_at = timezone.now()
    _mark_answered(inquiry)
    inquiry.save()
    _close_open_quotes(inquiry)
    payload = _inquiry_payload(inquiry, reason=reason)
    _record("inquiry.declined", inquiry, payload, actor=actor, subject=inquiry)
    return inquiry


@transaction.atomic
def inquiry_withdraw(*, actor, inquiry: Inquiry, reason: str = "") -> Inquiry:
    """The buyer no longer asks."""
    inquiry = _lock_inquiry(inquiry)
    INQUIRY_WORKFLOW.check("withdraw", actor=actor, obj=inquiry)
    reason = (reason or "").strip()
    check_length(reason, MAX_REASON_LENGTH, field="reason")
    INQUIRY_WORKFLOW.apply("withdraw", actor=actor, obj=inquiry)
    inquiry.status_reason = reason
    inquiry.closed_at = timezone.now()
    inquiry.save()
    _close_open_quotes(inquiry)
    payload = _inquiry_payload(inquiry, reason=reason)
    _record("inquiry.withdrawn", inquiry, payload, actor=actor, subject=inquiry)
    return inquiry


@transaction.atomic
def inquiry_message_post(*, actor, inquiry: Inquiry, body: str) -> InquiryMessage:
    """A message from either side; the side follows the actor."""
    inquiry = _lock_inquiry(inquiry)
    INQUIRY_WORKFLOW.check("message", actor=actor, obj=inquiry)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(_("Write the message."), field="body")
    check_length(body, MAX_MESSAGE_LENGTH, field="body")
    side = MessageSide.ENTERPRISE if is_member(actor, inquiry.enterprise_id) else MessageSide.BUYER
    message = InquiryMessage.objects.create(inquiry=inquiry, side=side, author=actor, body=body)
    if side == MessageSide.ENTERPRISE and inquiry.first_response_at is None:
        _mark_answered(inquiry)
        inquiry.save(update_fields=["first_response_at", "updated_at"])
    payload = _inquiry_payload(inquiry, message_id=message.pk, author_side=side)
    _record("inquiry.message_posted", inquiry, payload, actor=actor, subject=inquiry)
    return message


# --- quotes -------------------------------------------------------------------------------------


def _clean_lines(inquiry: Inquiry, lines: list[dict]) -> list[dict]:
    """One line per item of the inquiry, each priced; quantity and unit default to the item's."""
    items = {item.pk: item for item in inquiry.items.all()}
    priced = {}
    for index, line in enumerate(lines):
        field = f"lines[{index}]"
        item = line["item"]
        if item.pk not in items:
            raise ValidationFailed(
                _("The inquiry has no such item."), field=f"{field}.item", code="does_not_exist"
            )
        if item.pk in priced:
            raise ValidationFailed(_("One line per item."), field=f"{field}.item", code="duplicate")
        unit_price = line["unit_price"]
        if not isinstance(unit_price, Decimal | int) or not 0 < unit_price <= MAX_UNIT_PRICE:
            raise ValidationFailed(
                _("The unit price must be more than zero."), field=f"{field}.unit_price"
            )
        quantity = line.get("quantity") or item.quantity
        unit = line.get("unit") or item.unit
        _check_quantity(quantity, field=f"{field}.quantity")
        _check_unit(unit, field=f"{field}.unit")
        priced[item.pk] = {
            "item": item,
            "unit_price": unit_price,
            "quantity": quantity,
            "unit": unit,
        }
    if set(priced) != set(items):
        raise ValidationFailed(_("Price every item of the inquiry."), field="lines")
    return list(priced.values())


@transaction.atomic
def quote_send(
    *,
    actor,
    inquiry: Inquiry,
    currency: Currency,
    incoterm: str,
    valid_until: date,
    lead_time_days: int,
    conditions: str = "",
    lines: list[dict],
) -> Quote:
    """The enterprise prices the inquiry; an earlier open quote on it is superseded."""
    inquiry = _lock_inquiry(inquiry)
    INQUIRY_WORKFLOW.check("quote", actor=actor, obj=inquiry)
    if not isinstance(currency, Currency):
        raise ValidationFailed(_("Give the currency as an ISO 4217 code."), field="currency")
    _check_incoterm(incoterm)
    if valid_until < timezone.localdate():
        raise ValidationFailed(_("The quote would already have expired."), field="valid_until")
    if not isinstance(lead_time_days, int) or not 0 <= lead_time_days <= MAX_LEAD_TIME_DAYS:
        raise ValidationFailed(
            _("The lead time runs from 0 to %(max)d days.") % {"max": MAX_LEAD_TIME_DAYS},
            field="lead_time_days",
        )
    check_length(conditions, MAX_CONDITIONS_LENGTH, field="conditions")
    lines = _clean_lines(inquiry, list(lines))
    _close_open_quotes(inquiry)
    INQUIRY_WORKFLOW.apply("quote", actor=actor, obj=inquiry)
    _mark_answered(inquiry)
    inquiry.save()
    quote = Quote.objects.create(
        inquiry=inquiry,
        currency=currency,
        incoterm=incoterm,
        valid_until=valid_until,
        lead_time_days=lead_time_days,
        conditions=conditions,
        created_by=actor,
    )
    QuoteLine.objects.bulk_create(QuoteLine(quote=quote, **line) for line in lines)
    _record("quote.sent", inquiry, _quote_payload(quote), actor=actor, subject=quote)
    return quote


def _lock_quote(quote: Quote) -> Quote:
    """The quote and its inquiry, both locked (inquiry first, as every inquiry service does)."""
    _lock_inquiry(quote.inquiry)
    return (
        Quote.objects.select_for_update(of=("self",))
        .select_related("inquiry__buyer__partner", "inquiry__enterprise", "currency")
        .get(pk=quote.pk)
    )


def _decide(quote: Quote, actor, reason: str = "") -> None:
    quote.decided_at = timezone.now()
    quote.decided_by = actor
    quote.status_reason = reason
    quote.save()


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    check_length(reason, MAX_REASON_LENGTH, field="reason")
    return reason


@transaction.atomic
def quote_withdraw(*, actor, quote: Quote, reason: str = "") -> Quote:
    """The enterprise takes back a quote the buyer has not decided on."""
    quote = _lock_quote(quote)
    QUOTE_WORKFLOW.check("withdraw", actor=actor, obj=quote)
    reason = _clean_reason(reason)
    QUOTE_WORKFLOW.apply("withdraw", actor=actor, obj=quote)
    _decide(quote, actor, reason)
    payload = _quote_payload(quote, reason=reason)
    _record("quote.withdrawn", quote.inquiry, payload, actor=actor, subject=quote)
    return quote


@transaction.atomic
def quote_decline(*, actor, quote: Quote, reason: str = "") -> Quote:
    """The buyer says no to this quote (the enterprise may quote again)."""
    quote = _lock_quote(quote)
    QUOTE_WORKFLOW.check("decline", actor=actor, obj=quote)
    reason = _clean_reason(reason)
    QUOTE_WORKFLOW.apply("decline", actor=actor, obj=quote)
    _decide(quote, actor, reason)
    payload = _quote_payload(quote, reason=reason)
    _record("quote.declined", quote.inquiry, payload, actor=actor, subject=quote)
    return quote


def draft_items(quote: Quote) -> list[dict]:
    """The shipment draft's items from the quote's lines: net weight from kilograms or tonnes,
    packages from cartons (pallets and containers: neither is known), the declared value at the
    quoted price."""
    items = []
    for line in quote.lines.select_related("item__product"):
        net_kg = None
        packages = None
        if line.unit == QuantityUnit.KG:
            net_kg = line.quantity
        elif line.unit == QuantityUnit.TONNE:
            net_kg = line.quantity * KG_PER_TONNE
        elif line.unit == QuantityUnit.CARTON:
            packages = int(line.quantity)
        items.append(
            {
                "product": line.item.product,
                "net_kg": net_kg,
                "packages": packages,
                "declared_value": (line.quantity * line.unit_price).quantize(Decimal("0.01")),
                "currency": quote.currency,
            }
        )
    return items


def _open_draft(*, actor, quote: Quote):
    inquiry = quote.inquiry
    buyer = inquiry.buyer
    return drafts.shipment_draft_open(
        actor=actor,
        enterprise=inquiry.enterprise,
        source=_("Quote #%(quote)s on inquiry #%(inquiry)s")
        % {"quote": quote.pk, "inquiry": inquiry.pk},
        consignee_name=buyer.name,
        consignee_country=Country.objects.get(pk=buyer.country_code),
        destination=inquiry.destination,
        incoterm=quote.incoterm,
        ready_by=timezone.localdate() + timedelta(days=quote.lead_time_days),
        items=draft_items(quote),
    )


def _require_valid(quote: Quote) -> None:
    if quote.valid_until < timezone.localdate():
        raise Conflict(
            _("The quote was valid until %(date)s; ask the enterprise for a new one.")
            % {"date": quote.valid_until.isoformat()},
            code="quote_expired",
        )


@transaction.atomic
def quote_accept(*, actor, quote: Quote) -> Quote:
    """The buyer takes the quote: the inquiry is accepted, other open quotes superseded and a
    shipment draft opened for the enterprise with the readiness check for the destination."""
    quote = _lock_quote(quote)
    QUOTE_WORKFLOW.check("accept", actor=actor, obj=quote)
    _require_valid(quote)
    inquiry = quote.inquiry
    QUOTE_WORKFLOW.apply("accept", actor=actor, obj=quote)
    _close_open_quotes(inquiry, except_quote=quote)
    inquiry.status = InquiryStatus.ACCEPTED
    inquiry.closed_at = timezone.now()
    inquiry.save()
    quote.shipment_draft = _open_draft(actor=actor, quote=quote)
    _decide(quote, actor)
    payload = _quote_payload(quote, shipment_draft_id=quote.shipment_draft.pk)
    _record("quote.accepted", inquiry, payload, actor=actor, subject=quote)
    return quote


def quotes_expire(*, today: date | None = None) -> int:
    """Open quotes past their validity date become expired, one transaction each. The count."""
    today = today or timezone.localdate()
    expired = 0
    for pk in Quote.objects.filter(status=QuoteStatus.OPEN, valid_until__lt=today).values_list(
        "pk", flat=True
    ):
        expired += quote_expire(pk, today)
    return expired


@transaction.atomic
def quote_expire(pk: int, today: date) -> int:
    quote = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("inquiry__buyer__partner", "inquiry__enterprise")
        .get(pk=pk)
    )
    if quote.status != QuoteStatus.OPEN or quote.valid_until >= today:
        return 0  # decided meanwhile
    quote.status = QuoteStatus.EXPIRED
    quote.decided_at = timezone.now()
    quote.save(update_fields=["status", "decided_at"])
    _record("quote.expired", quote.inquiry, _quote_payload(quote), actor=None, subject=quote)
    return 1
