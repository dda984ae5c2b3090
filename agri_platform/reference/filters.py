import django_filters
from django.db.models.functions import Length

from .models import Country, HSCode, Location

# Position of each UN/LOCODE function in the 8-character classifier ("1-3-----").
LOCATION_FUNCTIONS = {
    "port": 1,
    "rail": 2,
    "road": 3,
    "airport": 4,
    "postal": 5,
    "multimodal": 6,
    "fixed": 7,
    "border": 8,
}


class CountryFilter(django_filters.FilterSet):
    group = django_filters.CharFilter(
        method="filter_group", help_text="Market group, e.g. ASEAN, EU, GCC, RCEP"
    )

    class Meta:
        model = Country
        fields = ["group"]

    def filter_group(self, queryset, name, value):
        # JSON list stored as text on SQLite and jsonb on PostgreSQL: match the quoted member.
        return queryset.filter(groups__icontains=f'"{value.strip()}"')


class LocationFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(field_name="country__code", lookup_expr="iexact")
    subdivision = django_filters.CharFilter(lookup_expr="iexact")
    function = django_filters.ChoiceFilter(
        choices=[(name, name) for name in LOCATION_FUNCTIONS],
        method="filter_function",
        help_text="Places that serve as port, rail, road, airport, postal, multimodal, fixed or border",
    )

    class Meta:
        model = Location
        fields = ["country", "subdivision", "function"]

    def filter_function(self, queryset, name, value):
        position = LOCATION_FUNCTIONS[value]
        marker = "B" if value == "border" else str(position)
        return queryset.filter(functions__regex=rf"^.{{{position - 1}}}{marker}")


class HSCodeFilter(django_filters.FilterSet):
    prefix = django_filters.CharFilter(
        field_name="code", lookup_expr="startswith", help_text="Codes starting with these digits"
    )
    digits = django_filters.NumberFilter(
        method="filter_digits", help_text="Only codes of this length (4, 6, 8, 10, 13)"
    )

    class Meta:
        model = HSCode
        fields = ["prefix", "digits"]

    def filter_digits(self, queryset, name, value):
        return queryset.annotate(_digits=Length("code")).filter(_digits=int(value))
