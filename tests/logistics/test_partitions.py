"""Monthly partitions of the readings (logistics/partitions.py, migration 0007).

PostgreSQL-only tests run in CI's PostgreSQL pass; DDL inside a test is rolled back with it."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from agri_platform.celery import app
from logistics import partitions
from logistics.choices import ShipmentStatus
from logistics.models import SensorReading, TelemetrySummary
from logistics.tasks import telemetry_partitions

from .factories import ShipmentFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    not settings.USING_POSTGRES, reason="PostgreSQL partitioning: runs in CI's PostgreSQL pass"
)


def url(shipment):
    return f"/api/v1/shipments/{shipment.pk}/telemetry/"


def readings(start: datetime, count: int, *, sensor="T1") -> list[dict]:
    return [
        {"sensor_id": sensor, "time": (start + timedelta(seconds=10 * i)).isoformat(), "temp_c": 5}
        for i in range(count)
    ]


def relkind(name: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [name])
        row = cursor.fetchone()
    return row[0] if row else None


def holders(shipment) -> dict[str, int]:
    """How many of the shipment's readings each partition holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text, count(*) FROM logistics_sensorreading"
            " WHERE shipment_id = %s GROUP BY 1",
            [shipment.pk],
        )
        return dict(cursor.fetchall())


def month(year: int, number: int) -> datetime:
    return datetime(year, number, 1, tzinfo=UTC)


@postgres_only
def test_the_migration_made_a_partitioned_table_with_this_month_and_a_default():
    assert relkind("logistics_sensorreading") == "p"
    assert relkind("logistics_sensorreading_default") == "r"
    this_month = partitions.month_start(timezone.now())
    assert relkind(partitions.partition_name(this_month)) == "r"
    with connection.cursor() as cursor:
        assert this_month in partitions.attached_months(cursor)


@postgres_only
def test_a_batch_across_a_month_boundary_lands_in_both_months_and_a_resend_adds_nothing(
    carrier_client, shipment
):
    partitions.maintain(now=month(2025, 6), ahead=1)
    batch = readings(datetime(2025, 6, 30, 23, 59, 0, tzinfo=UTC), 12)  # 6 in June, 6 in July

    first = carrier_client.post(url(shipment), batch, format="json")
    again = carrier_client.post(url(shipment), batch, format="json")

    assert first.status_code == 201, first.content
    assert (first.json()["accepted"], again.json()["accepted"], again.json()["duplicate"]) == (
        12,
        0,
        12,
    )
    assert holders(shipment) == {
        "logistics_sensorreading_p2025_06": 6,
        "logistics_sensorreading_p2025_07": 6,
    }
    assert TelemetrySummary.objects.get(shipment=shipment).reading_count == 12


@postgres_only
def test_maintenance_creates_the_months_ahead_once():
    lines = partitions.maintain(now=datetime(2031, 1, 20, tzinfo=UTC), ahead=2)

    assert lines == [
        "create logistics_sensorreading_p2031_01",
        "create logistics_sensorreading_p2031_02",
        "create logistics_sensorreading_p2031_03",
    ]
    assert relkind("logistics_sensorreading_p2031_03") == "r"
    assert partitions.maintain(now=datetime(2031, 1, 25, tzinfo=UTC), ahead=2) == []


@postgres_only
def test_a_reading_of_a_month_without_partition_is_stored_then_split_into_its_month(
    carrier_client, shipment
):
    batch = readings(datetime(2003, 5, 4, tzinfo=UTC), 3)

    response = carrier_client.post(url(shipment), batch, format="json")
    assert response.status_code == 201, response.content
    assert holders(shipment) == {"logistics_sensorreading_default": 3}

    assert "split logistics_sensorreading_p2003_05 out of logistics_sensorreading_default" in (
        partitions.maintain(now=timezone.now())
    )
    assert holders(shipment) == {"logistics_sensorreading_p2003_05": 3}
    again = carrier_client.post(url(shipment), batch, format="json")
    assert (again.json()["accepted"], again.json()["duplicate"]) == (0, 3)


@postgres_only
@pytest.mark.parametrize("action", ["detach", "drop"])
def test_retention_retires_old_months_but_not_one_an_open_shipment_reads_in(
    action, carrier_client, enterprise, carrier
):
    delivered = ShipmentFactory(enterprise=enterprise, carrier=carrier)
    in_transit = ShipmentFactory(enterprise=enterprise, carrier=carrier)
    carrier_client.post(
        url(delivered), readings(datetime(2004, 1, 5, tzinfo=UTC), 3), format="json"
    )
    carrier_client.post(
        url(in_transit), readings(datetime(2004, 2, 5, tzinfo=UTC), 3), format="json"
    )
    delivered.status = ShipmentStatus.DELIVERED
    delivered.save(update_fields=["status"])
    in_transit.status = ShipmentStatus.IN_TRANSIT
    in_transit.save(update_fields=["status"])

    lines = partitions.maintain(now=timezone.now(), retention_months=12, action=action)

    assert f"{action} logistics_sensorreading_p2004_01" in lines
    assert "keep logistics_sensorreading_p2004_02: an open shipment has readings in it" in lines
    assert not SensorReading.objects.filter(shipment=delivered).exists()
    assert SensorReading.objects.filter(shipment=in_transit).count() == 3
    assert relkind("logistics_sensorreading_p2004_01") == ("r" if action == "detach" else None)
    with connection.cursor() as cursor:
        assert month(2004, 1) not in partitions.attached_months(cursor)


@postgres_only
def test_the_command_dry_run_lists_and_changes_nothing():
    out = StringIO()

    call_command("telemetry_partitions", "--ahead", "240", "--dry-run", stdout=out)

    far = partitions.add_months(partitions.month_start(timezone.now()), 240)
    assert f"would create {partitions.partition_name(far)}" in out.getvalue()
    assert relkind(partitions.partition_name(far)) is None


def test_without_partitioning_maintenance_does_nothing(monkeypatch):
    """The embedded default (SQLite): migration 0007 left a plain table, maintenance is a no-op."""
    monkeypatch.setattr(connection, "vendor", "sqlite")
    out = StringIO()

    assert partitions.maintain(now=timezone.now(), ahead=2, retention_months=1) == []
    call_command("telemetry_partitions", stdout=out)

    assert "not partitioned" in out.getvalue()


def test_the_beat_runs_maintenance_daily_on_the_telemetry_queue():
    entry = settings.CELERY_BEAT_SCHEDULE["telemetry.partitions"]
    assert entry["task"] == telemetry_partitions.name
    assert app.amqp.router.route({}, entry["task"])["queue"].name == "telemetry"
