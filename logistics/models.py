"""Cold-chain shipments, their tracking events, sensor telemetry and temperature excursions.

`SensorReading` is the big table (hundreds of millions of rows): its primary key is the natural key
(shipment, sensor, time), which is also what makes ingestion idempotent, and a second btree index on
(shipment, time) serves range reads and chart buckets. See docs/scaling.md ("Telemetry").
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agri_platform.api.documents import UploadedDocument, document_upload_path
from agri_platform.reference.choices import Incoterm
from certification.choices import DocumentType

from .choices import (
    Direction,
    EventSource,
    ExcursionMode,
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
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="shipments",
        verbose_name=_("enterprise"),
    )
    reference = models.CharField(
        _("reference"), max_length=40, help_text=_("The enterprise's own reference.")
    )
    consignee_name = models.CharField(_("consignee"), max_length=200)
    consignee_country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("consignee country"),
    )
    origin = models.ForeignKey(
        "reference.Location", on_delete=models.PROTECT, related_name="+", verbose_name=_("origin")
    )
    destination = models.ForeignKey(
        "reference.Location",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("destination"),
    )
    transport_mode = models.CharField(
        _("transport mode"), max_length=20, choices=TransportMode.choices
    )
    route = models.CharField(
        _("route"), max_length=200, blank=True, help_text=_("e.g. China-Laos Railway")
    )
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    carrier = models.ForeignKey(
        "accounts.Partner",
        on_delete=models.PROTECT,
        related_name="shipments",
        verbose_name=_("carrier"),
    )
    planned_departure = models.DateTimeField(_("planned departure"))
    planned_arrival = models.DateTimeField(_("planned arrival"))
    status = models.CharField(
        _("status"), max_length=12, choices=ShipmentStatus.choices, default=ShipmentStatus.BOOKED
    )
    # The band is the intersection of the items' product bands, fixed at booking.
    temp_min_c = models.DecimalField(
        _("minimum temperature (°C)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    temp_max_c = models.DecimalField(
        _("maximum temperature (°C)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    excursion_delay_minutes = models.PositiveIntegerField(
        _("excursion delay (minutes)"),
        default=15,
        help_text=_("How long readings may stay outside the band before it is an excursion."),
    )
    excursion_mode = models.CharField(
        _("excursion mode"),
        max_length=12,
        choices=ExcursionMode.choices,
        default=ExcursionMode.CONSECUTIVE,
    )
    ignore_minutes_after_loading = models.PositiveIntegerField(
        _("minutes ignored after loading"),
        default=0,
        help_text=_("Readings this long after loading do not count towards excursions."),
    )
    loaded_at = models.DateTimeField(
        _("loaded at"),
        null=True,
        blank=True,
        help_text=_("Loading time; the planned departure when empty."),
    )
    tracking_token = models.CharField(
        _("tracking token"), max_length=64, unique=True, default=new_tracking_token
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("booked by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(
        pgettext_lazy("shipment", "dispatched at"), null=True, blank=True
    )
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dispatched by"),
    )
    delivered_at = models.DateTimeField(
        pgettext_lazy("shipment", "delivered at"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.TextField(_("cancellation reason"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "reference"],
                name="shipment_reference_unique_per_enterprise",
                violation_error_message=_(
                    "This enterprise already has a shipment with this reference."
                ),
            ),
            models.CheckConstraint(
                condition=Q(planned_arrival__gte=F("planned_departure")),
                name="shipment_arrival_after_departure",
                violation_error_message=_("The planned arrival must not be before the departure."),
            ),
            models.CheckConstraint(
                condition=Q(temp_min_c__isnull=True)
                | Q(temp_max_c__isnull=True)
                | Q(temp_min_c__lte=F("temp_max_c")),
                name="shipment_band_ordered",
                violation_error_message=_("The band minimum must not exceed its maximum."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ShipmentStatus.CANCELLED) | Q(cancelled_at__isnull=False),
                name="shipment_cancelled_has_time",
                violation_error_message=_("A cancelled shipment records when it was cancelled."),
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
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="items", verbose_name=_("shipment")
    )
    product = models.ForeignKey(
        "enterprises.Product",
        on_delete=models.PROTECT,
        related_name="shipment_items",
        verbose_name=_("product"),
    )
    net_kg = models.DecimalField(_("net weight (kg)"), max_digits=12, decimal_places=3)
    packages = models.PositiveIntegerField(_("packages"), default=1)
    declared_value = models.DecimalField(_("declared value"), max_digits=14, decimal_places=2)
    currency = models.ForeignKey(
        "reference.Currency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("currency"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shipment item")
        verbose_name_plural = _("shipment items")
        ordering = ["shipment_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(net_kg__gt=0),
                name="shipment_item_net_kg_positive",
                violation_error_message=_("The net weight must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(declared_value__gte=0),
                name="shipment_item_value_not_negative",
                violation_error_message=_("The declared value must not be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.product} {self.net_kg} kg"


class ShipmentDraft(models.Model):
    """A shipment not yet booked, filled in from elsewhere (a buyer's accepted quote): destination,
    consignee and items, with the readiness check for the destination market as it stood when the
    draft was opened. The enterprise books it (carrier, dates) from the booking page."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="shipment_drafts",
        verbose_name=_("enterprise"),
    )
    source = models.CharField(
        _("opened from"),
        max_length=200,
        help_text=_("What the draft was filled in from, as people read it (e.g. a quote)."),
    )
    consignee_name = models.CharField(_("consignee"), max_length=200)
    consignee_country = models.ForeignKey(
        "reference.Country",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("consignee country"),
    )
    destination = models.ForeignKey(
        "reference.Location",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("destination"),
    )
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    ready_by = models.DateField(
        _("to dispatch by"), null=True, blank=True, help_text=_("From the quote's lead time.")
    )
    readiness = models.JSONField(
        _("readiness when opened"),
        default=list,
        blank=True,
        help_text=_("Each requirement of the destination market, met or not, when opened."),
    )
    readiness_checked_at = models.DateTimeField(_("readiness checked at"), null=True, blank=True)
    shipment = models.OneToOneField(
        Shipment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="draft",
        verbose_name=_("booked as"),
    )
    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shipment draft")
        verbose_name_plural = _("shipment drafts")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return gettext("Shipment draft #%(id)s") % {"id": self.pk}


