"""The telemetry rollup keeps 15-minute slots instead of minutes (docs/scaling.md, "Telemetry").

A field of a composite primary key cannot be renamed or re-keyed in place, so the table is
recreated and filled again from the readings."""

import django.db.models.deletion
from django.db import migrations, models

SLOT_MINUTES = 15
REBUILD_SQL = f"""
INSERT INTO logistics_readingrollup (shipment_id, slot, temp_min, temp_max, temp_sum, count)
SELECT shipment_id, date_bin('{SLOT_MINUTES} minutes', time, '2000-01-01T00:00:00Z'),
       min(temp_c), max(temp_c), sum(temp_c), count(*)
FROM logistics_sensorreading GROUP BY 1, 2
"""


def rebuild_from_readings(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REBUILD_SQL)
        return
    from datetime import UTC, datetime, timedelta

    origin, slot = datetime(2000, 1, 1, tzinfo=UTC), timedelta(minutes=SLOT_MINUTES)
    SensorReading = apps.get_model("logistics", "SensorReading")
    ReadingRollup = apps.get_model("logistics", "ReadingRollup")
    slots: dict = {}
    rows = SensorReading.objects.values_list("shipment_id", "time", "temp_c").iterator()
    for shipment_id, time, temp in rows:
        key = (shipment_id, origin + (time - origin) // slot * slot)
        entry = slots.setdefault(key, [temp, temp, 0.0, 0])
        entry[0], entry[1] = min(entry[0], temp), max(entry[1], temp)
        entry[2] += temp
        entry[3] += 1
    ReadingRollup.objects.bulk_create(
        [
            ReadingRollup(
                shipment_id=shipment_id,
                slot=start,
                temp_min=low,
                temp_max=high,
                temp_sum=total,
                count=count,
            )
            for (shipment_id, start), (low, high, total, count) in slots.items()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("logistics", "0002_readings_without_database_foreign_key"),
    ]

    operations = [
        migrations.DeleteModel(name="ReadingRollup"),
        migrations.CreateModel(
            name="ReadingRollup",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "shipment",
                        "slot",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "slot",
                    models.DateTimeField(
                        help_text="Start of the 15-minute slot (UTC, from 2000-01-01)."
                    ),
                ),
                ("temp_min", models.FloatField()),
                ("temp_max", models.FloatField()),
                ("temp_sum", models.FloatField()),
                ("count", models.IntegerField()),
                (
                    "shipment",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rollups",
                        to="logistics.shipment",
                    ),
                ),
            ],
            options={"ordering": ["slot"]},
        ),
        migrations.RunPython(rebuild_from_readings, migrations.RunPython.noop),
    ]
