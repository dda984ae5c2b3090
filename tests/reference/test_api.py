"""Read-only reference endpoints: public, searchable, cached with Cache-Control and ETag."""

import pytest

from agri_platform.reference.loading import load_reference_data
from agri_platform.reference.models import ColdChainProfile, Country
from tests import factories
from tests.conftest import client_for_key

BASE = "/api/v1/reference/"


@pytest.fixture
def reference_data(db):
    load_reference_data()


def codes(response):
    return [row["code"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    "path",
    [
        "countries/",
        "currencies/",
        "locations/",
        "hs-codes/",
        "prefectures/",
        "cold-chain-profiles/",
    ],
)
def test_every_list_is_public(api_client, reference_data, path):
    response = api_client.get(BASE + path)

    assert response.status_code == 200
    assert response.json()["count"] > 0


def test_a_scopeless_partner_key_may_read_reference_data(reference_data):
    client = client_for_key(factories.PartnerFactory(), scopes=[])

    assert client.get(BASE + "countries/MY/").status_code == 200


def test_search_and_filters(api_client, reference_data):
    assert codes(api_client.get(BASE + "countries/", {"search": "马来"})) == ["MY"]
    asean = codes(api_client.get(BASE + "countries/", {"group": "ASEAN", "page_size": 100}))
    assert len(asean) == 10
    assert "CN" not in asean
    assert codes(api_client.get(BASE + "locations/", {"country": "my", "function": "port"})) == [
        "MYPEN",
        "MYPKG",
        "MYTPP",
    ]
    assert codes(api_client.get(BASE + "locations/", {"search": "klang"})) == ["MYPKG"]
    assert codes(api_client.get(BASE + "hs-codes/", {"prefix": "0805", "digits": 6})) == [
        "080510",
        "080521",
        "080522",
        "080529",
        "080550",
    ]
    assert "160431" in codes(api_client.get(BASE + "hs-codes/", {"search": "caviar"}))
    assert codes(api_client.get(BASE + "prefectures/", {"search": "Ya'an"})) == ["511800"]
    detail = api_client.get(BASE + "prefectures/511800/").json()
    assert detail == {"code": "511800", "name": "雅安市", "name_en": "Ya'an", "name_zh": "雅安市"}
    assert api_client.get(BASE + "hs-codes/080521/").json()["digits"] == 6
    assert api_client.get(BASE + "currencies/VND/").json()["minor_units"] == 0
    assert api_client.get(BASE + "countries/XX/").status_code == 404


def test_cold_chain_profile_match(api_client, reference_data):
    matched = api_client.get(BASE + "cold-chain-profiles/match/", {"hs_code": "0805.21.00.00"})
    assert matched.status_code == 200
    assert matched.json()["code"] == "mandarins"
    assert api_client.get(BASE + "cold-chain-profiles/match/", {"hs_code": "0104"}).status_code == (
        404
    )
    assert api_client.get(BASE + "cold-chain-profiles/match/").status_code == 400
    assert api_client.get(BASE + "cold-chain-profiles/lemons/").json()["temp_min_c"] == "10.0"


def test_responses_are_cached_and_revalidated(
    api_client, reference_data, django_assert_num_queries
):
    first = api_client.get(BASE + "countries/", {"group": "EU"})
    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    assert "max-age=" in first["Cache-Control"]
    etag = first["ETag"]

    with django_assert_num_queries(0):  # served from the cache
        second = api_client.get(BASE + "countries/", {"group": "EU"})
    assert second.json() == first.json()
    assert second["ETag"] == etag

    with django_assert_num_queries(0):
        not_modified = api_client.get(BASE + "countries/", {"group": "EU"}, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""


def test_a_change_to_reference_data_invalidates_the_cache(api_client, reference_data):
    first = api_client.get(BASE + "countries/SG/")
    country = Country.objects.get(pk="SG")
    country.name_zh = "新加坡共和国"
    country.save()  # as the admin would

    after = api_client.get(BASE + "countries/SG/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert after.json()["name_zh"] == "新加坡共和国"


def test_profile_edits_are_visible_at_once(api_client, reference_data):
    api_client.get(BASE + "cold-chain-profiles/lemons/")
    profile = ColdChainProfile.objects.get(code="lemons")
    profile.temp_min_c = 11
    profile.save()

    assert api_client.get(BASE + "cold-chain-profiles/lemons/").json()["temp_min_c"] == "11.0"
    assert profile.history.count() == 2
