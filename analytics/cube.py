"""The two small province tables behind whole-month figures: `ExportCube` and `ExportPresence`.

`ExportCube` holds per (month, dimension, group) the sums of the rollup (value, kg, shipments,
unconverted), the distinct enterprises of that month and the cold-chain counts; a window reads a
few hundred of its rows instead of the rollup's tens of thousands. `ExportPresence` holds per
(enterprise, dimension, group, year) a 12-bit mask of the months with an export, so distinct
enterprises over any set of whole months are counted from one row per enterprise and year.

Write side: `services.refresh_rollup` rebuilds (month, enterprise) slices of the rollup under the
enterprises' row locks, then calls `apply_delta` with (new slice − old slice) and
`refresh_presence` for those enterprises. Deltas are exact because no other writer can change a
locked slice; they are applied with one `INSERT … ON CONFLICT DO UPDATE SET x = x + delta`
(PostgreSQL and SQLite) in a fixed key order, so concurrent writers neither lose an update nor
deadlock on the cube. `rebuild` recomputes both tables from the rollup and the facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When

from .models import CubeDimension, ExportCube, ExportPresence, ExportRollup, ShipmentFact

METRICS = (
    "value_cny",
    "net_kg",
    "shipments",
    "unconverted",
    "enterprises",
    "clean_shipments",
    "excursion_minutes",
)
VALUE, KG, SHIPMENTS, UNCONVERTED, ENTERPRISES, CLEAN, MINUTES = range(len(METRICS))
# Dimensions with distinct-enterprise masks (enterprise rows are one enterprise by definition).
PRESENCE_DIMENSIONS = (
    CubeDimension.TOTAL,
    CubeDimension.CATEGORY,
    CubeDimension.DESTINATION,
    CubeDimension.PREFECTURE,
)
BATCH = 500

Cell = tuple[date, str, str]  # (month, dimension, group key)


def _zero() -> list:
    return [Decimal(0), Decimal(0), 0, 0, 0, 0, 0]


def _groups(row: ExportRollup) -> list[tuple[str, str, bool]]:
    """(dimension, key, counts lines?) of one rollup row; category rows count lines."""
    return [
        (CubeDimension.TOTAL, "", False),
        (CubeDimension.CATEGORY, row.category, True),
        (CubeDimension.DESTINATION, row.destination_id, False),
        (CubeDimension.PREFECTURE, row.prefecture_id, False),
        (CubeDimension.ENTERPRISE, str(row.enterprise_id), False),
    ]


def rollup_contributions(rows: Iterable[ExportRollup]) -> dict[Cell, list]:
    """What these rollup rows add to the cube (sums, and their enterprises counted per cell)."""
    sums: dict[Cell, list] = defaultdict(_zero)
    present: dict[Cell, set[int]] = defaultdict(set)
    for row in rows:
        for dimension, key, per_line in _groups(row):
            cell = (row.month, str(dimension), key)
            into = sums[cell]
            into[VALUE] += row.value_cny
            into[KG] += row.net_kg
            into[SHIPMENTS] += row.shipments if per_line else row.shipment_heads
            into[UNCONVERTED] += row.unconverted if per_line else row.unconverted_heads
            present[cell].add(row.enterprise_id)
    for cell, enterprise_ids in present.items():
        sums[cell][ENTERPRISES] = len(enterprise_ids)
    return sums


def quality_contributions(fact: ShipmentFact | None) -> dict[Cell, list]:
    """What one shipment fact adds to the cold-chain columns (total, carrier and route rows)."""
    if fact is None or not fact.is_export or fact.month is None:
        return {}
    clean = 1 if fact.excursion_count == 0 else 0
    minutes = fact.excursion_minutes
    total = _zero()
    total[CLEAN], total[MINUTES] = clean, minutes
    result = {(fact.month, str(CubeDimension.TOTAL), ""): total}
    for dimension, key in (
        (CubeDimension.CARRIER, str(fact.carrier_id or "")),
        (CubeDimension.ROUTE, fact.route),
    ):
        row = _zero()
        row[SHIPMENTS], row[CLEAN], row[MINUTES] = 1, clean, minutes
        result[(fact.month, str(dimension), key)] = row
    return result


def difference(*, after: dict[Cell, list], before: dict[Cell, list]) -> dict[Cell, list]:
    """after − before, cell by cell, without the cells that did not change."""
    delta: dict[Cell, list] = {}
    for cell in after.keys() | before.keys():
        new, old = after.get(cell) or _zero(), before.get(cell) or _zero()
        change = [a - b for a, b in zip(new, old, strict=True)]
        if any(change):
            delta[cell] = change
    return delta


def merged(*deltas: dict[Cell, list]) -> dict[Cell, list]:
    total: dict[Cell, list] = defaultdict(_zero)
    for delta in deltas:
        for cell, change in delta.items():
            total[cell] = [a + b for a, b in zip(total[cell], change, strict=True)]
    return total


def _upsert_sql(rows: int) -> str:
    quote = connection.ops.quote_name
    table = quote(ExportCube._meta.db_table)
    columns = ["month", "dimension", "group_key", *METRICS]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(
        f"{quote(name)} = {table}.{quote(name)} + excluded.{quote(name)}" for name in METRICS
    )
    # Identifiers only (quoted by the backend); every value is a parameter.
    insert = f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)})"
    conflict = f"ON CONFLICT ({quote('dimension')}, {quote('month')}, {quote('group_key')})"
    values = ", ".join([placeholders] * rows)
    return f"{insert} VALUES {values} {conflict} DO UPDATE SET {updates}"  # nosec B608


def apply_delta(delta: dict[Cell, list]) -> None:
    """Add `delta` to the cube (creating missing rows) and drop the rows left empty."""
    if not delta:
        return
    ops = connection.ops
    cells = sorted(delta, key=lambda cell: (cell[1], cell[0], cell[2]))  # the unique key's order
    with connection.cursor() as cursor:
        for start in range(0, len(cells), BATCH):
            chunk = cells[start : start + BATCH]
            params: list = []
            for month, dimension, key in chunk:
                change = delta[(month, dimension, key)]
                params += [ops.adapt_datefield_value(month), dimension, key]
                params += [
                    ops.adapt_decimalfield_value(change[VALUE], 22, 2),
                    ops.adapt_decimalfield_value(change[KG], 18, 3),
                    *change[SHIPMENTS:],
                ]
            cursor.execute(_upsert_sql(len(chunk)), params)
    ExportCube.objects.filter(month__in={month for month, _, _ in cells}, shipments__lte=0).delete()


def month_bit(month: date) -> int:
    return 1 << (month.month - 1)


def _presence_rows(rows: Iterable[tuple], model=ExportPresence) -> list[ExportPresence]:
    """(enterprise, month, category, destination, prefecture) → one mask per group and year."""
    masks: dict[tuple, int] = defaultdict(int)
    for enterprise_id, month, category, destination, prefecture in rows:
        bit = month_bit(month)
        for dimension, key in (
            (CubeDimension.TOTAL, ""),
            (CubeDimension.CATEGORY, category),
            (CubeDimension.DESTINATION, destination),
            (CubeDimension.PREFECTURE, prefecture),
        ):
            masks[(enterprise_id, month.year, str(dimension), key)] |= bit
    return [
        model(enterprise_id=e, year=y, dimension=d, group_key=k, months=mask)
        for (e, y, d, k), mask in masks.items()
    ]


PRESENCE_FIELDS = ("enterprise_id", "month", "category", "destination_id", "prefecture_id")


def refresh_presence(pairs: Iterable[tuple[int, int]]) -> None:
    """Rewrite the masks of these (enterprise, year) pairs from the rollup (enterprises locked)."""
    condition = Q()
    rollup = Q()
    for enterprise_id, year in sorted(set(pairs)):
        condition |= Q(enterprise_id=enterprise_id, year=year)
        rollup |= Q(
            enterprise_id=enterprise_id, month__gte=date(year, 1, 1), month__lte=date(year, 12, 1)
        )
    if not condition:
        return
    ExportPresence.objects.filter(condition).delete()
    rows = ExportRollup.objects.filter(rollup).values_list(*PRESENCE_FIELDS)
    ExportPresence.objects.bulk_create(_presence_rows(rows), batch_size=5000)


def rebuild(models=None) -> int:
    """Recompute the cube and the presence masks from the whole rollup and the facts; `models`
    maps model names to classes (a migration passes its historical ones)."""
    models = models or {}
    cube_model = models.get("ExportCube", ExportCube)
    presence_model = models.get("ExportPresence", ExportPresence)
    rollup_model = models.get("ExportRollup", ExportRollup)
    fact_model = models.get("ShipmentFact", ShipmentFact)
    cube_model.objects.all().delete()
    presence_model.objects.all().delete()
    cells = rollup_contributions(rollup_model.objects.all().iterator(chunk_size=5000))
    quality = (
        fact_model.objects.filter(is_export=True, month__isnull=False)
        .values("month", "carrier_id", "route")
        .annotate(
            n=Count("id"),
            clean=Count("id", filter=Q(excursion_count=0)),
            minutes=Sum("excursion_minutes"),
        )
        .order_by()
    )
    for row in quality:
        total = cells[(row["month"], str(CubeDimension.TOTAL), "")]
        total[CLEAN] += row["clean"]
        total[MINUTES] += row["minutes"] or 0
        for dimension, key in (
            (CubeDimension.CARRIER, str(row["carrier_id"] or "")),
            (CubeDimension.ROUTE, row["route"]),
        ):
            into = cells[(row["month"], str(dimension), key)]
            into[SHIPMENTS] += row["n"]
            into[CLEAN] += row["clean"]
            into[MINUTES] += row["minutes"] or 0
    cube_model.objects.bulk_create(
        (
            cube_model(
                month=month,
                dimension=dimension,
                group_key=key,
                **dict(zip(METRICS, values, strict=True)),
            )
            for (month, dimension, key), values in cells.items()
        ),
        batch_size=5000,
    )
    rows = rollup_model.objects.values_list(*PRESENCE_FIELDS).iterator(chunk_size=5000)
    presence_model.objects.bulk_create(_presence_rows(rows, presence_model), batch_size=5000)
    return len(cells)


# --- reads ----------------------------------------------------------------------------------------


def cube_rows(dimension: str | list, months: Iterable[date], *, keys: Iterable[str] | None = None):
    """The non-empty cube rows of one dimension (or a list of them) in these months, as dicts."""
    dimensions = [dimension] if isinstance(dimension, str) else dimension
    rows = ExportCube.objects.filter(
        dimension__in=dimensions, month__in=list(months), shipments__gt=0
    )
    if keys is not None:
        rows = rows.filter(group_key__in=list(keys))
    return rows.values("month", "dimension", "group_key", *METRICS).order_by()


SUMMED = ("value_cny", "net_kg", "shipments", "unconverted")


def window_sums(
    dimensions: Iterable[str], windows: dict[str, list[date]], *, keys=None
) -> list[dict]:
    """One row per (dimension, group): `<window>_<metric>` sums over each named set of months,
    in SQL (a thousand enterprises over 24 months return 1,000 rows, not 24,000)."""
    months = sorted(set().union(*windows.values()))
    rows = ExportCube.objects.filter(
        dimension__in=list(dimensions), month__in=months, shipments__gt=0
    )
    if keys is not None:
        rows = rows.filter(group_key__in=list(keys))
    sums = {
        f"{name}_{metric}": Sum(metric, filter=Q(month__in=window_months))
        for name, window_months in windows.items()
        for metric in SUMMED
    }
    return list(rows.values("dimension", "group_key").annotate(**sums).order_by())


def year_masks(months: Iterable[date]) -> dict[int, int]:
    masks: dict[int, int] = defaultdict(int)
    for month in months:
        masks[month.year] |= month_bit(month)
    return dict(masks)


def _hits(masks: dict[int, int]):
    """months & (the window's mask of that row's year): > 0 when the row exported in the window."""
    window = Case(
        *(When(year=year, then=Value(mask)) for year, mask in sorted(masks.items())),
        default=Value(0),
        output_field=IntegerField(),
    )
    return F("months").bitand(window)


def distinct_enterprises(
    dimensions: Iterable[str], windows: dict[str, list[date]]
) -> dict[tuple[str, str], dict]:
    """(dimension, group key) → {window name: distinct enterprises with an export in those
    months}, for several dimensions in one query."""
    masks = {name: year_masks(months) for name, months in windows.items()}
    years = set().union(*(m.keys() for m in masks.values()))
    rows = (
        ExportPresence.objects.filter(dimension__in=list(dimensions), year__in=sorted(years))
        .annotate(**{f"hit_{name}": _hits(mask) for name, mask in masks.items()})
        .values("dimension", "group_key")
        .annotate(
            **{
                name: Count("enterprise_id", distinct=True, filter=Q(**{f"hit_{name}__gt": 0}))
                for name in masks
            }
        )
        .order_by()
    )
    return {
        (row["dimension"], row["group_key"]): {name: row[name] for name in masks} for row in rows
    }


def distinct_enterprises_of_sets(
    dimension: str, sets: dict[str, list[str]], windows: dict[str, list[date]]
) -> dict[str, dict]:
    """Set name → {window name: distinct enterprises with an export in any group of the set}
    (regions: sets of countries that overlap), in one aggregate query."""
    masks = {name: year_masks(months) for name, months in windows.items()}
    years = sorted(set().union(*(m.keys() for m in masks.values())))
    keys = sorted(set().union(*sets.values()))
    names = list(sets)
    counts = {
        f"s{index}_{window}": Count(
            "enterprise_id",
            distinct=True,
            filter=Q(group_key__in=sets[name], **{f"hit_{window}__gt": 0}),
        )
        for index, name in enumerate(names)
        for window in masks
    }
    if not counts or not keys:
        return {name: dict.fromkeys(masks, 0) for name in names}
    row = (
        ExportPresence.objects.filter(dimension=dimension, year__in=years, group_key__in=keys)
        .annotate(**{f"hit_{window}": _hits(mask) for window, mask in masks.items()})
        .aggregate(**counts)
    )
    return {
        name: {window: row[f"s{index}_{window}"] or 0 for window in masks}
        for index, name in enumerate(names)
    }


def presence_rows(dimension: str, months: Iterable[date], *, keys: Iterable[str] | None = None):
    """(group key, enterprise, year, mask) rows of these months' years, for counting in Python."""
    years = sorted({month.year for month in months})
    rows = ExportPresence.objects.filter(dimension=dimension, year__in=years)
    if keys is not None:
        rows = rows.filter(group_key__in=list(keys))
    return rows.values_list("group_key", "enterprise_id", "year", "months").order_by()