class ShipmentDraftItem(models.Model):
    draft = models.ForeignKey(
        ShipmentDraft, on_delete=models.CASCADE, related_name="items", verbose_name=_("draft")
    )
    product = models.ForeignKey(
        "enterprises.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    net_kg = models.DecimalField(
        _("net weight (kg)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    packages = models.PositiveIntegerField(_("packages"), null=True, blank=True)
    declared_value = models.DecimalField(
        _("declared value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.ForeignKey(
        "reference.Currency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("currency"),
    )

    class Meta:
        verbose_name = _("shipment draft item")
        verbose_name_plural = _("shipment draft items")
        ordering = ["draft_id", "id"]

    def __str__(self):
        return f"{self.product} {self.net_kg or ''} kg"


class ShipmentDocument(UploadedDocument):
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="documents", verbose_name=_("shipment")
    )
    doc_type = models.CharField(_("document type"), max_length=30, choices=DocumentType.choices)
    number = models.CharField(_("document number"), max_length=80, blank=True)
    # its table kept the default length
    file = models.FileField(_("file"), upload_to=document_path)

    storage_folder = "shipments/{shipment_id}"

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shipment document")
        verbose_name_plural = _("shipment documents")
        ordering = ["shipment_id", "id"]

    def __str__(self):
        return gettext("%(document_type)s of shipment %(shipment)s") % {
            "document_type": self.get_doc_type_display(),
            "shipment": self.shipment_id,
        }


class TrackingEvent(models.Model):
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="events", verbose_name=_("shipment")
    )
    milestone = models.CharField(_("milestone"), max_length=20, choices=Milestone.choices)
    occurred_at = models.DateTimeField(
        _("occurred at"), help_text=_("When it happened (stored in UTC).")
    )
    utc_offset_minutes = models.SmallIntegerField(
        _("UTC offset (minutes)"),
        default=0,
        help_text=_("The offset the time was given with, for local display and EPCIS."),
    )
    location = models.ForeignKey(
        "reference.Location",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("location"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    event_id = models.CharField(
        _("event id"),
        max_length=80,
        blank=True,
        help_text=_("The sender's id; a replay with it stores nothing new."),
    )
    source = models.CharField(
        pgettext_lazy("tracking event", "source"), max_length=12, choices=EventSource.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "event_id"],
                condition=~Q(event_id=""),
                name="tracking_event_id_unique_per_shipment",
                violation_error_message=_("This event id was already posted for this shipment."),
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

    pk = models.CompositePrimaryKey(
        "shipment", "sensor_id", "time", verbose_name=_("shipment, sensor and time")
    )
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
        verbose_name=_("shipment"),
    )
    sensor_id = models.CharField(_("sensor id"), max_length=64)
    time = models.DateTimeField(_("time"))
    temp_c = models.FloatField(_("temperature (°C)"))
    humidity = models.FloatField(_("relative humidity (%)"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("sensor reading")
        verbose_name_plural = _("sensor readings")
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

    pk = models.CompositePrimaryKey("shipment", "slot", verbose_name=_("shipment and slot"))
    shipment = models.ForeignKey(
        Shipment,
        on_delete=models.CASCADE,
        related_name="rollups",
        db_index=False,
        verbose_name=_("shipment"),
    )
    slot = models.DateTimeField(
        _("slot"), help_text=_("Start of the 15-minute slot (UTC, from 2000-01-01).")
    )
    temp_min = models.FloatField(_("minimum temperature (°C)"))
    temp_max = models.FloatField(_("maximum temperature (°C)"))
    temp_sum = models.FloatField(_("sum of temperatures"))
    count = models.IntegerField(_("number of readings"))

    class Meta:
        verbose_name = _("reading rollup")
        verbose_name_plural = _("reading rollups")
        ordering = ["slot"]

    def __str__(self):
        return f"{self.shipment_id} {self.slot:%Y-%m-%d %H:%M} n={self.count}"


class TelemetrySummary(models.Model):
    """Running per-shipment figures, updated with each accepted batch (never recomputed per read)."""

    shipment = models.OneToOneField(
        Shipment,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="summary",
        verbose_name=_("shipment"),
    )
    reading_count = models.BigIntegerField(_("number of readings"), default=0)
    in_band_count = models.BigIntegerField(_("readings in the band"), default=0)
    temp_min_c = models.FloatField(_("minimum temperature (°C)"), null=True, blank=True)
    temp_max_c = models.FloatField(_("maximum temperature (°C)"), null=True, blank=True)
    temp_sum = models.FloatField(_("sum of temperatures"), default=0)
    # Σ exp(-ΔH / (R·T)) over readings: mean kinetic temperature without re-reading the readings.
    arrhenius_sum = models.FloatField(_("Arrhenius sum"), default=0)
    first_reading_at = models.DateTimeField(_("first reading at"), null=True, blank=True)
    last_reading_at = models.DateTimeField(_("last reading at"), null=True, blank=True)
    last_temp_c = models.FloatField(_("last temperature (°C)"), null=True, blank=True)
    excursion_count = models.PositiveIntegerField(_("number of excursions"), default=0)
    excursion_minutes = models.FloatField(_("minutes in excursion"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("telemetry summary")
        verbose_name_plural = _("telemetry summaries")

    def __str__(self):
        return gettext("Telemetry summary of shipment %(shipment)s") % {
            "shipment": self.shipment_id
        }


class TemperatureExcursion(models.Model):
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="excursions", verbose_name=_("shipment")
    )
    sensor_id = models.CharField(_("sensor id"), max_length=64)
    started_at = models.DateTimeField(
        _("started at"), help_text=_("The first reading outside the band.")
    )
    last_out_at = models.DateTimeField(
        _("last reading outside"), help_text=_("The latest reading outside the band.")
    )
    ended_at = models.DateTimeField(
        _("ended at"),
        null=True,
        blank=True,
        help_text=_("The first reading back in the band; empty while open."),
    )
    peak_c = models.FloatField(_("peak temperature (°C)"))
    direction = models.CharField(_("direction"), max_length=5, choices=Direction.choices)
    duration_minutes = models.FloatField(_("duration (minutes)"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    started_event_sent = models.BooleanField(_("start announced"), default=False)
    ended_event_sent = models.BooleanField(_("end announced"), default=False)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledgement_comment = models.TextField(_("acknowledgement comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("temperature excursion")
        verbose_name_plural = _("temperature excursions")
        ordering = ["started_at", "sensor_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "sensor_id", "started_at"],
                name="excursion_unique_start_per_sensor",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | ~Q(acknowledgement_comment=""),
                name="excursion_acknowledgement_has_comment",
                violation_error_message=_("An acknowledgement needs a comment."),
            ),
        ]

    def __str__(self):
        return gettext("Excursion of sensor %(sensor)s from %(start)s") % {
            "sensor": self.sensor_id,
            "start": f"{self.started_at:%Y-%m-%d %H:%M}",
        }

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
