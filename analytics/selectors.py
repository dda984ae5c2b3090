"""Read side of the dashboard: windows, grouped figures, suppression, overview blocks.

Every figure is defined in docs/analytics.md. Money is Decimal CNY (2 places), volume Decimal
tonnes (3 places), percentages Decimal with one place. Staff get everything; enterprise users get
their own figures plus province figures passed through `suppress_province` (see that function).
"""

from __future__ import annotations

import calendar
import copy
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from agri_platform.accounts.models import Partner
from agri_platform.api.tenancy import enterprise_ids_of
from agri_platform.reference.choices import ExportCategory
from agri_platform.reference.models import Country, Prefecture
from enterprises.choices import VerificationStatus
from enterprises.models import Enterprise

from . import cache, cube
from .choices import NOT_OPEN_APPLICATION_STATUSES, GroupBy, TargetMetric
from .models import (
    CertificateFact,
    CertificationFact,
    CubeDimension,
    ExportRollup,
    ShipmentFact,
    ShipmentFactLine,
    Target,
)

MIN_ENTERPRISES = 3  # a province group built from fewer enterprises is suppressed
EXPIRY_HORIZON_DAYS = 90
TOP_N = 10
CENT = Decimal("0.01")
TONNE = Decimal("0.001")
TENTH = Decimal("0.1")


def now() -> datetime:
    """The dashboard's clock (UTC); tests replace it."""
    return timezone.now()


def today() -> date:
    return now().date()


# --- windows ------------------------------------------------------------------------------------


def shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # inclusive

    @classmethod
    def default(cls, on: date | None = None) -> Window:
        """The 12 calendar months ending with the current month."""
        on = on or today()
        return cls(add_months(on.replace(day=1), -11), month_end(on))

    def previous(self) -> Window:
        """The same days a year before (a whole-month window stays whole months)."""
        if self.whole_months:
            return Window(shift_year(self.start, -1), month_end(shift_year(self.end, -1)))
        return Window(shift_year(self.start, -1), shift_year(self.end, -1))

    @property
    def whole_months(self) -> bool:
        return self.start.day == 1 and self.end == month_end(self.end)

    def snapped(self) -> Window:
        """Whole calendar months (enterprise users' province figures use only whole months)."""
        return Window(self.start.replace(day=1), month_end(self.end))

    def q(self, *, rollup: bool = False) -> Q:
        if rollup:
            return Q(month__gte=self.start.replace(day=1), month__lte=self.end.replace(day=1))
        return Q(departed_on__gte=self.start, departed_on__lte=self.end)

    def months(self) -> list[date]:
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


# --- figures ------------------------------------------------------------------------------------


@dataclass
class Stats:
    value_cny: Decimal = Decimal("0.00")
    net_kg: Decimal = Decimal("0.000")
    shipments: int = 0
    enterprises: int = 0
    unconverted: int = 0

    @property
    def volume_t(self) -> Decimal:
        return (self.net_kg / 1000).quantize(TONNE, rounding=ROUND_HALF_UP)

    @property
    def is_empty(self) -> bool:
        return self.shipments == 0


