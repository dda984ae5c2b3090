from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import ExportCategory


class Country(models.Model):
    """ISO 3166-1 alpha-2 country with names in English and Simplified Chinese."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name_en = models.CharField(_("English name"), max_length=100)
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True)
    groups = models.JSONField(
        _("market groups"),
        default=list,
        blank=True,
        help_text=_('Market groups, e.g. ["ASEAN", "RCEP"]'),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return f"{self.code} {self.name_en}"


class Currency(models.Model):
    """ISO 4217 currency; `minor_units` is how many decimals an amount may carry."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    minor_units = models.PositiveSmallIntegerField(_("minor units"), default=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")

    def __str__(self):
        return self.code


class Location(models.Model):
    """A UN/LOCODE place: country alpha-2 plus a 3-character place code (e.g. CNCTU)."""

    code = models.CharField(_("UN/LOCODE"), max_length=5, primary_key=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="locations", verbose_name=_("country")
    )
    name = models.CharField(_("name"), max_length=120)
    name_zh = models.CharField(_("Chinese name"), max_length=120, blank=True)
    name_ascii = models.CharField(_("name without diacritics"), max_length=120, blank=True)
    subdivision = models.CharField(_("subdivision"), max_length=3, blank=True)
    functions = models.CharField(
        _("functions"), max_length=8, blank=True, help_text=_("UN/LOCODE function classifier")
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self):
        return f"{self.code} {self.name}"


class HSCode(models.Model):
    """Harmonized System code: 4/6 digits internationally, 10 (or 13) digits in China's tariff."""

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    description_en = models.CharField(_("English description"), max_length=300)
    description_zh = models.CharField(_("Chinese description"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("HS code")
        verbose_name_plural = _("HS codes")

    def __str__(self):
        return f"{self.code} {self.description_en}"

    @property
    def digits(self) -> int:
        return len(self.code)


class Prefecture(models.Model):
    """One of Sichuan's 21 prefecture-level divisions, keyed by its GB/T 2260 code."""

    code = models.CharField(_("GB/T 2260 code"), max_length=6, primary_key=True)
    name_en = models.CharField(_("English name"), max_length=60)
    name_zh = models.CharField(_("Chinese name"), max_length=60)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")

    def __str__(self):
        return f"{self.name_en} ({self.code})"


class ColdChainProfile(models.Model):
    """Storage band of a product family, matched to products by HS code prefix. Editable by staff.

    Seeded from DOMAIN.md ("Cold-chain profiles"); a product without its own band takes the band of
    the profile whose prefix matches its HS code longest.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=120)
    name_zh = models.CharField(_("Chinese name"), max_length=120, blank=True)
    hs_prefixes = models.JSONField(
        _("HS code prefixes"),
        default=list,
        help_text=_('HS code prefixes (2-10 digits) this profile applies to, e.g. ["080521"]'),
    )
    temp_min_c = models.DecimalField(_("minimum temperature (°C)"), max_digits=5, decimal_places=1)
    temp_max_c = models.DecimalField(_("maximum temperature (°C)"), max_digits=5, decimal_places=1)
    humidity_max_pct = models.DecimalField(
        _("maximum humidity (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    notes = models.CharField(
        _("notes"), max_length=300, blank=True, help_text=_("What hurts the product")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("cold-chain profile")
        verbose_name_plural = _("cold-chain profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(temp_min_c__lt=F("temp_max_c")),
                name="coldchain_band_ordered",
                violation_error_message=_("The minimum temperature must be below the maximum."),
            ),
            models.CheckConstraint(
                condition=Q(humidity_max_pct__isnull=True)
                | (Q(humidity_max_pct__gt=0) & Q(humidity_max_pct__lte=100)),
                name="coldchain_humidity_percent",
                violation_error_message=_("The humidity limit is a percentage between 0 and 100."),
            ),
        ]

    def __str__(self):
        return f"{self.name_en} ({self.temp_min_c} to {self.temp_max_c} °C)"

    def clean(self):
        from django.core.exceptions import ValidationError

        prefixes = self.hs_prefixes
        if not isinstance(prefixes, list) or not all(
            isinstance(p, str) and p.isdigit() and 2 <= len(p) <= 10 for p in prefixes
        ):
            raise ValidationError({"hs_prefixes": _("A list of 2 to 10 digit HS code prefixes.")})


class SupplySeason(models.Model):
    """The main supply months of a product group from China's big northern producing provinces
    (Shandong, Hebei, Shaanxi, Liaoning …), matched to products by HS code prefix (longest wins) or,
    for a row without prefixes, by export category. Editable by staff.

    The catalogue marks a Sichuan product's available months outside these as off-season: the
    staggered harvest window buyers come for. Seeded from data/supply_seasons.csv.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=120)
    name_zh = models.CharField(_("Chinese name"), max_length=120, blank=True)
    hs_prefixes = models.JSONField(
        _("HS code prefixes"),
        default=list,
        blank=True,
        help_text=_('HS code prefixes (2-10 digits) this season applies to, e.g. ["0805"]'),
    )
    category = models.CharField(
        _("category"),
        max_length=30,
        choices=ExportCategory.choices,
        blank=True,
        help_text=_("Applies to products of this category when no prefix matches them"),
    )
    provinces_en = models.CharField(_("provinces (English)"), max_length=300)
    provinces_zh = models.CharField(_("provinces (Chinese)"), max_length=300, blank=True)
    months = models.JSONField(
        _("main supply months"), default=list, help_text=_("Month numbers 1–12, sorted")
    )
    source_note = models.CharField(
        _("source"), max_length=500, blank=True, help_text=_("Where the months come from")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("supply season")
        verbose_name_plural = _("supply seasons")

    def __str__(self):
        return self.name_en

    def clean(self):
        from django.core.exceptions import ValidationError

        prefixes = self.hs_prefixes
        if not isinstance(prefixes, list) or not all(
            isinstance(p, str) and p.isdigit() and 2 <= len(p) <= 10 for p in prefixes
        ):
            raise ValidationError({"hs_prefixes": _("A list of 2 to 10 digit HS code prefixes.")})
        if not prefixes and not self.category:
            raise ValidationError({"category": _("Give HS code prefixes, a category, or both.")})
        months = self.months
        if not isinstance(months, list) or not all(
            isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in months
        ):
            raise ValidationError({"months": _("A list of month numbers 1–12.")})
        self.months = sorted(set(months))
