"""The reader's language and time zone for every request (the rules are in accounts/language.py)."""

from django.middleware.locale import LocaleMiddleware
from django.utils import timezone

from agri_platform.api.exceptions import is_api_path

from . import language


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (cookie, i18n URL prefixes and redirects, Content-Language, Vary:
    Accept-Language) with `?lang=` first and, once authentication has run, the session user's
    saved language and time zone."""

    def process_request(self, request):
        timezone.deactivate()  # a thread serves many requests: no zone outlives its request
        super().process_request(request)
        query = language.language_from_query(request)
        if query:
            language.activate(request, query)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        saved = language.saved_language(user)
        if saved and not language.language_from_query(request):
            language.activate(request, saved)
        if not is_api_path(request.path):
            timezone.activate(language.time_zone_for(user, request.LANGUAGE_CODE))
        return None
