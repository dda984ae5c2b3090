"""The public catalogue's answers: a product as buyers read it (no temperatures, no bases, no
people), and the query a list takes."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agri_platform.reference import l10n
from agri_platform.reference.choices import ExportCategory, Incoterm, QuantityUnit
from agri_platform.reference.serializers import InLanguageField


class CatalogueQuerySerializer(serializers.Serializer):
    """The list's filters, in the query string. A value the catalogue does not know is a 400
    naming the parameter."""

    category = serializers.ChoiceField(choices=ExportCategory.choices, required=False)
    month = serializers.IntegerField(
        min_value=1, max_value=12, required=False, help_text="Offered in this month (1–12)"
    )
    certificate = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        help_text="Scheme code (e.g. HALAL_JAKIM): holds a certificate of it in force",
    )
    market = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2,
        help_text="ISO 3166-1 alpha-2 destination market: products ready for it come first, and "
        "each answer carries its readiness",
    )
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Words in the product's names or variety, or the exporter's names",
    )


class CatalogueEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = InLanguageField()
    name_zh = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)
    profile_url = serializers.SerializerMethodField(help_text="The exporter's public profile page")

    def get_profile_url(self, enterprise) -> str:
        path = reverse("public:enterprise", args=[enterprise.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class MonthCellSerializer(serializers.Serializer):
    month = serializers.IntegerField(read_only=True)
    available = serializers.BooleanField(read_only=True, help_text="Offered in this month")
    off_season = serializers.BooleanField(
        read_only=True,
        help_text="Offered while the northern producing provinces do not supply its group",
    )


class CertificateHeldSerializer(serializers.Serializer):
    number = serializers.CharField(read_only=True)
    scheme = serializers.CharField(source="scheme.code", read_only=True)
    scheme_name = serializers.CharField(source="scheme.name", read_only=True)
    expiry_date = serializers.DateField(read_only=True)
    verify_url = serializers.SerializerMethodField(help_text="Anyone can check it there")

    def get_verify_url(self, certificate) -> str:
        path = reverse("public:certificate", args=[certificate.number])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class MarketReadinessSerializer(serializers.Serializer):
    market = serializers.CharField(read_only=True)
    ready = serializers.BooleanField(
        read_only=True, help_text="Every certificate the market requires is held"
    )
    held = serializers.ListField(child=serializers.CharField(), read_only=True)
    missing = serializers.ListField(child=serializers.CharField(), read_only=True)
    documents = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Documents every shipment to the market carries (not held in advance)",
    )


class MinimumOrderSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(
        source="min_order_quantity", max_digits=12, decimal_places=3, read_only=True
    )
    unit = serializers.ChoiceField(
        source="min_order_unit", choices=QuantityUnit.choices, read_only=True
    )


@extend_schema_field(MinimumOrderSerializer(allow_null=True))
class MinimumOrderField(serializers.Field):
    """The minimum order as {quantity, unit}, or null when the exporter gave none."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, product):
        if product.min_order_quantity is None:
            return None
        return MinimumOrderSerializer(product).data


class CatalogueProductSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = InLanguageField()
    name_zh = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)
    variety = serializers.CharField(read_only=True)
    category = serializers.ChoiceField(choices=ExportCategory.choices, read_only=True)
    hs_code = serializers.CharField(source="hs_code_id", read_only=True)
    enterprise = CatalogueEnterpriseSerializer(read_only=True)
    packaging = serializers.CharField(read_only=True)
    minimum_order = MinimumOrderField()
    incoterms = serializers.ListField(
        child=serializers.ChoiceField(choices=Incoterm.choices), read_only=True
    )
    harvest_months = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Months (1–12) in which it is harvested or available",
    )
    calendar = MonthCellSerializer(many=True, read_only=True)
    certificates = CertificateHeldSerializer(
        source="certificates_held",
        many=True,
        read_only=True,
        help_text="Certificates in force that cover it",
    )
    readiness = MarketReadinessSerializer(
        read_only=True,
        allow_null=True,
        default=None,
        help_text="For the `market` asked for; null without one",
    )
    url = serializers.SerializerMethodField(help_text="The product's page in the catalogue")

    def get_url(self, product) -> str:
        path = reverse("public:catalogue-product", args=[product.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class SupplySeasonBriefSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = InLanguageField()
    provinces = InLanguageField("provinces_zh", "provinces_en")
    months = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    source_note = serializers.CharField(read_only=True)


class MarketServedSerializer(serializers.Serializer):
    country = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()
    shipments = serializers.IntegerField(
        read_only=True, help_text="Shipments dispatched there through the platform"
    )

    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, market) -> str:
        return l10n.country_name(market["country"])


class CatalogueProductDetailSerializer(CatalogueProductSerializer):
    hs_description = InLanguageField("description_zh", "description_en", source="hs_code")
    season = SupplySeasonBriefSerializer(
        read_only=True,
        allow_null=True,
        help_text="The northern supply months its off-season marks are set against",
    )
    markets_served = MarketServedSerializer(many=True, read_only=True)