def pct(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def change_pct(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    if now is None or not before:
        return None
    return ((Decimal(now) - before) * 100 / before).quantize(TENTH, rounding=ROUND_HALF_UP)


def _aggregates(prefix: str, condition: Q, *, rollup: bool, per_category: bool) -> dict:
    """Sums for one window. Rollup rows carry counts; lines are counted (a shipment's first line
    counts the shipment once, so multi-category shipments are not counted twice)."""
    if rollup:
        shipments = Sum("shipments" if per_category else "shipment_heads", filter=condition)
        unconverted = Sum("unconverted" if per_category else "unconverted_heads", filter=condition)
    else:
        head = condition if per_category else condition & Q(is_primary=True)
        shipments = Count("id", filter=head)
        unconverted = Count("id", filter=head & Q(value_cny__isnull=True))
    return {
        f"{prefix}value": Sum("value_cny", filter=condition),
        f"{prefix}kg": Sum("net_kg", filter=condition),
        f"{prefix}shipments": shipments,
        f"{prefix}enterprises": Count("enterprise_id", distinct=True, filter=condition),
        f"{prefix}unconverted": unconverted,
    }


def _stats(row: dict, prefix: str) -> Stats:
    return Stats(
        value_cny=(row[f"{prefix}value"] or Decimal(0)).quantize(CENT),
        net_kg=row[f"{prefix}kg"] or Decimal(0),
        shipments=row[f"{prefix}shipments"] or 0,
        enterprises=row[f"{prefix}enterprises"] or 0,
        unconverted=row[f"{prefix}unconverted"] or 0,
    )


def _base(*, rollup: bool, enterprise_ids: list[int] | None = None) -> QuerySet:
    """Export rows: the monthly rollup for whole-month windows, otherwise the fact lines."""
    qs = ExportRollup.objects.all() if rollup else ShipmentFactLine.objects.filter(is_export=True)
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=enterprise_ids)
    return qs


FIELD = {
    GroupBy.CATEGORY: "category",
    GroupBy.DESTINATION: "destination_id",
    GroupBy.PREFECTURE: "prefecture_id",
    GroupBy.MONTH: "month",
    GroupBy.ENTERPRISE: "enterprise_id",
}


def region_groups() -> dict[str, list[str]]:
    """Market group (from Country.groups) → the country codes in it. Groups overlap."""
    groups: dict[str, list[str]] = defaultdict(list)
    for code, names in Country.objects.exclude(groups=[]).values_list("code", "groups"):
        for name in names or []:
            groups[str(name)].append(code)
    return dict(sorted(groups.items()))


def labels_for(group_by: str, keys) -> dict:
    keys = [key for key in keys if key is not None]
    if group_by == GroupBy.CATEGORY:
        return {key: str(ExportCategory(key).label) for key in keys if key in ExportCategory.values}
    if group_by == GroupBy.DESTINATION:
        return dict(Country.objects.filter(code__in=keys).values_list("code", "name_en"))
    if group_by == GroupBy.PREFECTURE:
        return dict(Prefecture.objects.filter(code__in=keys).values_list("code", "name_en"))
    if group_by == GroupBy.ENTERPRISE:
        return {
            pk: en or zh
            for pk, en, zh in Enterprise.objects.filter(pk__in=keys).values_list(
                "pk", "name_en", "name_zh"
            )
        }
    if group_by == GroupBy.MONTH:
        return {key: f"{key:%Y-%m}" for key in keys}
    return {key: key for key in keys}


@dataclass
class Group:
    key: object
    label: str
    current: Stats
    previous: Stats
    suppressed: bool = False
    previous_suppressed: bool = False


@dataclass
class Table:
    group_by: str
    window: Window
    groups: list[Group]
    total: Group
    notes: list[str] = field(default_factory=list)


def grouped(
    group_by: str,
    window: Window,
    *,
    enterprise_ids: list[int] | None = None,
    total: Group | None = None,
    found: dict | None = None,
) -> Table:
    """Value, volume, shipments and distinct enterprises per group, now and a year before
    (`found`: the groups already fetched with others, see `_province_found`)."""
    if found is None and window.whole_months and enterprise_ids is None:
        if group_by == GroupBy.MONTH:
            found = _months_in_cube(window)
        else:  # the total comes with the groups' queries
            province = _province_found(window, [group_by], with_total=total is None)
            found = province[group_by]
            if total is None:
                total = Group("TOTAL", "Total", *province[TOTAL])
    elif found is None:
        found = _found_in_rows(group_by, window, enterprise_ids=enterprise_ids)
    if total is None:
        total = grand_total(window, enterprise_ids=enterprise_ids)

    groups: list[Group] = []
    if group_by == GroupBy.MONTH:
        for month in window.months():
            current = found.get(month, (Stats(), Stats()))[0]
            before = found.get(shift_year(month, -1), (Stats(), Stats()))[1]
            groups.append(Group(month, f"{month:%Y-%m}", current, before))
    else:
        labels = labels_for(group_by, found)
        for key, (current, before) in found.items():
            if current.is_empty and before.is_empty:
                continue
            groups.append(Group(key, labels.get(key, str(key)), current, before))
        groups.sort(key=lambda g: (-g.current.value_cny, -g.current.net_kg, str(g.label)))
    return Table(group_by, window, groups, total)


def _found_in_rows(group_by: str, window: Window, *, enterprise_ids: list[int] | None) -> dict:
    """Group key → (Stats now, Stats a year before) from the rollup (an enterprise's own figures)
    or the fact lines (windows that are not whole months)."""
    previous = window.previous()
    rollup = window.whole_months
    now_q, before_q = window.q(rollup=rollup), previous.q(rollup=rollup)
    base = _base(rollup=rollup, enterprise_ids=enterprise_ids).filter(now_q | before_q)
    per_category = group_by == GroupBy.CATEGORY
    aggs = {
        **_aggregates("c_", now_q, rollup=rollup, per_category=per_category),
        **_aggregates("p_", before_q, rollup=rollup, per_category=per_category),
    }
    if group_by == GroupBy.REGION:
        return _regions(base, aggs)
    key_field = FIELD[group_by]
    return {
        row[key_field]: (_stats(row, "c_"), _stats(row, "p_"))
        for row in base.values(key_field).annotate(**aggs).order_by()
    }


# The cube dimension each table reads (regions sum their countries' destination rows).
CUBE_DIMENSION = {
    GroupBy.CATEGORY: CubeDimension.CATEGORY,
    GroupBy.DESTINATION: CubeDimension.DESTINATION,
    GroupBy.REGION: CubeDimension.DESTINATION,
    GroupBy.PREFECTURE: CubeDimension.PREFECTURE,
    GroupBy.MONTH: CubeDimension.TOTAL,
    GroupBy.ENTERPRISE: CubeDimension.ENTERPRISE,
}


def _add(into: Stats, row: dict, prefix: str = "") -> None:
    # A sum in SQL comes back from SQLite as a float turned into 15 significant digits.
    into.value_cny += (row[f"{prefix}value_cny"] or Decimal(0)).quantize(CENT)
    into.net_kg += row[f"{prefix}net_kg"] or 0
    into.shipments += row[f"{prefix}shipments"] or 0
    into.unconverted += row[f"{prefix}unconverted"] or 0


WINDOW_NAMES = ("now", "before")


def _windows(window: Window) -> dict[str, list[date]]:
    return dict(zip(WINDOW_NAMES, (window.months(), window.previous().months()), strict=True))


def _merge(into: Stats, part: Stats) -> None:
    into.value_cny += part.value_cny
    into.net_kg += part.net_kg
    into.shipments += part.shipments
    into.unconverted += part.unconverted


def _cube_stats(
    dimensions: set[str], windows: dict[str, list[date]], *, counted: set[str]
) -> dict[str, dict]:
    """Dimension → group key → (Stats now, Stats before), for several dimensions from two
    queries: sums from the cube, distinct enterprises from the presence masks for the `counted`
    dimensions (an enterprise group is one enterprise)."""
    found: dict[str, dict] = {dimension: {} for dimension in dimensions}
    for row in cube.window_sums(dimensions, windows):
        stats = (Stats(), Stats())
        for into, name in zip(stats, WINDOW_NAMES, strict=True):
            _add(into, row, f"{name}_")
            into.enterprises = 1 if into.shipments else 0
        found[row["dimension"]][row["group_key"]] = stats
    if counted:
        counts = cube.distinct_enterprises(counted, windows)
        for dimension in counted:
            for key, stats in found[dimension].items():
                for into, name in zip(stats, WINDOW_NAMES, strict=True):
                    into.enterprises = counts.get((dimension, key), {}).get(name, 0)
    return found


TOTAL = "total"
PER_GROUP_COUNTS = {GroupBy.CATEGORY, GroupBy.DESTINATION, GroupBy.PREFECTURE}


def _province_found(window: Window, group_bys: list[str], *, with_total: bool = True) -> dict:
    """Group-by → its groups' (Stats now, Stats before), and TOTAL, for whole-month province
    tables from shared queries (the month table reads its own rows: see `_months_in_cube`)."""
    windows = _windows(window)
    dimensions = {CUBE_DIMENSION[g] for g in group_bys if g != GroupBy.MONTH}
    # regions count their enterprises over sets of countries, enterprise groups need no count
    counted = {CUBE_DIMENSION[g] for g in group_bys if g in PER_GROUP_COUNTS}
    if with_total:
        dimensions.add(CubeDimension.TOTAL)
        counted.add(CubeDimension.TOTAL)
    stats = _cube_stats(dimensions, windows, counted=counted)
    found: dict = {}
    if with_total:
        found[TOTAL] = stats[CubeDimension.TOTAL].get("", (Stats(), Stats()))
    for group_by in group_bys:
        if group_by == GroupBy.REGION:
            found[group_by] = _regions_in_cube(stats[CubeDimension.DESTINATION], windows)
        elif group_by == GroupBy.ENTERPRISE:
            found[group_by] = {int(k): v for k, v in stats[CubeDimension.ENTERPRISE].items()}
        elif group_by != GroupBy.MONTH:
            found[group_by] = stats[CUBE_DIMENSION[group_by]]
    return found


def _months_in_cube(window: Window) -> dict:
    """Month → (Stats of that month, Stats of the month a year before) for the province."""
    windows = _windows(window)
    found: dict = defaultdict(lambda: (Stats(), Stats()))
    for row in cube.cube_rows(CubeDimension.TOTAL, windows["now"] + windows["before"]):
        for stats, months in zip(found[row["month"]], windows.values(), strict=True):
            if row["month"] in months:  # one month: the cube counts its enterprises
                _add(stats, row)
                stats.enterprises = row["enterprises"]
    return dict(found)


def _regions_of_countries() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    regions = region_groups()
    region_of: dict[str, list[str]] = defaultdict(list)
    for name, codes in regions.items():
        for code in codes:
            region_of[code].append(name)
    return regions, region_of


def _regions_in_cube(destinations: dict[str, tuple], windows: dict[str, list[date]]) -> dict:
    """Region sums add up their countries' figures (a shipment has one destination); enterprises
    are counted once per region from the destination presence masks."""
    regions, region_of = _regions_of_countries()
    sums = {name: (Stats(), Stats()) for name in regions}
    for code, stats in destinations.items():
        for name in region_of.get(code, []):
            for into, part in zip(sums[name], stats, strict=True):
                _merge(into, part)
    counts = cube.distinct_enterprises_of_sets(CubeDimension.DESTINATION, regions, windows)
    for name, stats in sums.items():
        for into, window_name in zip(stats, WINDOW_NAMES, strict=True):
            into.enterprises = counts[name][window_name]
    return sums


def _regions(base: QuerySet, aggs: dict) -> dict:
    """Region rows from one query by (destination, enterprise): sums add up over a region's
    countries (a shipment has one destination); enterprises are counted once per region."""
    regions, region_of = _regions_of_countries()
    sums = {name: {"c": Stats(), "p": Stats()} for name in regions}
    seen = {name: {"c": set(), "p": set()} for name in regions}
    rows = base.filter(destination_id__in=list(region_of)).values("destination_id", "enterprise_id")
    for row in rows.annotate(**aggs).order_by():
        for name in region_of[row["destination_id"]]:
            for prefix in ("c", "p"):
                part, into = _stats(row, f"{prefix}_"), sums[name][prefix]
                into.value_cny += part.value_cny
                into.net_kg += part.net_kg
                into.shipments += part.shipments
                into.unconverted += part.unconverted
                if part.shipments:
                    seen[name][prefix].add(row["enterprise_id"])
    for name in regions:
        for prefix in ("c", "p"):
            sums[name][prefix].enterprises = len(seen[name][prefix])
    return {name: (sums[name]["c"], sums[name]["p"]) for name in regions}


def grand_total(window: Window, *, enterprise_ids: list[int] | None = None) -> Group:
    if window.whole_months and enterprise_ids is None:
        now, before = _province_found(window, [])[TOTAL]
        return Group("TOTAL", "Total", now, before)
    previous = window.previous()
    rollup = window.whole_months
    now_q, before_q = window.q(rollup=rollup), previous.q(rollup=rollup)
    row = (
        _base(rollup=rollup, enterprise_ids=enterprise_ids)
        .filter(now_q | before_q)
        .aggregate(
            **_aggregates("c_", now_q, rollup=rollup, per_category=False),
            **_aggregates("p_", before_q, rollup=rollup, per_category=False),
        )
    )
    return Group("TOTAL", "Total", _stats(row, "c_"), _stats(row, "p_"))


# --- suppression --------------------------------------------------------------------------------


def _cells(group_by: str, months: list[date]) -> dict[tuple, tuple[int, Decimal]]:
    """(group key, month) → (distinct enterprises, value) over whole months, from the cube (its
    rows count each month's enterprises); regions count theirs from the presence masks."""
    if group_by != GroupBy.REGION:
        return {
            (row["group_key"], row["month"]): (row["enterprises"], row["value_cny"])
            for row in cube.cube_rows(CUBE_DIMENSION[group_by], months)
        }
    _, region_of = _regions_of_countries()
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
        table.notes.append("Province figures by enterprise are never shown to enterprises.")
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


# --- presentation -------------------------------------------------------------------------------


def group_row(group: Group, total_value: Decimal | None) -> dict:
    now, before = group.current, group.previous
    row = {
        "key": group.key.isoformat()[:7] if isinstance(group.key, date) else group.key,
        "label": group.label,
        "suppressed": group.suppressed,
        "shipments": None,
        "enterprises": None,
        "value_cny": None,
        "volume_t": None,
        "share_pct": None,
        "unconverted_shipments": None,
        "value_cny_prev": None,
        "volume_t_prev": None,
        "yoy_pct": None,
        "volume_yoy_pct": None,
    }
    if not group.suppressed:
        row.update(
            shipments=now.shipments,
            enterprises=now.enterprises,
            value_cny=now.value_cny,
            volume_t=now.volume_t,
            share_pct=pct(now.value_cny, total_value),
            unconverted_shipments=now.unconverted,
        )
    if not group.previous_suppressed:
        row.update(value_cny_prev=before.value_cny, volume_t_prev=before.volume_t)
        if not group.suppressed:
            row.update(
                yoy_pct=change_pct(now.value_cny, before.value_cny),
                volume_yoy_pct=change_pct(now.volume_t, before.volume_t),
            )
    return row


def table_rows(table: Table, *, limit: int | None = None) -> dict:
    total_value = None if table.total.suppressed else table.total.current.value_cny
    groups = table.groups[:limit] if limit else table.groups
    return {
        "rows": [group_row(g, total_value) for g in groups],
        "total": group_row(table.total, total_value),
    }


# --- caller scope -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    is_staff: bool
    enterprise_ids: tuple[int, ...]

    @classmethod
    def of(cls, user) -> Viewer:
        return cls(bool(user.is_platform_staff), tuple(sorted(enterprise_ids_of(user))))


def exports(*, viewer: Viewer, group_by: str, window: Window) -> dict:
    """The `analytics/exports/` table for this viewer."""
    body = {
        "group_by": group_by,
        "window": window.as_dict(),
        "previous_window": window.previous().as_dict(),
        "currency": "CNY",
        "scope": "staff" if viewer.is_staff else "enterprise",
        "own": None,
        "notes": [],
    }
    if viewer.is_staff:
        table = cache.cached(
            "staff-table",
            {"group_by": group_by, **window.as_dict()},
            lambda: grouped(group_by, window),
        )
        body["province"] = table_rows(table)
        return body
    window = window.snapped()
    body["window"] = window.as_dict()
    body["previous_window"] = window.previous().as_dict()
    own = grouped(group_by, window, enterprise_ids=list(viewer.enterprise_ids))
    body["own"] = table_rows(own)
    province = province_table(group_by, window)
    body["province"] = table_rows(province)
    body["notes"] = [
        "Province groups built from fewer than 3 enterprises in any month of the window are "
        "suppressed, with complementary cells; see docs/analytics.md.",
        *province.notes,
    ]
    return body


# --- targets ------------------------------------------------------------------------------------


def months_remaining(on: date, deadline: date) -> int:
    """Calendar months from the current month through the deadline's month, both included."""
    if deadline < on:
        return 0
    return (deadline.year - on.year) * 12 + deadline.month - on.month + 1


def trailing_12_months(on: date) -> Window:
    return Window(add_months(on.replace(day=1), -11), month_end(on))


def metric_value(metric: str, on: date) -> Decimal:
    """The current value of a target's metric: the enterprise count live, fact sums cached."""
    if metric == TargetMetric.VERIFIED_ENTERPRISES:
        return Decimal(Enterprise.objects.filter(status=VerificationStatus.VERIFIED).count())
    window = trailing_12_months(on)

    def compute() -> dict:
        rows = cube.cube_rows(CubeDimension.TOTAL, window.months())
        return {
            "v": sum((row["value_cny"] for row in rows), Decimal(0)),
            "kg": sum((row["net_kg"] for row in rows), Decimal(0)),
        }

    totals = cache.cached("trailing-12", window.as_dict(), compute)
    if metric == TargetMetric.EXPORT_VALUE_12M:
        return (totals["v"] or Decimal(0)).quantize(CENT)
    return ((totals["kg"] or Decimal(0)) / 1000).quantize(TONNE, rounding=ROUND_HALF_UP)


def target_progress(on: date | None = None) -> list[dict]:
    on = on or today()
    results = []
    values: dict[str, Decimal] = {}
    for target in Target.objects.filter(is_active=True):
        if target.metric not in values:
            values[target.metric] = metric_value(target.metric, on)
        current = values[target.metric]
        gap = max(target.value - current, Decimal(0))
        remaining = months_remaining(on, target.deadline)
        if gap == 0:
            status = "met"
        elif remaining == 0:
            status = "missed"
        else:
            status = "open"
        results.append(
            {
                "id": target.pk,
                "name": target.name,
                "metric": target.metric,
                "unit": target.unit,
                "value": target.value,
                "deadline": target.deadline.isoformat(),
                "current": current,
                "progress_pct": pct(current, target.value),
                "gap": gap,
                "months_remaining": remaining,
                "pace_needed_per_month": (
                    (gap / remaining).quantize(CENT, rounding=ROUND_HALF_UP) if remaining else None
                ),
                "status": status,
            }
        )
    return results


# --- certification pipeline ---------------------------------------------------------------------


def percentile(values: list[Decimal], fraction: float) -> Decimal | None:
    """Linear interpolation between closest ranks (the same as numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * Decimal(str(fraction))
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    weight = position - lower
    value = ordered[lower] + (ordered[upper] - ordered[lower]) * weight
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def certification_pipeline(
    window: Window, *, enterprise_ids: list[int] | None = None, on: date | None = None
) -> dict:
    on = on or today()
    apps = CertificationFact.objects.all()
    certificates = CertificateFact.objects.filter(in_force=True)
    if enterprise_ids is not None:
        apps = apps.filter(enterprise_id__in=enterprise_ids)
        certificates = certificates.filter(enterprise_id__in=enterprise_ids)
    by_status = dict(
        apps.values("status").annotate(n=Count("id")).order_by().values_list("status", "n")
    )
    decided = apps.filter(
        decided_at__date__gte=window.start,
        decided_at__date__lte=window.end,
        review_days__isnull=False,
    )
    decided_rows = list(decided.values_list("review_days", "sla_breached", "enterprise_id"))
    review = [days for days, _, _ in decided_rows]
    open_overdue = (
        apps.filter(decided_at__isnull=True, sla_due_at__lt=now())
        .exclude(status__in=NOT_OPEN_APPLICATION_STATUSES)
        .count()
    )
    expiring = certificates.filter(
        valid_until__gte=on, valid_until__lte=on + timedelta(days=EXPIRY_HORIZON_DAYS)
    )
    return {
        "by_status": dict(sorted(by_status.items())),
        "decided_in_window": len(decided_rows),
        "review_days_median": percentile(review, 0.5),
        "review_days_p90": percentile(review, 0.9),
        "sla_breached_decided": sum(1 for _, breached, _ in decided_rows if breached),
        "sla_breached_open": open_overdue,
        "expiring_90d": expiring.count(),
        "_deciding_enterprises": len({e for _, _, e in decided_rows}),
    }


# --- cold chain ---------------------------------------------------------------------------------


def _quality(shipments: int, clean: int, minutes: int) -> dict:
    return {
        "shipments": shipments,
        "no_excursion_pct": pct(Decimal(clean), Decimal(shipments)) if shipments else None,
        "excursion_minutes_per_shipment": (
            (Decimal(minutes) / shipments).quantize(TENTH, rounding=ROUND_HALF_UP)
            if shipments
            else None
        ),
    }


QUALITY_AGGS = {
    "n": Count("id"),
    "clean": Count("id", filter=Q(excursion_count=0)),
    "minutes": Sum("excursion_minutes"),
}


def _by_carrier(rows) -> list[dict]:
    """Most shipments first, then by carrier name (the same order whichever table answered)."""
    return sorted(rows, key=lambda row: (-row["shipments"], row["carrier"]))


def _quality_in_cube(window: Window, *, breakdown: bool) -> dict:
    """Cold-chain quality of the province over whole months from the cube's total, carrier and
    route rows (a few hundred rows instead of every shipment)."""
    months = window.months()
    if not breakdown:
        rows = list(cube.cube_rows(CubeDimension.TOTAL, months))
        return _quality(
            sum(r["shipments"] for r in rows),
            sum(r["clean_shipments"] for r in rows),
            sum(r["excursion_minutes"] for r in rows),
        )
    per_dimension: dict[str, dict] = {
        dimension: defaultdict(lambda: [0, 0, 0])
        for dimension in (CubeDimension.CARRIER, CubeDimension.ROUTE)
    }
    for row in cube.cube_rows(list(per_dimension), months):
        into = per_dimension[row["dimension"]][row["group_key"]]
        into[0] += row["shipments"]
        into[1] += row["clean_shipments"]
        into[2] += row["excursion_minutes"]
    carriers = per_dimension[CubeDimension.CARRIER]
    result = _quality(*(sum(values[i] for values in carriers.values()) for i in range(3)))
    ids = [int(key) for key in carriers if key]
    names = dict(Partner.objects.filter(pk__in=ids).values_list("pk", "name"))
    result["by_carrier"] = _by_carrier(
        {
            "carrier_id": int(key) if key else None,
            "carrier": names.get(int(key) if key else None, "(no carrier)"),
            **_quality(*values),
        }
        for key, values in carriers.items()
    )
    routes = sorted(per_dimension[CubeDimension.ROUTE].items(), key=lambda i: (-i[1][0], i[0]))
    result["by_route"] = [
        {"route": key or "(unknown)", **_quality(*values)} for key, values in routes[:20]
    ]
    return result


def cold_chain(window: Window, *, enterprise_ids=None, breakdown: bool = True) -> dict:
    if window.whole_months and enterprise_ids is None:
        return _quality_in_cube(window, breakdown=breakdown)
    base = ShipmentFact.objects.filter(window.q(), is_export=True)
    if enterprise_ids is not None:
        base = base.filter(enterprise_id__in=enterprise_ids)
    if not breakdown:
        summary = base.aggregate(**QUALITY_AGGS)
        return _quality(summary["n"], summary["clean"], summary["minutes"] or 0)
    by_carrier = list(base.values("carrier_id").annotate(**QUALITY_AGGS).order_by("-n"))
    result = _quality(
        sum(r["n"] for r in by_carrier),
        sum(r["clean"] for r in by_carrier),
        sum(r["minutes"] or 0 for r in by_carrier),
    )
    names = dict(
        Partner.objects.filter(pk__in=[r["carrier_id"] for r in by_carrier]).values_list(
            "pk", "name"
        )
    )
    result["by_carrier"] = _by_carrier(
        {
            "carrier_id": row["carrier_id"],
            "carrier": names.get(row["carrier_id"], "(no carrier)"),
            **_quality(row["n"], row["clean"], row["minutes"] or 0),
        }
        for row in by_carrier
    )
    by_route = base.values("route").annotate(**QUALITY_AGGS).order_by("-n", "route")[:20]
    result["by_route"] = [
        {
            "route": row["route"] or "(unknown)",
            **_quality(row["n"], row["clean"], row["minutes"] or 0),
        }
        for row in by_route
    ]
    return result


# --- data quality -------------------------------------------------------------------------------


def data_quality(window: Window) -> dict:
    missing = list(
        ShipmentFact.objects.filter(window.q(), fx_missing=True, is_export=True)
        .values("currency", "month")
        .annotate(n=Count("id"), declared=Sum("declared_value"))
        .order_by("month", "currency")
    )
    return {
        "unconverted_shipments": sum(row["n"] for row in missing),
        "missing_fx_rates": [
            {
                "currency": row["currency"],
                "month": row["month"].isoformat()[:7],
                "shipments": row["n"],
                "declared_value": row["declared"],
            }
            for row in missing
        ],
    }


# --- overview -----------------------------------------------------------------------------------


def _totals(table: Table) -> dict:
    return group_row(table.total, table.total.current.value_cny)


def staff_overview(window: Window, on: date | None = None) -> dict:
    on = on or today()

    def compute() -> dict:
        found = _province_found(window, GroupBy.values) if window.whole_months else {}
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
        found = _province_found(window, [GroupBy.CATEGORY, GroupBy.REGION])
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


def enterprise_overview(viewer: Viewer, window: Window, on: date | None = None) -> dict:
    on = on or today()
    window = window.snapped()
    ids = list(viewer.enterprise_ids)
    own_total = grand_total(window, enterprise_ids=ids)
    own_category = grouped(GroupBy.CATEGORY, window, enterprise_ids=ids, total=own_total)
    own_month = grouped(GroupBy.MONTH, window, enterprise_ids=ids, total=own_total)
    own_certification = certification_pipeline(window, enterprise_ids=ids, on=on)
    own_certification.pop("_deciding_enterprises")
    own_rows = table_rows(own_category)
    return {
        "scope": "enterprise",
        "window": window.as_dict(),
        "previous_window": window.previous().as_dict(),
        "currency": "CNY",
        "own": {
            "enterprise_ids": ids,
            "totals": own_rows["total"],
            "by_category": own_rows["rows"],
            "monthly": table_rows(own_month)["rows"],
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
    on = on or today()
    window = Window.default(on)
    staff = Viewer(is_staff=True, enterprise_ids=())
    staff_overview(window, on)
    province_overview(window.snapped(), on)
    for group_by in GroupBy.values:
        exports(viewer=staff, group_by=group_by, window=window)
        province_table(group_by, window)
    return 2 + 2 * len(GroupBy.values)
