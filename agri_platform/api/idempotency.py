"""`Idempotency-Key` for every API write (POST, PUT, PATCH), applied by the base views in views.py.

A caller sends `Idempotency-Key: <any string of 1 to 255 printable characters>` with a write. The first
request with a key inserts a row per (caller, key) holding a fingerprint of method, path and body, runs,
and stores its response. Then, with the same key:

- same method, path and body, first request done    → the stored response again (status, body,
  Content-Type, Location, ...), with `Idempotent-Replayed: true`; nothing runs twice;
- same key, another method, path or body            → 422 `idempotency_key_reused`;
- the first request is still running                → 409 `idempotency_key_in_flight` (retry later);
- the first request ended in a 5xx before any write → nothing stored, the key is free again;
- it failed after one of its writes committed       → the key is kept with the answer it gave
  (a retry replays it rather than writing a second object): a committed effect never frees its key.

The unique constraint on (owner, key) decides races: of two concurrent requests exactly one inserts the
row and runs. Keys are kept `settings.IDEMPOTENCY_KEY_TTL` (24 h); the beat task
`api.purge_idempotency_keys` deletes expired rows. A row left in flight by a crashed process is taken
over after `settings.IDEMPOTENCY_IN_FLIGHT_TIMEOUT`.

The caller is the authenticated user; a partner's API keys all act as the partner's service user, so
they share one key space. Anonymous requests and views with `idempotency_exempt = True` ignore the
header: their responses are never stored.

A secret shown once (an invitation token, a webhook secret, a new API key) is never stored: a view
names the response fields that carry one in `shown_once_fields`, the stored copy has them replaced by
null (at any depth of the JSON body), and a replay says so with `Idempotent-Redacted: <field names>`.
A retry is still safe (nothing runs twice), but the secret is only ever in the first response.
"""

import hashlib
import json
import logging
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status

from .errors import ApplicationError, Conflict, ValidationFailed
from .exceptions import PROBLEM_CONTENT_TYPE, problem
from .models import IdempotencyKey

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
REDACTED_HEADER = "Idempotent-Redacted"
METHODS = frozenset({"POST", "PUT", "PATCH"})
MAX_KEY_LENGTH = 255
# Response headers that belong to the stored response and come back on a replay.
STORED_HEADERS = ("Content-Type", "Location", "ETag", "Link", "Content-Language", "Allow")


# What a key keeps when its request committed a write and then failed before answering.
COMMITTED_WITHOUT_ANSWER_STATUS = 500


def committed_without_answer_body() -> bytes:
    """The stored answer, in the language of the request that committed."""
    return json.dumps(
        problem(
            500,
            gettext(
                "The change was saved, but the answer could not be produced. Read the resource "
                "to see its state; do not send the change again under a new key."
            ),
            code="committed_without_answer",
        ),
        ensure_ascii=False,
    ).encode()


class KeyInFlight(Conflict):
    code = "idempotency_key_in_flight"
    title = _("Request with this Idempotency-Key in progress")


class KeyReused(ApplicationError):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    code = "idempotency_key_reused"
    title = _("Idempotency-Key reused")


class Replay(Exception):
    """Raised from the view's `initial()` to answer with a stored response instead of running."""

    def __init__(self, response: HttpResponse):
        super().__init__("idempotent replay")
        self.response = response


def owner_of(request) -> str | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return f"user:{user.pk}"


