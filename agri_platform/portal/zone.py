"""The viewer's time zone on pages anyone may open (the tracking page, public pages).

A signed-in person reads times in the zone they saved. Anyone else reads them in the device's
zone: portal.js keeps it in the `tz` cookie (`Intl.DateTimeFormat().resolvedOptions().timeZone`),
which is trusted only when it names a zone the IANA database knows. Before the first page has
set the cookie there is no device zone yet, and the page falls back on the zone of its language.
"""

import functools
import zoneinfo
from urllib.parse import unquote

from babel.dates import get_timezone_location
from django.utils import timezone

from agri_platform.reference import l10n

COOKIE_NAME = "tz"
LONGEST_ZONE_NAME = 64


@functools.cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_named(name) -> zoneinfo.ZoneInfo | None:
    """The IANA zone `name` names, else None (not a string, too long, unknown, a file path)."""
    if not isinstance(name, str) or len(name) > LONGEST_ZONE_NAME:
        return None
    name = unquote(name).strip()
    if name not in known_zones():
        return None
    return zoneinfo.ZoneInfo(name)


def saved_zone(request) -> zoneinfo.ZoneInfo | None:
    """The zone a signed-in person chose in their settings, else None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return zone_named(getattr(user, "timezone", ""))


def device_zone(request) -> zoneinfo.ZoneInfo | None:
    """The zone of the viewer's device, from the `tz` cookie, else None."""
    return zone_named(request.COOKIES.get(COOKIE_NAME))


def viewer_zone(request, fallback=None) -> zoneinfo.ZoneInfo:
    """The zone to show times in: the person's own, else the device's, else `fallback`, else the
    zone the middleware chose for the request's language."""
    return (
        saved_zone(request) or device_zone(request) or fallback or timezone.get_current_timezone()
    )


def zone_is_the_viewers(request) -> bool:
    """Whether the times follow the person's or the device's zone (not a default of the language)."""
    return saved_zone(request) is not None or device_zone(request) is not None


def zone_label(zone, language: str | None = None) -> str:
    """The zone as times name it ("UTC", "Malaysia (Kuala Lumpur) Time", "中国（上海）时间")."""
    key = getattr(zone, "key", str(zone))
    if key in ("UTC", "Etc/UTC"):
        return "UTC"
    return get_timezone_location(zone, locale=l10n.babel_locale(language))
