"""Who sees which inquiries and quotes: a buyer its own, an enterprise's members those sent to
their enterprises, staff all, anyone else nothing. Lists take a fixed number of queries."""

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext

from agri_platform.api.errors import NotFound
from agri_platform.api.tenancy import enterprise_ids_of

from ..choices import InquiryStatus, QuoteStatus
from ..models import BuyerBlock, Inquiry, InquiryItem, Quote, QuoteLine
from .buyers import buyer_of


def _scoped(queryset: QuerySet, user, *, buyer_field: str, enterprise_field: str) -> QuerySet:
    if user is None or not user.is_authenticated:
        return queryset.none()
    if user.is_platform_staff:
        return queryset
    buyer = buyer_of(user)
    if buyer is not None:
        return queryset.filter(**{buyer_field: buyer})
    if user.partner_id:
        return queryset.none()
    return queryset.filter(**{f"{enterprise_field}__in": enterprise_ids_of(user)})


def _items() -> Prefetch:
    return Prefetch("items", queryset=InquiryItem.objects.select_related("product").order_by("id"))


def _quotes() -> Prefetch:
    return Prefetch(
        "quotes",
        queryset=Quote.objects.select_related("currency").prefetch_related(_lines()),
    )


def _lines() -> Prefetch:
    return Prefetch(
        "lines", queryset=QuoteLine.objects.select_related("item__product").order_by("id")
    )


def inquiries_for(user) -> QuerySet[Inquiry]:
    """The inquiries `user` may see, with what a list shows (items, quotes, message count)."""
    return _scoped(
        inquiries_for_queryset(), user, buyer_field="buyer", enterprise_field="enterprise"
    )


def quotes_for(user) -> QuerySet[Quote]:
    """The quotes `user` may see, with their lines and inquiry."""
    queryset = Quote.objects.select_related(
        "currency",
        "inquiry__buyer__partner",
        "inquiry__enterprise",
        "inquiry__destination",
        "shipment_draft",
    ).prefetch_related(_lines())
    return _scoped(
        queryset, user, buyer_field="inquiry__buyer", enterprise_field="inquiry__enterprise"
    )


def blocks_for(user) -> QuerySet[BuyerBlock]:
    """The blocks of the enterprises `user` is a member of (staff: all; buyers never see any)."""
    queryset = BuyerBlock.objects.select_related("buyer__partner", "enterprise")
    if user is None or not user.is_authenticated:
        return queryset.none()
    if user.is_platform_staff:
        return queryset
    if user.partner_id:
        return queryset.none()
    return queryset.filter(enterprise__in=enterprise_ids_of(user))


def _one(queryset: QuerySet, pk) -> Inquiry:
    try:
        return queryset.get(pk=pk)
    except (Inquiry.DoesNotExist, ValueError, TypeError):
        raise NotFound(gettext("No such inquiry.")) from None


def inquiry_for_enterprise(enterprise, pk) -> Inquiry:
    """The inquiry `pk` sent to `enterprise` (404 otherwise)."""
    return _one(inquiries_for_queryset().filter(enterprise=enterprise), pk)


def inquiry_for_buyer(buyer, pk) -> Inquiry:
    """The inquiry `pk` `buyer` sent (404 otherwise)."""
    return _one(inquiries_for_queryset().filter(buyer=buyer), pk)


def inquiries_for_queryset() -> QuerySet[Inquiry]:
    """Every inquiry with what a page shows (callers scope it)."""
    return (
        Inquiry.objects.select_related(
            "buyer__partner", "enterprise", "destination__country", "promotion"
        )
        .prefetch_related(_items(), _quotes())
        .annotate(messages_count=Count("messages", distinct=True))
        .order_by("-created_at", "-id")  # a GROUP BY query drops Meta.ordering
    )


def inquiry_timeline(inquiry: Inquiry, *, messages, quotes) -> list[dict]:
    """Everything that happened to `inquiry`, oldest first: sent, its `messages`, its `quotes` and
    their decisions, the decline or withdrawal (kind: the inquiry's status). Both sides' pages
    show it, each with its own wording."""
    entries = [{"kind": "sent", "at": inquiry.created_at}]
    entries += [
        {"kind": "message", "at": message.created_at, "message": message} for message in messages
    ]
    for quote in quotes:
        entries.append({"kind": "quote", "at": quote.created_at, "quote": quote})
        if quote.decided_at and quote.status != QuoteStatus.OPEN:
            entries.append({"kind": "quote_decided", "at": quote.decided_at, "quote": quote})
    if inquiry.closed_at and inquiry.status in (InquiryStatus.DECLINED, InquiryStatus.WITHDRAWN):
        entries.append({"kind": inquiry.status, "at": inquiry.closed_at})
    return sorted(entries, key=lambda entry: entry["at"])
