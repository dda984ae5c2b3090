"""What an enterprise user may not see of the province's figures (see `suppressed_cells`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_noop

from .. import cache, cube
from ..choices import GroupBy
from ..models import CubeDimension
from .tables import (
    CUBE_DIMENSION,
    Table,
    grand_total,
    grouped,
    region_groups,
    regions_of_countries,
)
from .windows import Window, shift_year

MIN_ENTERPRISES = 3  # a province group built from fewer enterprises is suppressed


# --- suppression --------------------------------------------------------------------------------


def _cells(group_by: str, months: list[date]) -> dict[tuple, tuple[int, Decimal]]:
    """(group key, month) → (distinct enterprises, value) over whole months, from the cube (its
    rows count each month's enterprises); regions count theirs from the presence masks."""
    if group_by != GroupBy.REGION:
        return {
            (row["group_key"], row["month"]): (row["enterprises"], row["value_cny"])
            for row in cube.cube_rows(CUBE_DIMENSION[group_by], months)
        }
    _, region_of = regions_of_countries()
    values: dict[tuple, Decimal] = defaultdict(Decimal)
    for row in cube.cube_rows(CubeDimension.DESTINATION, months, keys=region_of):
        for name in region_of[row["group_key"]]:
            values[(name, row["month"])] += row["value_cny"]
    seen: dict[tuple, set[int]] = defaultdict(set)
    rows = cube.presence_rows(CubeDimension.DESTINATION, months, keys=region_of)
    for code, enterprise_id, year, bits in rows:
        for month in months:
            if month.year == year and bits & cube.month_bit(month):
                for name in region_of[code]:
                    seen[(name, month)].add(enterprise_id)
    return {cell: (len(seen[cell]), value) for cell, value in values.items()}


def _residual_enterprises(
    group_by: str, keys_of: dict[date, set], regions: dict[str, list[str]]
) -> dict[date, int]:
    """Month → distinct enterprises over that month's given groups together (one query)."""
    if group_by == GroupBy.REGION:
        keys_of = {
            month: {code for key in keys for code in regions.get(key, [])}
            for month, keys in keys_of.items()
        }
    wanted = set().union(*keys_of.values())
    seen: dict[date, set[int]] = defaultdict(set)
    rows = cube.presence_rows(CUBE_DIMENSION[group_by], list(keys_of), keys=wanted)
    for key, enterprise_id, year, bits in rows:
        for month, keys in keys_of.items():
            if key in keys and month.year == year and bits & cube.month_bit(month):
                seen[month].add(enterprise_id)
    return {month: len(ids) for month, ids in seen.items()}


def suppressed_cells(group_by: str, months: list[date]) -> tuple[set, set]:
    """Which (group, month) cells and which months' totals an enterprise user may not see.

    1. Primary: a cell built from 1 or 2 enterprises is suppressed; so is a month's province total.
    2. Complementary: in each month whose total is shown, the suppressed cells together must come
       from at least three enterprises, otherwise "total minus the shown cells" would reveal them;
       the smallest shown cell of that month is suppressed too, until that holds.
    Decisions are per whole month, whatever window is asked, so windows cannot be differenced.
    """
    month_totals = {
        row["month"]: row["enterprises"] for row in cube.cube_rows(CubeDimension.TOTAL, months)
    }
    hidden_totals = {m for m, n in month_totals.items() if 0 < n < MIN_ENTERPRISES}
    if group_by == GroupBy.MONTH:
        return {(m, m) for m in hidden_totals}, hidden_totals
    cells = _cells(group_by, months)
    hidden = {key for key, (n, _) in cells.items() if n < MIN_ENTERPRISES}
    regions = region_groups() if group_by == GroupBy.REGION else {}
    pending = {m for (_, m) in hidden if m not in hidden_totals}
    while pending:
        keys_of = {month: {k for (k, m) in hidden if m == month} for month in pending}
        residual = _residual_enterprises(group_by, keys_of, regions)
        still = set()
        for month in pending:
            if residual.get(month, 0) >= MIN_ENTERPRISES:
                continue
            shown = [(v, str(k), k) for (k, m), (_, v) in cells.items() if m == month]
            shown = [item for item in shown if (item[2], month) not in hidden]
            if not shown:
                hidden_totals.add(month)  # every cell is hidden and still too few: hide the total
                continue
            hidden.add((min(shown)[2], month))
            still.add(month)
        pending = still
    return hidden, hidden_totals


def suppress_province(table: Table) -> Table:
    """Apply the cell rules of `suppressed_cells` to a whole-month table (enterprise users)."""
    if table.group_by == GroupBy.ENTERPRISE:
        table.groups = []  # every group is one enterprise: none can be shown
        table.notes.append(
            gettext_noop("Province figures by enterprise are never shown to enterprises.")
        )
    current_months = table.window.months()
    previous_months = table.window.previous().months()
    # For enterprise rows only the total is left to judge: the month cells decide it.
    cells_of = GroupBy.MONTH if table.group_by == GroupBy.ENTERPRISE else table.group_by
    hidden, hidden_totals = suppressed_cells(cells_of, current_months + previous_months)
    hidden_keys_now = {k for (k, m) in hidden if m in current_months}
    hidden_keys_before = {k for (k, m) in hidden if m in previous_months}
    for group in table.groups:
        if table.group_by == GroupBy.MONTH:
            group.suppressed = group.key in hidden_totals
            group.previous_suppressed = shift_year(group.key, -1) in hidden_totals
        else:
            group.suppressed = group.key in hidden_keys_now
            group.previous_suppressed = group.key in hidden_keys_before
    table.total.suppressed = any(m in hidden_totals for m in current_months)
    table.total.previous_suppressed = any(m in hidden_totals for m in previous_months)
    return table


def province_table(group_by: str, window: Window) -> Table:
    """The province table an enterprise user sees: whole months, suppressed, cached."""
    window = window.snapped()

    def compute() -> Table:
        if group_by == GroupBy.ENTERPRISE:  # every group is one enterprise: only the total
            return suppress_province(Table(group_by, window, [], grand_total(window)))
        return suppress_province(grouped(group_by, window))

    return cache.cached("province-table", {"group_by": group_by, **window.as_dict()}, compute)
