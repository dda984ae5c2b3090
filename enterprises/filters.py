import django_filters
from django.db.models import Exists, OuterRef

from agri_platform.api.filtering import IdFilter, IsoDateTimeFilter
from agri_platform.reference.choices import ExportCategory

from . import certificates
from .choices import BaseKind, VerificationStatus
from .models import Enterprise, Product, ProductionBase


class CategoryFilterMixin(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        choices=ExportCategory.choices, method="filter_category", help_text="Export category"
    )

    def filter_category(self, queryset, name, value):
        # export_categories is a JSON list: match the quoted member (works on SQLite and PostgreSQL)
        return queryset.filter(export_categories__icontains=f'"{value}"')


class ValidCertificateFilterMixin(django_filters.FilterSet):
    has_valid_certificate = django_filters.BooleanFilter(
        method="filter_has_valid_certificate",
        help_text="true: holds at least one certificate in force today; false: holds none",
    )

    def filter_has_valid_certificate(self, queryset, name, value):
        held = Exists(certificates.in_force().filter(enterprise=OuterRef("pk")))
        return queryset.filter(held if value else ~held)


class EnterpriseFilter(ValidCertificateFilterMixin, CategoryFilterMixin):
    prefecture = django_filters.CharFilter(field_name="prefecture_id")
    status = django_filters.ChoiceFilter(choices=VerificationStatus.choices)
    registered_outside_sichuan = django_filters.BooleanFilter()
    registered_after = IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    registered_before = IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Enterprise
        fields = [
            "prefecture",
            "category",
            "status",
            "registered_outside_sichuan",
            "registered_after",
            "registered_before",
            "has_valid_certificate",
        ]


class DirectoryFilter(ValidCertificateFilterMixin, CategoryFilterMixin):
    prefecture = django_filters.CharFilter(field_name="prefecture_id")
    market = django_filters.CharFilter(
        field_name="export_markets__code",
        lookup_expr="iexact",
        distinct=True,
        help_text="ISO 3166-1 alpha-2 code of an export market",
    )
    hs_code = django_filters.CharFilter(
        field_name="products__hs_code__code",
        lookup_expr="startswith",
        distinct=True,
        help_text="Exporters of products whose HS code starts with these digits",
    )

    class Meta:
        model = Enterprise
        fields = ["prefecture", "category", "market", "hs_code", "has_valid_certificate"]


class ProductionBaseFilter(django_filters.FilterSet):
    enterprise = IdFilter(field_name="enterprise_id")
    kind = django_filters.ChoiceFilter(choices=BaseKind.choices)
    prefecture = django_filters.CharFilter(field_name="prefecture_id")
    product = IdFilter(field_name="products", distinct=True)

    class Meta:
        model = ProductionBase
        fields = ["enterprise", "kind", "prefecture", "product"]


class ProductFilter(django_filters.FilterSet):
    enterprise = IdFilter(field_name="enterprise_id")
    category = django_filters.ChoiceFilter(choices=ExportCategory.choices)
    hs_code = django_filters.CharFilter(
        field_name="hs_code__code", lookup_expr="startswith", help_text="HS code prefix"
    )
    production_base = IdFilter(field_name="production_bases", distinct=True)

    class Meta:
        model = Product
        fields = ["enterprise", "category", "hs_code", "production_base"]
