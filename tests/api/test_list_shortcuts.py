"""The list's shortcuts of issue 18. StaticFieldsMixin (agri_platform/api/serializers.py): fields
built once per class, and every serializer bound to copies of its own, so that no request sees
another's context. `asks_to_filter` (agri_platform/api/filtering.py): django-filter skipped when the
query names no filter and the filter set filters nothing by default."""

from datetime import UTC, datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.validators import MinValueValidator
from django.http import QueryDict
from django.utils import timezone
from rest_framework import serializers

from agri_platform.accounts.models import Partner
from agri_platform.api.filtering import asks_to_filter
from agri_platform.api.serializers import StaticFieldsMixin
from logistics.serializers import ShipmentItemSerializer, ShipmentSerializer
from tests.factories import PartnerFactory, UserFactory


def test_fields_are_built_once_per_class():
    ShipmentItemSerializer().fields  # noqa: B018 (builds the prototypes if no test did)
    with mock.patch.object(
        serializers.ModelSerializer, "get_fields", side_effect=AssertionError("built again")
    ):
        assert set(ShipmentItemSerializer().fields) == set(ShipmentItemSerializer.Meta.fields)


def test_each_serializer_binds_its_own_copies():
    first, second = ShipmentSerializer(context={"n": 1}), ShipmentSerializer(context={"n": 2})
    for name in ("tracking_token", "status", "carrier", "items"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first and second.fields[name].parent is second
    assert first.fields["items"].child is not second.fields["items"].child
    assert first.fields["items"].child.fields["packages"].context == {"n": 1}
    assert second.fields["items"].child.fields["packages"].context == {"n": 2}


class Counted(StaticFieldsMixin, serializers.Serializer):
    count = serializers.IntegerField(validators=[MinValueValidator(-5)])


def test_binding_does_not_grow_the_shared_validators():
    """Binding an integer field appends its column's bounds to its validators (api/bounds.py)."""
    assert [len(Counted().fields["count"].validators) for _ in range(3)] == [3, 3, 3]


# --- rows rendered with the fields looked up once -------------------------------------------------


class Rendered(serializers.ModelSerializer):
    """Each way DRF reads an attribute: a column, a method to call,
    an absent reverse one-to-one, a missing attribute with a default, a related key."""

    label = serializers.CharField(source="__str__", read_only=True)
    buyer = serializers.CharField(read_only=True)
    nickname = serializers.CharField(default="none given", read_only=True)

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "kind",
            "is_active",
            "service_user",
            "label",
            "buyer",
            "nickname",
        ]


class FastRendered(StaticFieldsMixin, Rendered):
    pass


@pytest.mark.django_db
def test_rows_render_as_drf_renders_them():
    with_user = PartnerFactory(name="Chengdu Cold Chain", service_user=UserFactory())
    partners = [with_user, PartnerFactory()]
    fast, drf = FastRendered(partners, many=True).data, Rendered(partners, many=True).data
    assert fast == drf
    assert fast[0]["label"] == str(partners[0]) == "Chengdu Cold Chain"
    assert fast[0]["buyer"] is None and fast[0]["nickname"] == "none given"
    assert fast[0]["service_user"] == with_user.service_user_id and fast[1]["service_user"] is None


class Values(serializers.Serializer):
    """The field kinds whose output StaticFieldsMixin works out itself (`representer`)."""

    amount = serializers.DecimalField(max_digits=6, decimal_places=2)
    ratio = serializers.DecimalField(max_digits=5, decimal_places=3, coerce_to_string=False)
    at = serializers.DateTimeField()
    yearly = serializers.DateTimeField(format="%Y")
    count = serializers.IntegerField()
    big = serializers.BigIntegerField()
    big_text = serializers.BigIntegerField(coerce_to_string=True)
    label = serializers.CharField()
    share = serializers.FloatField()


class FastValues(StaticFieldsMixin, Values):
    pass


VALUE_ROWS = [
    {
        "amount": Decimal("12.345"),  # rounds half to even, as DRF's context does: 12.34
        "ratio": Decimal("0.12345"),
        "at": datetime(2026, 3, 1, 4, 5, 6, 789, tzinfo=UTC),
        "yearly": datetime(2026, 3, 1, tzinfo=UTC),
        "count": True,
        "big": 2**62,
        "big_text": 2**62,
        "label": 12,
        "share": 1,
    },
    {
        "amount": "3.1",  # not a Decimal: DRF's own path
        "ratio": 7,
        "at": datetime(2026, 3, 1, 23, 30),  # naive: DRF makes it aware in the current zone
        "yearly": "2026",
        "count": 4.0,
        "big": 5,
        "big_text": 5,
        "label": "柑橘",
        "share": Decimal("0.5"),
    },
    {
        "amount": Decimal("-0.005"),
        "ratio": Decimal("99.9994"),
        "at": datetime(2026, 6, 30, 20, 0, tzinfo=timezone.get_fixed_timezone(-300)),
        "yearly": datetime(2026, 6, 30, 20, 0, tzinfo=UTC),
        "count": 0,
        "big": 0,
        "big_text": 0,
        "label": "",
        "share": 0.25,
    },
]


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/New_York"])
def test_values_render_as_drf_renders_them(zone):
    with timezone.override(zone):
        assert FastValues(VALUE_ROWS, many=True).data == Values(VALUE_ROWS, many=True).data


def test_datetimes_follow_the_zone_of_each_row():
    """The zone is looked up per row, not once per serializer."""
    serializer = FastValues()
    with timezone.override("UTC"):
        first = serializer.to_representation(VALUE_ROWS[0])
    with timezone.override("Asia/Shanghai"):
        second = serializer.to_representation(VALUE_ROWS[0])
    assert first["at"] == "2026-03-01T04:05:06.000789Z"
    assert second["at"] == "2026-03-01T12:05:06.000789+08:00"
    assert first["amount"] == second["amount"] == "12.34"


# --- django-filter only when there is something to filter ------------------------------------------


def test_filterset_built_only_when_the_query_may_filter():
    from certification.filters import ReviewQueueFilter
    from logistics.filters import ShipmentFilter

    assert not asks_to_filter(ShipmentFilter, QueryDict("page_size=50&cursor=abc&ordering=-id"))
    assert asks_to_filter(ShipmentFilter, QueryDict("status=booked"))
    assert asks_to_filter(ShipmentFilter, QueryDict("departure_after=2026-01-01"))
    assert asks_to_filter(ReviewQueueFilter, QueryDict(""))  # the queue filters by default
