"""Figures per group (category, destination, region, prefecture, month, enterprise), now and a
year before: from the cube for the province's whole months, from the rollup or the fact lines
otherwise; and the rows the API shows for them.

Every figure is defined in docs/analytics.md. Money is Decimal CNY (2 places), volume Decimal
tonnes (3 places), percentages Decimal with one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from agri_platform.reference.choices import ExportCategory
from agri_platform.reference.models import Country, Prefecture
from enterprises.models import Enterprise

from .. import cube
from ..choices import GroupBy
from ..models import CubeDimension, ExportRollup, ShipmentFactLine
from .windows import Window, shift_year

CENT = Decimal("0.01")
TONNE = Decimal("0.001")
TENTH = Decimal("0.1")


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
    (`found`: the groups already fetched with others, see `province_found`)."""
    if found is None and window.whole_months and enterprise_ids is None:
        if group_by == GroupBy.MONTH:
            found = _months_in_cube(window)
        else:  # the total comes with the groups' queries
            province = province_found(window, [group_by], with_total=total is None)
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


def province_found(window: Window, group_bys: list[str], *, with_total: bool = True) -> dict:
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


def regions_of_countries() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    regions = region_groups()
    region_of: dict[str, list[str]] = defaultdict(list)
    for name, codes in regions.items():
        for code in codes:
            region_of[code].append(name)
    return regions, region_of


def _regions_in_cube(destinations: dict[str, tuple], windows: dict[str, list[date]]) -> dict:
    """Region sums add up their countries' figures (a shipment has one destination); enterprises
    are counted once per region from the destination presence masks."""
    regions, region_of = regions_of_countries()
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
    regions, region_of = regions_of_countries()
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
        now, before = province_found(window, [])[TOTAL]
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
