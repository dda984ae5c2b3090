"""How the dashboard writes numbers: grouped digits in English, 万 and 亿 in Chinese.

0 is a figure like any other; only a missing one (None) shows as "–".
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language

MISSING = "–"
CHINESE_UNITS = ((Decimal(10**8), "亿"), (Decimal(10**4), "万"))
ENGLISH_SHORT_UNITS = ((Decimal(10**9), " B"), (Decimal(10**6), " M"), (Decimal(10**3), " k"))


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _is_chinese(language: str | None) -> bool:
    return (language or get_language() or "").lower().startswith("zh")


def _in_units(number: Decimal, units) -> str | None:
    for limit, unit in units:
        if abs(number) >= limit:
            return f"{number / limit:,.2f}{unit}"
    return None


def figure(value, language: str | None = None) -> str:
    """1975711.49 → "1,975,711.49" (en) or "197.57万" (zh-hans); None → "–"."""
    number = _decimal(value)
    if number is None:
        return MISSING if value is None else str(value)
    if _is_chinese(language):
        in_units = _in_units(number, CHINESE_UNITS)
        if in_units:
            return in_units
    return f"{number:,f}"


def short(value, language: str | None = None) -> str:
    """Chart labels: 1234567 → "1.23 M" (en) or "123.46万" (zh-hans); tables show figure()."""
    number = _decimal(value) or Decimal(0)
    units = CHINESE_UNITS if _is_chinese(language) else ENGLISH_SHORT_UNITS
    return _in_units(number, units) or f"{number:,.0f}"
