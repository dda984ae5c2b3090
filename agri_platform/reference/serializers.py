from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import l10n
from .models import (
    ColdChainProfile,
    Country,
    Currency,
    HSCode,
    Location,
    Prefecture,
    SupplySeason,
)


@extend_schema_field(OpenApiTypes.STR)
class InLanguageField(serializers.Field):
    """Read-only: the object's Chinese or English attribute, following the request's language.

    Sits beside the fixed `*_en` and `*_zh` fields, for readers who want the one to show."""

    def __init__(self, chinese: str = "name_zh", english: str = "name_en", **kwargs):
        self.chinese, self.english = chinese, english
        kwargs.setdefault("source", "*")
        kwargs.setdefault("help_text", "In the request's language (Chinese or English)")
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        if value is None:
            return None
        return l10n.in_reading_language(getattr(value, self.chinese), getattr(value, self.english))


class CountryNameField(InLanguageField):
    """A country's name in the request's language from CLDR (马来西亚, Malaysia)."""

    def to_representation(self, value):
        return None if value is None else l10n.country_name(value.code)


class CountrySerializer(serializers.ModelSerializer):
    name = CountryNameField()

    class Meta:
        model = Country
        fields = ["code", "name", "name_en", "name_zh", "groups"]


class CurrencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Currency
        fields = ["code", "name", "minor_units"]


class LocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = [
            "code",
            "country",
            "name",
            "name_zh",
            "name_ascii",
            "subdivision",
            "functions",
            "latitude",
            "longitude",
        ]


class HSCodeSerializer(serializers.ModelSerializer):
    digits = serializers.IntegerField(read_only=True)
    description = InLanguageField("description_zh", "description_en")

    class Meta:
        model = HSCode
        fields = ["code", "digits", "description", "description_en", "description_zh"]


class PrefectureSerializer(serializers.ModelSerializer):
    name = InLanguageField()

    class Meta:
        model = Prefecture
        fields = ["code", "name", "name_en", "name_zh"]


class ColdChainProfileSerializer(serializers.ModelSerializer):
    name = InLanguageField()

    class Meta:
        model = ColdChainProfile
        fields = [
            "code",
            "name",
            "name_en",
            "name_zh",
            "hs_prefixes",
            "temp_min_c",
            "temp_max_c",
            "humidity_max_pct",
            "notes",
            "updated_at",
        ]


class SupplySeasonSerializer(serializers.ModelSerializer):
    name = InLanguageField()
    provinces = InLanguageField("provinces_zh", "provinces_en")
    hs_prefixes = serializers.ListField(child=serializers.CharField(), read_only=True)
    months = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = SupplySeason
        fields = [
            "code",
            "name",
            "name_en",
            "name_zh",
            "hs_prefixes",
            "category",
            "provinces",
            "provinces_en",
            "provinces_zh",
            "months",
            "source_note",
            "updated_at",
        ]
