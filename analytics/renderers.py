"""JSON with exact decimals, and the CSV / XLSX renderings of an exports table.

The files are for computing: numbers stay numbers (no 万), but a person reads the header row (column
titles in the request's language; `?headers=keys` gives the JSON keys instead), the scope, the group
labels and yes/no. The CSV starts with a UTF-8 BOM so that Excel reads Chinese text; the XLSX has
its header row frozen and its columns as wide as their content (CJK characters count double)."""

import csv
import io
import json
import unicodedata
from decimal import Decimal

from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from .choices import GroupBy
from .labels import scope_name

# Column key → the title a person reads in the header row (in the order of the file's columns).
COLUMN_TITLES = {
    "scope": _("Scope"),
    "key": _("Code"),
    "label": _("Name"),
    "suppressed": _("Suppressed"),
    "shipments": _("Shipments"),
    "enterprises": pgettext_lazy("count", "Enterprises"),
    "value_cny": _("Export value (CNY)"),
    "volume_t": _("Volume (t)"),
    "share_pct": _("Share (%)"),
    "unconverted_shipments": _("Unconverted shipments"),
    "value_cny_prev": _("Export value a year before (CNY)"),
    "volume_t_prev": _("Volume a year before (t)"),
    "yoy_pct": _("Value, year on year (%)"),
    "volume_yoy_pct": _("Volume, year on year (%)"),
}
COLUMNS = list(COLUMN_TITLES)
HEADERS_PARAMETER = "headers"  # ?headers=keys: the machine keys instead of the titles
BOM = "\ufeff"
MAX_COLUMN_WIDTH = 60


class DecimalStringEncoder(JSONEncoder):
    def default(self, obj):
        if isinstance(obj, Decimal):
            return str(obj)
        return super().default(obj)


class AnalyticsJSONRenderer(JSONRenderer):
    encoder_class = DecimalStringEncoder


def _safe_text(value):
    """Spreadsheet formula injection: text that starts like a formula is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _cell(column: str, value):
    """A value as the file holds it: yes/no and the scope in words, numbers as numbers."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if column == "scope":
        return scope_name(value)
    return _safe_text(value)


def header_row(renderer_context) -> list[str]:
    request = (renderer_context or {}).get("request")
    if request is not None and request.query_params.get(HEADERS_PARAMETER) == "keys":
        return list(COLUMNS)
    return [str(title) for title in COLUMN_TITLES.values()]


def table_records(data: dict) -> list[list]:
    """The exports body as rows of COLUMNS: own rows, own total, province rows, province total."""
    records = []
    for scope in ("own", "province"):
        table = data.get(scope)
        if not table:
            continue
        for row in [*table["rows"], table["total"]]:
            values = [scope, *(row.get(column) for column in COLUMNS[1:])]
            records.append([_cell(c, v) for c, v in zip(COLUMNS, values, strict=True)])
    return records


def display_width(value) -> int:
    """Columns a value takes in a spreadsheet: wide (CJK) characters count double."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def column_widths(rows: list[list]) -> list[int]:
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [min(width + 2, MAX_COLUMN_WIDTH) for width in widths]


def _is_error(renderer_context) -> bool:
    response = (renderer_context or {}).get("response")
    return response is not None and response.status_code >= 400


def _is_table(data, renderer_context) -> bool:
    return not _is_error(renderer_context) and isinstance(data, dict) and "province" in data


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not _is_table(data, renderer_context):
            return json.dumps(data, cls=DecimalStringEncoder).encode()
        out = io.StringIO()
        out.write(BOM)
        writer = csv.writer(out)
        writer.writerow(header_row(renderer_context))
        for record in table_records(data):
            writer.writerow(["" if v is None else v for v in record])
        return out.getvalue().encode("utf-8")


class XLSXRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not _is_table(data, renderer_context):
            return json.dumps(data, cls=DecimalStringEncoder).encode()
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = str(GroupBy(data["group_by"]).label)[:31]
        rows = [header_row(renderer_context), *table_records(data)]
        _write_sheet(sheet, rows)
        _write_sheet(workbook.create_sheet(gettext("About")), about_rows(data))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def about_rows(data: dict) -> list[list]:
    """The second sheet: what the table covers."""
    window, previous = data["window"], data["previous_window"]
    rows = [
        [gettext("Grouped by"), str(GroupBy(data["group_by"]).label)],
        [gettext("First day"), window["from"]],
        [gettext("Last day"), window["to"]],
        [gettext("Compared with, first day"), previous["from"]],
        [gettext("Compared with, last day"), previous["to"]],
        [gettext("Currency"), data["currency"]],
    ]
    return rows + [[pgettext("export sheet", "Note"), note] for note in data.get("notes", [])]


def _write_sheet(sheet, rows: list[list]) -> None:
    """Rows under a frozen header row, each column as wide as its content."""
    from openpyxl.utils import get_column_letter

    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(column_widths(rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
