import django_filters
from django.db.models import Q
from django.utils import timezone

from agri_platform.api.filtering import IdFilter, IsoDateTimeFilter, days_ago

from .choices import (
    AWAITING_STAFF_STATUSES,
    ApplicationStatus,
    CertificateStatus,
    DestinationGroup,
    DocumentType,
)
from .models import Application, Certificate, MarketRequirement


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ApplicationStatus.choices)
    scheme = django_filters.CharFilter(field_name="scheme__code", help_text="Scheme code")
    enterprise = IdFilter(field_name="enterprise_id")
    prefecture = django_filters.CharFilter(
        field_name="enterprise__prefecture_id", help_text="GB/T 2260 prefecture code"
    )
    reviewer = IdFilter(field_name="reviewer_id")
    unassigned = django_filters.BooleanFilter(
        field_name="reviewer", lookup_expr="isnull", help_text="true: no reviewer yet"
    )
    min_age_days = django_filters.NumberFilter(
        method="filter_min_age", help_text="First submitted at least this many days ago"
    )
    submitted_after = IsoDateTimeFilter(field_name="submitted_at", lookup_expr="gte")
    submitted_before = IsoDateTimeFilter(field_name="submitted_at", lookup_expr="lt")
    sla_breached = django_filters.BooleanFilter(
        method="filter_sla_breached",
        help_text="true: waiting for staff past the scheme's review SLA; false: within it",
    )

    class Meta:
        model = Application
        fields = ["status", "scheme", "enterprise", "prefecture", "reviewer"]

    def filter_min_age(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(submitted_at__lte=days_ago(value))

    def filter_sla_breached(self, queryset, name, value):
        if value is None:
            return queryset
        breached = Q(status__in=AWAITING_STAFF_STATUSES, sla_due_at__lt=timezone.now())
        return queryset.filter(breached) if value else queryset.exclude(breached)


class ReviewQueueFilter(ApplicationFilter):
    """The queue shows the applications waiting for staff unless `status` says otherwise."""

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=AWAITING_STAFF_STATUSES)
        return queryset


class CertificateFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=CertificateStatus.choices)
    scheme = django_filters.CharFilter(field_name="scheme__code")
    enterprise = IdFilter(field_name="enterprise_id")
    expires_before = django_filters.DateFilter(field_name="expiry_date", lookup_expr="lte")
    expires_after = django_filters.DateFilter(field_name="expiry_date", lookup_expr="gte")

    class Meta:
        model = Certificate
        fields = ["status", "scheme", "enterprise"]


class MarketRequirementFilter(django_filters.FilterSet):
    destination_country = django_filters.CharFilter(field_name="destination_country_id")
    destination_group = django_filters.ChoiceFilter(choices=DestinationGroup.choices)
    scheme = django_filters.CharFilter(field_name="scheme__code")
    document_type = django_filters.ChoiceFilter(choices=DocumentType.choices)

    class Meta:
        model = MarketRequirement
        fields = ["destination_country", "destination_group", "product_category", "scheme"]
