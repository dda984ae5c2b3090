"""JSON with exact decimals, and the CSV / XLSX renderings of an exports table."""

import csv
import io
import json
from decimal import Decimal

from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

COLUMNS = [
    "scope",
    "key",
    "label",
    "suppressed",
    "shipments",
    "enterprises",
    "value_cny",
    "volume_t",
    "share_pct",
    "unconverted_shipments",
    "value_cny_prev",
    "volume_t_prev",
    "yoy_pct",
    "volume_yoy_pct",
]


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


def table_records(data: dict) -> list[list]:
    """The exports body as rows of COLUMNS: own rows, own total, province rows, province total."""
    records = []
    for scope in ("own", "province"):
        table = data.get(scope)
        if not table:
            continue
        for row in [*table["rows"], table["total"]]:
            records.append([scope, *(row.get(column) for column in COLUMNS[1:])])
    return records


def _is_error(renderer_context) -> bool:
    response = (renderer_context or {}).get("response")
    return response is not None and response.status_code >= 400


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if _is_error(renderer_context) or not isinstance(data, dict) or "province" not in data:
            return json.dumps(data, cls=DecimalStringEncoder).encode()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for record in table_records(data):
            writer.writerow(["" if v is None else _safe_text(v) for v in record])
        return out.getvalue().encode("utf-8")


class XLSXRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if _is_error(renderer_context) or not isinstance(data, dict) or "province" not in data:
            return json.dumps(data, cls=DecimalStringEncoder).encode()
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = f"by {data['group_by']}"[:31]
        sheet.append(COLUMNS)
        for record in table_records(data):
            sheet.append([_safe_text(v) for v in record])
        info = workbook.create_sheet("about")
        info.append(["group_by", data["group_by"]])
        info.append(["from", data["window"]["from"]])
        info.append(["to", data["window"]["to"]])
        info.append(["previous from", data["previous_window"]["from"]])
        info.append(["previous to", data["previous_window"]["to"]])
        info.append(["currency", data["currency"]])
        for note in data.get("notes", []):
            info.append(["note", note])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
