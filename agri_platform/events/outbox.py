"""The outbox: `record` writes an event row inside the caller's transaction and queues its
dispatch after the commit, so a rolled-back change never emits an event. The dispatcher
(`services.event_dispatch`) fans the event out; the periodic sweep (`services.outbox_sweep`)
re-queues what a broker outage left undispatched.

Every app calls it as `agri_platform.events.services.record`; webhooks import it from here, which
imports neither the dispatcher nor webhooks.
"""

import functools
import threading

import psycopg
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from agri_platform.queue import queue_now

from . import catalogue
from .models import Event


def record(
    kind: str,
    *,
    payload: dict,
    enterprise=None,
    actor=None,
    subject=None,
    partners=(),
) -> Event:
    """Write an outbox row for `kind` and queue its dispatch after the surrounding commit.

    `kind` must be in the catalogue (agri_platform/events/catalogue.py) and `payload` carry exactly
    the fields its entry lists, each of its type (`catalogue.payload_problems`), else ValueError:
    receivers and docs/events.md rely on that shape, whichever app records the event.
    `payload` must be JSON-serialisable and hold what a receiver needs (ids, numbers, statuses), never
    secrets. `partners` are the partner organisations the event is routed to (webhooks, event log).
    """
    entry = catalogue.get(kind)
    problems = catalogue.payload_problems(kind, payload)
    if problems:
        raise ValueError(f"{kind} payload does not match the catalogue: {'; '.join(problems)}")
    event = Event(
        kind=kind,
        payload=payload,
        enterprise=enterprise,
        for_all_partners=entry.partners == catalogue.ALL_PARTNERS,
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
    )
    partner_ids = [getattr(partner, "pk", partner) for partner in partners]
    connection = transaction.get_connection()
    if _deferrable(connection):
        _record_deferred(connection, event, partner_ids)
    elif connection.vendor == "postgresql":
        _insert_in_one_statement(connection, event, partner_ids)
    else:
        event.save(force_insert=True)
        # a new event has no partners yet: one INSERT instead of `set`'s SELECT + INSERT
        Event.partners.through.objects.bulk_create(
            [Event.partners.through(event_id=event.pk, partner_id=pk) for pk in partner_ids]
        )
    _dispatch_after_commit(event.pk)
    return event


@functools.cache
def _one_statement_insert() -> tuple[list, str]:
    """(the event's columns, SQL) writing the event row and its partner routes in one statement:
    PostgreSQL runs every data-modifying WITH clause, so recording an event is one round trip,
    not two. Built at the first event, when the app registry is ready."""
    fields = [field for field in Event._meta.concrete_fields if not field.primary_key]
    routes = Event.partners.through._meta.db_table
    sql = (  # names only, from the model's options
        f"WITH event AS (INSERT INTO {Event._meta.db_table} "  # noqa: S608  # nosec B608
        f"({', '.join(field.column for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id), "
        f"routed AS (INSERT INTO {routes} (event_id, partner_id) "
        "SELECT event.id, partner FROM event, unnest(%s::bigint[]) AS partner) "
        "SELECT id FROM event"
    )
    return fields, sql


def _insert_in_one_statement(
    connection, event: Event, partner_ids: list[int], *, reserve: int = 0
) -> list[int]:
    """Writes the event at once; returns the `reserve` ids it also took from the sequence."""
    _fields, sql = _one_statement_insert()
    if reserve:
        sql = sql.removesuffix("SELECT id FROM event") + RESERVING
    values = _column_values(event, connection)
    params = [*values, partner_ids, reserve] if reserve else [*values, partner_ids]
    # Logged queries (DEBUG, tests counting them) go through Django's own cursor: Django cannot
    # show the text of a statement bound on the server.
    if settings.EVENTS_PREPARED_INSERT and not connection.queries_logged:
        row = _prepared_fetch_one(connection, sql, params)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    _mark_stored(event, row[0], connection)
    return row[1] if reserve else []


