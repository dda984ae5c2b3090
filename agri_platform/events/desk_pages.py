"""The partner's administration desk, second half: webhook endpoints and their delivery log.

Reads go through `selectors.endpoints_for` and `selectors.deliveries_for` (another partner's
endpoint or delivery is a 404), writes through the services the API's webhook views call
(`webhooks.endpoint_create`, `endpoint_update`, `endpoint_rotate_secret`, `delivery_redeliver`),
so the URL checks (SSRF rules included) and the event-kind checks are the API's. A new secret is
shown once, as a new API key is (accounts/desk_pages.py: the one-time form token).
"""

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from agri_platform.accounts.desk_pages import (
    ONCE_FIELD,
    claim_once,
    keep_secret,
    once_token,
    posted_token,
    take_secret,
)
from agri_platform.api.errors import Conflict
from agri_platform.portal.desk import DeskPage
from agri_platform.portal.forms import PortalForm
from agri_platform.portal.views import PortalFormView, paginate

from . import selectors, webhooks
from .choices import DeliveryStatus
from .models import WebhookDelivery, WebhookEndpoint

# What a receiver gets besides the body; webhook-timestamp and webhook-signature are made at each
# attempt from the time and the secret, so the log names them without a value.
SIGNED_AT_EACH_ATTEMPT = ("webhook-timestamp", "webhook-signature")
REDELIVERABLE = (DeliveryStatus.FAILED, DeliveryStatus.SUCCEEDED)


class WebhookEndpointForm(PortalForm):
    """An endpoint as `webhooks.endpoint_create` and `endpoint_update` take it; they check the
    URL (public https or http hosts only) and the event kinds."""

    url = forms.URLField(
        label=_("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the platform sends your events, e.g. https://erp.example.com/hooks."),
    )
    event_kinds = forms.CharField(
        label=_("Events to receive"),
        max_length=2000,
        help_text=_(
            "Event kinds separated by commas: an exact kind such as shipment.dispatched, "
            "every kind of an area such as shipment.*, or * for every event routed to you."
        ),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    is_active = forms.BooleanField(
        label=_("Send events to this address"), required=False, initial=True
    )

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "url": data["url"],
            "event_kinds": [kind for kind in re.split(r"[\s,]+", data["event_kinds"]) if kind],
            "description": data.get("description", ""),
            "is_active": data.get("is_active", False),
        }


def crumbs(*pairs) -> list:
    """The breadcrumbs of a webhook page: the list first, then `pairs` (label, address or None)."""
    return [(gettext("Webhooks"), reverse("desk:webhooks")), *pairs]


def endpoint_crumb(endpoint: WebhookEndpoint) -> tuple[str, str]:
    return endpoint.url, reverse("desk:webhook", args=[endpoint.pk])


def secret_page(endpoint: WebhookEndpoint, token: str) -> str:
    return f"{reverse('desk:webhook-secret', args=[endpoint.pk])}?{ONCE_FIELD}={token}"


def with_last_delivery(endpoints):
    """Each endpoint with the status and time of its newest delivery, in the same query."""
    newest = WebhookDelivery.objects.filter(endpoint=OuterRef("pk")).order_by("-id")
    return endpoints.annotate(
        last_delivery_status=Subquery(newest.values("status")[:1]),
        last_delivery_at=Subquery(newest.values("created_at")[:1]),
    )


class WebhooksPage(DeskPage):
    template_name = "events/desk/webhooks.html"
    section = "desk:webhooks"
    title = _("Webhooks")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        endpoints = with_last_delivery(selectors.endpoints_for(self.request.user))
        context.update(page_obj=paginate(self.request, endpoints), statuses=DeliveryStatus)
        return context


class EndpointPage(DeskPage):
    """A page about one endpoint of the partner (another partner's: 404)."""

    isolation_model = WebhookEndpoint
    section = "desk:webhooks"

    def endpoint(self) -> WebhookEndpoint:
        return get_object_or_404(selectors.endpoints_for(self.request.user), pk=self.kwargs["pk"])


class WebhookPage(EndpointPage):
    """The endpoint's facts and its delivery log, newest first."""

    template_name = "events/desk/webhook.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        endpoint = self.endpoint()
        deliveries = (
            selectors.deliveries_for(self.request.user)
            .filter(endpoint=endpoint)
            .prefetch_related(None)
        )
        context.update(
            endpoint=endpoint,
            title=endpoint.url,
            breadcrumbs=crumbs((endpoint.url, None)),
            page_obj=paginate(self.request, deliveries),
            redeliverable=REDELIVERABLE,
            once=once_token(),
            grace_hours=int(settings.WEBHOOK_SECRET_GRACE.total_seconds() // 3600),
            previous_secret_valid=bool(
                endpoint.previous_secret_expires_at
                and endpoint.previous_secret_expires_at > timezone.now()
            ),
        )
        return context


class NewWebhookPage(PortalFormView, DeskPage):
    template_name = "events/desk/webhook_form.html"
    section = "desk:webhooks"
    title = _("Add a webhook endpoint")
    form_class = WebhookEndpointForm
    submit_label = _("Add the endpoint")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            once=once_token(),
            cancel_url=reverse("desk:webhooks"),
            breadcrumbs=crumbs((self.title, None)),
        )
        return context

    def form_valid(self, form):
        token = posted_token(self.request)
        if not claim_once(self.request, token):
            messages.info(self.request, gettext("This endpoint was already added."))
            return redirect("desk:webhooks")
        return super().form_valid(form)

    def perform(self, form):
        endpoint, secret = form.call(
            webhooks.endpoint_create,
            partner=self.partner,
            created_by=self.request.user,
            **form.service_fields(),
        )
        token = posted_token(self.request)
        keep_secret(self.request, token, secret, endpoint.pk)
        return secret_page(endpoint, token)


