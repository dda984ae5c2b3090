"""Checks on what the URL carries, run by every API view (views.ApiMixin) before it reads anything.

- An object id in the path (`pk`, `shipment_pk`, … : every id is a BigAutoField) that is not a whole
  number from 1 to 2**63 - 1 names no object: 404, as for a missing one. Without this check, an id
  beyond the database's range reached the database on nested routes (an OverflowError, a 500).
- A path segment, query parameter name or value holding a character no column can store (NUL:
  PostgreSQL text refuses it; a lone surrogate: not encodable as UTF-8) is a 400 naming it.
JSON bodies get the same text check in agri_platform/api/parsers.py.
"""

from django.utils.translation import gettext
from rest_framework.exceptions import NotFound

from .errors import ValidationFailed
from .filtering import ID_MAX, capped_int
from .pagination import DIGITS


def is_id_kwarg(name: str) -> bool:
    return name == "pk" or name.endswith("_pk")


def _is_object_id(value) -> bool:
    if isinstance(value, int):
        return 1 <= value <= ID_MAX
    return bool(DIGITS.fullmatch(value)) and 1 <= capped_int(value, ID_MAX + 1) <= ID_MAX


def unstorable_reason(text: str) -> str | None:
    """Why `text` cannot be stored in a text column (in the request's language), or None."""
    if "\x00" in text:
        return gettext("contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return gettext("contains a character that is not valid Unicode text")
    return None


def check_url_input(request, kwargs: dict) -> None:
    for name, value in kwargs.items():
        if is_id_kwarg(name) and not _is_object_id(value):
            raise NotFound()
        reason = isinstance(value, str) and unstorable_reason(value)
        if reason:
            raise ValidationFailed(
                gettext("The path segment %(name)s %(reason)s.") % {"name": name, "reason": reason},
                field=name,
            )
    for name, values in request.query_params.lists():
        for text in (name, *values):
            reason = unstorable_reason(text)
            if reason:
                field = name if unstorable_reason(name) is None else "(query)"
                raise ValidationFailed(
                    gettext("The query parameter %(name)s %(reason)s.")
                    % {"name": field, "reason": reason},
                    field=field,
                )
