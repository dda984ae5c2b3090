"""Choices shared by several apps: reference data, owned by no domain app."""

from django.db import models


class ExportCategory(models.TextChoices):
    AQUATIC = "aquatic_products", "Aquatic products"
    BEVERAGES = "beverages", "Beverages"
    FRUITS = "fruits", "Fruits"
    VEGETABLES = "vegetables", "Vegetables"
    LIVESTOCK = "livestock_products", "Livestock products"
    TEA = "tea", "Tea"
    SPICES = "spices", "Spices"
    GRAINS_OILS = "grains_and_oils", "Grains and oils"
    OTHER = "other", "Other"
