import django_filters

from .choices import ShipmentStatus, TransportMode
from .models import Shipment


class ShipmentFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ShipmentStatus.choices)
    transport_mode = django_filters.ChoiceFilter(choices=TransportMode.choices)
    departure_after = django_filters.IsoDateTimeFilter(
        field_name="planned_departure", lookup_expr="gte"
    )
    departure_before = django_filters.IsoDateTimeFilter(
        field_name="planned_departure", lookup_expr="lt"
    )

    class Meta:
        model = Shipment
        fields = ["status", "transport_mode", "carrier", "destination", "consignee_country"]
