"""The overview answers (staff; an enterprise member's own and province blocks) and the refill of
the shared default answers after a change."""

from __future__ import annotations

import copy
from datetime import date

from .. import cache
from ..choices import GroupBy
from . import windows
from .exports import Viewer, exports
from .pipeline import certification_pipeline
from .quality import cold_chain, data_quality
from .suppression import MIN_ENTERPRISES, province_table, suppress_province
from .tables import TOTAL, Group, Table, grand_total, group_row, grouped, province_found, table_rows
from .targets import target_progress
from .windows import Window

TOP_N = 10


# --- overview -----------------------------------------------------------------------------------


def _totals(table: Table) -> dict:
    return group_row(table.total, table.total.current.value_cny)


def staff_overview(window: Window, on: date | None = None) -> dict:
    on = on or windows.today()

    def compute() -> dict:
        found = province_found(window, GroupBy.values) if window.whole_months else {}
        total = Group("TOTAL", "Total", *found[TOTAL]) if found else grand_total(window)
        tables = {g: grouped(g, window, total=total, found=found.get(g)) for g in GroupBy.values}
        certification = certification_pipeline(window, on=on)
        certification.pop("_deciding_enterprises")
        return {
            "totals": _totals(tables[GroupBy.CATEGORY]),
            "by_category": table_rows(tables[GroupBy.CATEGORY])["rows"],
            "by_region": table_rows(tables[GroupBy.REGION])["rows"],
            "top_destinations": table_rows(tables[GroupBy.DESTINATION], limit=TOP_N)["rows"],
            "destinations_count": len(tables[GroupBy.DESTINATION].groups),
            "by_prefecture": table_rows(tables[GroupBy.PREFECTURE])["rows"],
            "monthly": table_rows(tables[GroupBy.MONTH])["rows"],
            "top_enterprises": table_rows(tables[GroupBy.ENTERPRISE], limit=TOP_N)["rows"],
            "certification": certification,
            "cold_chain": cold_chain(window),
            "data_quality": data_quality(window),
        }

    body = cache.cached("staff-overview", {**window.as_dict(), "on": on}, compute)
    return {
        "scope": "staff",
        "window": window.as_dict(),
        "previous_window": window.previous().as_dict(),
        "currency": "CNY",
        **body,
        "targets": target_progress(on),
    }


def province_overview(window: Window, on: date) -> dict:
    """The province blocks of an enterprise member's overview: the same for every member, cached."""

    def compute() -> dict:
        found = province_found(window, [GroupBy.CATEGORY, GroupBy.REGION])
        total = Group("TOTAL", "Total", *found[TOTAL])

        def table(group_by: str) -> Table:
            only_total = copy.copy(total)  # each table marks its own total suppressed or not
            return grouped(group_by, window, total=only_total, found=found.get(group_by))

        category = suppress_province(table(GroupBy.CATEGORY))
        month = suppress_province(table(GroupBy.MONTH))
        region = suppress_province(table(GroupBy.REGION))
        certification = certification_pipeline(window, on=on)
        enough = certification.pop("_deciding_enterprises") >= MIN_ENTERPRISES
        return {
            "totals": table_rows(category)["total"],
            "by_category": table_rows(category)["rows"],
            "by_region": table_rows(region)["rows"],
            "monthly": table_rows(month)["rows"],
            "cold_chain": (
                None if category.total.suppressed else cold_chain(window, breakdown=False)
            ),
            "certification": {
                "review_days_median": certification["review_days_median"] if enough else None,
                "review_days_p90": certification["review_days_p90"] if enough else None,
                "suppressed": not enough,
            },
        }

    return cache.cached("enterprise-province-overview", window.as_dict(), compute)


def own_exports(enterprise_ids: list[int], window: Window) -> dict:
    """Enterprises' own export figures in whole months: totals, by category and by month, each
    with the year before (the member overview's `own` block; the portal's home shows them)."""
    window = window.snapped()
    total = grand_total(window, enterprise_ids=enterprise_ids)
    by_category = grouped(GroupBy.CATEGORY, window, enterprise_ids=enterprise_ids, total=total)
    by_month = grouped(GroupBy.MONTH, window, enterprise_ids=enterprise_ids, total=total)
    category_rows = table_rows(by_category)
    return {
        "totals": category_rows["total"],
        "by_category": category_rows["rows"],
        "monthly": table_rows(by_month)["rows"],
    }


def enterprise_overview(viewer: Viewer, window: Window, on: date | None = None) -> dict:
    on = on or windows.today()
    window = window.snapped()
    ids = list(viewer.enterprise_ids)
    own_certification = certification_pipeline(window, enterprise_ids=ids, on=on)
    own_certification.pop("_deciding_enterprises")
    return {
        "scope": "enterprise",
        "window": window.as_dict(),
        "previous_window": window.previous().as_dict(),
        "currency": "CNY",
        "own": {
            "enterprise_ids": ids,
            **own_exports(ids, window),
            "cold_chain": cold_chain(window, enterprise_ids=ids, breakdown=False),
            "certification": own_certification,
        },
        "province": province_overview(window, on),
    }


# --- cache refill -------------------------------------------------------------------------------


def warm_defaults(on: date | None = None) -> int:
    """Compute (or find cached) every shared answer of the default window: the staff overview,
    the staff and province tables of each grouping and the province blocks of the member
    overview. Members' own figures are per enterprise and stay live. Returns the answers."""
    on = on or windows.today()
    window = Window.default(on)
    staff = Viewer(is_staff=True, enterprise_ids=())
    staff_overview(window, on)
    province_overview(window.snapped(), on)
    for group_by in GroupBy.values:
        exports(viewer=staff, group_by=group_by, window=window)
        province_table(group_by, window)
    return 2 + 2 * len(GroupBy.values)
