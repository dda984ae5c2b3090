import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agri_platform.api.filtering import IdFilter, IsoDateTimeFilter

from .choices import DeliveryStatus
from .models import Event, Notification, WebhookDelivery, WebhookEndpoint


def filter_kind(queryset, name, value):
    """`kind=a.b,c.*`: exact kinds, or prefixes ending in `*` or `.`."""
    condition = Q()
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        if item.endswith("*"):
            condition |= Q(kind__startswith=item[:-1])
        elif item.endswith("."):
            condition |= Q(kind__startswith=item)
        else:
            condition |= Q(kind=item)
    return queryset.filter(condition) if condition else queryset


class EventFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(
        method=filter_kind,
        help_text=_("Comma-separated kinds; `shipment.*` or `shipment.` matches a prefix."),
    )
    occurred_after = IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_before = IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lt")
    after_id = IdFilter(
        field_name="id",
        lookup_expr="gt",
        min_value=0,
        help_text=_("Only events with a larger id (catching up)."),
    )
    enterprise = IdFilter(field_name="enterprise_id")

    class Meta:
        model = Event
        fields = ["kind", "occurred_after", "occurred_before", "after_id", "enterprise"]


class NotificationFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(method=filter_kind, help_text=_("As on events/."))
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["kind", "unread"]


class WebhookDeliveryFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(method=filter_kind, help_text=_("As on events/."))
    status = django_filters.ChoiceFilter(choices=DeliveryStatus.choices)
    endpoint = IdFilter(field_name="endpoint_id")
    event = IdFilter(field_name="event_id")

    class Meta:
        model = WebhookDelivery
        fields = ["kind", "status", "endpoint", "event"]


class WebhookEndpointFilter(django_filters.FilterSet):
    # An id, not django-filter's model choice: an unknown partner is an empty list, not a 400.
    partner = IdFilter(field_name="partner_id", help_text=_("Partner id"))
    archived = django_filters.BooleanFilter(
        field_name="archived_at",
        lookup_expr="isnull",
        exclude=True,
        help_text=_("Archived (deleted)"),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["is_active", "partner"]
