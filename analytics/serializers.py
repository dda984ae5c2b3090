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


# --- the inquiry pipeline (issue 17) -------------------------------------------------------------


class InquiryQuerySerializer(WindowQuerySerializer):
    """The window, and `enterprise` (an id) to look at one enterprise."""

    def get_fields(self):
        return {
            **super().get_fields(),
            "enterprise": serializers.IntegerField(
                required=False, min_value=1, max_value=2**31 - 1
            ),
        }

    def validate(self, attrs):
        return {**super().validate(attrs), "enterprise": attrs.get("enterprise")}


class StageCountsSerializer(serializers.Serializer):
    inquiries = serializers.IntegerField(help_text="Inquiries sent in the window.")
    quoted = serializers.IntegerField(help_text="Of them, with at least one quote.")
    accepted = serializers.IntegerField(help_text="Of them, with a quote accepted by the buyer.")
    shipped = serializers.IntegerField(
        help_text="Of them, whose accepted quote's shipment was booked and dispatched."
    )
    declined = serializers.IntegerField(help_text="Declined by the enterprise.")
    withdrawn = serializers.IntegerField(help_text="Withdrawn by the buyer.")
    open = serializers.IntegerField(help_text="Still awaiting an answer.")


class ConversionSerializer(serializers.Serializer):
    quoted_pct = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    accepted_of_quoted_pct = serializers.DecimalField(
        max_digits=6, decimal_places=1, allow_null=True
    )
    shipped_of_accepted_pct = serializers.DecimalField(
        max_digits=6, decimal_places=1, allow_null=True
    )
    accepted_pct = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)


class StageRowSerializer(StageCountsSerializer, ConversionSerializer):
    key = serializers.CharField(help_text="ISO country code of the market, or category code.")
    label = serializers.CharField()


class ResponseFiguresSerializer(serializers.Serializer):
    inquiries = serializers.IntegerField(allow_null=True)
    answered = serializers.IntegerField(allow_null=True)
    hours_median = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    hours_p90 = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    within_48h_pct = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    suppressed = serializers.BooleanField()


class EnterpriseResponseSerializer(serializers.Serializer):
    key = serializers.IntegerField(help_text="The enterprise's id.")
    label = serializers.CharField()
    inquiries = serializers.IntegerField()
    answered = serializers.IntegerField()
    hours_median = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    hours_p90 = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    within_48h_pct = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)


class ResponseTimesSerializer(serializers.Serializer):
    overall = ResponseFiguresSerializer()
    by_enterprise = EnterpriseResponseSerializer(many=True, help_text="Slowest first.")


class AskedCellSerializer(serializers.Serializer):
    inquiries = serializers.IntegerField()
    tonnes = serializers.DecimalField(max_digits=20, decimal_places=3)
    other_units = serializers.IntegerField(
        help_text="Items asked in cartons, pallets or containers (no mass)."
    )


class LabelledKeySerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class AskedRowSerializer(LabelledKeySerializer):
    cells = serializers.DictField(
        child=AskedCellSerializer(), help_text="Category code → what this market asked."
    )


class AskedSerializer(serializers.Serializer):
    categories = LabelledKeySerializer(many=True)
    rows = AskedRowSerializer(many=True)


class TopProductSerializer(serializers.Serializer):
    market = serializers.CharField()
    market_label = serializers.CharField()
    product = serializers.IntegerField()
    product_label = serializers.CharField()
    inquiries = serializers.IntegerField()
    tonnes = serializers.DecimalField(max_digits=20, decimal_places=3)


class InquiryFiguresSerializer(serializers.Serializer):
    window = WindowSerializer()
    scope = serializers.ChoiceField(
        [("province", gettext_lazy("Province")), ("enterprise", gettext_lazy("Enterprise"))]
    )
    enterprise_ids = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    totals = StageCountsSerializer()
    conversion = ConversionSerializer()
    by_market = StageRowSerializer(many=True)
    by_category = StageRowSerializer(
        many=True, help_text="An inquiry counts in each category of its items."
    )
    response = ResponseTimesSerializer()
    asked = AskedSerializer()
    top_products = TopProductSerializer(many=True)
    province_response = ResponseFiguresSerializer(
        allow_null=True, help_text="Enterprise members: the province's, to compare (suppressed)."
    )
