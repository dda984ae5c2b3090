import django_filters

from agri_platform.api.filtering import IdFilter, IsoDateTimeFilter

from .choices import ShipmentStatus, TransportMode
from .models import Shipment


class ShipmentFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ShipmentStatus.choices)
    transport_mode = django_filters.ChoiceFilter(choices=TransportMode.choices)
    departure_after = IsoDateTimeFilter(field_name="planned_departure", lookup_expr="gte")
    departure_before = IsoDateTimeFilter(field_name="planned_departure", lookup_expr="lt")

    # Explicit filters, not django-filter's model choices: an id or code that matches no row is an
    # empty list, not a 400 "Select a valid choice" (schemathesis: a valid request rejected).
    carrier = IdFilter(field_name="carrier_id", help_text="Carrier partner id")
    destination = django_filters.CharFilter(
        field_name="destination__code", lookup_expr="iexact", help_text="UN/LOCODE, e.g. MYKUL"
    )
    consignee_country = django_filters.CharFilter(
        field_name="consignee_country__code", lookup_expr="iexact", help_text="ISO alpha-2"
    )

    class Meta:
        model = Shipment
        fields = ["status", "transport_mode", "carrier", "destination", "consignee_country"]
