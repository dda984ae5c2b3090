"""Importers for official code lists: UNECE's UN/LOCODE CSV and HS code tables.

Both read the whole file, validate every row, then write in batches inside one transaction, and
return a summary (added, updated, unchanged, rejected with reasons). They are used by the
`import_unlocode` and `import_hs_codes` management commands.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import caching
from .models import Country, HSCode, Location

BATCH = 1000
MAX_REPORTED_ERRORS = 50

# The columns of UNECE's "CodeListPart*.csv" files (no header row in the official download).
UNLOCODE_COLUMNS = [
    "Change",
    "Country",
    "Location",
    "Name",
    "NameWoDiacritics",
    "Subdivision",
    "Status",
    "Function",
    "Date",
    "IATA",
    "Coordinates",
    "Remarks",
]
MIN_UNLOCODE_COLUMNS = 11
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
PLACE_RE = re.compile(r"^[A-Z2-9]{3}$")
COORDINATES_RE = re.compile(r"^(\d{2})(\d{2})([NS])\s+(\d{3})(\d{2})([EW])$")
# "X": marked for deletion; "=": a reference entry (alias of another name); both carry no place.
SKIPPED_CHANGES = {"X", "="}

Progress = Callable[[int, int], None]


@dataclass
class ImportSummary:
    total: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: int = 0
    countries_added: int = 0
    coordinates_ignored: int = 0
    errors: list[str] = field(default_factory=list)

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(f"line {line}: {reason}")

    def __str__(self):
        text = (
            f"{self.total} rows read: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.rejected} rejected"
        )
        if self.skipped:
            text += f", {self.skipped} skipped (removal marks and alias entries)"
        if self.countries_added:
            text += f"; {self.countries_added} countries added"
        if self.coordinates_ignored:
            text += f"; coordinates ignored on {self.coordinates_ignored} rows (malformed)"
        return text


def read_text(path: str | Path, encoding: str = "auto") -> str:
    raw = Path(path).read_bytes()
    if encoding != "auto":
        return raw.decode(encoding)
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Older UNECE releases are ISO 8859-1.
        return raw.decode("latin-1")


def parse_coordinates(value: str) -> tuple[Decimal, Decimal] | None:
    """'3039N 10404E' → (30.65000, 104.06667); None when empty or malformed."""
    match = COORDINATES_RE.match(value.strip())
    if not match:
        return None
    lat_d, lat_m, ns, lon_d, lon_m, ew = match.groups()
    if int(lat_m) >= 60 or int(lon_m) >= 60 or int(lat_d) > 90 or int(lon_d) > 180:
        return None
    lat = (Decimal(lat_d) + Decimal(lat_m) / 60).quantize(Decimal("0.00001"))
    lon = (Decimal(lon_d) + Decimal(lon_m) / 60).quantize(Decimal("0.00001"))
    return (-lat if ns == "S" else lat, -lon if ew == "W" else lon)


def _unlocode_rows(text: str) -> Iterable[tuple[int, dict]]:
    reader = csv.reader(io.StringIO(text))
    for line, cells in enumerate(reader, start=1):
        if not cells or not any(cell.strip() for cell in cells):
            continue
        if line == 1 and len(cells) > 1 and cells[1].strip().lower() == "country":
            continue  # a header row (datahub-style copies of the list have one)
        width = len(cells)
        cells = [cell.strip() for cell in cells] + [""] * (len(UNLOCODE_COLUMNS) - len(cells))
        row = dict(zip(UNLOCODE_COLUMNS, cells, strict=False))
        row["_width"] = width
        yield line, row


def import_unlocode(
    text: str,
    *,
    countries: set[str] | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportSummary:
    """Import UN/LOCODE rows. Unknown countries are added from the list's own '.NAME' rows."""
    rows = list(_unlocode_rows(text))
    summary = ImportSummary(total=len(rows))
    known_countries = set(Country.objects.values_list("code", flat=True))
    new_countries: dict[str, Country] = {}
    existing = {
        loc.code: loc
        for loc in Location.objects.filter(
            **({"country_id__in": countries} if countries else {})
        ).only(
            "code",
            "country_id",
            "name",
            "name_ascii",
            "subdivision",
            "functions",
            "latitude",
            "longitude",
        )
    }
    to_create: dict[str, Location] = {}
    to_update: dict[str, Location] = {}
    fields = ["name", "name_ascii", "subdivision", "functions", "latitude", "longitude"]

    for index, (line, row) in enumerate(rows, start=1):
        if progress and (index % 500 == 0 or index == len(rows)):
            progress(index, len(rows))
        if row["_width"] < MIN_UNLOCODE_COLUMNS:
            summary.reject(line, f"{row['_width']} columns; a UN/LOCODE row has 11 or 12")
            continue
        country = row["Country"].upper()
        place = row["Location"].upper()
        if countries and country not in countries:
            summary.skipped += 1
            continue
        if not place:
            # A country header row: ",CN,,.CHINA,..." gives the country's name.
            name = row["Name"].lstrip(".").strip()
            if (
                COUNTRY_RE.match(country)
                and name
                and country not in known_countries
                and country not in new_countries
            ):
                new_countries[country] = Country(code=country, name_en=name.title())
            else:
                summary.skipped += 1
            continue
        if row["Change"] in SKIPPED_CHANGES:
            summary.skipped += 1
            continue
        if not COUNTRY_RE.match(country):
            summary.reject(line, f"country code '{country}' is not two letters")
            continue
        if not PLACE_RE.match(place):
            summary.reject(line, f"place code '{place}' is not 3 characters A-Z or 2-9")
            continue
        if country not in known_countries and country not in new_countries:
            summary.reject(line, f"unknown country {country} (no country row in the file)")
            continue
        name = row["Name"]
        if not name:
            summary.reject(line, f"{country}{place} has no name")
            continue
        if len(name) > 120 or len(row["NameWoDiacritics"]) > 120:
            summary.reject(line, f"{country}{place}: name longer than 120 characters")
            continue
        if len(row["Subdivision"]) > 3 or len(row["Function"]) > 8:
            summary.reject(line, f"{country}{place}: subdivision or function code too long")
            continue
        coordinates = parse_coordinates(row["Coordinates"]) if row["Coordinates"] else None
        if row["Coordinates"] and coordinates is None:
            summary.coordinates_ignored += 1
        values = {
            "name": name,
            "name_ascii": row["NameWoDiacritics"],
            "subdivision": row["Subdivision"],
            "functions": row["Function"],
            "latitude": coordinates[0] if coordinates else None,
            "longitude": coordinates[1] if coordinates else None,
        }
        code = country + place
        current = existing.get(code) or to_create.get(code)
        if current is None:
            to_create[code] = Location(code=code, country_id=country, **values)
            summary.added += 1
            continue
        if all(getattr(current, name) == value for name, value in values.items()):
            summary.unchanged += 1
            continue
        for name, value in values.items():
            setattr(current, name, value)
        if code not in to_create:
            if code not in to_update:
                summary.updated += 1
            to_update[code] = current

    summary.countries_added = len(new_countries)
    if dry_run:
        return summary
    with transaction.atomic():
        Country.objects.bulk_create(new_countries.values(), batch_size=BATCH)
        Location.objects.bulk_create(to_create.values(), batch_size=BATCH)
        Location.objects.bulk_update(to_update.values(), fields, batch_size=BATCH)
        transaction.on_commit(caching.bump, robust=True)
    return summary


