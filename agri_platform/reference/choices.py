"""Choices shared by several apps: reference data, owned by no domain app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class Incoterm(models.TextChoices):
    """Incoterms 2020."""

    EXW = "EXW", _("Ex Works")
    FCA = "FCA", _("Free Carrier")
    CPT = "CPT", _("Carriage Paid To")
    CIP = "CIP", _("Carriage and Insurance Paid To")
    DAP = "DAP", _("Delivered at Place")
    DPU = "DPU", _("Delivered at Place Unloaded")
    DDP = "DDP", _("Delivered Duty Paid")
    FAS = "FAS", _("Free Alongside Ship")
    FOB = "FOB", _("Free on Board")
    CFR = "CFR", _("Cost and Freight")
    CIF = "CIF", _("Cost, Insurance and Freight")


class QuantityUnit(models.TextChoices):
    """Units of a traded quantity: a product's minimum order, an inquiry's items, a quote's lines."""

    KG = "kg", pgettext_lazy("unit", "kg")
    TONNE = "t", pgettext_lazy("unit", "tonnes")
    CARTON = "carton", pgettext_lazy("unit", "cartons")
    PALLET = "pallet", pgettext_lazy("unit", "pallets")
    CONTAINER = "container", pgettext_lazy("unit", "containers")
