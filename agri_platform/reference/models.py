from django.db import models


class Country(models.Model):
    """ISO 3166-1 alpha-2 country with names in English and Simplified Chinese."""

    code = models.CharField(max_length=2, primary_key=True)
    name_en = models.CharField(max_length=100)
    name_zh = models.CharField(max_length=100, blank=True)
    groups = models.JSONField(
        default=list, blank=True, help_text='Market groups, e.g. ["ASEAN", "RCEP"]'
    )

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

    class Meta:
        ordering = ["code"]
        verbose_name = "HS code"

    def __str__(self):
        return f"{self.code} {self.description_en}"


class Prefecture(models.Model):
    """One of Sichuan's 21 prefecture-level divisions, keyed by its GB/T 2260 code."""

    code = models.CharField(max_length=6, primary_key=True)
    name_en = models.CharField(max_length=60)
    name_zh = models.CharField(max_length=60)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.name_en} ({self.code})"
