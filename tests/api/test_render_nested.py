"""`render_nested`: a method field's nested object, one serializer per parent, each row its own."""

from rest_framework import serializers

from agri_platform.api.serializers import render_nested


class PointSerializer(serializers.Serializer):
    built = 0
    x = serializers.IntegerField()
    label = serializers.CharField(allow_null=True)

    def __init__(self, *args, **kwargs):
        type(self).built += 1
        super().__init__(*args, **kwargs)


class RowSerializer(serializers.Serializer):
    point = serializers.SerializerMethodField()
    trail = serializers.SerializerMethodField()

    def get_point(self, row):
        return render_nested(self, PointSerializer, row["point"])

    def get_trail(self, row):
        return render_nested(self, PointSerializer, row["trail"], many=True)


def test_each_row_renders_its_own_nested_objects_with_the_serializers_built_once():
    PointSerializer.built = 0
    rows = [
        {"point": {"x": n, "label": f"p{n}"}, "trail": [{"x": n, "label": None}] * n}
        for n in range(1, 6)
    ]
    data = RowSerializer(rows, many=True).data
    assert [row["point"] for row in data] == [{"x": n, "label": f"p{n}"} for n in range(1, 6)]
    assert [len(row["trail"]) for row in data] == [1, 2, 3, 4, 5]
    assert data[2]["trail"][0] == {"x": 3, "label": None}
    # one for the point, one ListSerializer's child for the trail; not one per row
    assert PointSerializer.built == 2


def test_same_output_as_building_the_serializer_per_row():
    row = {"point": {"x": 7, "label": "seven"}, "trail": [{"x": 1, "label": "a"}]}
    rendered = RowSerializer(row).data
    assert rendered["point"] == PointSerializer(row["point"]).data
    assert rendered["trail"] == PointSerializer(row["trail"], many=True).data