class EditWebhookPage(PortalFormView, EndpointPage):
    template_name = "events/desk/webhook_form.html"
    title = _("Change a webhook endpoint")
    form_class = WebhookEndpointForm
    submit_label = _("Save the changes")
    success_message = _("The endpoint is saved.")

    def get_initial(self):
        endpoint = self.endpoint()
        return {
            "url": endpoint.url,
            "event_kinds": ", ".join(endpoint.event_kinds),
            "description": endpoint.description,
            "is_active": endpoint.is_active,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        endpoint = self.endpoint()
        context.update(
            endpoint=endpoint,
            cancel_url=reverse("desk:webhook", args=[endpoint.pk]),
            breadcrumbs=crumbs(endpoint_crumb(endpoint), (self.title, None)),
        )
        return context

    def perform(self, form):
        endpoint = form.call(
            webhooks.endpoint_update, endpoint=self.endpoint(), **form.service_fields()
        )
        return reverse("desk:webhook", args=[endpoint.pk])


class RotateSecretPage(EndpointPage):
    """Asks once; the new secret is shown once, the old one keeps signing for the grace time."""

    template_name = "events/desk/webhook_rotate.html"
    title = _("Rotate the signing secret")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        endpoint = self.endpoint()
        context.update(
            endpoint=endpoint,
            breadcrumbs=crumbs(endpoint_crumb(endpoint), (self.title, None)),
            once=once_token(),
            grace_hours=int(settings.WEBHOOK_SECRET_GRACE.total_seconds() // 3600),
        )
        return context

    def post(self, request, *args, **kwargs):
        endpoint = self.endpoint()
        token = posted_token(request)
        if not claim_once(request, token):
            return redirect(secret_page(endpoint, token))
        try:
            endpoint, secret = webhooks.endpoint_rotate_secret(endpoint=endpoint)
        except Conflict as refusal:
            messages.error(request, refusal.detail)
            return redirect("desk:webhook", endpoint.pk)
        keep_secret(request, token, secret, endpoint.pk)
        return redirect(secret_page(endpoint, token))


@method_decorator(never_cache, name="dispatch")
class SecretPage(EndpointPage):
    """The endpoint's new secret, shown this once (never cached; a reload no longer shows it)."""

    template_name = "events/desk/webhook_secret.html"
    title = _("Your signing secret")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        endpoint = self.endpoint()
        secret, _endpoint_id = take_secret(self.request, endpoint.pk)
        context.update(
            endpoint=endpoint,
            breadcrumbs=crumbs(endpoint_crumb(endpoint), (self.title, None)),
            secret=secret,
            grace_hours=int(settings.WEBHOOK_SECRET_GRACE.total_seconds() // 3600),
            previous_secret_valid=bool(
                endpoint.previous_secret_expires_at
                and endpoint.previous_secret_expires_at > timezone.now()
            ),
        )
        return context


class DeliveryPage(DeskPage):
    """A page about one delivery to one of the partner's endpoints (another partner's: 404)."""

    isolation_model = WebhookDelivery
    section = "desk:webhooks"

    def delivery(self) -> WebhookDelivery:
        return get_object_or_404(selectors.deliveries_for(self.request.user), pk=self.kwargs["pk"])


class WebhookDeliveryPage(DeliveryPage):
    """What was sent (headers without the secret, the body) and each attempt's answer."""

    template_name = "events/desk/delivery.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        delivery = self.delivery()
        context.update(
            delivery=delivery,
            endpoint=delivery.endpoint,
            title=gettext("Delivery %(id)s") % {"id": delivery.msg_id},
            breadcrumbs=crumbs(endpoint_crumb(delivery.endpoint), (delivery.kind, None)),
            headers=[
                ("content-type", "application/json"),
                ("user-agent", webhooks.USER_AGENT),
                ("webhook-id", delivery.msg_id),
            ],
            signed_at_each_attempt=SIGNED_AT_EACH_ATTEMPT,
            attempts=list(delivery.attempts.all()),
            redeliverable=REDELIVERABLE,
            once=once_token(),
        )
        return context


class RedeliverPage(DeliveryPage):
    """Send a failed or delivered message again. A second click finds it queued already (or its
    one-time token spent) and queues nothing more."""

    def get(self, request, *args, **kwargs):
        return redirect("desk:webhook-delivery", self.delivery().pk)

    def post(self, request, *args, **kwargs):
        delivery = self.delivery()
        back = request.POST.get("back") == "endpoint"
        where = (
            reverse("desk:webhook", args=[delivery.endpoint_id])
            if back
            else reverse("desk:webhook-delivery", args=[delivery.pk])
        )
        if delivery.status not in REDELIVERABLE or not claim_once(request, posted_token(request)):
            messages.info(request, gettext("This message is already queued to be sent again."))
            return redirect(where)
        try:
            webhooks.delivery_redeliver(delivery=delivery)
        except Conflict as refusal:
            messages.error(request, refusal.detail)
            return redirect(where)
        messages.success(
            request, gettext("The message is queued to be sent again, with a fresh retry budget.")
        )
        return redirect(where)
