"""StaticFieldsMixin (agri_platform/api/serializers.py): fields built once per class, and every
serializer bound to copies of its own, so that no request sees another's context."""

from unittest import mock

from django.core.validators import MinValueValidator
from rest_framework import serializers

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
