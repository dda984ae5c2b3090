from rest_framework import serializers

from .models import ColdChainProfile, Country, Currency, HSCode, Location, Prefecture


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "name_en", "name_zh", "groups"]


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

    class Meta:
        model = HSCode
        fields = ["code", "digits", "description_en", "description_zh"]


class PrefectureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Prefecture
        fields = ["code", "name_en", "name_zh"]


class ColdChainProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = ColdChainProfile
        fields = [
            "code",
            "name_en",
            "name_zh",
            "hs_prefixes",
            "temp_min_c",
            "temp_max_c",
            "humidity_max_pct",
            "notes",
            "updated_at",
        ]
