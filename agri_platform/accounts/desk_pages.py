"""The partner's administration desk, first half: its people and its API keys.

Reads go through `selectors.partner_users_for` and `selectors.api_keys_for` (another partner's key
is a 404), writes through the services the API's `PartnerApiKeyViewSet` calls (`api_key_create`,
`api_key_revoke`). The API reserves adding people to platform staff, so the people page only
lists them and says whom to ask.

A secret the platform shows once (an API key here, a webhook secret in events/desk_pages.py) is
made by a POST that carries a one-time form token: the first POST with the token does the work
and keeps the secret in the session under that token, a second POST with it (a double click, a
reload) does nothing more; the page that shows the secret takes it out of the session, so it is
shown exactly once, and is never cached.
"""

import secrets

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from agri_platform.api.permissions import SCOPES
from agri_platform.portal.desk import DeskPage
from agri_platform.portal.views import PortalFormView, paginate

from . import selectors, services
from .forms import ApiKeyForm
from .models import ApiKey

# --- secrets shown once -----------------------------------------------------------------------

ONCE_FIELD = "once"
ONCE_SECONDS = 3600
SHOWN_ONCE_SESSION_KEY = "desk_shown_once"


def once_token() -> str:
    """A fresh one-time token for a form that makes a secret."""
    return secrets.token_urlsafe(16)


def posted_token(request) -> str:
    token = request.POST.get(ONCE_FIELD, "")
    return token if 16 <= len(token) <= 64 else ""


def claim_once(request, token: str) -> bool:
    """True for the first POST carrying `token` (atomic in the cache: two clicks that arrive
    together cannot both win), False for every later one."""
    if not token:
        return False
    return cache.add(f"desk-once:{request.user.pk}:{token}", True, ONCE_SECONDS)


def keep_secret(request, token: str, secret: str, object_id: int) -> None:
    kept = request.session.get(SHOWN_ONCE_SESSION_KEY, {})
    kept[token] = {"secret": secret, "object": object_id}
    request.session[SHOWN_ONCE_SESSION_KEY] = kept


def take_secret(request, object_id: int | None = None) -> tuple[str, int | None]:
    """The secret kept under the address's token and the id of what it belongs to, removed from
    the session: ('', None) the second time, or for another object than `object_id`."""
    token = request.GET.get(ONCE_FIELD, "")
    kept = request.session.get(SHOWN_ONCE_SESSION_KEY, {})
    found = kept.get(token)
    if not found or (object_id is not None and found["object"] != object_id):
        return "", None
    del kept[token]
    request.session[SHOWN_ONCE_SESSION_KEY] = kept
    return found["secret"], found["object"]


def keys_crumbs(title) -> list:
    return [(gettext("API keys"), reverse("desk:keys")), (title, None)]


def scope_rows(scopes) -> list[tuple[str, str]]:
    return [(scope, SCOPES.get(scope, scope)) for scope in scopes]


# --- people -----------------------------------------------------------------------------------


class PeoplePage(DeskPage):
    template_name = "accounts/desk/people.html"
    section = "desk:people"
    title = _("People")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people = selectors.partner_users_for(self.request.user, partner_id=self.partner.pk)
        context["page_obj"] = paginate(self.request, people)
        return context


# --- API keys ---------------------------------------------------------------------------------


class KeysPage(DeskPage):
    template_name = "accounts/desk/keys.html"
    section = "desk:keys"
    title = _("API keys")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        keys = selectors.api_keys_for(self.request.user, partner_id=self.partner.pk)
        page_obj = paginate(self.request, keys)
        context.update(
            page_obj=page_obj,
            rows=[(key, scope_rows(key.scopes)) for key in page_obj],
            now=timezone.now(),
        )
        return context


class KeyPage(DeskPage):
    """A page about one key of the partner (another partner's: 404)."""

    isolation_model = ApiKey
    section = "desk:keys"

    def key(self) -> ApiKey:
        keys = selectors.api_keys_for(self.request.user, partner_id=self.partner.pk)
        return get_object_or_404(keys, pk=self.kwargs["pk"])


@method_decorator(never_cache, name="dispatch")
class NewKeyPage(PortalFormView, DeskPage):
    template_name = "accounts/desk/key_new.html"
    section = "desk:keys"
    title = _("Create an API key")
    form_class = ApiKeyForm
    submit_label = _("Create the key")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            once=once_token(), cancel_url=reverse("desk:keys"), breadcrumbs=keys_crumbs(self.title)
        )
        return context

    def form_valid(self, form):
        token = posted_token(self.request)
        if not claim_once(self.request, token):
            # The same form sent again (double click, reload): the first submission made the key.
            return redirect(f"{reverse('desk:key-created')}?{ONCE_FIELD}={token}")
        return super().form_valid(form)

    def perform(self, form):
        token = posted_token(self.request)
        key, plaintext = form.call(
            services.api_key_create,
            partner=self.partner,
            created_by=self.request.user,
            **form.service_fields(),
        )
        keep_secret(self.request, token, plaintext, key.pk)
        return f"{reverse('desk:key-created')}?{ONCE_FIELD}={token}"


@method_decorator(never_cache, name="dispatch")
class KeyCreatedPage(DeskPage):
    """The new key, shown this once (the page is never cached; a reload no longer shows it)."""

    template_name = "accounts/desk/key_created.html"
    section = "desk:keys"
    title = _("Your new API key")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plaintext, key_id = take_secret(self.request)
        keys = selectors.api_keys_for(self.request.user, partner_id=self.partner.pk)
        key = keys.filter(pk=key_id).first() if key_id else None
        context.update(
            key=key,
            scopes=scope_rows(key.scopes) if key else [],
            plaintext=plaintext if key else "",
            breadcrumbs=keys_crumbs(self.title),
        )
        return context


class RevokeKeyPage(KeyPage):
    """Asks once, saying what stops working; revoking a revoked key changes nothing."""

    template_name = "accounts/desk/key_revoke.html"
    title = _("Revoke an API key")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        key = self.key()
        context.update(key=key, scopes=scope_rows(key.scopes), breadcrumbs=keys_crumbs(self.title))
        return context

    def post(self, request, *args, **kwargs):
        key = services.api_key_revoke(key=self.key(), actor=request.user)
        messages.success(
            request,
            gettext("The key %(name)s (%(prefix)s…) is revoked: it no longer works.")
            % {"name": key.name, "prefix": key.prefix},
        )
        return redirect("desk:keys")
