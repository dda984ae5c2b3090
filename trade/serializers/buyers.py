"""API shapes of buyer accounts: the profile staff and the buyer read, registration, the profile
edit and the staff's reasons."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agri_platform.accounts.choices import Language
from agri_platform.accounts.serializers import validate_new_password

from ..choices import BuyerKind
from ..models import Buyer
from ..services import buyers as services
from ..workflows_buyers import BUYER_WORKFLOW


class BuyerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="partner.name", read_only=True)
    country = serializers.CharField(source="partner.country", read_only=True)
    # "" when the buyer gave none: not a "uri" then (schemathesis found the format on a blank).
    website = serializers.CharField(read_only=True, help_text="The buyer's website; empty if none.")
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Buyer
        fields = [
            "id",
            "partner",
            "name",
            "country",
            "kind",
            "website",
            "city",
            "description",
            "status",
            "status_reason",
            "status_changed_at",
            "allowed_actions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, obj) -> list[str]:
        return BUYER_WORKFLOW.actions_for(obj, context=self.context)


class BuyerRegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text=_("The first person's e-mail: they sign in with it."))
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )
    full_name = serializers.CharField(max_length=150)
    company = serializers.CharField(max_length=200)
    country = serializers.CharField(
        max_length=2, min_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. SG")
    )
    kind = serializers.ChoiceField(choices=BuyerKind.choices)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    description = serializers.CharField(
        max_length=services.MAX_DESCRIPTION_LENGTH, required=False, allow_blank=True, default=""
    )
    language = serializers.ChoiceField(
        choices=Language.choices, required=False, allow_blank=True, default=""
    )

    def validate_email(self, value: str) -> str:
        return value.strip().lower()

    def validate(self, attrs):
        validate_new_password(
            attrs["password"], email=attrs["email"], full_name=attrs.get("full_name", "")
        )
        return attrs


class BuyerProfileSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=BuyerKind.choices, required=False)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    description = serializers.CharField(
        max_length=services.MAX_DESCRIPTION_LENGTH, required=False, allow_blank=True
    )


class BuyerReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.MAX_REASON_LENGTH)
