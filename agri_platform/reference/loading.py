"""Load the shipped reference subsets (data/*.csv) into the database. Idempotent.

Rows are matched by their code; a row is written only when a value differs, so running the loader
twice changes nothing (and writes no history). Used by `manage.py load_reference_data` and by
`seed_demo` (agri_platform/reference/demo.py).
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from . import caching
from .models import (
    ColdChainProfile,
    Country,
    Currency,
    HSCode,
    Location,
    Prefecture,
    SupplySeason,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class Summary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self):
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.rejected} rejected"
        )


def read_csv(name: str) -> list[dict]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _decimal(value: str) -> Decimal | None:
    value = (value or "").strip()
    return Decimal(value) if value else None


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def sync(model, rows: list[dict], summary: Summary) -> None:
    """Create missing rows (in bulk, with history where the model keeps it) and update the fields
    that differ on existing ones; count what happened. Rows are keyed by `code`, the primary key."""
    existing = model.objects.in_bulk([values["code"] for values in rows])
    new = []
    for values in rows:
        obj = existing.get(values["code"])
        if obj is None:
            new.append(model(**values))
            summary.added += 1
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if not changed:
            summary.unchanged += 1
            continue
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        summary.updated += 1
    if new:
        if hasattr(model, "history"):
            bulk_create_with_history(new, model)
        else:
            model.objects.bulk_create(new)


def load_countries() -> Summary:
    summary = Summary()
    rows = [
        {
            "code": row["code"],
            "name_en": row["name_en"],
            "name_zh": row["name_zh"],
            "groups": _split(row["groups"]),
        }
        for row in read_csv("countries.csv")
    ]
    sync(Country, rows, summary)
    return summary


def load_currencies() -> Summary:
    summary = Summary()
    rows = [
        {"code": row["code"], "name": row["name"], "minor_units": int(row["minor_units"])}
        for row in read_csv("currencies.csv")
    ]
    sync(Currency, rows, summary)
    return summary


def load_prefectures() -> Summary:
    summary = Summary()
    sync(Prefecture, read_csv("prefectures.csv"), summary)
    return summary


def load_locations() -> Summary:
    summary = Summary()
    known = set(Country.objects.values_list("code", flat=True))
    rows = []
    for row in read_csv("locations.csv"):
        if row["code"][:2] not in known:
            summary.rejected += 1
            summary.errors.append(f"{row['code']}: unknown country {row['code'][:2]}")
            continue
        rows.append(
            {
                "code": row["code"],
                "country_id": row["code"][:2],
                "name": row["name"],
                "name_zh": row.get("name_zh", ""),
                "name_ascii": row["name_ascii"],
                "subdivision": row["subdivision"],
                "functions": row["functions"],
                "latitude": _decimal(row["latitude"]),
                "longitude": _decimal(row["longitude"]),
            }
        )
    sync(Location, rows, summary)
    return summary


def load_hs_codes() -> Summary:
    summary = Summary()
    sync(HSCode, read_csv("hs_codes.csv"), summary)
    return summary


def load_cold_chain_profiles() -> Summary:
    """Seed the profiles. A profile staff have edited since is left as they left it."""
    summary = Summary()
    for row in read_csv("cold_chain_profiles.csv"):
        if ColdChainProfile.objects.filter(code=row["code"]).exists():
            summary.unchanged += 1
            continue
        ColdChainProfile.objects.create(
            code=row["code"],
            name_en=row["name_en"],
            name_zh=row["name_zh"],
            hs_prefixes=_split(row["hs_prefixes"]),
            temp_min_c=Decimal(row["temp_min_c"]),
            temp_max_c=Decimal(row["temp_max_c"]),
            humidity_max_pct=_decimal(row["humidity_max_pct"]),
            notes=row["notes"],
        )
        summary.added += 1
    return summary


def load_supply_seasons(model=SupplySeason) -> Summary:
    """Seed the northern supply seasons. A season staff have edited since is left as they left it.
    `model`: the data migration passes its historical model."""
    summary = Summary()
    for row in read_csv("supply_seasons.csv"):
        if model.objects.filter(code=row["code"]).exists():
            summary.unchanged += 1
            continue
        model.objects.create(
            code=row["code"],
            name_en=row["name_en"],
            name_zh=row["name_zh"],
            hs_prefixes=_split(row["hs_prefixes"]),
            category=row["category"],
            provinces_en=row["provinces_en"],
            provinces_zh=row["provinces_zh"],
            months=sorted(int(month) for month in _split(row["months"])),
            source_note=row["source_note"],
        )
        summary.added += 1
    return summary


LOADERS: dict[str, Callable[[], Summary]] = {
    "countries": load_countries,
    "currencies": load_currencies,
    "prefectures": load_prefectures,
    "locations": load_locations,
    "hs_codes": load_hs_codes,
    "cold_chain_profiles": load_cold_chain_profiles,
    "supply_seasons": load_supply_seasons,
}


def load_reference_data(log: Callable[[str], None] = lambda _message: None) -> dict[str, Summary]:
    results = {}
    with transaction.atomic():
        for name, loader in LOADERS.items():
            results[name] = loader()
            log(f"{name}: {results[name]}")
    transaction.on_commit(caching.bump, robust=True)
    return results
