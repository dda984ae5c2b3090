"""Partner webhooks after the Standard Webhooks specification (docs/webhooks.md).

- Endpoints: URL, kinds (exact, ``prefix.*`` or ``*``), active flag; a ``whsec_`` secret shown once.
  Rotation keeps the previous secret signing for settings.WEBHOOK_SECRET_GRACE: the
  ``webhook-signature`` header then carries two ``v1,`` signatures.
- Deliveries: one row per (event, endpoint) with the exact body that is signed; one attempt row per
  HTTP request, written *before* the request goes out.
- Claiming: an attempt starts only by taking the row under ``select_for_update(skip_locked=True)``
  when it is due (``next_attempt_at`` passed) or with the claim token it was queued with; the claim
  pushes ``next_attempt_at`` a lease ahead, so a worker that dies mid-request leaves a row that the
  periodic task picks up again when the lease runs out. Nothing is marked delivered without a 2xx.
- Retries: exponential backoff with jitter (base * 4**(n-1), capped, ±25 %) over about three days,
  kept in the database. A 410 disables the endpoint at once; so do
  settings.WEBHOOK_DISABLE_AFTER_FAILURES failed attempts in a row; the partner's users are told.
"""

import base64
import hashlib
import hmac
import http.client
import json
import logging
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agri_platform.api import audience
from agri_platform.api.errors import Conflict, ValidationFailed
from agri_platform.queue import queue_after_commit

from . import catalogue, outbound
from .choices import AttemptOutcome, DeliveryStatus
from .models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .outbox import record

logger = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"  # noqa: S105 (the format prefix, not a secret)  # nosec B105
USER_AGENT = "SichuanAgriTrade-Webhooks/1.0"
_jitter = secrets.SystemRandom()  # retry jitter; the OS source keeps bandit B311 quiet at no cost


# --- signing ----------------------------------------------------------------------------------


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, *, msg_id: str, timestamp: int, body: str) -> str:
    """``v1,`` + base64 HMAC-SHA256 of ``{msg_id}.{timestamp}.{body}`` with the decoded secret."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    found = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_expires_at
        and endpoint.previous_secret_expires_at > now
    ):
        found.append(endpoint.previous_secret)
    return found


def signed_headers(
    *, secrets_: list[str], msg_id: str, timestamp: int, body: str
) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            sign(secret, msg_id=msg_id, timestamp=timestamp, body=body) for secret in secrets_
        ),
    }


# --- backoff ----------------------------------------------------------------------------------


def nominal_delay(failed_attempts: int) -> float:
    """Seconds to wait after the n-th failed attempt, before jitter."""
    exponent = max(failed_attempts - 1, 0)
    return min(
        settings.WEBHOOK_RETRY_BASE_SECONDS * (4**exponent),
        settings.WEBHOOK_RETRY_MAX_DELAY_SECONDS,
    )


def retry_delay(failed_attempts: int) -> timedelta:
    return timedelta(seconds=nominal_delay(failed_attempts) * _jitter.uniform(0.75, 1.25))


# --- endpoints --------------------------------------------------------------------------------


def _clean_url(url: str) -> str:
    try:
        outbound.check_url(url)
    except outbound.UnsafeDestination as exc:
        raise ValidationFailed(str(exc), field="url") from exc
    return url


def _clean_kinds(event_kinds: list[str]) -> list[str]:
    if not event_kinds:
        raise ValidationFailed(_("Subscribe to at least one event kind."), field="event_kinds")
    unknown = [p for p in event_kinds if not catalogue.pattern_is_known(p)]
    if unknown:
        raise ValidationFailed(
            _("Unknown event kinds or patterns: %(patterns)s.") % {"patterns": ", ".join(unknown)},
            field="event_kinds",
        )
    return sorted(set(event_kinds))


def endpoint_create(
    *,
    partner,
    url: str,
    event_kinds: list[str],
    description: str = "",
    is_active: bool = True,
    created_by=None,
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint; returns it and its secret (shown once)."""
    secret = new_secret()
    endpoint = WebhookEndpoint.objects.create(
        partner=partner,
        url=_clean_url(url),
        event_kinds=_clean_kinds(event_kinds),
        description=description,
        is_active=is_active,
        secret=secret,
        created_by=created_by,
    )
    return endpoint, secret


