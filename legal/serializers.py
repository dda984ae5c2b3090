from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from agri_platform.accounts.models import Partner
from agri_platform.api.documents import (
    DownloadUrlField,
    TitledDocumentInputSerializer,
    TitledDocumentSerializer,
)
from agri_platform.reference.models import Country

from . import api_examples, services
from .choices import DesignationStatus, LegalKind
from .models import LegalAttachment, LegalMessage, LegalRequest, MadridDesignation


class CountryCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Country.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data:  # PostgreSQL refuses NUL: a 500 before
            self.fail("invalid")
        return super().to_internal_value(data.strip().upper())


class FirmSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "name_zh"]
        read_only_fields = fields


class DesignationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country_id", read_only=True)

    class Meta:
        model = MadridDesignation
        fields = ["country", "nice_classes", "status", "note", "updated_at"]
        read_only_fields = fields


class DesignationInputSerializer(serializers.Serializer):
    country = CountryCodeField()
    nice_classes = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=services.MAX_NICE_CLASS),
        required=False,
        default=list,
        help_text=_("Nice classes, e.g. [29] for caviar"),
    )


class AttachmentSerializer(TitledDocumentSerializer):
    download_url = DownloadUrlField(route="legal-request-document-download", owner="request")

    class Meta(TitledDocumentSerializer.Meta):
        model = LegalAttachment


@extend_schema_serializer(examples=[api_examples.REQUEST])
class LegalRequestSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.SerializerMethodField()
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    designations = DesignationSerializer(many=True, read_only=True)
    assigned_firm = FirmSerializer(read_only=True, allow_null=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = LegalRequest
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "kind",
            "title",
            "description",
            "trademark",
            "countries",
            "designations",
            "deadline",
            "status",
            "status_reason",
            "allowed_actions",
            "assigned_firm",
            "resolution",
            "created_at",
            "assigned_at",
            "started_at",
            "resolved_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_enterprise_name(self, obj) -> str:
        return str(obj.enterprise)

    def get_allowed_actions(self, obj) -> list[str]:
        return services.REQUEST_WORKFLOW.actions_for(obj, context=self.context)


@extend_schema_serializer(component_name="NewLegalRequest", examples=[api_examples.REQUEST_INPUT])
class LegalRequestInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(
        required=False, help_text=_("Needed only when the caller belongs to several enterprises.")
    )
    kind = serializers.ChoiceField(choices=LegalKind.choices)
    title = serializers.CharField(max_length=services.MAX_TITLE_LENGTH)
    description = serializers.CharField(max_length=services.MAX_DESCRIPTION_LENGTH)
    trademark = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    countries = CountryCodeField(many=True, required=False, default=list)
    designations = DesignationInputSerializer(many=True, required=False, default=list)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class LegalAssignInputSerializer(serializers.Serializer):
    firm = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())


class LegalReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=services.MAX_REASON_LENGTH, required=False, allow_blank=True, default=""
    )


class AwaitClientInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class ResolveInputSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=10000)


class DesignationUpdateInputSerializer(serializers.Serializer):
    country = serializers.CharField(max_length=2)
    status = serializers.ChoiceField(choices=DesignationStatus.choices)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


@extend_schema_serializer(examples=[api_examples.MESSAGE])
class MessageSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = LegalMessage
        fields = [
            "id",
            "author_side",
            "author_name",
            "body",
            "is_internal",
            "attachments",
            "created_at",
        ]
        read_only_fields = fields

    def get_author_name(self, obj) -> str:
        if obj.author_partner is not None:
            return obj.author_partner.name
        return obj.author.full_name if obj.author else ""


@extend_schema_serializer(examples=[api_examples.MESSAGE_INPUT])
class MessageInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=services.MAX_MESSAGE_LENGTH)
    is_internal = serializers.BooleanField(
        default=False, help_text=_("Law firms only: a note the enterprise never sees.")
    )
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=services.MAX_ATTACHMENTS,
    )


class LegalDocumentInputSerializer(TitledDocumentInputSerializer):
    """A legal case's upload: the file and an optional title."""
