"""The reader's language and time zone (docs/localisation.md).

Language, first that names a supported one:
1. `?lang=` on the URL (zh-hans or en; anything else is ignored),
2. the language the signed-in person chose and saved (`User.language`),
3. for a partner system, its API key's language (`ApiKey.language`),
4. the `django_language` cookie, then `Accept-Language`,
5. settings.LANGUAGE_CODE.

Browser sessions are known to the middleware; bearer tokens and API keys are authenticated by DRF
inside the view, and agri_platform/api/authentication.py calls `activate_for` right after, so that
validation messages and problem details come out in the caller's language. The middleware is
accounts/middleware.py.

Time zone: pages, the admin and e-mails show times in the reader's saved zone, else Asia/Shanghai
for a Chinese reader, else settings.DISPLAY_TIME_ZONE. The API is never localised in time: its
datetimes stay UTC (ISO 8601, `Z`), so the zone is activated off /api/ only.
"""

import zoneinfo

from django.conf import settings
from django.utils import translation

from agri_platform.reference import l10n

QUERY_PARAMETER = "lang"


def supported_language(value) -> str | None:
    """`value` as one of settings.LANGUAGES' codes (case-insensitive, `_` or `-`), else None."""
    if not value or not isinstance(value, str):
        return None
    wanted = value.strip().lower().replace("_", "-")
    codes = {code.lower(): code for code, _name in settings.LANGUAGES}
    return codes.get(wanted)


def language_from_query(request) -> str | None:
    return supported_language(request.GET.get(QUERY_PARAMETER))


def saved_language(user) -> str | None:
    """The language a signed-in person chose, or None (anonymous, or never chose)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return supported_language(getattr(user, "language", ""))


def _api_key_language(api_key) -> str | None:
    return supported_language(getattr(api_key, "language", "")) if api_key is not None else None


def choose_language(request, *, user=None, api_key=None) -> str:
    """The response language for `request` (the order is in this module's docstring)."""
    return (
        language_from_query(request)
        or saved_language(user)
        or _api_key_language(api_key)
        # The cookie, then Accept-Language, then LANGUAGE_CODE (Django's own negotiation).
        or translation.get_language_from_request(request)
    )


def time_zone_for(user, language: str) -> zoneinfo.ZoneInfo:
    """The zone pages and e-mails show times in for `user` reading `language`."""
    return l10n.reader_time_zone(
        getattr(user, "timezone", "") if user is not None else "", language
    )


def remember(response, language: str) -> None:
    """Keep `language` in the browser's language cookie (the portal's language switch)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def activate(request, language: str) -> None:
    """Speak `language` for the rest of this request."""
    translation.activate(language)
    request.LANGUAGE_CODE = language


def activate_for(request, user, api_key=None) -> str:
    """Speak the language of the caller DRF has just authenticated; returns it.

    `request` is DRF's Request or Django's HttpRequest; the language is stored on both.
    """
    django_request = getattr(request, "_request", request)
    language = choose_language(django_request, user=user, api_key=api_key)
    activate(django_request, language)
    return language


LANGUAGE_PARAMETER = {
    "name": QUERY_PARAMETER,
    "in": "query",
    "required": False,
    "description": (
        "The language of the answer's texts (problem details, labels): `zh-hans` or `en`. "
        "Beats the saved language, the API key's language and `Accept-Language`; any other value "
        "is ignored. Codes, keys and datetimes (UTC) never change with the language."
    ),
    "schema": {"type": "string"},
    "example": "en",
}


def add_language_parameter(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation takes `?lang=`."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete", "head", "options"):
                continue
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == QUERY_PARAMETER for p in parameters):
                parameters.append(LANGUAGE_PARAMETER)
    return result