def _column_values(event: Event, connection) -> list:
    """The event's values for the insert's columns (`_one_statement_insert`'s fields, in order)."""
    fields, _sql = _one_statement_insert()
    return [field.get_db_prep_save(field.pre_save(event, True), connection) for field in fields]


def _mark_stored(event: Event, pk: int, connection) -> None:
    """The event as Django sees a saved row (an insert written now or held in the buffer)."""
    event.pk = pk
    event._state.adding = False
    event._state.db = connection.alias


# --- deferred: the events of a transaction written together ----------------------------------
# Inside a transaction on PostgreSQL (agri_platform.db.postgresql), `record` gives an event an id
# the transaction reserved and leaves the row in the connection's buffer; the buffer is written in
# one statement before the connection's next statement or its COMMIT, and dropped with a rollback
# of what contained it. A transaction recording many events pays a few round trips for them, not
# one each (docs/benchmarks.md); one recording a single event pays what it did. Logged queries
# (DEBUG, tests counting them) see every insert at once.

ID_BLOCK = 64  # most event ids a transaction reserves at a time
FLUSH_CHUNK = 500  # events per INSERT when a buffer is written (bound parameters stay few)
# The statement's last clause when it also reserves ids for the next events (names only, from
# the model's options).
_SEQUENCE = f"pg_get_serial_sequence('{Event._meta.db_table}', '{Event._meta.pk.column}')"
RESERVING = f"SELECT id, ARRAY(SELECT nextval({_SEQUENCE}) FROM generate_series(1, %s)) FROM event"  # noqa: S608  # nosec B608


def _deferrable(connection) -> bool:
    return (
        settings.EVENTS_DEFERRED_INSERT
        and connection.in_atomic_block
        and not connection.queries_logged
        and hasattr(connection, "defer")
    )


def _record_deferred(connection, event: Event, partner_ids: list[int]) -> None:
    """Buffer the event under an id the transaction reserved. Without one left, write it at once,
    reserving ids for the next events in the same statement: four per event recorded so far (a
    transaction recording one event reserves none and pays what it did), at most ID_BLOCK.

    Ids are reserved per transaction, never kept beyond it: the ids of one process's events do not
    lag behind everyone else's, and a partner catching up on the event log with `after_id` misses
    nothing that a transaction's own duration would not already hide."""
    scratch = connection.transaction_scratch
    reserved = scratch.setdefault("event_ids", [])
    recorded = scratch.get("events_recorded", 0)
    scratch["events_recorded"] = recorded + 1
    if not reserved:
        reserve = min(4 * recorded, ID_BLOCK)
        reserved.extend(
            reversed(_insert_in_one_statement(connection, event, partner_ids, reserve=reserve))
        )
        return
    _mark_stored(event, reserved.pop(), connection)
    buffer = getattr(connection, "event_buffer", None)
    if buffer is None:
        buffer = connection.event_buffer = _EventBuffer()
    buffer.add(event.pk, _column_values(event, connection), partner_ids)
    connection.defer(buffer)


class _EventBuffer:
    """Event rows (id first) and partner routes recorded since the connection's last statement."""

    def __init__(self):
        self.rows: list[list] = []
        self.routes: list[tuple[int, int]] = []

    def add(self, event_id: int, values: list, partner_ids: list[int]) -> None:
        self.rows.append([event_id, *values])
        self.routes.extend((event_id, partner_id) for partner_id in partner_ids)

    def discard(self) -> None:
        self.rows, self.routes = [], []

    def flush(self, psycopg_connection) -> None:
        rows, routes = self.rows, self.routes
        self.discard()
        for start in range(0, len(rows), FLUSH_CHUNK):
            chunk = rows[start : start + FLUSH_CHUNK]
            ids = {row[0] for row in chunk}
            chunk_routes = [route for route in routes if route[0] in ids]
            params = [value for row in chunk for value in row]
            params += [value for route in chunk_routes for value in route]
            psycopg_connection.execute(_buffered_insert_sql(len(chunk), len(chunk_routes)), params)


