"""The list's shortcuts of issue 18. StaticFieldsMixin (agri_platform/api/serializers.py): fields
built once per class, and every serializer bound to copies of its own, so that no request sees
another's context. `asks_to_filter` (agri_platform/api/filtering.py): django-filter skipped when the
query names no filter and the filter set filters nothing by default."""

from unittest import mock

import pytest
from django.core.validators import MinValueValidator
from django.http import QueryDict
from rest_framework import serializers

from agri_platform.accounts.models import Partner
from agri_platform.api.filtering import asks_to_filter
from agri_platform.api.serializers import StaticFieldsMixin
from logistics.serializers import ShipmentItemSerializer, ShipmentSerializer
from tests.factories import PartnerFactory


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
    partners = [PartnerFactory(name="Chengdu Cold Chain"), PartnerFactory()]
    fast, drf = FastRendered(partners, many=True).data, Rendered(partners, many=True).data
    assert fast == drf
    assert fast[0]["label"] == str(partners[0]) == "Chengdu Cold Chain"
    assert fast[0]["buyer"] is None and fast[0]["nickname"] == "none given"


# --- django-filter only when there is something to filter ------------------------------------------


def test_filterset_built_only_when_the_query_may_filter():
    from certification.filters import ReviewQueueFilter
    from logistics.filters import ShipmentFilter

    assert not asks_to_filter(ShipmentFilter, QueryDict("page_size=50&cursor=abc&ordering=-id"))
    assert asks_to_filter(ShipmentFilter, QueryDict("status=booked"))
    assert asks_to_filter(ShipmentFilter, QueryDict("departure_after=2026-01-01"))
    assert asks_to_filter(ReviewQueueFilter, QueryDict(""))  # the queue filters by default
