"""The inquiry pipeline of overseas buyers (issue 17): how far the inquiries sent in a window got,
by destination market and by product category, how fast enterprises answer, and which markets ask
for what.

Trade records inquiries and quotes and depends on analytics' neighbours, so analytics reads its
models through the app registry (as `attention` reads certification's): the apps keep depending
one way. Every figure is counted in the database with a fixed number of queries; only the
response times are read row by row (two timestamps an inquiry) for their median and p90.

Definitions (docs/analytics.md, "Inquiry pipeline"):
- an inquiry belongs to the window of the day it was sent; the stages are where it has got to now;
- quoted: at least one quote was sent on it (whatever became of the quote);
- accepted: the buyer accepted a quote;
- shipped: the accepted quote's shipment draft was booked and that shipment dispatched (in transit
  or later, not cancelled);
- an inquiry counts in each category of its items (by category does not add up to the total);
- response time: hours from sending to the enterprise's first answer (quote, message or decline);
  the 48 h share counts the inquiries that are due: answered, or unanswered for 48 h and more
  (an inquiry withdrawn unanswered within 48 h is not).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.db.models import Case, Count, DecimalField, Exists, F, OuterRef, Q, Sum, When
from django.db.models.functions import Coalesce

from agri_platform.reference import l10n
from agri_platform.reference.choices import ExportCategory
from enterprises.models import Enterprise

from . import windows
from .pipeline import percentile
from .suppression import MIN_ENTERPRISES
from .tables import TONNE, pct
from .windows import Window

ANSWER_WITHIN = timedelta(hours=48)
TOP_PRODUCTS = 20
STAGES = ("inquiries", "quoted", "accepted", "shipped", "declined", "withdrawn", "open")
KG_PER_UNIT = {"kg": Decimal(1), "t": Decimal(1000)}  # cartons, pallets, containers have no mass


@dataclass(frozen=True)
class Scope:
    """Whose inquiries: every enterprise's (`enterprise_ids` None) or these enterprises'."""

    enterprise_ids: tuple[int, ...] | None = None


def _model(name: str):
    return apps.get_model("trade", name)


def sent_in(window: Window, scope: Scope):
    inquiries = _model("Inquiry").objects.filter(
        created_at__date__gte=window.start, created_at__date__lte=window.end
    )
    if scope.enterprise_ids is not None:
        inquiries = inquiries.filter(enterprise_id__in=scope.enterprise_ids)
    return inquiries


def _with_stages(inquiries):
    quote = _model("Quote").objects.filter(inquiry=OuterRef("pk"))
    shipped = quote.filter(
        status="accepted", shipment_draft__shipment__dispatched_at__isnull=False
    ).exclude(shipment_draft__shipment__status="cancelled")
    return inquiries.annotate(has_quote=Exists(quote), was_shipped=Exists(shipped))


def _stage_counts() -> dict:
    """Distinct inquiries: grouping by category joins an inquiry once for each of its items."""

    def count(condition=None):
        return Count("id", filter=condition, distinct=True)

    return {
        "inquiries": count(),
        "quoted": count(Q(has_quote=True)),
        "accepted": count(Q(status="accepted")),
        "shipped": count(Q(was_shipped=True)),
        "declined": count(Q(status="declined")),
        "withdrawn": count(Q(status="withdrawn")),
        "open": count(Q(status="sent")),
    }


def conversion(stages: dict) -> dict:
    """Each stage as a share of the one before, and accepted of all inquiries (one decimal)."""
    return {
        "quoted_pct": pct(stages["quoted"], stages["inquiries"]),
        "accepted_of_quoted_pct": pct(stages["accepted"], stages["quoted"]),
        "shipped_of_accepted_pct": pct(stages["shipped"], stages["accepted"]),
        "accepted_pct": pct(stages["accepted"], stages["inquiries"]),
    }


def _stage_row(key: str, label: str, row: dict) -> dict:
    stages = {stage: row[stage] for stage in STAGES}
    return {"key": key, "label": label, **stages, **conversion(stages)}


def pipeline_by(inquiries, field: str, label_of) -> list[dict]:
    """One row per group (most inquiries first), counted in one query."""
    rows = (
        _with_stages(inquiries)
        .values(key=F(field))
        .annotate(**_stage_counts())
        .order_by("-inquiries", "key")
    )
    return [_stage_row(row["key"], label_of(row["key"]), row) for row in rows]


def pipeline_totals(inquiries) -> dict:
    return _with_stages(inquiries).aggregate(**_stage_counts())


def category_name(key: str) -> str:
    return str(ExportCategory(key).label) if key in ExportCategory.values else key


# --- response times -----------------------------------------------------------------------------


def _hours(delta: timedelta) -> Decimal:
    return Decimal(delta.total_seconds()) / 3600


def _response(rows: list[tuple]) -> dict:
    """Median / p90 hours and the share answered within 48 h of (sent, answered, status, closed)."""
    now = windows.now()
    hours = [_hours(answered - sent) for sent, answered, _, _ in rows if answered]
    due = [
        (sent, answered)
        for sent, answered, status, closed in rows
        if answered
        or (
            now - sent >= ANSWER_WITHIN
            and not (status == "withdrawn" and closed and closed - sent < ANSWER_WITHIN)
        )
    ]
    within = sum(1 for sent, answered in due if answered and answered - sent <= ANSWER_WITHIN)
    return {
        "inquiries": len(rows),
        "answered": len(hours),
        "hours_median": percentile(hours, 0.5),
        "hours_p90": percentile(hours, 0.9),
        "within_48h_pct": pct(within, len(due)),
    }


def _slowest_first(row: dict):
    never_answered = row["answered"] == 0
    return (not never_answered, -(row["hours_median"] or 0), row["label"])


def response_times(inquiries) -> dict:
    """Overall and per enterprise (slowest first: those that never answered, then by median)."""
    rows = list(
        inquiries.values_list(
            "enterprise_id", "created_at", "first_response_at", "status", "closed_at"
        ).order_by()
    )
    of_enterprise: dict[int, list[tuple]] = defaultdict(list)
    for enterprise_id, *times in rows:
        of_enterprise[enterprise_id].append(tuple(times))
    names = Enterprise.objects.filter(pk__in=of_enterprise).values_list("pk", "name_zh", "name_en")
    label = {pk: l10n.in_reading_language(zh, en) for pk, zh, en in names}
    by_enterprise = [
        {"key": pk, "label": label.get(pk, str(pk)), **_response(times)}
        for pk, times in of_enterprise.items()
    ]
    return {
        "overall": {**_response([tuple(times) for _, *times in rows]), "suppressed": False},
        "by_enterprise": sorted(by_enterprise, key=_slowest_first),
    }


def province_response(window: Window) -> dict:
    """The province's response times beside an enterprise's own: suppressed (figures null) when
    fewer than 3 enterprises answered an inquiry in the window, as the dashboard suppresses."""
    inquiries = sent_in(window, Scope())
    rows = list(
        inquiries.values_list(
            "enterprise_id", "created_at", "first_response_at", "status", "closed_at"
        ).order_by()
    )
    answering = {enterprise_id for enterprise_id, _, answered, _, _ in rows if answered}
    figures = _response([tuple(times) for _, *times in rows])
    if len(answering) < MIN_ENTERPRISES:
        figures = {key: None for key in figures}
        return {**figures, "suppressed": True}
    return {**figures, "suppressed": False}


# --- which markets ask for what -----------------------------------------------------------------


def _kg():
    return Coalesce(
        Sum(
            Case(
                *(
                    When(unit=unit, then=F("quantity") * factor)
                    for unit, factor in KG_PER_UNIT.items()
                ),
                output_field=DecimalField(max_digits=20, decimal_places=3),
            )
        ),
        Decimal(0),
        output_field=DecimalField(max_digits=20, decimal_places=3),
    )


def _tonnes(kg) -> Decimal:
    return (Decimal(kg) / 1000).quantize(TONNE)


def asked(inquiries) -> dict:
    """Market × category: inquiries and tonnes asked (kg and t converted; items in cartons,
    pallets or containers are counted apart, without a mass)."""
    items = _model("InquiryItem").objects.filter(inquiry__in=inquiries)
    cells = (
        items.values(market=F("inquiry__destination__country_id"), category=F("product__category"))
        .annotate(
            inquiries=Count("inquiry", distinct=True),
            kg=_kg(),
            other_units=Count("id", filter=~Q(unit__in=list(KG_PER_UNIT))),
        )
        .order_by("market", "category")
    )
    markets: dict[str, dict] = {}
    categories = set()
    for cell in cells:
        categories.add(cell["category"])
        row = markets.setdefault(
            cell["market"],
            {"key": cell["market"], "label": l10n.country_name(cell["market"]), "cells": {}},
        )
        row["cells"][cell["category"]] = {
            "inquiries": cell["inquiries"],
            "tonnes": _tonnes(cell["kg"]),
            "other_units": cell["other_units"],
        }
    ordered = [key for key in ExportCategory.values if key in categories]
    return {
        "categories": [{"key": key, "label": category_name(key)} for key in ordered],
        "rows": sorted(markets.values(), key=lambda row: row["label"]),
    }


def top_products(inquiries, limit: int = TOP_PRODUCTS) -> list[dict]:
    """The products asked for by most inquiries, per market."""
    rows = (
        _model("InquiryItem")
        .objects.filter(inquiry__in=inquiries)
        .values(
            market=F("inquiry__destination__country_id"),
            product_key=F("product_id"),
            name_zh=F("product__name_zh"),
            name_en=F("product__name_en"),
        )
        .annotate(inquiries=Count("inquiry", distinct=True), kg=_kg())
        .order_by("-inquiries", "-kg", "market", "product_key")[:limit]
    )
    return [
        {
            "market": row["market"],
            "market_label": l10n.country_name(row["market"]),
            "product": row["product_key"],
            "product_label": l10n.in_reading_language(row["name_zh"], row["name_en"]),
            "inquiries": row["inquiries"],
            "tonnes": _tonnes(row["kg"]),
        }
        for row in rows
    ]


# --- the answer ---------------------------------------------------------------------------------


def inquiry_figures(window: Window, scope: Scope, *, with_province: bool = False) -> dict:
    """The pipeline of the inquiries sent in the window to the scope's enterprises, its groups,
    response times and what markets ask for; with the province's response times (suppressed
    when too few enterprises answered) for an enterprise to compare with."""
    inquiries = sent_in(window, scope)
    totals = pipeline_totals(inquiries)
    body = {
        "window": window.as_dict(),
        "scope": "province" if scope.enterprise_ids is None else "enterprise",
        "enterprise_ids": None if scope.enterprise_ids is None else list(scope.enterprise_ids),
        "totals": totals,
        "conversion": conversion(totals),
        "by_market": pipeline_by(inquiries, "destination__country_id", l10n.country_name),
        "by_category": pipeline_by(inquiries, "items__product__category", category_name),
        "response": response_times(inquiries),
        "asked": asked(inquiries),
        "top_products": top_products(inquiries),
        "province_response": province_response(window) if with_province else None,
    }
    return body
