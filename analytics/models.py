"""Pre-aggregated facts for the province dashboard, the FX-rate table and the province targets.

The facts are derived data: logistics and certification call `analytics.services.upsert_*` with
plain values whenever a shipment, application or certificate changes. Nothing here reads the
logistics or certification tables, so the dashboard answers from a few indexed tables only.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agri_platform.reference.choices import ExportCategory

from .choices import TargetMetric

currency_code = RegexValidator(r"^[A-Z]{3}$", "An ISO 4217 code: three capital letters.")


class FxRate(models.Model):
    """How many CNY one unit of `currency` was worth in `month` (maintained by staff)."""

    currency = models.CharField(max_length=3, validators=[currency_code])
    month = models.DateField(help_text="First day of the month the rate applies to.")
    rate_to_cny = models.DecimalField(
        max_digits=18, decimal_places=8, help_text="CNY per one unit of the currency."
    )
    source = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "currency"]
        verbose_name = "FX rate"
        constraints = [
            models.UniqueConstraint(fields=["currency", "month"], name="fxrate_unique_month"),
            models.CheckConstraint(
                condition=Q(rate_to_cny__gt=0),
                name="fxrate_positive",
                violation_error_message="A rate must be above zero.",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="fxrate_month_first_day",
                violation_error_message="The month is given by its first day.",
            ),
        ]

    def __str__(self):
        return f"{self.currency} {self.month:%Y-%m} = {self.rate_to_cny} CNY"


class Target(models.Model):
    """A province target, e.g. 200 verified enterprises by 2026-12-31."""

    name = models.CharField(max_length=200, unique=True)
    metric = models.CharField(max_length=30, choices=TargetMetric.choices)
    value = models.DecimalField(max_digits=20, decimal_places=2)
    unit = models.CharField(max_length=20, help_text="enterprises, CNY, t")
    deadline = models.DateField()
    is_active = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="target_value_positive",
                violation_error_message="A target must be above zero.",
            ),
        ]

    def __str__(self):
        return self.name


class ShipmentFact(models.Model):
    """One row per shipment: shipment-level dimensions, totals and cold-chain quality."""

    shipment_id = models.BigIntegerField(unique=True)
    reference = models.CharField(max_length=60, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+"
    )
    prefecture = models.ForeignKey(
        "reference.Prefecture", on_delete=models.PROTECT, related_name="+"
    )
    destination = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="+")
    carrier = models.ForeignKey(
        "accounts.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    route = models.CharField(max_length=120, blank=True, help_text="e.g. CNCTU-MYPKG")
    transport_mode = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=30)
    departed_on = models.DateField(null=True, blank=True)
    month = models.DateField(null=True, blank=True, help_text="First day of the departure month.")
    is_export = models.BooleanField(help_text="Departed and not cancelled: counted in figures.")
    currency = models.CharField(max_length=3, validators=[currency_code])
    declared_value = models.DecimalField(max_digits=18, decimal_places=2)
    value_cny = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    fx_missing = models.BooleanField(
        default=False, help_text="No FX rate for (currency, month): value_cny is unknown."
    )
    net_kg = models.DecimalField(max_digits=14, decimal_places=3)
    excursion_count = models.PositiveIntegerField(default=0)
    excursion_minutes = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-departed_on", "shipment_id"]
        indexes = [
            models.Index(fields=["is_export", "departed_on"], name="shipfact_export_date"),
            models.Index(fields=["enterprise", "departed_on"], name="shipfact_ent_date"),
            models.Index(fields=["currency", "month"], name="shipfact_fx"),
            models.Index(
                fields=["departed_on"], condition=Q(fx_missing=True), name="shipfact_unconverted"
            ),
        ]

    def __str__(self):
        return f"shipment {self.shipment_id}"


class ShipmentFactLine(models.Model):
    """One row per (shipment, product category), with the shipment's dimensions copied in.

    Value and volume figures read only this table (no join); a shipment with two categories has two
    lines, so shipment counts use COUNT(DISTINCT shipment_id).
    """

    fact = models.ForeignKey(ShipmentFact, on_delete=models.CASCADE, related_name="lines")
    shipment_id = models.BigIntegerField()
    category = models.CharField(max_length=30, choices=ExportCategory.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+"
    )
    prefecture = models.ForeignKey(
        "reference.Prefecture", on_delete=models.PROTECT, related_name="+"
    )
    destination = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="+")
    departed_on = models.DateField(null=True, blank=True)
    month = models.DateField(null=True, blank=True)
    is_export = models.BooleanField()
    currency = models.CharField(max_length=3)
    declared_value = models.DecimalField(max_digits=18, decimal_places=2)
    value_cny = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    net_kg = models.DecimalField(max_digits=14, decimal_places=3)
    is_primary = models.BooleanField(
        default=True, help_text="The shipment's first line: counts the shipment once."
    )

    class Meta:
        ordering = ["fact_id", "category"]
        indexes = [
            models.Index(fields=["is_export", "departed_on"], name="shipline_export_date"),
            models.Index(fields=["enterprise", "departed_on"], name="shipline_ent_date"),
            models.Index(fields=["currency", "month"], name="shipline_fx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["fact", "category"], name="shipline_unique_category"),
            models.CheckConstraint(
                condition=Q(net_kg__gte=0) & Q(declared_value__gte=0),
                name="shipline_not_negative",
                violation_error_message="Value and weight cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"shipment {self.shipment_id} {self.category}"


class ExportRollup(models.Model):
    """Export lines summed per (month, enterprise, prefecture, destination, category).

    Rebuilt from ShipmentFactLine for each (month, enterprise) slice a change touches, so it is
    always exactly the sum of the lines. An enterprise's own whole-month figures read it; province
    figures read `ExportCube` and `ExportPresence`, which are kept in step with it.
    """

    month = models.DateField()
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+"
    )
    prefecture = models.ForeignKey(
        "reference.Prefecture", on_delete=models.PROTECT, related_name="+"
    )
    destination = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=30, choices=ExportCategory.choices)
    value_cny = models.DecimalField(
        max_digits=22, decimal_places=2, help_text="Sum of the converted lines only."
    )
    net_kg = models.DecimalField(max_digits=18, decimal_places=3)
    shipments = models.PositiveIntegerField(help_text="Lines: shipments of this category.")
    shipment_heads = models.PositiveIntegerField(help_text="Shipments counted once each.")
    unconverted = models.PositiveIntegerField(help_text="Lines without an FX rate.")
    unconverted_heads = models.PositiveIntegerField()

    class Meta:
        ordering = ["month", "enterprise_id"]
        indexes = [
            models.Index(fields=["month"], name="rollup_month"),
            models.Index(fields=["enterprise", "month"], name="rollup_ent_month"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "enterprise", "prefecture", "destination", "category"],
                name="rollup_unique_cell",
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.enterprise_id} {self.destination_id} {self.category}"


class CubeDimension(models.TextChoices):
    """What an `ExportCube` row is grouped by (regions are summed from destinations on read)."""

    TOTAL = "total", "Province total"
    CATEGORY = "category", "Product category"
    DESTINATION = "destination", "Destination country"
    PREFECTURE = "prefecture", "Prefecture"
    ENTERPRISE = "enterprise", "Enterprise"
    CARRIER = "carrier", "Carrier (cold chain only)"
    ROUTE = "route", "Route (cold chain only)"


class ExportCube(models.Model):
    """Province figures per (month, dimension, group): a few hundred rows per month.

    Kept in step with `ExportRollup` by deltas in the same transaction (`services.refresh_rollup`),
    so `SUM`s over a window read hundreds of rows, not the rollup's tens of thousands.
    `enterprises` is the number of distinct enterprises *in that month*; distinct counts over
    several months come from `ExportPresence`. For `category` rows `shipments`/`unconverted`
    count lines, for the other dimensions shipments (each once). `carrier` and `route` rows carry
    only the cold-chain columns; the `total` row carries both.
    """

    month = models.DateField()
    dimension = models.CharField(max_length=20, choices=CubeDimension.choices)
    group_key = models.CharField(
        max_length=120, blank=True, help_text="Category, country, prefecture code, id or route."
    )
    value_cny = models.DecimalField(max_digits=22, decimal_places=2, default=0)
    net_kg = models.DecimalField(max_digits=18, decimal_places=3, default=0)
    shipments = models.IntegerField(default=0)
    unconverted = models.IntegerField(default=0)
    enterprises = models.IntegerField(default=0)
    clean_shipments = models.IntegerField(default=0, help_text="Shipments without an excursion.")
    excursion_minutes = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["month", "dimension", "group_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "month", "group_key"], name="cube_unique_cell"
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.dimension} {self.group_key}"


class ExportPresence(models.Model):
    """In which months of `year` an enterprise exported in a group: bit 0 = January.

    Distinct-enterprise counts over any set of whole months read these rows (one per enterprise,
    group and year) instead of the rollup. Rewritten per (enterprise, year) with the rollup slice.
    """

    dimension = models.CharField(max_length=20, choices=CubeDimension.choices)
    group_key = models.CharField(max_length=120, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    months = models.IntegerField(help_text="Bit mask of the months with an export (bit 0 = Jan).")

    class Meta:
        ordering = ["dimension", "year", "group_key"]
        indexes = [
            models.Index(fields=["dimension", "year", "group_key"], name="presence_read"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "dimension", "group_key"],
                name="presence_unique",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.dimension} {self.group_key} {self.enterprise_id}"


class CertificationFact(models.Model):
    """One row per certification application."""

    application_id = models.BigIntegerField(unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+"
    )
    prefecture = models.ForeignKey(
        "reference.Prefecture", on_delete=models.PROTECT, related_name="+"
    )
    scheme_code = models.CharField(max_length=40)
    status = models.CharField(max_length=30)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    review_days = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    sla_days = models.PositiveIntegerField()
    sla_due_at = models.DateTimeField(null=True, blank=True)
    sla_breached = models.BooleanField(
        default=False, help_text="Decided after the SLA due time (open ones are judged live)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status"], name="certfact_status"),
            models.Index(fields=["decided_at"], name="certfact_decided"),
            models.Index(fields=["enterprise", "status"], name="certfact_ent"),
        ]

    def __str__(self):
        return f"application {self.application_id}"


class CertificateFact(models.Model):
    """One row per issued certificate, for "expiring in 90 days"."""

    certificate_id = models.BigIntegerField(unique=True)
    application_id = models.BigIntegerField(null=True, blank=True)
    number = models.CharField(max_length=60, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+"
    )
    scheme_code = models.CharField(max_length=40)
    status = models.CharField(max_length=30)
    in_force = models.BooleanField(help_text="Valid now: not suspended, revoked or expired.")
    valid_until = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["valid_until"]
        indexes = [models.Index(fields=["in_force", "valid_until"], name="certificatefact_expiry")]

    def __str__(self):
        return self.number or f"certificate {self.certificate_id}"
