"""Input validation and output shape. Business rules live in services/."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from agri_platform.accounts.choices import MembershipRole
from agri_platform.accounts.models import Membership
from agri_platform.api.documents import (
    DOCUMENT_FIELDS,
    DownloadUrlField,
    UploadedDocumentSerializer,
)
from agri_platform.api.serializers import RejectUnknownFieldsMixin, ScopedPrimaryKeyRelatedField
from agri_platform.reference.choices import ExportCategory, Incoterm, QuantityUnit
from agri_platform.reference.models import Country, Prefecture
from agri_platform.reference.serializers import CountryNameField, InLanguageField

from . import api_examples, selectors, services, uscc
from .choices import BaseKind, EnterpriseDocumentKind
from .models import Enterprise, EnterpriseDocument, Invitation, Product, ProductionBase


class RoundedDecimalField(serializers.DecimalField):
    """Rounds extra decimals (e.g. GPS coordinates with 6 places) instead of refusing them."""

    def validate_precision(self, value):
        try:
            value = self.quantize(value)
        except InvalidOperation:  # too many digits to round: a 500 found by schemathesis
            self.fail("max_digits", max_digits=self.max_digits)
        return super().validate_precision(value)


def _decimal(max_digits, decimal_places, **kwargs):
    return RoundedDecimalField(
        max_digits=max_digits,
        decimal_places=decimal_places,
        rounding=ROUND_HALF_UP,
        **kwargs,
    )


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "integer", "minimum": 1, "maximum": 12},
        "description": "Month numbers 1–12 of the harvest, e.g. [11, 12, 1]; empty if not given",
    }
)
class HarvestMonthsField(serializers.Field):
    """Passes the months on as sent: services.bases_products.harvest_months checks and sorts them."""

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return list(value or [])


# --- enterprises ------------------------------------------------------------------------------


@extend_schema_serializer(examples=[api_examples.ENTERPRISE])
class EnterpriseSerializer(serializers.ModelSerializer):
    prefecture_name = InLanguageField(source="prefecture")
    prefecture_name_en = serializers.CharField(source="prefecture.name_en", read_only=True)
    prefecture_name_zh = serializers.CharField(source="prefecture.name_zh", read_only=True)
    export_markets = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "uscc",
            "name_zh",
            "name_en",
            "prefecture",
            "prefecture_name",
            "prefecture_name_en",
            "prefecture_name_zh",
            "county",
            "address",
            "legal_representative",
            "contact_name",
            "contact_phone",
            "contact_email",
            "customs_code",
            "export_categories",
            "export_markets",
            "publish_contact",
            "registered_outside_sichuan",
            "status",
            "status_reason",
            "status_changed_at",
            "allowed_actions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_export_markets(self, obj) -> list[str]:
        return sorted(country.code for country in obj.export_markets.all())

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, obj) -> list[str]:
        """Workflow actions the caller may take now: the status allows them and the caller may."""
        return services.VERIFICATION_WORKFLOW.actions_for(obj, context=self.context)


@extend_schema_serializer(examples=[api_examples.ENTERPRISE_REGISTER])
class EnterpriseRegisterSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    uscc = serializers.CharField(
        max_length=40, help_text="Unified Social Credit Code, 18 characters (lower case accepted)"
    )
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    prefecture = serializers.PrimaryKeyRelatedField(
        queryset=Prefecture.objects.all(), help_text="GB/T 2260 code, e.g. 510100 (Chengdu)"
    )
    county = serializers.CharField(max_length=100, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    legal_representative = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    customs_code = serializers.CharField(
        max_length=10,
        min_length=10,
        required=False,
        allow_blank=True,
        help_text="China Customs registration code, 10 characters",
    )
    export_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=ExportCategory.choices), required=False
    )
    export_markets = serializers.PrimaryKeyRelatedField(
        queryset=Country.objects.all(),
        many=True,
        required=False,
        help_text="ISO 3166-1 alpha-2 codes",
    )
    publish_contact = serializers.BooleanField(required=False)

    def validate_uscc(self, value: str) -> str:
        try:
            return uscc.validate(value)
        except uscc.InvalidUSCC as exc:
            raise serializers.ValidationError(str(exc), code=f"uscc_{exc.reason}") from exc


@extend_schema_serializer(
    examples=[api_examples.ENTERPRISE_UPDATE],
    description=(
        "The profile fields to change; the USCC is fixed at registration (sending it is a 400)."
    ),
)
class EnterpriseUpdateSerializer(EnterpriseRegisterSerializer):
    """Profile changes (partial). The USCC is fixed at registration."""

    uscc = None


class ReasonSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Required to reject or suspend; shown to the enterprise",
    )


# --- members and invitations --------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "email", "full_name", "enterprise", "role", "created_at"]
        read_only_fields = fields


class MemberRoleSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    role = serializers.ChoiceField(choices=MembershipRole.choices)


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    invited_by = serializers.EmailField(source="invited_by.email", read_only=True, default=None)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "enterprise",
            "email",
            "role",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]
        read_only_fields = fields


class InvitationCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=MembershipRole.choices, default=MembershipRole.MEMBER)


class InvitationCreatedSerializer(InvitationSerializer):
    token = serializers.CharField(
        read_only=True,
        help_text="Shown once. Also e-mailed to the invited address; they POST it to "
        "invitations/accept/ while signed in with that address.",
    )

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "token"]
        read_only_fields = fields


class InvitationAcceptSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    token = serializers.CharField(max_length=200)


# --- production bases -------------------------------------------------------------------------


class ProductionBaseSerializer(serializers.ModelSerializer):
    area_mu = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True
    )
    products = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ProductionBase
        fields = [
            "id",
            "enterprise",
            "name",
            "kind",
            "prefecture",
            "county",
            "latitude",
            "longitude",
            "area_m2",
            "area_mu",
            "annual_capacity_t",
            "products",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProductionBaseInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    enterprise = ScopedPrimaryKeyRelatedField(
        selectors.enterprises_for,
        required=False,
        help_text="Defaults to your enterprise when you belong to exactly one",
    )
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=BaseKind.choices)
    prefecture = serializers.PrimaryKeyRelatedField(queryset=Prefecture.objects.all())
    county = serializers.CharField(max_length=100, required=False, allow_blank=True)
    latitude = _decimal(8, 5, required=False, allow_null=True)
    longitude = _decimal(8, 5, required=False, allow_null=True)
    area_m2 = _decimal(14, 2, required=False, allow_null=True, help_text="Area in m²")
    area_mu = _decimal(
        14, 2, required=False, allow_null=True, help_text="Area in mu (1 mu = 666.67 m²)"
    )
    annual_capacity_t = _decimal(12, 3, required=False, allow_null=True)
    products = ScopedPrimaryKeyRelatedField(selectors.products_for, many=True, required=False)


class ProductionBaseUpdateSerializer(ProductionBaseInputSerializer):
    enterprise = None


# --- products ---------------------------------------------------------------------------------


@extend_schema_serializer(examples=[api_examples.PRODUCT])
class ProductSerializer(serializers.ModelSerializer):
    hs_description = InLanguageField("description_zh", "description_en", source="hs_code")
    hs_description_en = serializers.CharField(source="hs_code.description_en", read_only=True)
    cold_chain_profile = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,  # none for HS codes without a profile
    )
    production_bases = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    harvest_months = HarvestMonthsField(read_only=True)
    # "" when no minimum order is given: the schema says so (schemathesis found the bare enum).
    min_order_unit = serializers.ChoiceField(
        choices=QuantityUnit.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "enterprise",
            "name_zh",
            "name_en",
            "variety",
            "category",
            "hs_code",
            "hs_description",
            "hs_description_en",
            "temp_min_c",
            "temp_max_c",
            "humidity_max_pct",
            "cold_chain_profile",
            "shelf_life_days",
            "harvest_months",
            "packaging",
            "min_order_quantity",
            "min_order_unit",
            "incoterms",
            "listed_in_catalogue",
            "production_bases",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(examples=[api_examples.PRODUCT_INPUT])
class ProductInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    class Meta:
        model = Product  # integer fields take its columns' ranges (agri_platform/api/bounds.py)

    enterprise = ScopedPrimaryKeyRelatedField(
        selectors.enterprises_for,
        required=False,
        help_text="Defaults to your enterprise when you belong to exactly one",
    )
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    variety = serializers.CharField(max_length=100, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=ExportCategory.choices)
    hs_code = serializers.CharField(
        max_length=20, help_text="From reference/hs-codes/, e.g. 080521 or 0805.21"
    )
    temp_min_c = _decimal(
        5,
        1,
        required=False,
        allow_null=True,
        help_text="Leave both ends out to take the product family's cold-chain band",
    )
    temp_max_c = _decimal(5, 1, required=False, allow_null=True)
    humidity_max_pct = _decimal(4, 1, required=False, allow_null=True)
    shelf_life_days = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    harvest_months = HarvestMonthsField(required=False)
    packaging = serializers.CharField(max_length=200, required=False, allow_blank=True)
    min_order_quantity = _decimal(
        12,
        3,
        required=False,
        allow_null=True,
        min_value=Decimal("0.001"),
        help_text="With min_order_unit; both or neither",
    )
    min_order_unit = serializers.ChoiceField(
        choices=QuantityUnit.choices, required=False, allow_blank=True
    )
    incoterms = serializers.ListField(
        child=serializers.ChoiceField(choices=Incoterm.choices),
        required=False,
        max_length=len(Incoterm.values),
        help_text='Incoterms 2020 codes offered, e.g. ["FOB", "CIF"]',
    )
    listed_in_catalogue = serializers.BooleanField(
        required=False, help_text="Shown in the public catalogue (default true)"
    )
    production_bases = ScopedPrimaryKeyRelatedField(
        selectors.production_bases_for, many=True, required=False
    )


@extend_schema_serializer(examples=[api_examples.PRODUCT_UPDATE])
class ProductUpdateSerializer(ProductInputSerializer):
    enterprise = None


# --- the enterprise's documents ---------------------------------------------------------------


@extend_schema_serializer(examples=[api_examples.ENTERPRISE_DOCUMENT])
class EnterpriseDocumentSerializer(UploadedDocumentSerializer):
    kind = serializers.ChoiceField(choices=EnterpriseDocumentKind.choices, read_only=True)
    download_url = DownloadUrlField(route="enterprise-document-download", owner="enterprise")

    class Meta:
        model = EnterpriseDocument
        fields = ["id", "enterprise", "kind", "original_name", *DOCUMENT_FIELDS]
        read_only_fields = fields


class EnterpriseDocumentUploadSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=EnterpriseDocumentKind.choices, default=EnterpriseDocumentKind.BUSINESS_LICENCE
    )
    file = serializers.FileField(
        help_text="PDF, JPEG or PNG (judged from the content), at most 20 MB", use_url=False
    )


# --- public directory -------------------------------------------------------------------------


class DirectoryProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name_zh", "name_en", "variety", "category", "hs_code"]
        read_only_fields = fields


class DirectoryMarketSerializer(serializers.ModelSerializer):
    name = CountryNameField()

    class Meta:
        model = Country
        fields = ["code", "name", "name_en", "name_zh"]
        read_only_fields = fields


@extend_schema_serializer(
    description="A certificate in force, as the public sees it: scheme, number and last valid day."
)
class DirectoryCertificateSerializer(serializers.Serializer):
    """A certificate in force: scheme, number, last valid day; nothing else is public."""

    scheme = serializers.CharField(source="scheme.code")
    number = serializers.CharField()
    valid_until = serializers.DateField(source="expiry_date")


class DirectoryContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.EmailField()


@extend_schema_serializer(
    description=(
        "A verified exporter as the public sees it. Contact data appears only when the enterprise "
        "publishes it."
    )
)
class DirectoryEnterpriseSerializer(serializers.ModelSerializer):
    """What the public sees: no USCC owner data, no contact unless the enterprise publishes it."""

    prefecture_name = InLanguageField(source="prefecture")
    prefecture_name_en = serializers.CharField(source="prefecture.name_en", read_only=True)
    prefecture_name_zh = serializers.CharField(source="prefecture.name_zh", read_only=True)
    products = DirectoryProductSerializer(many=True, read_only=True)
    export_markets = DirectoryMarketSerializer(many=True, read_only=True)
    contact = serializers.SerializerMethodField()
    verified_since = serializers.DateTimeField(source="status_changed_at", read_only=True)
    certificates = DirectoryCertificateSerializer(
        source="valid_certificates", many=True, read_only=True
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name_zh",
            "name_en",
            "uscc",
            "prefecture",
            "prefecture_name",
            "prefecture_name_en",
            "prefecture_name_zh",
            "county",
            "export_categories",
            "export_markets",
            "products",
            "contact",
            "verified_since",
            "certificates",
        ]
        read_only_fields = fields

    @extend_schema_field(DirectoryContactSerializer(allow_null=True))
    def get_contact(self, obj):
        if not obj.publish_contact:
            return None
        return {"name": obj.contact_name, "email": obj.contact_email}
