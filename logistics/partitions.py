"""Monthly time partitions of the sensor readings (PostgreSQL only; docs/scaling.md, "Partitions").

`logistics_sensorreading` is `PARTITION BY RANGE (time)` with one partition per calendar month
(UTC), named `logistics_sensorreading_p2026_12`, and a DEFAULT partition that catches a reading of
a month without its own partition (a backfill from years ago: validation accepts any time from
2000 up to five minutes ahead), so no reading is ever refused for want of a partition.

`maintain()` is the one place that changes them, run by the beat task `telemetry.partitions` and by
`manage.py telemetry_partitions`:
1. moves the months found in the DEFAULT partition into partitions of their own;
2. creates the partitions of this month and the next TELEMETRY_PARTITIONS_AHEAD months;
3. with TELEMETRY_RETENTION_MONTHS set, detaches (or drops, TELEMETRY_RETENTION_ACTION) the months
   older than that, except a month holding readings of a shipment still open.
Idempotent; concurrent runs queue on a transaction-scoped advisory lock.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection, transaction

from .choices import ShipmentStatus

PARENT = "logistics_sensorreading"
DEFAULT = f"{PARENT}_default"
NAME = re.compile(rf"^{PARENT}_p(\d{{4}})_(\d{{2}})$")
# pg_advisory_xact_lock key: "partitions" of the readings, any number no other lock uses.
LOCK_KEY = 18_4_2026
CLOSED_STATUSES = (ShipmentStatus.DELIVERED, ShipmentStatus.CANCELLED)
MOVE_OUT_OF_DEFAULT = (
    "WITH moved AS (DELETE FROM {default} WHERE time >= %s AND time < %s RETURNING *)"
    " INSERT INTO {partition} SELECT * FROM moved"
)


def month_start(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def add_months(month: datetime, count: int) -> datetime:
    index = month.year * 12 + month.month - 1 + count
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def partition_name(month: datetime) -> str:
    return f"{PARENT}_p{month:%Y_%m}"


def is_partitioned(cursor) -> bool:
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [PARENT])
    row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def attached_months(cursor) -> list[datetime]:
    """The months that have a partition attached, oldest first."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = to_regclass(%s)",
        [PARENT],
    )
    months = []
    for (name,) in cursor.fetchall():
        match = NAME.match(name)
        if match:
            months.append(datetime(int(match[1]), int(match[2]), 1, tzinfo=UTC))
    return sorted(months)


def create_partition(cursor, month: datetime) -> None:
    """An empty month; the DEFAULT partition must hold none of its readings (see split_default)."""
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {partition_name(month)} PARTITION OF {PARENT}"
        " FOR VALUES FROM (%s) TO (%s)",
        [month, add_months(month, 1)],
    )


def default_months(cursor) -> list[datetime]:
    cursor.execute(
        # names only, this module's constants
        f"SELECT DISTINCT date_trunc('month', time AT TIME ZONE 'UTC') FROM {DEFAULT} ORDER BY 1"  # noqa: S608  # nosec B608
    )
    return [naive.replace(tzinfo=UTC) for (naive,) in cursor.fetchall()]


def split_default(cursor, month: datetime) -> int:
    """Move one month's readings out of the DEFAULT partition into a partition of its own.

    A partition cannot be attached while the DEFAULT one holds rows of its range, and moving them
    must not lose a reading written meanwhile: the DEFAULT partition is locked against writers,
    the rows move in one DELETE … RETURNING, then the filled table is attached (which builds its
    indexes)."""
    name = partition_name(month)
    bounds = [month, add_months(month, 1)]
    cursor.execute(f"LOCK TABLE {DEFAULT} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(f"CREATE TABLE {name} (LIKE {PARENT} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cursor.execute(
        MOVE_OUT_OF_DEFAULT.format(default=DEFAULT, partition=name),
        bounds,
    )
    moved = cursor.rowcount
    cursor.execute(
        f"ALTER TABLE {PARENT} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)", bounds
    )
    return moved


def months_held_open(cursor, months: list[datetime]) -> set[datetime]:
    """Of these months, those with readings of a shipment not yet delivered or cancelled (from the
    summary's first and last reading: no scan of the readings)."""
    held = set()
    for month in months:
        cursor.execute(
            "SELECT 1 FROM logistics_telemetrysummary s"
            " JOIN logistics_shipment sh ON sh.id = s.shipment_id"
            " WHERE sh.status <> ALL(%s) AND s.first_reading_at < %s AND s.last_reading_at >= %s"
            " LIMIT 1",
            [list(CLOSED_STATUSES), add_months(month, 1), month],
        )
        if cursor.fetchone():
            held.add(month)
    return held


@dataclass
class Plan:
    split: list[datetime] = field(default_factory=list)
    create: list[datetime] = field(default_factory=list)
    retire: list[datetime] = field(default_factory=list)
    kept_open: list[datetime] = field(default_factory=list)
    action: str = "detach"

    def lines(self) -> list[str]:
        return (
            [f"split {partition_name(m)} out of {DEFAULT}" for m in self.split]
            + [f"create {partition_name(m)}" for m in self.create]
            + [f"{self.action} {partition_name(m)}" for m in self.retire]
            + [
                f"keep {partition_name(m)}: an open shipment has readings in it"
                for m in self.kept_open
            ]
        )


def plan(cursor, *, now: datetime, ahead: int, retention_months: int | None, action: str) -> Plan:
    attached = set(attached_months(cursor))
    split = [m for m in default_months(cursor) if m not in attached]
    this_month = month_start(now)
    wanted = [add_months(this_month, n) for n in range(ahead + 1)]
    create = [m for m in wanted if m not in attached and m not in split]
    result = Plan(split=split, create=create, action=action)
    if retention_months is not None:
        cutoff = add_months(this_month, -retention_months)
        old = [m for m in sorted(attached | set(split)) if add_months(m, 1) <= cutoff]
        held = months_held_open(cursor, old)
        result.retire = [m for m in old if m not in held]
        result.kept_open = [m for m in old if m in held]
    return result


def maintain(
    *,
    now: datetime,
    ahead: int | None = None,
    retention_months: int | None = None,
    action: str | None = None,
    dry_run: bool = False,
) -> list[str]:
    """Bring the partitions in line with the settings; the lines of what was (or would be) done.
    Nothing on a database without partitioning (SQLite, the embedded default)."""
    ahead = settings.TELEMETRY_PARTITIONS_AHEAD if ahead is None else ahead
    if retention_months is None:
        retention_months = settings.TELEMETRY_RETENTION_MONTHS
    action = action or settings.TELEMETRY_RETENTION_ACTION
    if connection.vendor != "postgresql":
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        if not is_partitioned(cursor):
            return []
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        todo = plan(cursor, now=now, ahead=ahead, retention_months=retention_months, action=action)
        if dry_run:
            return todo.lines()
        for month in todo.split:
            split_default(cursor, month)
        for month in todo.create:
            create_partition(cursor, month)
        for month in todo.retire:
            retire(cursor, month, action)
    return todo.lines()


def retire(cursor, month: datetime, action: str) -> None:
    name = partition_name(month)
    cursor.execute(f"ALTER TABLE {PARENT} DETACH PARTITION {name}")
    if action == "drop":
        cursor.execute(f"DROP TABLE {name}")