def normalise_hs_code(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


HS_LENGTHS = {2, 4, 6, 8, 10, 13}


def import_hs_codes(
    text: str, *, progress: Progress | None = None, dry_run: bool = False
) -> ImportSummary:
    """Import HS codes from a CSV with the header `code,description_en[,description_zh]`."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"code", "description_en"} - set(reader.fieldnames or [])
    if missing:
        raise ValueError(
            f"The CSV needs a header with columns code,description_en[,description_zh]; "
            f"missing: {', '.join(sorted(missing))}."
        )
    rows = list(reader)
    summary = ImportSummary(total=len(rows))
    existing = {hs.code: hs for hs in HSCode.objects.all()}
    to_create: dict[str, HSCode] = {}
    to_update: dict[str, HSCode] = {}
    for index, row in enumerate(rows, start=1):
        line = index + 1  # the header is line 1
        if progress and (index % 500 == 0 or index == len(rows)):
            progress(index, len(rows))
        code = normalise_hs_code(row.get("code", ""))
        description_en = (row.get("description_en") or "").strip()
        description_zh = (row.get("description_zh") or "").strip()
        if not code.isdigit() or len(code) not in HS_LENGTHS:
            summary.reject(line, f"code '{row.get('code', '')}' is not 2, 4, 6, 8, 10 or 13 digits")
            continue
        if not description_en:
            summary.reject(line, f"{code} has no description_en")
            continue
        if len(description_en) > 300 or len(description_zh) > 300:
            summary.reject(line, f"{code}: description longer than 300 characters")
            continue
        current = existing.get(code) or to_create.get(code)
        if current is None:
            to_create[code] = HSCode(
                code=code, description_en=description_en, description_zh=description_zh
            )
            summary.added += 1
            continue
        if current.description_en == description_en and current.description_zh == description_zh:
            summary.unchanged += 1
            continue
        current.description_en, current.description_zh = description_en, description_zh
        if code not in to_create:
            if code not in to_update:
                summary.updated += 1
            to_update[code] = current
    if dry_run:
        return summary
    with transaction.atomic():
        if to_create:
            bulk_create_with_history(list(to_create.values()), HSCode, batch_size=BATCH)
        if to_update:
            bulk_update_with_history(
                list(to_update.values()),
                HSCode,
                ["description_en", "description_zh"],
                batch_size=BATCH,
            )
        transaction.on_commit(caching.bump, robust=True)
    return summary
