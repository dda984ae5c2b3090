"""API shapes of inquiries, their messages, quotes and buyer blocks."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agri_platform.reference.choices import Incoterm
from agri_platform.reference.models import Currency, Location
from enterprises.models import Enterprise, Product

from ..choices import BuyerStatus, PromotionStatus, QuantityUnit
from ..models import (
    Buyer,
    BuyerBlock,
    Inquiry,
    InquiryItem,
    InquiryMessage,
    PromotionEvent,
    Quote,
    QuoteLine,
)
from ..services import inquiries as services
from ..workflows import INQUIRY_WORKFLOW, QUOTE_WORKFLOW

QUANTITY = {"max_digits": 12, "decimal_places": 3, "min_value": services.Decimal("0.001")}
PRICE = {"max_digits": 14, "decimal_places": 2, "min_value": services.Decimal("0.01")}


class BuyerCardSerializer(serializers.ModelSerializer):
    """What an enterprise learns of a buyer that wrote to it: name, country, kind, website and
    whether staff verified it. Nothing more (no people, no other inquiries)."""

    name = serializers.CharField(source="partner.name", read_only=True)
    country = serializers.CharField(source="partner.country", read_only=True)
    verified = serializers.SerializerMethodField()

    class Meta:
        model = Buyer
        fields = ["id", "name", "country", "kind", "website", "verified"]
        read_only_fields = fields

    def get_verified(self, obj) -> bool:
        return obj.status == BuyerStatus.VERIFIED


class InquiryItemSerializer(serializers.ModelSerializer):
    product_name = serializers.SerializerMethodField()

    class Meta:
        model = InquiryItem
        fields = ["id", "product", "product_name", "quantity", "unit"]
        read_only_fields = fields

    def get_product_name(self, obj) -> str:
        return obj.product.name_en or obj.product.name_zh


class QuoteLineSerializer(serializers.ModelSerializer):
    product = serializers.IntegerField(source="item.product_id", read_only=True)

    class Meta:
        model = QuoteLine
        fields = ["id", "item", "product", "quantity", "unit", "unit_price"]
        read_only_fields = fields


class QuoteSerializer(serializers.ModelSerializer):
    currency = serializers.CharField(source="currency_id", read_only=True)
    lines = QuoteLineSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Quote
        fields = [
            "id",
            "inquiry",
            "status",
            "status_reason",
            "allowed_actions",
            "currency",
            "incoterm",
            "valid_until",
            "lead_time_days",
            "conditions",
            "lines",
            "shipment_draft",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, obj) -> list[str]:
        return QUOTE_WORKFLOW.actions_for(obj, context=self.context)


class InquirySerializer(serializers.ModelSerializer):
    buyer = BuyerCardSerializer(read_only=True)
    enterprise_name = serializers.SerializerMethodField()
    destination = serializers.CharField(source="destination_id", read_only=True)
    destination_country = serializers.CharField(source="destination.country_id", read_only=True)
    items = InquiryItemSerializer(many=True, read_only=True)
    quotes = QuoteSerializer(many=True, read_only=True)
    messages_count = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "buyer",
            "enterprise",
            "enterprise_name",
            "status",
            "status_reason",
            "allowed_actions",
            "destination",
            "destination_country",
            "incoterm",
            "delivery_from",
            "delivery_to",
            "notes",
            "promotion",
            "items",
            "quotes",
            "messages_count",
            "created_at",
            "first_response_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_enterprise_name(self, obj) -> str:
        return str(obj.enterprise)

    def get_messages_count(self, obj) -> int:
        count = getattr(obj, "messages_count", None)
        return count if count is not None else obj.messages.count()

    def get_allowed_actions(self, obj) -> list[str]:
        return INQUIRY_WORKFLOW.actions_for(obj, context=self.context)


def _listed_products():
    return Product.objects.select_related("enterprise")


class InquiryItemInputSerializer(serializers.Serializer):
    product = serializers.PrimaryKeyRelatedField(queryset=_listed_products())
    quantity = serializers.DecimalField(**QUANTITY)
    unit = serializers.ChoiceField(choices=QuantityUnit.choices)


class InquiryInputSerializer(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), help_text=_("The enterprise asked.")
    )
    items = InquiryItemInputSerializer(many=True, min_length=1, max_length=services.MAX_ITEMS)
    destination = serializers.PrimaryKeyRelatedField(
        queryset=Location.objects.select_related("country"),
        help_text=_("UN/LOCODE of the port or place of delivery, e.g. MYPKG"),
    )
    incoterm = serializers.ChoiceField(choices=Incoterm.choices)
    delivery_from = serializers.DateField()
    delivery_to = serializers.DateField()
    notes = serializers.CharField(
        max_length=services.MAX_NOTES_LENGTH, required=False, allow_blank=True, default=""
    )
    promotion = serializers.PrimaryKeyRelatedField(
        queryset=PromotionEvent.objects.filter(status=PromotionStatus.PUBLISHED),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The promotion event the inquiry was sent from, if any."),
    )


class InquiryMessageSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = InquiryMessage
        fields = ["id", "side", "author_name", "body", "created_at"]
        read_only_fields = fields

    def get_author_name(self, obj) -> str:
        return obj.author.full_name if obj.author else ""


class InquiryMessageInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=services.MAX_MESSAGE_LENGTH)


class InquiryDeclineInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.MAX_REASON_LENGTH)


class TradeReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=services.MAX_REASON_LENGTH, required=False, allow_blank=True, default=""
    )


class QuoteLineInputSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(
        queryset=InquiryItem.objects.all(), help_text=_("An item of the inquiry.")
    )
    unit_price = serializers.DecimalField(**PRICE)
    quantity = serializers.DecimalField(**QUANTITY, required=False, allow_null=True, default=None)
    unit = serializers.ChoiceField(
        choices=QuantityUnit.choices, required=False, allow_null=True, default=None
    )


class QuoteInputSerializer(serializers.Serializer):
    currency = serializers.PrimaryKeyRelatedField(
        queryset=Currency.objects.all(), help_text=_("ISO 4217 code, e.g. USD")
    )
    incoterm = serializers.ChoiceField(choices=Incoterm.choices)
    valid_until = serializers.DateField()
    lead_time_days = serializers.IntegerField(min_value=0, max_value=services.MAX_LEAD_TIME_DAYS)
    conditions = serializers.CharField(
        max_length=services.MAX_CONDITIONS_LENGTH, required=False, allow_blank=True, default=""
    )
    lines = QuoteLineInputSerializer(many=True, min_length=1, max_length=services.MAX_ITEMS)


class BuyerBlockSerializer(serializers.ModelSerializer):
    buyer = BuyerCardSerializer(read_only=True)

    class Meta:
        model = BuyerBlock
        fields = ["id", "enterprise", "buyer", "reason", "created_at"]
        read_only_fields = fields


class BuyerBlockInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("Needed only when the caller belongs to several enterprises."),
    )
    buyer = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text=_("A buyer that wrote to the enterprise.")
    )
    reason = serializers.CharField(
        max_length=services.MAX_REASON_LENGTH, required=False, allow_blank=True, default=""
    )