def _locked_live_endpoint(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Inside a transaction: the endpoint locked, or 409 when it is archived."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if endpoint.archived_at is not None:
        raise Conflict(
            _("This webhook endpoint was deleted (archived); register a new one."),
            code="endpoint_archived",
        )
    return endpoint


def endpoint_update(*, endpoint: WebhookEndpoint, **changes) -> WebhookEndpoint:
    """Change url, event_kinds, description or is_active. Re-activating clears the failure run."""
    with transaction.atomic():
        endpoint = _locked_live_endpoint(endpoint)
        fields = []
        if "url" in changes:
            endpoint.url = _clean_url(changes["url"])
            fields.append("url")
        if "event_kinds" in changes:
            endpoint.event_kinds = _clean_kinds(changes["event_kinds"])
            fields.append("event_kinds")
        if "description" in changes:
            endpoint.description = changes["description"]
            fields.append("description")
        if "is_active" in changes and changes["is_active"] != endpoint.is_active:
            endpoint.is_active = changes["is_active"]
            fields.append("is_active")
            if endpoint.is_active:
                endpoint.consecutive_failures = 0
                endpoint.disabled_at = None
                endpoint.disabled_reason = ""
                fields += ["consecutive_failures", "disabled_at", "disabled_reason"]
        if fields:
            endpoint.save(update_fields=[*fields, "updated_at"])
    return endpoint


def endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> tuple[WebhookEndpoint, str]:
    """A new secret (shown once); the old one keeps signing for settings.WEBHOOK_SECRET_GRACE."""
    with transaction.atomic():
        endpoint = _locked_live_endpoint(endpoint)
        secret = new_secret()
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = timezone.now() + settings.WEBHOOK_SECRET_GRACE
        endpoint.secret = secret
        endpoint.save(
            update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"]
        )
    return endpoint, secret


def endpoint_archive(*, endpoint: WebhookEndpoint, by) -> WebhookEndpoint:
    """DELETE: the endpoint is archived, not removed. It receives nothing more (its pending
    deliveries fail), cannot be changed, and keeps its delivery history; the partner's people are
    told. Archiving an archived endpoint does nothing."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if endpoint.archived_at is not None:
            return endpoint
        endpoint.is_active = False
        endpoint.archived_at = timezone.now()
        endpoint.archived_by = by
        endpoint.save(update_fields=["is_active", "archived_at", "archived_by", "updated_at"])
        endpoint.deliveries.filter(status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED,
            next_attempt_at=None,
            claim_token="",  # clears the claim, not a password  # nosec B106
            last_error="The endpoint was deleted (archived).",
        )
        record(
            "webhook.endpoint.archived",
            payload={
                "endpoint_id": endpoint.pk,
                "url": _url_without_query(endpoint.url),
                "archived_by": by.pk if by is not None else None,
            },
            subject=endpoint,
            partners=[endpoint.partner],
        )
    return endpoint


def _url_without_query(url: str) -> str:
    # never the query string: receivers sometimes put tokens there
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _endpoint_disable(*, endpoint: WebhookEndpoint, reason: str, now) -> None:
    """Inside the caller's transaction, with `endpoint` locked."""
    endpoint.is_active = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = reason[:200]
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
    record(
        "webhook.endpoint.disabled",
        payload={
            "endpoint_id": endpoint.pk,
            "url": _url_without_query(endpoint.url),
            "reason": endpoint.disabled_reason,
        },
        subject=endpoint,
        partners=[endpoint.partner],
    )


# --- deliveries -------------------------------------------------------------------------------


def new_msg_id() -> str:
    return "msg_" + uuid.uuid4().hex


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def build_body(*, msg_id: str, kind: str, occurred_at: datetime, data: dict) -> str:
    return json.dumps(
        {"id": msg_id, "type": kind, "timestamp": _iso(occurred_at), "data": data},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def event_data(event: Event) -> dict:
    """What a receiver gets: the event id, enterprise and subject, and the catalogued payload."""
    subject = None
    if event.subject_type_id:
        subject = {"type": event.subject_type.model, "id": event.subject_id}
    return {
        **event.payload,
        "event_id": event.pk,
        "enterprise_id": event.enterprise_id,
        "subject": subject,
    }


def _endpoints_by_event(events: list[Event]) -> dict[int, list[WebhookEndpoint]]:
    """{event id: the live endpoints subscribed to it}, one query for all `events` (their partners
    prefetched): a routed kind goes to its event's partners only, the others to every partner."""
    routed_to = {
        event.pk: {partner.pk for partner in event.partners.all()}
        for event in events
        if catalogue.get(event.kind).partners == catalogue.ROUTED
    }
    endpoints = WebhookEndpoint.objects.filter(
        is_active=True, archived_at__isnull=True, partner__is_active=True
    )
    if len(routed_to) == len(events):
        endpoints = endpoints.filter(partner_id__in=set().union(*routed_to.values()))
    endpoints = list(endpoints.select_related("partner").order_by("pk"))
    return {
        event.pk: [
            endpoint
            for endpoint in endpoints
            if (event.pk not in routed_to or endpoint.partner_id in routed_to[event.pk])
            and any(catalogue.kind_matches(pattern, event.kind) for pattern in endpoint.event_kinds)
        ]
        for event in events
    }


def _claim_token() -> str:
    return uuid.uuid4().hex


def deliveries_create(*, events: list[Event], now) -> list[tuple[int, str]]:
    """Inside the dispatcher's transaction: a delivery per (event, subscribed endpoint),
    idempotently, in one bulk insert (the events' partners prefetched).

    Returns (delivery id, claim token) pairs to queue after commit. Should queueing fail, the rows are
    due after the lease and the periodic task sends them.
    """
    endpoints_of = _endpoints_by_event(events)
    lease = timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
    rows = []
    for event in events:
        if not endpoints_of[event.pk]:
            continue
        data = event_data(event)
        for endpoint in endpoints_of[event.pk]:
            msg_id = new_msg_id()
            rows.append(
                WebhookDelivery(
                    endpoint=endpoint,
                    event=event,
                    msg_id=msg_id,
                    kind=event.kind,
                    body=build_body(
                        msg_id=msg_id,
                        kind=event.kind,
                        occurred_at=event.occurred_at,
                        data=audience.for_partner(endpoint.partner, data),
                    ),
                    next_attempt_at=now + lease,
                    claim_token=_claim_token(),
                )
            )
    if not rows:
        return []
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return list(
        WebhookDelivery.objects.filter(
            event__in=events, status=DeliveryStatus.PENDING, round_attempts=0
        )
        .order_by("pk")
        .values_list("pk", "claim_token")
    )


def endpoint_ping(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A `webhook.ping` message to this endpoint alone (no event is recorded)."""
    endpoint = WebhookEndpoint.objects.get(pk=endpoint.pk)
    if endpoint.archived_at is not None or not endpoint.is_active:
        raise Conflict(_("The endpoint is disabled; activate it before pinging."))
    now = timezone.now()
    msg_id = new_msg_id()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=None,
        msg_id=msg_id,
        kind="webhook.ping",
        body=build_body(
            msg_id=msg_id,
            kind="webhook.ping",
            occurred_at=now,
            data={"endpoint_id": endpoint.pk, "message": "ping"},
        ),
        next_attempt_at=now + timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS),
        claim_token=_claim_token(),
    )
    _queue_on_commit([(delivery.pk, delivery.claim_token)])
    return delivery


def delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again now, with a fresh retry budget (same webhook-id and body)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .get(pk=delivery.pk)
        )
        if not delivery.endpoint.is_active:
            raise Conflict(
                _("The endpoint is disabled; activate it before redelivering."),
                code="endpoint_disabled",
            )
        delivery.status = DeliveryStatus.PENDING
        delivery.round_attempts = 0
        delivery.delivered_at = None
        delivery.claim_token = _claim_token()
        delivery.next_attempt_at = timezone.now() + timedelta(
            seconds=settings.WEBHOOK_LEASE_SECONDS
        )
        delivery.save(
            update_fields=[
                "status",
                "round_attempts",
                "delivered_at",
                "claim_token",
                "next_attempt_at",
            ]
        )
        _queue_on_commit([(delivery.pk, delivery.claim_token)])
    return delivery


def _queue_on_commit(pairs: list[tuple[int, str]]) -> None:
    for delivery_id, token in pairs:
        queue_after_commit("webhooks.deliver", delivery_id, token)


def deliveries_claim_due(*, limit: int = 200) -> list[tuple[int, str]]:
    """For the periodic task: take due deliveries (skip rows other workers hold), give each a claim
    token and a lease, and queue an attempt for each after commit."""
    now = timezone.now()
    lease = timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
    with transaction.atomic():
        due = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")[:limit]
        )
        for delivery in due:
            delivery.claim_token = _claim_token()
            delivery.next_attempt_at = now + lease
        WebhookDelivery.objects.bulk_update(due, ["claim_token", "next_attempt_at"])
        pairs = [(delivery.pk, delivery.claim_token) for delivery in due]
        _queue_on_commit(pairs)
    return pairs


def _claim(delivery_id: int, token: str, now) -> tuple[WebhookDelivery, WebhookAttempt] | None:
    with transaction.atomic():
        allowed = Q(next_attempt_at__lte=now)
        if token:
            allowed |= Q(claim_token=token)
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(allowed, pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts.filter(outcome=AttemptOutcome.IN_PROGRESS).update(
            outcome=AttemptOutcome.INTERRUPTED,
            finished_at=now,
            error="No result was recorded: the worker was lost during the request.",
        )
        endpoint = WebhookEndpoint.objects.get(pk=delivery.endpoint_id)
        if not endpoint.is_active:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            delivery.last_error = f"Endpoint disabled: {endpoint.disabled_reason}"[:500]
            delivery.save(update_fields=["status", "next_attempt_at", "last_error"])
            return None
        delivery.attempt_count += 1
        delivery.round_attempts += 1
        delivery.claim_token = ""  # clears the claim, not a password  # nosec B105
        delivery.next_attempt_at = now + timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
        delivery.save(
            update_fields=["attempt_count", "round_attempts", "claim_token", "next_attempt_at"]
        )
        attempt = WebhookAttempt.objects.create(
            delivery=delivery, number=delivery.attempt_count, started_at=now
        )
        delivery.endpoint = endpoint
    return delivery, attempt


def delivery_attempt(*, delivery_id: int, token: str = "") -> str | None:
    """Make one HTTP attempt of a delivery if it is ours to make; returns the attempt's outcome."""
    claimed = _claim(delivery_id, token, timezone.now())
    if claimed is None:
        return None
    delivery, attempt = claimed
    endpoint = delivery.endpoint
    timestamp = int(time.time())
    headers = signed_headers(
        secrets_=signing_secrets(endpoint, timezone.now()),
        msg_id=delivery.msg_id,
        timestamp=timestamp,
        body=delivery.body,
    )
    status_code, body, error, outcome = None, "", "", AttemptOutcome.FAILED
    started = time.monotonic()
    try:
        response = outbound.post(endpoint.url, body=delivery.body.encode(), headers=headers)
        status_code, body = response.status_code, response.body
        if 200 <= status_code < 300:
            outcome = AttemptOutcome.SUCCEEDED
        else:
            error = f"HTTP {status_code}"
    except outbound.UnsafeDestination as exc:
        outcome, error = AttemptOutcome.REFUSED, str(exc)
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    duration_ms = int((time.monotonic() - started) * 1000)
    _finish(
        delivery_id=delivery.pk,
        attempt_id=attempt.pk,
        outcome=outcome,
        status_code=status_code,
        body=body,
        error=error[:500],
        duration_ms=duration_ms,
    )
    return outcome


def _finish(*, delivery_id, attempt_id, outcome, status_code, body, error, duration_ms) -> None:
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        attempt = WebhookAttempt.objects.select_for_update().get(pk=attempt_id)
        attempt.outcome = outcome
        attempt.status_code = status_code
        attempt.response_body = body
        attempt.error = error
        attempt.duration_ms = duration_ms
        attempt.finished_at = now
        attempt.save()
        current = delivery.status == DeliveryStatus.PENDING and (
            delivery.attempt_count == attempt.number
        )
        delivery_fields = ["last_status_code", "last_error"]
        delivery.last_status_code = status_code
        delivery.last_error = error
        if outcome == AttemptOutcome.SUCCEEDED:
            if delivery.status != DeliveryStatus.SUCCEEDED:
                delivery.status = DeliveryStatus.SUCCEEDED
                delivery.delivered_at = now
                delivery.next_attempt_at = None
                delivery_fields += ["status", "delivered_at", "next_attempt_at"]
            if endpoint.consecutive_failures:
                endpoint.consecutive_failures = 0
                endpoint.save(update_fields=["consecutive_failures"])
        else:
            endpoint.consecutive_failures += 1
            endpoint.save(update_fields=["consecutive_failures"])
            if current:
                if status_code == 410 or delivery.round_attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
                    delivery.status = DeliveryStatus.FAILED
                    delivery.next_attempt_at = None
                    delivery_fields += ["status", "next_attempt_at"]
                else:
                    delivery.next_attempt_at = now + retry_delay(delivery.round_attempts)
                    delivery_fields += ["next_attempt_at"]
            if endpoint.is_active and status_code == 410:
                _endpoint_disable(
                    endpoint=endpoint, reason="The receiver answered 410 Gone.", now=now
                )
            elif (
                endpoint.is_active
                and endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER_FAILURES
            ):
                _endpoint_disable(
                    endpoint=endpoint,
                    reason=f"{endpoint.consecutive_failures} failed attempts in a row.",
                    now=now,
                )
        delivery.save(update_fields=delivery_fields)
