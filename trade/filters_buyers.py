from django_filters import rest_framework as filters

from .choices import BuyerKind, BuyerStatus
from .models import Buyer


class BuyerFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=BuyerStatus.choices)
    kind = filters.MultipleChoiceFilter(choices=BuyerKind.choices)
    country = filters.CharFilter(field_name="partner__country", lookup_expr="iexact")

    class Meta:
        model = Buyer
        fields = ["status", "kind", "country"]