def _buffered_insert_sql(events: int, routes: int) -> str:
    fields, _sql = _one_statement_insert()
    columns = ", ".join([Event._meta.pk.column, *(field.column for field in fields)])
    row = f"({', '.join(['%s'] * (len(fields) + 1))})"
    sql = (  # names only, from the model's options
        f"INSERT INTO {Event._meta.db_table} ({columns}) "  # noqa: S608  # nosec B608
        f"VALUES {', '.join([row] * events)}"
    )
    if not routes:
        return sql
    routes_table = Event.partners.through._meta.db_table
    return (  # names only, from the model's options
        f"WITH event AS ({sql}) INSERT INTO {routes_table} "  # noqa: S608  # nosec B608
        f"(event_id, partner_id) VALUES {', '.join(['(%s, %s)'] * routes)}"
    )


class _PreparedCursor(psycopg.Cursor):
    """Binds parameters on the server and runs the statement as a prepared one (psycopg keeps it
    per connection): PostgreSQL then parses and plans the event insert once, not per event
    (a third more events per second, docs/benchmarks.md)."""

    def execute(self, query, params=None, *, prepare=True, binary=None):
        return super().execute(query, params, prepare=prepare, binary=binary)


def _prepared_fetch_one(connection, sql: str, params: list) -> tuple:
    """The first row of `sql` run as a prepared statement, through Django's cursor wrapper (its
    execute wrappers and error translation apply). Django turns psycopg's statement preparation
    off on its connections (its own cursors bind on the client, which never prepare): it is
    allowed for this one execution only."""
    connection.ensure_connection()
    connection.validate_thread_sharing()
    psycopg_connection = connection.connection
    threshold = psycopg_connection.prepare_threshold
    psycopg_connection.prepare_threshold = 0
    try:
        with connection.make_cursor(_PreparedCursor(psycopg_connection)) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    finally:
        psycopg_connection.prepare_threshold = threshold


class _CommitBatch:
    """The events recorded in one transaction: after its commit, one dispatch message per
    settings.EVENTS_DISPATCH_BATCH of them (the dispatcher takes the pending events from the id it
    is given), instead of a broker round trip per event."""

    def __init__(self, event_id: int, savepoints: list[str]):
        self.event_ids = [event_id]
        self.savepoints = savepoints
        self.queued = False
        self.hook = self.queue  # one bound method, to find it among the connection's hooks

    def takes_from(self, connection) -> bool:
        """Events recorded now join this batch: it is still to run at this commit (not run yet, not
        dropped by a rollback) and was opened in the current savepoint, so that both share one
        fate and a hook registered inside a nested block (a request, a test's capture) is its own."""
        if self.queued or self.savepoints != connection.savepoint_ids:
            return False
        return any(hook[1] is self.hook for hook in reversed(connection.run_on_commit))

    def queue(self) -> None:
        self.queued = True
        size = max(settings.EVENTS_DISPATCH_BATCH, 1)
        for start in range(0, len(self.event_ids), size):
            queue_dispatch(self.event_ids[start])


_open_batches = threading.local()  # connection alias → its _CommitBatch, per thread


def _dispatch_after_commit(event_id: int) -> None:
    connection = transaction.get_connection()
    batch = getattr(_open_batches, connection.alias, None)
    if batch is not None and batch.takes_from(connection):
        batch.event_ids.append(event_id)
        return
    batch = _CommitBatch(event_id, list(connection.savepoint_ids))
    setattr(_open_batches, connection.alias, batch)
    transaction.on_commit(batch.hook, robust=True)  # outside a transaction: at once


def queue_dispatch(event_id: int) -> bool:
    """Queue the dispatcher of `event_id` now (after-commit hook, sweep, admin); False when the
    broker is down (logged): the outbox sweep tries again."""
    return queue_now("events.dispatch_event", event_id)
