"""The list's shortcuts of issue 18. StaticFieldsMixin (agri_platform/api/serializers.py): fields
built once per class, and every serializer bound to copies of its own, so that no request sees
another's context. `asks_to_filter` (agri_platform/api/filtering.py): django-filter skipped when the
query names no filter and the filter set filters nothing by default."""

from unittest import mock

from django.core.validators import MinValueValidator
from django.http import QueryDict
from rest_framework import serializers

from agri_platform.api.filtering import asks_to_filter
from agri_platform.api.serializers import StaticFieldsMixin
from logistics.serializers import ShipmentItemSerializer, ShipmentSerializer


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


# --- django-filter only when there is something to filter ------------------------------------------


def test_filterset_built_only_when_the_query_may_filter():
    from certification.filters import ReviewQueueFilter
    from logistics.filters import ShipmentFilter

    assert not asks_to_filter(ShipmentFilter, QueryDict("page_size=50&cursor=abc&ordering=-id"))
    assert asks_to_filter(ShipmentFilter, QueryDict("status=booked"))
    assert asks_to_filter(ShipmentFilter, QueryDict("departure_after=2026-01-01"))
    assert asks_to_filter(ReviewQueueFilter, QueryDict(""))  # the queue filters by default
