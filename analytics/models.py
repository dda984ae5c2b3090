"""Pre-aggregated facts for the province dashboard, the FX-rate table and the province targets.

The facts are derived data: logistics and certification call `analytics.services.upsert_*` with
plain values whenever a shipment, application or certificate changes. Nothing here reads the
logistics or certification tables, so the dashboard answers from a few indexed tables only.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agri_platform.reference.choices import ExportCategory

from .choices import TargetMetric

currency_code = RegexValidator(r"^[A-Z]{3}$", _("An ISO 4217 code: three capital letters."))


class FxRate(models.Model):
    """How many CNY one unit of `currency` was worth in `month` (maintained by staff)."""

    currency = models.CharField(
        verbose_name=_("Currency"), max_length=3, validators=[currency_code]
    )
    month = models.DateField(
        verbose_name=_("Month"), help_text=_("First day of the month the rate applies to.")
    )
    rate_to_cny = models.DecimalField(
        verbose_name=_("Rate to CNY"),
        max_digits=18,
        decimal_places=8,
        help_text=_("CNY per one unit of the currency."),
    )
    source = models.CharField(verbose_name=_("Source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(verbose_name=_("Updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("FX rate")
        verbose_name_plural = _("FX rates")
        ordering = ["-month", "currency"]
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

    name = models.CharField(verbose_name=_("Name"), max_length=200, unique=True)
    metric = models.CharField(verbose_name=_("Metric"), max_length=30, choices=TargetMetric.choices)
    value = models.DecimalField(verbose_name=_("Target value"), max_digits=20, decimal_places=2)
    unit = models.CharField(
        verbose_name=_("Unit"), max_length=20, help_text=_("enterprises, CNY, t")
    )
    deadline = models.DateField(verbose_name=_("Deadline"))
    is_active = models.BooleanField(verbose_name=_("Active"), default=True)
    notes = models.TextField(verbose_name=_("Notes"), blank=True)
    updated_at = models.DateTimeField(verbose_name=_("Updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Target")
        verbose_name_plural = _("Targets")
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

    shipment_id = models.BigIntegerField(verbose_name=_("Shipment ID"), unique=True)
    reference = models.CharField(verbose_name=_("Reference"), max_length=60, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("Enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    prefecture = models.ForeignKey(
        "reference.Prefecture",
        verbose_name=_("Prefecture"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    destination = models.ForeignKey(
        "reference.Country",
        verbose_name=_("Destination country"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    carrier = models.ForeignKey(
        "accounts.Partner",
        verbose_name=_("Carrier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    route = models.CharField(
        verbose_name=_("Route"), max_length=120, blank=True, help_text=_("e.g. CNCTU-MYPKG")
    )
    transport_mode = models.CharField(verbose_name=_("Transport mode"), max_length=20, blank=True)
    status = models.CharField(verbose_name=_("Status"), max_length=30)
    departed_on = models.DateField(verbose_name=_("Departure date"), null=True, blank=True)
    month = models.DateField(
        verbose_name=_("Month"),
        null=True,
        blank=True,
        help_text=_("First day of the departure month."),
    )
    is_export = models.BooleanField(
        verbose_name=_("Counted as export"),
        help_text=_("Departed and not cancelled: counted in figures."),
    )
    currency = models.CharField(
        verbose_name=_("Currency"), max_length=3, validators=[currency_code]
    )
    declared_value = models.DecimalField(
        verbose_name=_("Declared value"), max_digits=18, decimal_places=2
    )
    value_cny = models.DecimalField(
        verbose_name=_("Value (CNY)"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    fx_missing = models.BooleanField(
        verbose_name=_("FX rate missing"),
        default=False,
        help_text=_("No FX rate for (currency, month): value_cny is unknown."),
    )
    net_kg = models.DecimalField(verbose_name=_("Net weight (kg)"), max_digits=14, decimal_places=3)
    excursion_count = models.PositiveIntegerField(
        verbose_name=pgettext_lazy("count", "Temperature excursions"), default=0
    )
    excursion_minutes = models.PositiveIntegerField(verbose_name=_("Excursion minutes"), default=0)
    updated_at = models.DateTimeField(verbose_name=_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Shipment fact")
        verbose_name_plural = _("Shipment facts")
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

    fact = models.ForeignKey(
        ShipmentFact,
        verbose_name=_("Shipment fact"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    shipment_id = models.BigIntegerField(verbose_name=_("Shipment ID"))
    category = models.CharField(
        verbose_name=_("Category"), max_length=30, choices=ExportCategory.choices
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("Enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    prefecture = models.ForeignKey(
        "reference.Prefecture",
        verbose_name=_("Prefecture"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    destination = models.ForeignKey(
        "reference.Country",
        verbose_name=_("Destination country"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    departed_on = models.DateField(verbose_name=_("Departure date"), null=True, blank=True)
    month = models.DateField(verbose_name=_("Month"), null=True, blank=True)
    is_export = models.BooleanField(verbose_name=_("Counted as export"))
    currency = models.CharField(verbose_name=_("Currency"), max_length=3)
    declared_value = models.DecimalField(
        verbose_name=_("Declared value"), max_digits=18, decimal_places=2
    )
    value_cny = models.DecimalField(
        verbose_name=_("Value (CNY)"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    net_kg = models.DecimalField(verbose_name=_("Net weight (kg)"), max_digits=14, decimal_places=3)
    is_primary = models.BooleanField(
        verbose_name=_("First line of the shipment"),
        default=True,
        help_text=_("The shipment's first line: counts the shipment once."),
    )

    class Meta:
        verbose_name = _("Shipment fact line")
        verbose_name_plural = _("Shipment fact lines")
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

    month = models.DateField(verbose_name=_("Month"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("Enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    prefecture = models.ForeignKey(
        "reference.Prefecture",
        verbose_name=_("Prefecture"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    destination = models.ForeignKey(
        "reference.Country",
        verbose_name=_("Destination country"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField(
        verbose_name=_("Category"), max_length=30, choices=ExportCategory.choices
    )
    value_cny = models.DecimalField(
        verbose_name=_("Value (CNY)"),
        max_digits=22,
        decimal_places=2,
        help_text=_("Sum of the converted lines only."),
    )
    net_kg = models.DecimalField(verbose_name=_("Net weight (kg)"), max_digits=18, decimal_places=3)
    shipments = models.PositiveIntegerField(
        verbose_name=_("Shipments"), help_text=_("Lines: shipments of this category.")
    )
    shipment_heads = models.PositiveIntegerField(
        verbose_name=_("Shipments counted once"), help_text=_("Shipments counted once each.")
    )
    unconverted = models.PositiveIntegerField(
        verbose_name=_("Unconverted lines"), help_text=_("Lines without an FX rate.")
    )
    unconverted_heads = models.PositiveIntegerField(verbose_name=_("Unconverted shipments"))

    class Meta:
        verbose_name = _("Monthly export rollup")
        verbose_name_plural = _("Monthly export rollups")
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

    TOTAL = "total", _("Province total")
    CATEGORY = "category", _("Product category")
    DESTINATION = "destination", _("Destination country")
    PREFECTURE = "prefecture", _("Prefecture")
    ENTERPRISE = "enterprise", _("Enterprise")
    CARRIER = "carrier", _("Carrier (cold chain only)")
    ROUTE = "route", _("Route (cold chain only)")


class ExportCube(models.Model):
    """Province figures per (month, dimension, group): a few hundred rows per month.

    Kept in step with `ExportRollup` by deltas in the same transaction (`services.refresh_rollup`),
    so `SUM`s over a window read hundreds of rows, not the rollup's tens of thousands.
    `enterprises` is the number of distinct enterprises *in that month*; distinct counts over
    several months come from `ExportPresence`. For `category` rows `shipments`/`unconverted`
    count lines, for the other dimensions shipments (each once). `carrier` and `route` rows carry
    only the cold-chain columns; the `total` row carries both.
    """

    month = models.DateField(verbose_name=_("Month"))
    dimension = models.CharField(
        verbose_name=_("Dimension"), max_length=20, choices=CubeDimension.choices
    )
    group_key = models.CharField(
        verbose_name=_("Group key"),
        max_length=120,
        blank=True,
        help_text=_("Category, country, prefecture code, id or route."),
    )
    value_cny = models.DecimalField(
        verbose_name=_("Value (CNY)"), max_digits=22, decimal_places=2, default=0
    )
    net_kg = models.DecimalField(
        verbose_name=_("Net weight (kg)"), max_digits=18, decimal_places=3, default=0
    )
    shipments = models.IntegerField(verbose_name=_("Shipments"), default=0)
    unconverted = models.IntegerField(verbose_name=_("Unconverted lines"), default=0)
    enterprises = models.IntegerField(verbose_name=pgettext_lazy("count", "Enterprises"), default=0)
    clean_shipments = models.IntegerField(
        verbose_name=_("Shipments without excursion"),
        default=0,
        help_text=_("Shipments without an excursion."),
    )
    excursion_minutes = models.BigIntegerField(verbose_name=_("Excursion minutes"), default=0)

    class Meta:
        verbose_name = _("Export cube row")
        verbose_name_plural = _("Export cube rows")
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

    dimension = models.CharField(
        verbose_name=_("Dimension"), max_length=20, choices=CubeDimension.choices
    )
    group_key = models.CharField(verbose_name=_("Group key"), max_length=120, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("Enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("Year"))
    months = models.IntegerField(
        verbose_name=_("Months with exports"),
        help_text=_("Bit mask of the months with an export (bit 0 = Jan)."),
    )

    class Meta:
        verbose_name = _("Export presence")
        verbose_name_plural = _("Export presence")
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

    application_id = models.BigIntegerField(verbose_name=_("Application ID"), unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("Enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    prefecture = models.ForeignKey(
        "reference.Prefecture",
        verbose_name=_("Prefecture"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scheme_code = models.CharField(verbose_name=_("Scheme code"), max_length=40)
    status = models.CharField(verbose_name=_("Status"), max_length=30)
    submitted_at = models.DateTimeField(verbose_name=_("Submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(verbose_name=_("Decided at"), null=True, blank=True)
    review_days = models.DecimalField(
        verbose_name=_("Review days"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    sla_days = models.PositiveIntegerField(verbose_name=_("SLA days"))
    sla_due_at = models.DateTimeField(verbose_name=_("SLA due at"), null=True, blank=True)
    sla_breached = models.BooleanField(
        verbose_name=_("SLA breached"),
        default=False,
        help_text=_("Decided after the SLA due time (open ones are judged live)."),
    )
    updated_at = models.DateTimeField(verbose_name=_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Certification application fact")
        verbose_name_plural = _("Certification application facts")
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

    certificate_id = models.BigIntegerField(verbose_name=_("Certificate ID"), unique=True)
    application_id = models.BigIntegerField(verbose_name=_("Application ID"), null=True, blank=True)
    number = models.CharField(verbose_name=_("Certificate number"), max_length=60, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("Enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    scheme_code = models.CharField(verbose_name=_("Scheme code"), max_length=40)
    status = models.CharField(verbose_name=_("Status"), max_length=30)
    in_force = models.BooleanField(
        verbose_name=_("In force"), help_text=_("Valid now: not suspended, revoked or expired.")
    )
    valid_until = models.DateField(verbose_name=_("Valid until"), null=True, blank=True)
    updated_at = models.DateTimeField(verbose_name=_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Certificate fact")
        verbose_name_plural = _("Certificate facts")
        ordering = ["valid_until"]
        indexes = [models.Index(fields=["in_force", "valid_until"], name="certificatefact_expiry")]

    def __str__(self):
        return self.number or f"certificate {self.certificate_id}"
