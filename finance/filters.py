from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from agri_platform.api.filtering import IdFilter, IsoDateTimeFilter, days_ago

from .choices import FinancingKind, OfferStatus, RequestStatus
from .models import FinancingOffer, FinancingRequest


class FinancingRequestFilter(filters.FilterSet):
    kind = filters.MultipleChoiceFilter(choices=FinancingKind.choices)
    status = filters.MultipleChoiceFilter(choices=RequestStatus.choices)
    partner = IdFilter(
        field_name="routings__partner", distinct=True, label=_("Routed to this partner id")
    )
    enterprise = IdFilter(field_name="enterprise")
    currency = filters.CharFilter(field_name="currency__code", lookup_expr="iexact")
    submitted_after = IsoDateTimeFilter(field_name="submitted_at", lookup_expr="gte")
    submitted_before = IsoDateTimeFilter(field_name="submitted_at", lookup_expr="lt")
    min_age_days = filters.NumberFilter(
        method="filter_min_age", label=_("Submitted at least this many days ago")
    )
    max_age_days = filters.NumberFilter(
        method="filter_max_age", label=_("Submitted at most this many days ago")
    )

    class Meta:
        model = FinancingRequest
        fields = ["kind", "status", "partner", "enterprise", "currency"]

    def filter_min_age(self, queryset, name, value):
        return queryset.filter(submitted_at__lte=days_ago(value))

    def filter_max_age(self, queryset, name, value):
        return queryset.filter(submitted_at__gte=days_ago(value))


class FinancingOfferFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=OfferStatus.choices)
    request = IdFilter(field_name="request")
    partner = IdFilter(field_name="partner")
    kind = filters.ChoiceFilter(field_name="request__kind", choices=FinancingKind.choices)

    class Meta:
        model = FinancingOffer
        fields = ["status", "request", "partner", "kind"]
