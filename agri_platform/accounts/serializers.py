from django.contrib.auth import password_validation
from rest_framework import serializers

from .choices import Language
from .models import Membership, User


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=Language.choices, default=Language.ZH_HANS)

    def validate_email(self, value: str) -> str:
        return value.strip().lower()

    def validate(self, attrs):
        candidate = User(email=attrs["email"], full_name=attrs.get("full_name", ""))
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except Exception as exc:  # django.core.exceptions.ValidationError
            raise serializers.ValidationError(
                {"password": list(getattr(exc, "messages", [str(exc)]))}
            ) from exc
        return attrs


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="A label for the token"
    )


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

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "language",
            "staff_role",
            "is_platform_staff",
            "partner",
            "memberships",
            "date_joined",
        ]
        read_only_fields = ["id", "email", "staff_role", "partner", "date_joined"]
