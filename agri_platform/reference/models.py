from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class Country(models.Model):
    """ISO 3166-1 alpha-2 country with names in English and Simplified Chinese."""

    code = models.CharField(max_length=2, primary_key=True)
    name_en = models.CharField(max_length=100)
    name_zh = models.CharField(max_length=100, blank=True)
    groups = models.JSONField(
        default=list, blank=True, help_text='Market groups, e.g. ["ASEAN", "RCEP"]'
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "countries"

    def __str__(self):
        return f"{self.code} {self.name_en}"


class Currency(models.Model):
    """ISO 4217 currency; `minor_units` is how many decimals an amount may carry."""

    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=100)
    minor_units = models.PositiveSmallIntegerField(default=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "currencies"

    def __str__(self):
        return self.code


class Location(models.Model):
    """A UN/LOCODE place: country alpha-2 plus a 3-character place code (e.g. CNCTU)."""

    code = models.CharField(max_length=5, primary_key=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="locations")
    name = models.CharField(max_length=120)
    name_zh = models.CharField(max_length=120, blank=True)
    name_ascii = models.CharField(max_length=120, blank=True)
    subdivision = models.CharField(max_length=3, blank=True)
    functions = models.CharField(
        max_length=8, blank=True, help_text="UN/LOCODE function classifier"
    )
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class HSCode(models.Model):
    """Harmonized System code: 4/6 digits internationally, 10 (or 13) digits in China's tariff."""

    code = models.CharField(max_length=13, primary_key=True)
    description_en = models.CharField(max_length=300)
    description_zh = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = "HS code"

    def __str__(self):
        return f"{self.code} {self.description_en}"

    @property
    def digits(self) -> int:
        return len(self.code)


class Prefecture(models.Model):
    """One of Sichuan's 21 prefecture-level divisions, keyed by its GB/T 2260 code."""

    code = models.CharField(max_length=6, primary_key=True)
    name_en = models.CharField(max_length=60)
    name_zh = models.CharField(max_length=60)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.name_en} ({self.code})"


class ColdChainProfile(models.Model):
    """Storage band of a product family, matched to products by HS code prefix. Editable by staff.

    Seeded from DOMAIN.md ("Cold-chain profiles"); a product without its own band takes the band of
    the profile whose prefix matches its HS code longest.
    """

    code = models.SlugField(max_length=40, unique=True)
    name_en = models.CharField(max_length=120)
    name_zh = models.CharField(max_length=120, blank=True)
    hs_prefixes = models.JSONField(
        default=list,
        help_text='HS code prefixes (2-10 digits) this profile applies to, e.g. ["080521"]',
    )
    temp_min_c = models.DecimalField(max_digits=5, decimal_places=1)
    temp_max_c = models.DecimalField(max_digits=5, decimal_places=1)
    humidity_max_pct = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True, help_text="What hurts the product")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(temp_min_c__lt=F("temp_max_c")),
                name="coldchain_band_ordered",
                violation_error_message="The minimum temperature must be below the maximum.",
            ),
            models.CheckConstraint(
                condition=Q(humidity_max_pct__isnull=True)
                | (Q(humidity_max_pct__gt=0) & Q(humidity_max_pct__lte=100)),
                name="coldchain_humidity_percent",
                violation_error_message="The humidity limit is a percentage between 0 and 100.",
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
            raise ValidationError({"hs_prefixes": "A list of 2 to 10 digit HS code prefixes."})
