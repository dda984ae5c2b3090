"""Events API: the event log, the inbox, notification preferences, webhook endpoints and deliveries."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agri_platform.api.errors import ValidationFailed
from agri_platform.api.filtering import StrictFilterBackend, StrictOrderingFilter
from agri_platform.api.pagination import CursorPagination
from agri_platform.api.views import ApiGenericView, ApiModelViewSet, ApiReadOnlyViewSet, ApiViewSet
from agri_platform.api.views import mixins as api_mixins

from . import selectors, services, webhooks
from .filters import EventFilter, NotificationFilter, WebhookDeliveryFilter, WebhookEndpointFilter
from .models import NotificationPreference
from .serializers import (
    EventSerializer,
    MarkedSerializer,
    NotificationPreferenceSerializer,
    NotificationSerializer,
    UnreadCountSerializer,
    WebhookDeliverySerializer,
    WebhookEndpointInputSerializer,
    WebhookEndpointSerializer,
    WebhookEndpointUpdateInputSerializer,
    WebhookEndpointWithSecretSerializer,
)


class EventPagination(CursorPagination):
    page_size = 100


class IsPartnerOrStaff(permissions.BasePermission):
    message = gettext_lazy("Only partner organisations and platform staff manage webhooks.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_platform_staff or user.partner_id))


@extend_schema_view(
    list=extend_schema(
        summary="List events",
        description=(
            "The event log the caller may see: platform staff everything, an enterprise its own "
            "events, a partner what was routed to it plus public facts. Newest first; "
            "`?ordering=id` reads oldest first and `after_id` catches up from the last id you "
            "saw. Filter by `kind` (`shipment.*` matches a prefix) and time. Cursor-paginated. "
            "Partner keys need the `events:read` scope."
        ),
    ),
    retrieve=extend_schema(
        summary="Show an event",
        description="One event with its payload; an event the caller may not see is a 404.",
    ),
)
class EventViewSet(ApiReadOnlyViewSet):
    """The event log the caller may see: staff everything, an enterprise its own events, a partner
    what was routed to it plus public facts. Cursor-paginated; `?ordering=id` reads oldest first."""

    serializer_class = EventSerializer
    pagination_class = EventPagination
    filter_backends = [StrictFilterBackend, StrictOrderingFilter]
    filterset_class = EventFilter
    ordering_fields = ["id"]
    ordering = ["-id"]
    required_scopes = {"*": "events:read"}
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.events_for(self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List my notifications",
        description=(
            "The caller's own in-app inbox, newest first. `unread=true` shows only unread ones; "
            "`kind` filters as on events. Cursor-paginated."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a notification",
        description="One notification of the caller's inbox; anyone else's is a 404.",
    ),
    unread_count=extend_schema(
        summary="Count my unread notifications",
        description="How many notifications in the caller's inbox are unread.",
    ),
    mark_read=extend_schema(
        summary="Mark a notification read",
        description="Marks one notification of the caller's inbox read and answers it.",
    ),
    mark_all_read=extend_schema(
        summary="Mark all my notifications read",
        description="Marks every unread notification of the caller's inbox read; answers how many.",
    ),
)
class NotificationViewSet(api_mixins.ListModelMixin, api_mixins.RetrieveModelMixin, ApiViewSet):
    """The caller's own in-app inbox."""

    serializer_class = NotificationSerializer
    pagination_class = CursorPagination
    filter_backends = [StrictFilterBackend]
    filterset_class = NotificationFilter
    required_scopes = {"*": "events:read"}
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": selectors.unread_count(request.user)})

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"], url_path="mark-read")
    def mark_read(self, request, pk=None):
        notification = services.notification_mark_read(notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="mark-all-read")
    def mark_all_read(self, request):
        marked = services.notifications_mark_all_read(user=request.user)
        return Response({"marked": marked})


