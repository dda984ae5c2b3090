"""Choices shared by several apps: reference data, owned by no domain app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportCategory(models.TextChoices):
    AQUATIC = "aquatic_products", _("Aquatic products")
    BEVERAGES = "beverages", _("Beverages")
    FRUITS = "fruits", _("Fruits")
    VEGETABLES = "vegetables", _("Vegetables")
    LIVESTOCK = "livestock_products", _("Livestock products")
    TEA = "tea", _("Tea")
    SPICES = "spices", _("Spices")
    GRAINS_OILS = "grains_and_oils", _("Grains and oils")
    OTHER = "other", _("Other")
