from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from agri_platform.api.filtering import IdFilter, IsoDateTimeFilter, days_ago

from .choices import LegalKind, LegalStatus
from .models import LegalRequest


class LegalRequestFilter(filters.FilterSet):
    kind = filters.MultipleChoiceFilter(choices=LegalKind.choices)
    status = filters.MultipleChoiceFilter(choices=LegalStatus.choices)
    partner = IdFilter(field_name="assigned_firm", label=_("Assigned law firm id"))
    unassigned = filters.BooleanFilter(field_name="assigned_firm", lookup_expr="isnull")
    enterprise = IdFilter(field_name="enterprise")
    country = filters.CharFilter(field_name="countries__code", lookup_expr="iexact", distinct=True)
    deadline_before = filters.DateFilter(field_name="deadline", lookup_expr="lte")
    created_after = IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    min_age_days = filters.NumberFilter(
        method="filter_min_age", label=_("Filed at least this many days ago")
    )
    max_age_days = filters.NumberFilter(
        method="filter_max_age", label=_("Filed at most this many days ago")
    )

    class Meta:
        model = LegalRequest
        fields = ["kind", "status", "partner", "enterprise"]

    def filter_min_age(self, queryset, name, value):
        return queryset.filter(created_at__lte=days_ago(value))

    def filter_max_age(self, queryset, name, value):
        return queryset.filter(created_at__gte=days_ago(value))
