"""The JSON parser every API view uses (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]).

DRF's parser answers a 500 for input that is valid JSON but that the platform cannot hold:
- nesting deeper than Python's recursion limit (`[` × 100,000 is a RecursionError while parsing;
  a few hundred levels parse, then break the renderer or the database adapter);
- strings the database cannot store: a lone surrogate (`"\\ud800"`, which UTF-8 cannot encode) and
  the NUL character (PostgreSQL text refuses it).
Here both are a 400 problem naming the field (`items[0].name`). `check_json` is shared with the
telemetry endpoint's orjson parser (logistics/parsers.py), so both paths accept exactly the same.
"""

import json
import re
from itertools import chain

from django.utils.translation import gettext
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser
from rest_framework.parsers import get_encoding
from rest_framework.utils.json import strict_constant

from .errors import ValidationFailed
from .inputs import unstorable_reason

# Deeper than any body the API takes (a few levels), far below what breaks Python's recursion.
MAX_JSON_DEPTH = 64
# A lone surrogate or a NUL can only reach a parsed string through a `\u` escape (raw surrogates
# are not UTF-8, raw control characters are not JSON): without one, no string needs a look.
SUSPICIOUS_ESCAPE = {
    str: re.compile(r"\\u(?:[dD][89a-fA-F]|0000)"),
    bytes: re.compile(rb"\\u(?:[dD][89a-fA-F]|0000)"),
}


CONTAINERS = frozenset((dict, list))
ONLY_OBJECTS, ONLY_ARRAYS = {dict}, {list}


def _children(container):
    return container.values() if type(container) is dict else container


def _children_of(level: list, kinds: set):
    """The children of every container of `level`; a level of objects only (a batch's readings)
    or of arrays only takes no Python call per container."""
    if kinds == ONLY_OBJECTS:
        return map(dict.values, level)
    if kinds == ONLY_ARRAYS:
        return level
    return map(_children, level)


def _too_deep(data) -> bool:
    """More than MAX_JSON_DEPTH levels of arrays and objects, found level by level without
    recursion. The per-value work stays in C (map, set): a 10,000-reading telemetry batch costs
    about what orjson takes to parse it (3 ms); a loop over the values in Python took 11 ms."""
    level, kinds = [data], {type(data)}
    for _ in range(MAX_JSON_DEPTH):
        values = list(chain.from_iterable(_children_of(level, kinds)))
        kinds = set(map(type, values))
        if not kinds & CONTAINERS:
            return False
        if not kinds <= CONTAINERS:
            level, kinds = [v for v in values if type(v) in CONTAINERS], kinds & CONTAINERS
        else:
            level = values
    return True


def _find_unstorable(value, path: str = "") -> tuple[str, str] | None:
    """(field path, reason) of the first string (or key) that cannot be stored; depth is bounded."""
    if isinstance(value, str):
        reason = unstorable_reason(value)
        return (path, reason) if reason else None
    if isinstance(value, dict):
        for key, item in value.items():
            field = f"{path}.{key}" if path else str(key)
            reason = unstorable_reason(key)
            if reason:
                return (path or "(key)", gettext("has a key that %(reason)s") % {"reason": reason})
            found = _find_unstorable(item, field)
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_unstorable(item, f"{path}[{index}]")
            if found:
                return found
    return None


def check_json(data, raw: str | bytes):
    """`data` (parsed from `raw`) if the platform can hold it, else a 400 naming the field."""
    if type(data) in (dict, list) and _too_deep(data):
        raise too_deep()
    if SUSPICIOUS_ESCAPE[type(raw)].search(raw):
        found = _find_unstorable(data)
        if found:
            field, reason = found
            raise ValidationFailed(
                unstorable_text_message(field, reason), code="invalid_text", field=field or None
            )
    return data


def unstorable_text_message(field: str, reason: str) -> str:
    if not field:
        return gettext("The body %(reason)s.") % {"reason": reason}
    return gettext("The field %(field)s %(reason)s.") % {"field": field, "reason": reason}


def too_deep() -> ParseError:
    return ParseError(
        gettext("JSON parse error: the body is nested more than %(levels)d levels deep.")
        % {"levels": MAX_JSON_DEPTH},
        code="too_deep",
    )


class JSONParser(DRFJSONParser):
    """DRF's JSON parser with a depth limit and the stored-text check (`check_json`)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            text = stream.read().decode(get_encoding(parser_context or {}))
            parse_constant = strict_constant if self.strict else None  # no NaN, Infinity
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError:
            raise too_deep() from None
        except (ValueError, LookupError) as exc:  # bad JSON, bad bytes or an unknown charset
            raise ParseError(gettext("JSON parse error: %(reason)s") % {"reason": exc}) from None
        return check_json(data, text)
