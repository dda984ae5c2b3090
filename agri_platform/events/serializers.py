from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from agri_platform.accounts.models import Partner
from agri_platform.api.serializers import RejectUnknownFieldsMixin

from . import api_examples, catalogue
from .models import Event, Notification, WebhookAttempt, WebhookDelivery, WebhookEndpoint


class EventSubjectSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.CharField()


class EventSerializer(serializers.ModelSerializer):
    data = serializers.JSONField(source="payload", read_only=True)
    subject = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "kind", "occurred_at", "enterprise", "subject", "data"]
        read_only_fields = fields

    @extend_schema_field(EventSubjectSerializer(allow_null=True))
    def get_subject(self, event):
        if not event.subject_type_id:
            return None
        return {"type": event.subject_type.model, "id": event.subject_id}


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()
    event = EventSerializer(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "created_at", "read_at", "is_read", "event"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_read(self, notification) -> bool:
        return notification.read_at is not None


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class NotificationPreferenceSerializer(serializers.Serializer):
    email_muted_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=catalogue.SUBSCRIPTION_PATTERNS),
        max_length=200,
        help_text=_("Kinds or patterns ('shipment.*') you do not want by e-mail."),
    )


class WebhookEndpointSerializer(serializers.ModelSerializer):
    secret_rotation_ends_at = serializers.DateTimeField(
        source="previous_secret_expires_at", read_only=True, allow_null=True
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "partner",
            "url",
            "description",
            "event_kinds",
            "is_active",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "secret_rotation_ends_at",
            "created_at",
            "updated_at",
            "archived_at",
        ]
        read_only_fields = fields


@extend_schema_serializer(examples=[api_examples.ENDPOINT_WITH_SECRET])
class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.SerializerMethodField(
        help_text=_("whsec_…: shown only in this response; store it now.")
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_secret(self, endpoint) -> str:
        return self.context["secret"]


@extend_schema_serializer(examples=[api_examples.ENDPOINT_INPUT])
class WebhookEndpointInputSerializer(serializers.Serializer):
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(),
        required=False,
        help_text=_("Staff only: the partner the endpoint belongs to."),
    )
    url = serializers.URLField(max_length=500)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    event_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=catalogue.SUBSCRIPTION_PATTERNS),
        min_length=1,
        max_length=100,
        help_text=_("Kinds, prefixes ('shipment.*') or '*' (every kind you may see)."),
    )
    is_active = serializers.BooleanField(required=False, default=True)


@extend_schema_serializer(
    description=(
        "The fields of an endpoint a partner may change. The partner and the secret stay: partner "
        "here is an unknown field (400); rotate-secret makes a new secret."
    )
)
class WebhookEndpointUpdateInputSerializer(
    RejectUnknownFieldsMixin, WebhookEndpointInputSerializer
):
    """An endpoint keeps its partner: `partner` on an update is an unknown field (it used to be
    checked against the partners, a 400 for an id that does not exist, and then ignored)."""

    partner = None


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = [
            "number",
            "outcome",
            "started_at",
            "finished_at",
            "duration_ms",
            "status_code",
            "response_body",
            "error",
        ]
        read_only_fields = fields


class WebhookDeliverySerializer(serializers.ModelSerializer):
    attempts = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "event",
            "msg_id",
            "kind",
            "status",
            "attempt_count",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "created_at",
            "delivered_at",
            "body",
            "attempts",
        ]
        read_only_fields = fields
