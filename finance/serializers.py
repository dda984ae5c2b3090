"""Input validation and output shape. Money travels as strings: the input fields refuse JSON
floats, the output fields emit strings with exactly the currency's minor units."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from agri_platform.accounts.models import Partner
from agri_platform.api.documents import (
    DownloadUrlField,
    TitledDocumentInputSerializer,
    TitledDocumentSerializer,
)
from agri_platform.reference.models import Currency

from . import api_examples, services
from .choices import EvidenceKind, FinancingKind
from .models import (
    MONEY,
    FinancingDocument,
    FinancingEvidence,
    FinancingOffer,
    FinancingRequest,
)
from .money import as_string, offer_total_cost

MONEY_SCHEMA = {"type": "string", "format": "decimal", "example": "2000000.00"}


class StrictDecimalField(serializers.DecimalField):
    """A DecimalField that refuses JSON numbers with a fraction (they arrive as binary floats)."""

    default_error_messages = {
        "float": _(
            'Send decimal values as strings (e.g. "1250.50"), never as floating-point numbers.'
        ),
    }

    def to_internal_value(self, data):
        if isinstance(data, float | bool):
            self.fail("float" if isinstance(data, float) else "invalid")
        return super().to_internal_value(data)


def money_input(**kwargs) -> StrictDecimalField:
    return StrictDecimalField(**MONEY, **kwargs)


@extend_schema_field(MONEY_SCHEMA)
class MoneyField(serializers.Field):
    """Reads `attr` of the instance and renders it with its currency's minor units."""

    def __init__(self, attr: str, **kwargs):
        self.money_attr = attr
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return as_string(getattr(instance, self.money_attr), instance.currency.minor_units)


class CurrencyCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Currency.objects.all(), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data.strip().upper())


class PartnerSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "name_zh", "kind"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FinancingEvidence
        fields = ["id", "kind", "object_id", "summary", "added_at"]
        read_only_fields = fields


class EvidenceInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    object_id = serializers.CharField(max_length=64)


class DocumentSerializer(TitledDocumentSerializer):
    download_url = DownloadUrlField(route="finance-request-document-download", owner="request")

    class Meta(TitledDocumentSerializer.Meta):
        model = FinancingDocument


class DocumentInputSerializer(TitledDocumentInputSerializer):
    """A financing request's upload: the file and an optional title."""


@extend_schema_serializer(examples=[api_examples.REQUEST_DRAFT, api_examples.REQUEST_ROUTED])
class FinancingRequestSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.SerializerMethodField()
    amount = MoneyField("amount")
    currency = serializers.CharField(source="currency_id", read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    routed_partners = PartnerSummarySerializer(
        source="partners", many=True, read_only=True, help_text=_("Hidden from partners.")
    )
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = FinancingRequest
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "kind",
            "amount",
            "currency",
            "term_days",
            "purpose",
            "status",
            "status_reason",
            "allowed_actions",
            "routed_partners",
            "evidence",
            "accepted_offer",
            "disbursement_reference",
            "created_at",
            "submitted_at",
            "routed_at",
            "accepted_at",
            "disbursed_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_enterprise_name(self, obj) -> str:
        return str(obj.enterprise)

    def get_allowed_actions(self, obj) -> list[str]:
        return services.REQUEST_WORKFLOW.actions_for(obj, context=self.context)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and getattr(request.user, "partner_id", None):
            # A bank must not learn which other banks were asked, nor whose offer won.
            data.pop("routed_partners", None)
            data.pop("accepted_offer", None)
        return data


@extend_schema_serializer(
    component_name="NewFinancingRequest", examples=[api_examples.REQUEST_INPUT]
)
class FinancingRequestInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(
        required=False, help_text=_("Needed only when the caller belongs to several enterprises.")
    )
    kind = serializers.ChoiceField(choices=FinancingKind.choices)
    amount = money_input(help_text=_('Decimal string, e.g. "2000000.00"'))
    currency = CurrencyCodeField(help_text=_("ISO 4217 code, e.g. CNY"))
    term_days = serializers.IntegerField(min_value=1, max_value=services.MAX_TERM_DAYS)
    purpose = serializers.CharField(max_length=4000)


@extend_schema_serializer(
    component_name="FinancingRequestUpdate", examples=[api_examples.REQUEST_UPDATE]
)  # not the parent's name
class FinancingRequestUpdateSerializer(FinancingRequestInputSerializer):
    enterprise = None


class RouteInputSerializer(serializers.Serializer):
    partners = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Partner.objects.all(), required=False
    )
    all_partners = serializers.BooleanField(default=False)


class FinanceReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DeclineRequestInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class DisburseInputSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


@extend_schema_serializer(examples=[api_examples.OFFER_PENDING, api_examples.OFFER_ACCEPTED])
class OfferSerializer(serializers.ModelSerializer):
    partner = PartnerSummarySerializer(read_only=True)
    amount = MoneyField("amount")
    currency = serializers.CharField(source="currency_id", read_only=True)
    rate_percent = serializers.DecimalField(max_digits=7, decimal_places=4, read_only=True)
    fees = MoneyField("fees")
    total_cost = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = FinancingOffer
        fields = [
            "id",
            "request",
            "partner",
            "status",
            "amount",
            "currency",
            "rate_percent",
            "term_days",
            "fees",
            "total_cost",
            "conditions",
            "valid_until",
            "external_reference",
            "created_at",
            "decided_at",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(MONEY_SCHEMA)
    def get_total_cost(self, obj) -> str:
        return as_string(offer_total_cost(obj), obj.currency.minor_units)

    def get_allowed_actions(self, obj) -> list[str]:
        return services.OFFER_WORKFLOW.actions_for(obj, context=self.context)


@extend_schema_serializer(examples=[api_examples.OFFER_INPUT])
class OfferInputSerializer(serializers.Serializer):
    amount = money_input()
    rate_percent = StrictDecimalField(max_digits=7, decimal_places=4, min_value=0)
    term_days = serializers.IntegerField(min_value=1, max_value=services.MAX_TERM_DAYS)
    fees = money_input(required=False, default=Decimal(0))
    conditions = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    valid_until = serializers.DateTimeField()
    external_reference = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Your own reference; a retry with the same value returns the first offer."),
    )
