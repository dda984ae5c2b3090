from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from agri_platform.api.permissions import SCOPES
from agri_platform.api.serializers import RejectUnknownFieldsMixin

from . import api_examples
from .choices import Language, StaffRole
from .models import ApiKey, Membership, Partner, User, validate_time_zone


def validate_new_password(password: str, *, email: str, full_name: str = "") -> None:
    """Django's password validators (length, common, numeric, similar to the e-mail)."""
    candidate = User(email=email, full_name=full_name)
    try:
        password_validation.validate_password(password, user=candidate)
    except DjangoValidationError as exc:
        raise serializers.ValidationError({"password": list(exc.messages)}) from exc


@extend_schema_serializer(examples=[api_examples.REGISTER])
class RegisterSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        allow_blank=True,
        help_text="The language the platform speaks to this person; leave out to let each "
        "request decide (`?lang=`, `Accept-Language`).",
    )
    timezone = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        validators=[validate_time_zone],
        help_text="IANA time zone for pages and e-mails, e.g. `Asia/Shanghai`; the API stays UTC.",
    )

    def validate_email(self, value: str) -> str:
        return value.strip().lower()

    def validate(self, attrs):
        validate_new_password(
            attrs["password"], email=attrs["email"], full_name=attrs.get("full_name", "")
        )
        return attrs


@extend_schema_serializer(examples=[api_examples.TOKEN_REQUEST])
class TokenRequestSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="A label for the token"
    )


PASSWORD_MAX_LENGTH = 1024


def password_field(help_text: str) -> serializers.CharField:
    return serializers.CharField(
        write_only=True,
        max_length=PASSWORD_MAX_LENGTH,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=help_text,
    )


class PasswordChangeSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    current_password = password_field("The password the account has now.")
    new_password = password_field("The new password; Django's password validators apply.")


class PasswordResetRequestSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    email = serializers.EmailField(help_text="The account's e-mail address.")


class EmailLinkSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """The two parts of a link we e-mailed: `/account/.../{uid}/{token}/`."""

    uid = serializers.CharField(max_length=64, help_text="The `uid` part of the e-mailed link.")
    token = serializers.CharField(
        max_length=128, help_text="The `token` part of the e-mailed link (works once)."
    )


class PasswordResetConfirmSerializer(EmailLinkSerializer):
    new_password = password_field("The new password; Django's password validators apply.")


class AcceptedSerializer(serializers.Serializer):
    detail = serializers.CharField()


@extend_schema_serializer(examples=[api_examples.TOKEN])
class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once. Send as `Authorization: Bearer <token>`.")
    prefix = serializers.CharField()
    expires_at = serializers.DateTimeField()


class MembershipSummarySerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name_zh", read_only=True)

    class Meta:
        model = Membership
        fields = ["enterprise", "enterprise_name", "role"]


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipSummarySerializer(many=True, read_only=True)
    is_platform_staff = serializers.BooleanField(read_only=True)
    # Declared so the schema says "" (no staff role) is a possible value: DRF drops allow_blank
    # from read-only model fields, and schemathesis caught the mismatch.
    staff_role = serializers.ChoiceField(
        choices=StaffRole.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "language",
            "timezone",
            "staff_role",
            "is_platform_staff",
            "partner",
            "memberships",
            "date_joined",
            "email_confirmed_at",
        ]
        read_only_fields = [
            "id",
            "email",
            "staff_role",
            "partner",
            "date_joined",
            "email_confirmed_at",
        ]


# --- Partners, their people and their API keys -----------------------------------------------


class PartnerDirectorySerializer(serializers.ModelSerializer):
    """What every enterprise may know of a partner: enough to name it in a request."""

    class Meta:
        model = Partner
        fields = ["id", "name", "name_zh", "kind", "country"]
        read_only_fields = fields


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "name_zh",
            "kind",
            "country",
            "contact_email",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {
            # A duplicate name is a 409 from the service, not a 400 from a validator.
            "name": {"validators": []},
            # Two ASCII letters, any case; the pattern is in the schema (schemathesis sent "Ð").
            "country": {
                "trim_whitespace": False,
                "validators": [
                    RegexValidator(
                        r"^[A-Za-z]{2}$",
                        message=_("An ISO 3166-1 alpha-2 code, e.g. CN or MY."),
                    )
                ],
            },
        }

    def validate_country(self, value: str) -> str:
        return value.strip().upper()


class PartnerUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name", "language", "partner", "is_active", "date_joined"]
        read_only_fields = ["id", "email", "partner", "date_joined"]


class PartnerUserCreateSerializer(serializers.ModelSerializer):
    password = serializers.CharField(
        write_only=True,
        style={"input_type": "password"},
        help_text="Initial password; Django's password validators apply.",
    )

    class Meta:
        model = User
        fields = ["email", "password", "full_name", "language"]
        # A duplicate e-mail is a 409 from the service, not a 400 from a validator.
        extra_kwargs = {"email": {"validators": []}}

    def validate_email(self, value: str) -> str:
        return value.strip().lower()

    def validate(self, attrs):
        validate_new_password(
            attrs["password"], email=attrs["email"], full_name=attrs.get("full_name", "")
        )
        return attrs


class ApiKeySerializer(serializers.ModelSerializer):
    created_by = serializers.EmailField(
        source="created_by.email", read_only=True, default=None, allow_null=True
    )
    # Declared so that the schema admits "" (no language of its own), as the model does.
    language = serializers.ChoiceField(choices=Language.choices, allow_blank=True, read_only=True)
    is_usable = serializers.SerializerMethodField()

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "partner",
            "name",
            "prefix",
            "scopes",
            "language",
            "created_by",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "is_usable",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField)
    def get_is_usable(self, key: ApiKey) -> bool:
        return key.revoked_at is None and (
            key.expires_at is None or key.expires_at > timezone.now()
        )


API_KEY_LANGUAGE = serializers.ChoiceField(
    choices=Language.choices,
    required=False,
    allow_blank=True,
    help_text="The language answers to this key are in unless the request names one (`?lang=`); "
    "blank: `Accept-Language`, else the platform's default (Chinese).",
)


@extend_schema_serializer(examples=[api_examples.API_KEY_UPDATE])
class ApiKeyUpdateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, help_text="A new label.")
    language = API_KEY_LANGUAGE


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="What the key is for, e.g. 'TMS prod'.")
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(SCOPES)),
        allow_empty=False,
        help_text="Scopes the key carries; see docs/api-conventions.md.",
    )
    expires_at = serializers.DateTimeField(
        required=False,
        help_text="When the key stops working; defaults to one year from now.",
    )
    language = API_KEY_LANGUAGE

    def validate_expires_at(self, value):
        if value <= timezone.now():
            raise serializers.ValidationError(gettext("The expiry must be in the future."))
        return value


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(
        read_only=True,
        help_text="The key itself, shown this once only. Send as `Authorization: Api-Key <key>`.",
    )

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]
        read_only_fields = fields
