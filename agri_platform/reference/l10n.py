"""What a person reads, in their language: place names, numbers, money and times.

Every function takes the language as an optional argument and otherwise uses the active one
(`django.utils.translation.get_language()`), so that a page, an e-mail or an export rendered under
`translation.override(...)` needs no extra plumbing. APIs never use these: they exchange codes,
decimals as strings and UTC ISO 8601 times.

- Countries come from CLDR (Babel), so every language the platform may add (Malay, Thai, Vietnamese,
  Indonesian) has them; the reference table's own names are the fallback.
- Sichuan's prefectures and the UN/LOCODEs of the platform's routes come from the reference data
  (`prefectures.csv`, `locations.csv`, with `name_zh`).
- Amounts read as Chinese readers expect them above ten thousand (197.57万, 1.23亿), grouped in
  English (1,975,711.49); money carries its currency symbol (¥, US$, CN¥ in English).
- Times are shown in the active time zone and always name it.
"""

import zoneinfo
from datetime import datetime
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime, get_timezone_location
from babel.numbers import format_compact_decimal, format_currency, format_decimal
from django.conf import settings
from django.utils import timezone, translation

from . import caching

COMPACT_FROM = 10_000  # below this a Chinese reader sees the plain grouped number
CHINA_TIME_ZONE = "Asia/Shanghai"


def babel_locale(language: str | None = None) -> Locale:
    """The CLDR locale of a Django language code (zh-hans → zh_Hans); English when unknown."""
    code = translation.to_locale(language or translation.get_language() or "en")
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def is_chinese(language: str | None = None) -> bool:
    return (language or translation.get_language() or "").lower().startswith("zh")


# --- places ----------------------------------------------------------------------------------------

_names_cache: dict[str, tuple[str, dict]] = {}


def _reference_names(model_name: str) -> dict[str, tuple[str, str]]:
    """{code: (english, chinese)} of one reference table, reloaded when reference data changes."""
    version = caching.version()
    cached = _names_cache.get(model_name)
    if cached is not None and cached[0] == version:
        return cached[1]
    from .models import Country, Location, Prefecture

    if model_name == "country":
        rows = Country.objects.values_list("code", "name_en", "name_zh")
    elif model_name == "prefecture":
        rows = Prefecture.objects.values_list("code", "name_en", "name_zh")
    else:
        rows = Location.objects.values_list("code", "name", "name_zh")
    names = {code: (english, chinese) for code, english, chinese in rows}
    _names_cache[model_name] = (version, names)
    return names


def in_reading_language(
    chinese: str | None, english: str | None, language: str | None = None
) -> str:
    """A text kept in both languages (`name_zh`, `name_en`): the reader's, else the other one."""
    chinese, english = chinese or "", english or ""
    return (chinese or english) if is_chinese(language) else (english or chinese)


def _pick(names: tuple[str, str] | None, code: str, language: str | None) -> str:
    if names is None:
        return code
    english, chinese = names
    return in_reading_language(chinese, english, language) or code


def country_name(code: str | None, language: str | None = None) -> str:
    """CLDR's name of an ISO 3166 alpha-2 country in the language (马来西亚, Malaysia)."""
    if not code:
        return ""
    code = code.upper()
    name = babel_locale(language).territories.get(code)
    if name:
        return name
    return _pick(_reference_names("country").get(code), code, language)


def prefecture_name(code: str | None, language: str | None = None) -> str:
    """A Sichuan prefecture by its division code (510100 → 成都市 / Chengdu)."""
    if not code:
        return ""
    return _pick(_reference_names("prefecture").get(str(code)), str(code), language)


def place_name(locode: str | None, language: str | None = None) -> str:
    """A UN/LOCODE place (CNCTU → 成都 / Chengdu); the code itself when the platform has no name."""
    if not locode:
        return ""
    locode = locode.upper().replace(" ", "")
    return _pick(_reference_names("location").get(locode), locode, language)


def place_label(locode: str | None, language: str | None = None) -> str:
    """A place as people read it on a route: name, country and the code (成都，中国 (CNCTU))."""
    if not locode:
        return ""
    locode = locode.upper().replace(" ", "")
    name, country = place_name(locode, language), country_name(locode[:2], language)
    if name == locode:  # a place the platform has no name for
        return f"{locode} ({country})"
    separator = "，" if is_chinese(language) else ", "
    return f"{name}{separator}{country} ({locode})"


# --- numbers and money -------------------------------------------------------------------------------


def format_number(value, language: str | None = None, *, digits: int = 2) -> str:
    """1,975,711.49 in English; 197.57万 in Chinese from ten thousand up."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    locale = babel_locale(language)
    if is_chinese(language) and abs(number) >= COMPACT_FROM:
        return format_compact_decimal(number, locale=locale, fraction_digits=digits)
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(number, format=pattern, locale=locale)


def format_money(amount, currency: str, language: str | None = None) -> str:
    """An amount with its currency's symbol: ¥197.57万, US$1.2万, CN¥1,975,711.49, MYR 2,000.00."""
    if amount is None or amount == "":
        return ""
    number = Decimal(str(amount))
    locale = babel_locale(language)
    symbol = locale.currency_symbols.get(currency, currency)
    if is_chinese(language) and abs(number) >= COMPACT_FROM:
        text = f"{symbol}{format_number(number, language)}"
    else:
        text = format_currency(number, currency, locale=locale)
    if symbol[-1:].isalpha():  # MYR 2,000.00 rather than MYR2,000.00
        text = text.replace(symbol, symbol + "\u00a0", 1).replace("\u00a0\u00a0", "\u00a0")
    return text


# --- times ---------------------------------------------------------------------------------------------


def reader_time_zone(saved_zone: str | None, language: str | None = None) -> zoneinfo.ZoneInfo:
    """The zone a person reads times in: the one they saved, else China's for a Chinese reader,
    else settings.DISPLAY_TIME_ZONE. A saved zone the system no longer knows counts as none."""
    if saved_zone:
        try:
            return zoneinfo.ZoneInfo(saved_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    if is_chinese(language):
        return zoneinfo.ZoneInfo(CHINA_TIME_ZONE)
    return zoneinfo.ZoneInfo(settings.DISPLAY_TIME_ZONE)


def format_time(moment: datetime | None, language: str | None = None, zone=None) -> str:
    """A moment in the reader's zone, the zone always named:
    2026-03-01 14:05（中国（上海）时间） / 2026-03-01 14:05 (China (Shanghai) Time)."""
    if moment is None:
        return ""
    zone = zone or timezone.get_current_timezone()
    locale = babel_locale(language)
    local = format_datetime(moment, "yyyy-MM-dd HH:mm", tzinfo=zone, locale=locale)
    key = getattr(zone, "key", str(zone))
    zone_name = "UTC" if key in ("UTC", "Etc/UTC") else get_timezone_location(zone, locale=locale)
    return f"{local}（{zone_name}）" if is_chinese(language) else f"{local} ({zone_name})"
