"""How the dashboard writes numbers, by the platform's one rule (agri_platform.reference.l10n):
grouped digits in English, 万 and 亿 in Chinese from ten thousand up.

0 is a figure like any other; only a missing one (None) shows as "–".
"""

from decimal import Decimal, InvalidOperation

from babel.numbers import format_compact_decimal

from agri_platform.reference import l10n

MISSING = "–"


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def figure(value, language: str | None = None) -> str:
    """1975711.49 → "1,975,711.49" (en) or "197.57万" (zh-hans); None → "–"."""
    number = _decimal(value)
    if number is None:
        return MISSING if value is None else str(value)
    return l10n.format_number(number, language)


def short(value, language: str | None = None) -> str:
    """Chart labels: 1234567 → "1.23M" (en) or "123.46万" (zh-hans); tables show figure()."""
    number = _decimal(value) or Decimal(0)
    if l10n.is_chinese(language):
        return l10n.format_number(number, language)
    return format_compact_decimal(number, locale=l10n.babel_locale(language), fraction_digits=2)
