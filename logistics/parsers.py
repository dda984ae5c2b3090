from rest_framework.parsers import BaseParser


class CSVText(str):
    """A CSV body, kept as text until the telemetry view parses it."""


class CSVParser(BaseParser):
    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        return CSVText(stream.read().decode(encoding, errors="replace"))
