"""The readings table becomes PARTITION BY RANGE (time), one partition a month (PostgreSQL only).

The rows move inside this migration's transaction: the plain table is renamed aside, the partitioned
one created under the old name with the same columns, primary key and index, with a DEFAULT
partition and a partition for every month that has readings plus this month and the months ahead
(TELEMETRY_PARTITIONS_AHEAD), then the rows are copied and the plain table dropped. Django's model
is unchanged: the ORM reads and writes the parent table. On SQLite (the embedded default) it does
nothing. See logistics/partitions.py and docs/scaling.md, "Partitions".
"""

from datetime import UTC

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from logistics import partitions

TABLE = partitions.PARENT
OLD = f"{TABLE}_unpartitioned"
COLUMNS = "shipment_id, sensor_id, time, temp_c, humidity, latitude, longitude"


def _rename_aside(cursor) -> None:
    cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
    cursor.execute(f"ALTER TABLE {OLD} RENAME CONSTRAINT {TABLE}_pkey TO {OLD}_pkey")
    cursor.execute(f"ALTER INDEX reading_shipment_time_idx RENAME TO {OLD}_shipment_time_idx")


def _keys_and_index(cursor) -> None:
    cursor.execute(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (shipment_id, sensor_id, time)"
    )
    cursor.execute(f"CREATE INDEX reading_shipment_time_idx ON {TABLE} (shipment_id, time)")


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        _rename_aside(cursor)
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
            " PARTITION BY RANGE (time)"
        )
        _keys_and_index(cursor)
        cursor.execute(f"CREATE TABLE {partitions.DEFAULT} PARTITION OF {TABLE} DEFAULT")
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', time AT TIME ZONE 'UTC') FROM {OLD}"
        )
        months = {naive.replace(tzinfo=UTC) for (naive,) in cursor.fetchall()}
        this_month = partitions.month_start(timezone.now())
        months |= {
            partitions.add_months(this_month, n)
            for n in range(settings.TELEMETRY_PARTITIONS_AHEAD + 1)
        }
        for month in sorted(months):
            partitions.create_partition(cursor, month)
        cursor.execute(f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {COLUMNS} FROM {OLD}")
        cursor.execute(f"DROP TABLE {OLD}")


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        _rename_aside(cursor)
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        _keys_and_index(cursor)
        cursor.execute(f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {COLUMNS} FROM {OLD}")
        cursor.execute(f"DROP TABLE {OLD} CASCADE")


class Migration(migrations.Migration):
    dependencies = [("logistics", "0006_shipment_drafts")]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