@extend_schema_view(
    get=extend_schema(
        summary="Show my e-mail preferences",
        description=(
            "The event kinds the caller does not want by e-mail. The in-app inbox gets every "
            "notification whatever this says."
        ),
    ),
    put=extend_schema(
        summary="Set my e-mail preferences",
        description=(
            "Replaces the list of event kinds the caller does not want by e-mail and answers it. "
            "An unknown kind is a 400."
        ),
    ),
)
class NotificationPreferenceView(ApiGenericView):
    """Kinds the caller does not want by e-mail (the inbox always gets them)."""

    serializer_class = NotificationPreferenceSerializer
    required_scopes = {"*": "events:read"}
    isolation_model = NotificationPreference

    def get_queryset(self):
        return NotificationPreference.objects.filter(user=self.request.user)

    def get_object(self):
        # The caller's own preferences (no pk in the URL); DRF's OPTIONS metadata calls this for
        # PUT and asserted on the missing lookup kwarg: a 500 found by schemathesis.
        return services.preferences_for(user=self.request.user)

    def get(self, request):
        preference = services.preferences_for(user=request.user)
        return Response({"email_muted_kinds": preference.email_muted_kinds})

    def put(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        preference = services.preferences_update(
            user=request.user, email_muted_kinds=serializer.validated_data["email_muted_kinds"]
        )
        return Response({"email_muted_kinds": preference.email_muted_kinds})


@extend_schema_view(
    list=extend_schema(
        summary="List webhook endpoints",
        description=(
            "The caller's webhook endpoints (platform staff: every partner's, filter by "
            "`partner`). Partner people and partner keys with the `webhooks:manage` scope."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a webhook endpoint",
        description="One endpoint of the caller's partner, without its secret.",
    ),
    create=extend_schema(
        summary="Create a webhook endpoint",
        description=(
            "Registers a URL for the event kinds listed (patterns such as `shipment.*`) "
            "and answers 201 with the endpoint and its signing `secret`, shown this once. Every "
            "message is signed with it (docs/webhooks.md says how to check). Partners register "
            "for themselves; platform staff name the `partner`."
        ),
    ),
    update=extend_schema(
        summary="Replace a webhook endpoint",
        description=(
            "Replaces URL, event kinds, description and `is_active`; the partner and the secret "
            "stay. Answers the endpoint."
        ),
    ),
    partial_update=extend_schema(
        summary="Update a webhook endpoint",
        description=(
            "Changes the fields sent (URL, event kinds, description, `is_active`); re-activating "
            "an endpoint the platform disabled starts its deliveries again. Answers the endpoint."
        ),
    ),
    destroy=extend_schema(
        summary="Delete a webhook endpoint",
        description="Stops deliveries to the endpoint and removes it; answers 204.",
    ),
    rotate_secret=extend_schema(
        summary="Rotate a webhook secret",
        description=(
            "Makes a new signing secret and answers the endpoint with it, shown this once. The old "
            "secret keeps signing alongside for a grace period, so receivers can switch over."
        ),
    ),
    ping=extend_schema(
        summary="Ping a webhook endpoint",
        description=(
            "Sends a `webhook.ping` message to this endpoint alone and answers 202 with the "
            "delivery; follow it under `/webhooks/deliveries/`. A disabled endpoint is a 409."
        ),
    ),
)
class WebhookEndpointViewSet(ApiModelViewSet):
    """Partner webhook endpoints. The secret is shown once, on create and on rotate-secret."""

    shown_once_fields = ("secret",)

    serializer_class = WebhookEndpointSerializer
    permission_classes = [permissions.IsAuthenticated, IsPartnerOrStaff]
    required_scopes = {"*": "webhooks:manage"}
    filter_backends = [StrictFilterBackend, StrictOrderingFilter]
    filterset_class = WebhookEndpointFilter
    ordering_fields = ["id", "created_at"]
    ordering = ["id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.endpoints_for(self.request.user)

    def _partner_for(self, validated):
        user = self.request.user
        if user.partner_id:
            return user.partner
        partner = validated.get("partner")
        if partner is None:
            raise ValidationFailed(_("Staff must name the partner."), field="partner")
        return partner

    @extend_schema(
        request=WebhookEndpointInputSerializer, responses={201: WebhookEndpointWithSecretSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = request.data
        if request.user.partner_id and hasattr(data, "keys"):  # a JSON list is not a mapping
            data = data.copy()
            data.pop("partner", None)  # a partner always registers for itself
        serializer = WebhookEndpointInputSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        endpoint, secret = webhooks.endpoint_create(
            partner=self._partner_for(data),
            url=data["url"],
            event_kinds=data["event_kinds"],
            description=data.get("description", ""),
            is_active=data.get("is_active", True),
            created_by=request.user,
        )
        output = WebhookEndpointWithSecretSerializer(endpoint, context={"secret": secret})
        return Response(output.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=WebhookEndpointUpdateInputSerializer, responses=WebhookEndpointSerializer
    )
    def update(self, request, *args, **kwargs):
        endpoint = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = WebhookEndpointUpdateInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        endpoint = webhooks.endpoint_update(endpoint=endpoint, **serializer.validated_data)
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(
        request=WebhookEndpointUpdateInputSerializer, responses=WebhookEndpointSerializer
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(responses={204: None})
    def destroy(self, request, *args, **kwargs):
        """Archive the endpoint: it receives nothing more and its delivery history stays."""
        webhooks.endpoint_archive(endpoint=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=WebhookEndpointWithSecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint, secret = webhooks.endpoint_rotate_secret(endpoint=self.get_object())
        return Response(
            WebhookEndpointWithSecretSerializer(endpoint, context={"secret": secret}).data
        )

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def ping(self, request, pk=None):
        delivery = webhooks.endpoint_ping(endpoint=self.get_object())
        delivery.refresh_from_db()
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    list=extend_schema(
        summary="List webhook deliveries",
        description=(
            "Every message sent to the caller's endpoints, newest first, with every attempt: "
            "status code, duration and the start of the answer. Filter by `status`, `kind`, "
            "`endpoint` and `event`. Partner people and keys with `webhooks:manage`; staff all."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a webhook delivery",
        description="One delivery with its body and every attempt.",
    ),
    redeliver=extend_schema(
        summary="Redeliver a webhook message",
        description=(
            "Sends the message again now, with the same `webhook-id` and body and a fresh retry "
            "budget; answers 202 with the delivery. A disabled endpoint is a 409 "
            "`endpoint_disabled`."
        ),
    ),
)
class WebhookDeliveryViewSet(ApiReadOnlyViewSet):
    """Every message sent to the caller's endpoints, with every attempt."""

    serializer_class = WebhookDeliverySerializer
    permission_classes = [permissions.IsAuthenticated, IsPartnerOrStaff]
    required_scopes = {"*": "webhooks:manage"}
    pagination_class = CursorPagination
    filter_backends = [StrictFilterBackend]
    filterset_class = WebhookDeliveryFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.deliveries_for(self.request.user)

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def redeliver(self, request, pk=None):
        delivery = webhooks.delivery_redeliver(delivery=self.get_object())
        delivery = self.get_queryset().get(pk=delivery.pk)
        return Response(self.get_serializer(delivery).data, status=status.HTTP_202_ACCEPTED)