def _normalise(value):
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        value.seek(0)
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "size": value.size, "sha256": digest.hexdigest()}
    if isinstance(value, QueryDict):
        return {key: [_normalise(item) for item in value.getlist(key)] for key in sorted(value)}
    if isinstance(value, Mapping):
        return {str(key): _normalise(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(item) for item in value]
    return value


def fingerprint(request) -> str:
    """SHA-256 of method, full path and the parsed body (JSON key order and multipart boundaries
    do not matter; uploaded files count by content)."""
    body = json.dumps(_normalise(request.data), sort_keys=True, default=str, separators=(",", ":"))
    material = "\n".join([request.method, request.get_full_path(), body])
    return hashlib.sha256(material.encode()).hexdigest()


def _key_from(request) -> str | None:
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise ValidationFailed(
            f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters.",
            code="invalid_idempotency_key",
            field=HEADER,
        )
    return key


def _replay_response(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(bytes(record.response_body), status=record.response_status)
    for name, value in record.response_headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class CommitWatch:
    """A database execute wrapper, installed while a claimed request runs, that notes whether any
    of its writes committed: at once in autocommit, or when the outermost atomic block around the
    write commits (a rolled-back block commits nothing)."""

    def __init__(self):
        self.committed = False
        self._registered: set[tuple] = set()

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not self.committed and sql.lstrip()[:7].upper().startswith(WRITE_STATEMENTS):
            self._note_write(context["connection"])
        return result

    def _note_write(self, db) -> None:
        if not db.in_atomic_block:
            self.committed = True
            return
        block = (*db.savepoint_ids, str(id(db.atomic_blocks[0])))
        if block not in self._registered:  # one hook per (savepoint) block is enough
            self._registered.add(block)
            db.on_commit(self._mark_committed, robust=True)

    def _mark_committed(self) -> None:
        self.committed = True


def _watch(record: IdempotencyKey) -> IdempotencyKey:
    # A watch left behind by a request that never reached finish() must not count for this one.
    connection.execute_wrappers[:] = [
        wrapper for wrapper in connection.execute_wrappers if not isinstance(wrapper, CommitWatch)
    ]
    record.commit_watch = CommitWatch()
    connection.execute_wrappers.append(record.commit_watch)
    return record


def _effect_committed(record: IdempotencyKey) -> bool:
    """Stop watching the request's writes; True if one of them committed."""
    watch = getattr(record, "commit_watch", None)
    if watch is None:
        return False
    if watch in connection.execute_wrappers:
        connection.execute_wrappers.remove(watch)
    return watch.committed


def begin(request, view) -> IdempotencyKey | None:
    """Claim the request's key, or raise Replay / KeyInFlight / KeyReused. None: not idempotent."""
    if request.method not in METHODS or getattr(view, "idempotency_exempt", False):
        return None
    key = _key_from(request)
    owner = owner_of(request)
    if key is None or owner is None:
        return None
    print_ = fingerprint(request)
    for _attempt in range(3):
        now = timezone.now()
        try:
            with transaction.atomic():
                claimed = IdempotencyKey.objects.create(
                    owner=owner,
                    key=key,
                    method=request.method,
                    path=request.get_full_path()[:2000],
                    fingerprint=print_,
                    expires_at=now + settings.IDEMPOTENCY_KEY_TTL,
                )
            return _watch(claimed)
        except IntegrityError:
            existing = IdempotencyKey.objects.filter(owner=owner, key=key).first()
        if existing is None:
            continue  # purged between our insert and our read: try again
        stale_before = now - getattr(
            settings, "IDEMPOTENCY_IN_FLIGHT_TIMEOUT", timedelta(minutes=5)
        )
        if existing.expires_at <= now or (
            existing.state == IdempotencyKey.State.IN_FLIGHT and existing.created_at < stale_before
        ):
            IdempotencyKey.objects.filter(
                pk=existing.pk, state=existing.state, created_at=existing.created_at
            ).delete()
            continue
        if existing.fingerprint != print_:
            raise KeyReused(
                gettext(
                    "This %(header)s was already used with another method, path or body "
                    "(%(method)s %(path)s). Use a new key for a new request."
                )
                % {"header": HEADER, "method": existing.method, "path": existing.path},
                field=HEADER,
            )
        if existing.state == IdempotencyKey.State.IN_FLIGHT:
            raise key_in_flight()
        raise Replay(_replay_response(existing))
    raise key_in_flight()


def key_in_flight() -> KeyInFlight:
    return KeyInFlight(
        gettext("A request with this %(header)s is still being processed; retry shortly.")
        % {"header": HEADER},
        field=HEADER,
    )


def release(record: IdempotencyKey | None) -> None:
    """Forget a claimed key after an unhandled error, unless a write of the request committed:
    then the key keeps a 500 answer, and a retry replays it instead of writing again."""
    if record is None:
        return
    if _effect_committed(record):
        logger.error("request with idempotency key %s failed after its write committed", record.pk)
        _store(
            record,
            COMMITTED_WITHOUT_ANSWER_STATUS,
            {"Content-Type": PROBLEM_CONTENT_TYPE},
            committed_without_answer_body(),
        )
        return
    _delete(record)


def _delete(record: IdempotencyKey) -> None:
    try:
        IdempotencyKey.objects.filter(pk=record.pk, state=IdempotencyKey.State.IN_FLIGHT).delete()
    except DatabaseError:
        logger.warning("could not release idempotency key %s", record.pk, exc_info=True)


def _without(value, secret_fields: frozenset[str], found: set[str]):
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            if key in secret_fields and item is not None:
                found.add(key)
                kept[key] = None
            else:
                kept[key] = _without(item, secret_fields, found)
        return kept
    if isinstance(value, list):
        return [_without(item, secret_fields, found) for item in value]
    return value


def redacted(body: bytes, secret_fields) -> tuple[bytes, list[str]]:
    """`body` with the JSON fields named in `secret_fields` set to null, and the names it redacted.

    A body that is not JSON cannot be redacted field by field: it is not stored at all (b"")."""
    if not secret_fields or not body:
        return body, []
    try:
        document = json.loads(body)
    except ValueError:
        return b"", sorted(secret_fields)
    found: set[str] = set()
    cleaned = _without(document, frozenset(secret_fields), found)
    if not found:
        return body, []
    return json.dumps(cleaned, ensure_ascii=False, separators=(",", ":")).encode(), sorted(found)


def finish(record: IdempotencyKey | None, response, *, shown_once_fields=()) -> None:
    """Store the response of a claimed key; a 5xx before any committed write, or a streamed
    response, frees the key.

    Fields named in `shown_once_fields` carry a secret shown once: the stored copy has them
    redacted (see the module docstring)."""
    if record is None:
        return
    committed = _effect_committed(record)
    if getattr(response, "streaming", False) or (response.status_code >= 500 and not committed):
        _delete(record)
        return
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
    body, secret_names = redacted(bytes(response.content), shown_once_fields)
    if secret_names:
        headers[REDACTED_HEADER] = ", ".join(secret_names)
    if not _store(record, response.status_code, headers, body) and not committed:
        _delete(record)


def _store(record: IdempotencyKey, status_code: int, headers: dict, body: bytes) -> bool:
    try:
        IdempotencyKey.objects.filter(pk=record.pk).update(
            state=IdempotencyKey.State.COMPLETED,
            response_status=status_code,
            response_headers=headers,
            response_body=body,
            completed_at=timezone.now(),
        )
    except DatabaseError:
        logger.warning("could not store idempotent response %s", record.pk, exc_info=True)
        return False
    return True


def purge_expired(*, now=None) -> int:
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
