"""Query parameters of the analytics endpoints (validation only) and the documented output shape."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from .choices import GroupBy
from .selectors.windows import Window, add_months, month_end

MAX_WINDOW_DAYS = 5 * 366


class WindowQuerySerializer(serializers.Serializer):
    """`from` and `to` (inclusive ISO dates). Missing both: the 12 months ending this month; one
    missing: a 12-month window from or up to the other."""

    def get_fields(self):
        return {
            "from": serializers.DateField(required=False),
            "to": serializers.DateField(required=False),
        }

    def validate(self, attrs):
        start: date | None = attrs.get("from")
        end: date | None = attrs.get("to")
        if start is None and end is None:
            window = Window.default()
        else:
            if start is None:
                start = add_months(end.replace(day=1), -11)
            if end is None:
                end = month_end(add_months(start.replace(day=1), 11))
            if end < start:
                raise serializers.ValidationError(
                    {"to": _("Must not be before the first day (from).")}
                )
            if (end - start).days > MAX_WINDOW_DAYS:
                raise serializers.ValidationError({"from": _("A window spans at most five years.")})
            window = Window(start, end)
        return {"window": window}


class ExportsQuerySerializer(WindowQuerySerializer):
    def get_fields(self):
        return {
            **super().get_fields(),
            "group_by": serializers.ChoiceField(GroupBy.choices),
            "headers": serializers.ChoiceField(["titles", "keys"], required=False),
        }

    def validate(self, attrs):
        return {**super().validate(attrs), "group_by": attrs["group_by"]}


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}]})
class GroupKeyField(serializers.Field):
    def to_representation(self, value):
        return value


@extend_schema_serializer(
    description=(
        "One group of the table. Figures are null when suppressed is true (and the previous year's "
        "figures and yoy when last year's group was suppressed). Money in CNY, volume in tonnes, "
        "percentages to one decimal."
    )
)
class ExportRowSerializer(serializers.Serializer):
    """One group. Figures are null when `suppressed` (or, for *_prev and yoy, when the previous
    year's cell is suppressed). Money in CNY, volume in tonnes, percentages with one decimal."""

    key = GroupKeyField(
        help_text="The group: the enterprise's id (an integer) for `group_by=enterprise`, "
        "else its code (category, HS heading, market, prefecture...)."
    )
    label = serializers.CharField()
    suppressed = serializers.BooleanField()
    shipments = serializers.IntegerField(allow_null=True)
    enterprises = serializers.IntegerField(allow_null=True)
    value_cny = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    volume_t = serializers.DecimalField(max_digits=20, decimal_places=3, allow_null=True)
    share_pct = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    unconverted_shipments = serializers.IntegerField(allow_null=True)
    value_cny_prev = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    volume_t_prev = serializers.DecimalField(max_digits=20, decimal_places=3, allow_null=True)
    yoy_pct = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    volume_yoy_pct = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)


class ExportTableSerializer(serializers.Serializer):
    rows = ExportRowSerializer(many=True)
    total = ExportRowSerializer()


class WindowSerializer(serializers.Serializer):
    def get_fields(self):
        return {"from": serializers.DateField(), "to": serializers.DateField()}


class ExportsResponseSerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(GroupBy.choices)
    window = WindowSerializer()
    previous_window = WindowSerializer()
    currency = serializers.CharField()
    scope = serializers.ChoiceField(
        [("staff", gettext_lazy("Platform staff")), ("enterprise", gettext_lazy("Enterprise"))]
    )
    own = ExportTableSerializer(allow_null=True, help_text="The caller's own enterprises.")
    province = ExportTableSerializer()
    notes = serializers.ListField(child=serializers.CharField())
