"""Promotion events in the API: what anyone reads, what staff write, what enterprises sign up
with."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agri_platform.api.serializers import ScopedPrimaryKeyRelatedField
from agri_platform.reference.choices import ExportCategory
from agri_platform.reference.l10n import in_reading_language
from agri_platform.reference.models import Country
from enterprises.models import Product
from enterprises.selectors import products_for

from ..choices import PromotionKind
from ..models import PromotionEvent, PromotionParticipant
from ..selectors import promotions as selectors
from ..services import promotions as services
from ..workflows_promotions import PARTICIPANT_WORKFLOW, PROMOTION_WORKFLOW


class CountryCodeField(serializers.SlugRelatedField):
    """An ISO 3166 alpha-2 code ("SG") in and out."""

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Country.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data:  # PostgreSQL refuses NUL
            self.fail("invalid")
        return super().to_internal_value(data.strip().upper())


def _absolute(context, path: str) -> str:
    request = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


class ShownProductSerializer(serializers.ModelSerializer):
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["id", "name_zh", "name_en", "variety", "category", "page_url"]
        read_only_fields = fields

    def get_page_url(self, obj) -> str:
        """The product's public catalogue page."""
        return _absolute(self.context, reverse("public:catalogue-product", args=[obj.pk]))


class ParticipantSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.SerializerMethodField()
    enterprise_url = serializers.SerializerMethodField()
    products = ShownProductSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = PromotionParticipant
        fields = [
            "id",
            "event",
            "enterprise",
            "enterprise_name",
            "enterprise_url",
            "products",
            "status",
            "note",
            "created_at",
            "withdrawn_at",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_enterprise_name(self, obj) -> str:
        return in_reading_language(obj.enterprise.name_zh, obj.enterprise.name_en)

    def get_enterprise_url(self, obj) -> str:
        """The enterprise's public profile page."""
        return _absolute(self.context, reverse("public:enterprise", args=[obj.enterprise_id]))

    def get_allowed_actions(self, obj) -> list[str]:
        return PARTICIPANT_WORKFLOW.actions_for(obj, context=self.context)


class PromotionEventSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    country = serializers.CharField(source="country_id", read_only=True)
    markets = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    participant_count = serializers.SerializerMethodField()
    signup_open = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = PromotionEvent
        fields = [
            "id",
            "title",
            "title_zh",
            "title_en",
            "kind",
            "description_zh",
            "description_en",
            "city",
            "country",
            "venue",
            "starts_on",
            "ends_on",
            "signup_closes_on",
            "signup_open",
            "markets",
            "categories",
            "status",
            "status_reason",
            "published_at",
            "participant_count",
            "page_url",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_title(self, obj) -> str:
        """The title in the reader's language (Accept-Language)."""
        return in_reading_language(obj.title_zh, obj.title_en)

    def get_participant_count(self, obj) -> int:
        """Enterprises taking part (withdrawn ones not counted)."""
        annotated = getattr(obj, "taking_part", None)
        return annotated if annotated is not None else selectors.taking_part(obj).count()

    def get_signup_open(self, obj) -> bool:
        return services.signup_open(obj)

    def get_page_url(self, obj) -> str:
        """The event's public page."""
        return _absolute(self.context, reverse("public:promotion", args=[obj.pk]))

    def get_allowed_actions(self, obj) -> list[str]:
        return PROMOTION_WORKFLOW.actions_for(obj, context=self.context)


class PromotionEventDetailSerializer(PromotionEventSerializer):
    participants = serializers.SerializerMethodField()

    class Meta(PromotionEventSerializer.Meta):
        fields = [*PromotionEventSerializer.Meta.fields, "participants"]
        read_only_fields = fields

    def get_participants(self, obj) -> list[dict]:
        """The enterprises taking part, with the products they show."""
        rows = selectors.taking_part(obj)
        return ParticipantSerializer(rows, many=True, context=self.context).data


class PromotionEventInputSerializer(serializers.Serializer):
    title_zh = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=PromotionKind.choices)
    description_zh = serializers.CharField(
        max_length=10_000, required=False, allow_blank=True, default=""
    )
    description_en = serializers.CharField(
        max_length=10_000, required=False, allow_blank=True, default=""
    )
    city = serializers.CharField(max_length=100)
    country = CountryCodeField(help_text=_("ISO 3166 alpha-2 code of the host country"))
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    signup_closes_on = serializers.DateField(required=False, allow_null=True, default=None)
    markets = CountryCodeField(
        many=True,
        required=False,
        default=list,
        help_text=_("ISO codes of the countries whose buyers the event reaches"),
    )
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=ExportCategory.choices),
        required=False,
        default=list,
        max_length=len(ExportCategory.choices),
    )


class PromotionEventPatchSerializer(PromotionEventInputSerializer):
    """Every field optional: PATCH changes what it names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class PromotionCancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.MAX_REASON_LENGTH)


class SignUpInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("Needed only when the caller belongs to several enterprises."),
    )
    products = serializers.ListField(
        child=ScopedPrimaryKeyRelatedField(products_for),
        min_length=1,
        max_length=services.MAX_PRODUCTS,
        help_text=_("Ids of the enterprise's products it will show"),
    )
    note = serializers.CharField(
        max_length=services.MAX_NOTE_LENGTH, required=False, allow_blank=True, default=""
    )
