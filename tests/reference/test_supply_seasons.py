"""The northern supply seasons: what ships, how it loads, how a product finds its season, the API."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from agri_platform.reference.loading import load_reference_data, load_supply_seasons, read_csv
from agri_platform.reference.models import SupplySeason
from agri_platform.reference.selectors import supply_season_for

pytestmark = pytest.mark.django_db

GROUPS = {
    "citrus": ["0805"],
    "apples-pears": ["0808"],
    "grapes": ["0806"],
    "vegetables": ["07"],
    "tea": ["0902"],
    "aquatic": ["03", "1604"],
    "meat": ["02", "1602"],
    "spices": ["0904", "0910"],
}


@pytest.fixture(autouse=True)
def _shipped_seasons():
    load_supply_seasons()  # the data migration seeds them; a transactional test may have flushed


def test_the_shipped_file_covers_the_product_groups_with_a_source():
    rows = {row["code"]: row for row in read_csv("supply_seasons.csv")}

    assert set(rows) == set(GROUPS)
    for code, prefixes in GROUPS.items():
        season = SupplySeason.objects.get(code=code)
        assert season.hs_prefixes == prefixes
        assert season.months == sorted(season.months)
        assert set(season.months) <= set(range(1, 13))
        assert season.source_note.startswith("Platform reference")
        assert season.provinces_zh


def test_citrus_is_compared_with_the_main_domestic_season_november_to_february():
    assert SupplySeason.objects.get(code="citrus").months == [1, 2, 11, 12]


def test_loading_again_creates_nothing_and_keeps_staff_edits():
    SupplySeason.objects.filter(code="tea").update(months=[3, 4])
    SupplySeason.objects.filter(code="grapes").delete()

    results = load_reference_data()

    assert results["supply_seasons"].added == 1
    assert results["supply_seasons"].unchanged == len(GROUPS) - 1
    assert SupplySeason.objects.get(code="tea").months == [3, 4]


@pytest.mark.parametrize(
    ("hs_code", "season"),
    [
        ("0805", "citrus"),
        ("0805.21", "citrus"),
        ("0805210000", "citrus"),
        ("160431", "aquatic"),
        ("0302", "aquatic"),
        ("160290", "meat"),
        ("091099", "spices"),
        ("070200", "vegetables"),
        ("2009", None),
    ],
)
def test_a_product_takes_the_season_of_its_longest_prefix(hs_code, season):
    found = supply_season_for(hs_code)

    assert (found.code if found else None) == season


def test_the_longest_prefix_wins_and_a_category_row_serves_the_rest():
    SupplySeason.objects.create(
        code="late-mandarins",
        name_en="Mandarins",
        hs_prefixes=["080521"],
        provinces_en="Guangxi",
        months=[12],
    )
    SupplySeason.objects.create(
        code="beverages", name_en="Beverages", category="beverages", provinces_en="All", months=[]
    )

    assert supply_season_for("080521").code == "late-mandarins"
    assert supply_season_for("0805").code == "citrus"
    assert supply_season_for("2009", "beverages").code == "beverages"
    assert supply_season_for("2009", "fruits") is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"hs_prefixes": ["08a5"]}, "hs_prefixes"),
        ({"hs_prefixes": [], "category": ""}, "category"),
        ({"months": [0, 13]}, "months"),
        ({"months": "3"}, "months"),
    ],
)
def test_staff_cannot_save_a_broken_season(values, field):
    season = SupplySeason(
        code="x", name_en="X", hs_prefixes=["08"], provinces_en="Shandong", months=[3]
    )
    for name, value in values.items():
        setattr(season, name, value)

    with pytest.raises(ValidationError) as raised:
        season.full_clean()
    assert field in raised.value.message_dict


def test_the_api_lists_the_seasons_to_anyone():
    response = APIClient(headers={"Accept-Language": "en"}).get(
        "/api/v1/reference/supply-seasons/", {"page_size": 50}
    )

    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert set(rows) == set(GROUPS)
    citrus = rows["citrus"]
    assert citrus["name"] == "Citrus"
    assert citrus["months"] == [1, 2, 11, 12]
    assert citrus["hs_prefixes"] == ["0805"]
    assert "Guangxi" in citrus["provinces"]


def test_the_api_shows_one_season_by_code_in_chinese():
    response = APIClient(headers={"Accept-Language": "zh-hans"}).get(
        "/api/v1/reference/supply-seasons/citrus/"
    )

    assert response.status_code == 200
    assert response.json()["name"] == "柑橘"
