"""Cold-chain shipments, their tracking events, sensor telemetry and temperature excursions.

`SensorReading` is the big table (hundreds of millions of rows): its primary key is the natural key
(shipment, sensor, time), which is also what makes ingestion idempotent, and a second btree index on
(shipment, time) serves range reads and chart buckets. See docs/scaling.md ("Telemetry").
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from agri_platform.api.documents import UploadedDocument, document_upload_path
from certification.choices import DocumentType

from .choices import (
    Direction,
    EventSource,
    ExcursionMode,
    Incoterm,
    Milestone,
    Severity,
    ShipmentStatus,
    TransportMode,
)

# Where uploads are stored: the migrations name this `upload_to`.
document_path = document_upload_path


def new_tracking_token() -> str:
    return secrets.token_urlsafe(24)


class Shipment(models.Model):
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="shipments"
    )
    reference = models.CharField(max_length=40, help_text="The enterprise's own reference.")
    consignee_name = models.CharField(max_length=200)
    consignee_country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="+"
    )
    origin = models.ForeignKey("reference.Location", on_delete=models.PROTECT, related_name="+")
    destination = models.ForeignKey(
        "reference.Location", on_delete=models.PROTECT, related_name="+"
    )
    transport_mode = models.CharField(max_length=20, choices=TransportMode.choices)
    route = models.CharField(max_length=200, blank=True, help_text="e.g. China-Laos Railway")
    incoterm = models.CharField(max_length=3, choices=Incoterm.choices)
    carrier = models.ForeignKey(
        "accounts.Partner", on_delete=models.PROTECT, related_name="shipments"
    )
    planned_departure = models.DateTimeField()
    planned_arrival = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=ShipmentStatus.choices, default=ShipmentStatus.BOOKED
    )
    # The band is the intersection of the items' product bands, fixed at booking.
    temp_min_c = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    temp_max_c = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    excursion_delay_minutes = models.PositiveIntegerField(default=15)
    excursion_mode = models.CharField(
        max_length=12, choices=ExcursionMode.choices, default=ExcursionMode.CONSECUTIVE
    )
    ignore_minutes_after_loading = models.PositiveIntegerField(
        default=0, help_text="Readings this long after loading do not count towards excursions."
    )
    loaded_at = models.DateTimeField(
        null=True, blank=True, help_text="Loading time; the planned departure when empty."
    )
    tracking_token = models.CharField(max_length=64, unique=True, default=new_tracking_token)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "reference"],
                name="shipment_reference_unique_per_enterprise",
                violation_error_message="This enterprise already has a shipment with this reference.",
            ),
            models.CheckConstraint(
                condition=Q(planned_arrival__gte=F("planned_departure")),
                name="shipment_arrival_after_departure",
                violation_error_message="The planned arrival must not be before the departure.",
            ),
            models.CheckConstraint(
                condition=Q(temp_min_c__isnull=True)
                | Q(temp_max_c__isnull=True)
                | Q(temp_min_c__lte=F("temp_max_c")),
                name="shipment_band_ordered",
                violation_error_message="The band minimum must not exceed its maximum.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ShipmentStatus.CANCELLED) | Q(cancelled_at__isnull=False),
                name="shipment_cancelled_has_time",
                violation_error_message="A cancelled shipment records when it was cancelled.",
            ),
        ]
        indexes = [models.Index(fields=["carrier", "status"]), models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.reference} ({self.get_status_display()})"

    @property
    def is_dispatched(self) -> bool:
        return self.dispatched_at is not None

    @property
    def ignore_until(self):
        """Readings before this time do not count towards excursions (None: all count)."""
        from datetime import timedelta

        if not self.ignore_minutes_after_loading:
            return None
        anchor = self.loaded_at or self.planned_departure
        return anchor + timedelta(minutes=self.ignore_minutes_after_loading)


class ShipmentItem(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        "enterprises.Product", on_delete=models.PROTECT, related_name="shipment_items"
    )
    net_kg = models.DecimalField(max_digits=12, decimal_places=3)
    packages = models.PositiveIntegerField(default=1)
    declared_value = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.ForeignKey("reference.Currency", on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["shipment_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(net_kg__gt=0),
                name="shipment_item_net_kg_positive",
                violation_error_message="The net weight must be positive.",
            ),
            models.CheckConstraint(
                condition=Q(declared_value__gte=0),
                name="shipment_item_value_not_negative",
                violation_error_message="The declared value must not be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.product} {self.net_kg} kg"


class ShipmentDocument(UploadedDocument):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(max_length=30, choices=DocumentType.choices)
    number = models.CharField(max_length=80, blank=True)
    file = models.FileField(upload_to=document_path)  # its table kept the default length

    storage_folder = "shipments/{shipment_id}"

    history = HistoricalRecords()

    class Meta:
        ordering = ["shipment_id", "id"]

    def __str__(self):
        return f"{self.get_doc_type_display()} for {self.shipment_id}"


class TrackingEvent(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    milestone = models.CharField(max_length=20, choices=Milestone.choices)
    occurred_at = models.DateTimeField(help_text="When it happened (stored in UTC).")
    utc_offset_minutes = models.SmallIntegerField(
        default=0, help_text="The offset the time was given with, for local display and EPCIS."
    )
    location = models.ForeignKey(
        "reference.Location", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    event_id = models.CharField(
        max_length=80, blank=True, help_text="The sender's id; a replay with it stores nothing new."
    )
    source = models.CharField(max_length=12, choices=EventSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "event_id"],
                condition=~Q(event_id=""),
                name="tracking_event_id_unique_per_shipment",
                violation_error_message="This event id was already posted for this shipment.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="tracking_event_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="tracking_event_longitude_range",
            ),
        ]
        indexes = [models.Index(fields=["shipment", "occurred_at"])]

    def __str__(self):
        return f"{self.get_milestone_display()} @ {self.occurred_at:%Y-%m-%d %H:%M}"


class SensorReading(models.Model):
    """One temperature (and optional humidity/position) reading of one sensor.

    Natural primary key (shipment, sensor_id, time): idempotent ingestion with ON CONFLICT DO
    NOTHING, no surrogate id column, and a key that can carry a time partition column.
    """

    pk = models.CompositePrimaryKey("shipment", "sensor_id", "time")
    # No database foreign key: its per-row check at commit cost a fifth of a 10,000-reading batch
    # (docs/scaling.md, "Telemetry"). Ingestion writes only under the lock of the shipment's
    # summary row, shipments are never deleted through the API or the admin, and a deletion in
    # code takes the readings with it.
    shipment = models.ForeignKey(
        Shipment,
        on_delete=models.CASCADE,
        related_name="readings",
        db_index=False,
        db_constraint=False,
    )
    sensor_id = models.CharField(max_length=64)
    time = models.DateTimeField()
    temp_c = models.FloatField()
    humidity = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["time", "sensor_id"]
        indexes = [models.Index(fields=["shipment", "time"], name="reading_shipment_time_idx")]

    def __str__(self):
        return f"{self.sensor_id} {self.time:%Y-%m-%d %H:%M:%S} {self.temp_c} °C"


class ReadingRollup(models.Model):
    """Fifteen minutes of one shipment's readings (all sensors): min, max, sum, count.

    Maintained with each batch from the rows actually inserted, so chart buckets whose width is a
    multiple of the slot read one row per slot instead of every reading in it
    (`logistics.telemetry.ROLLUP_SLOT`; docs/scaling.md, "Telemetry").
    """

    pk = models.CompositePrimaryKey("shipment", "slot")
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="rollups", db_index=False
    )
    slot = models.DateTimeField(help_text="Start of the 15-minute slot (UTC, from 2000-01-01).")
    temp_min = models.FloatField()
    temp_max = models.FloatField()
    temp_sum = models.FloatField()
    count = models.IntegerField()

    class Meta:
        ordering = ["slot"]

    def __str__(self):
        return f"{self.shipment_id} {self.slot:%Y-%m-%d %H:%M} n={self.count}"


class TelemetrySummary(models.Model):
    """Running per-shipment figures, updated with each accepted batch (never recomputed per read)."""

    shipment = models.OneToOneField(
        Shipment, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    reading_count = models.BigIntegerField(default=0)
    in_band_count = models.BigIntegerField(default=0)
    temp_min_c = models.FloatField(null=True, blank=True)
    temp_max_c = models.FloatField(null=True, blank=True)
    temp_sum = models.FloatField(default=0)
    # Σ exp(-ΔH / (R·T)) over readings: mean kinetic temperature without re-reading the readings.
    arrhenius_sum = models.FloatField(default=0)
    first_reading_at = models.DateTimeField(null=True, blank=True)
    last_reading_at = models.DateTimeField(null=True, blank=True)
    last_temp_c = models.FloatField(null=True, blank=True)
    excursion_count = models.PositiveIntegerField(default=0)
    excursion_minutes = models.FloatField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"summary of {self.shipment_id}"


class TemperatureExcursion(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="excursions")
    sensor_id = models.CharField(max_length=64)
    started_at = models.DateTimeField(help_text="The first reading outside the band.")
    last_out_at = models.DateTimeField(help_text="The latest reading outside the band.")
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="The first reading back in the band; empty while open."
    )
    peak_c = models.FloatField()
    direction = models.CharField(max_length=5, choices=Direction.choices)
    duration_minutes = models.FloatField()
    severity = models.CharField(max_length=8, choices=Severity.choices)
    started_event_sent = models.BooleanField(default=False)
    ended_event_sent = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledgement_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["started_at", "sensor_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "sensor_id", "started_at"],
                name="excursion_unique_start_per_sensor",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | ~Q(acknowledgement_comment=""),
                name="excursion_acknowledgement_has_comment",
                violation_error_message="An acknowledgement needs a comment.",
            ),
        ]

    def __str__(self):
        return f"excursion {self.sensor_id} from {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
