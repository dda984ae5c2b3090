"""Reference answers carry a `name` (or `description`) in the request's language beside the fixed
English and Chinese fields, cached per language; their errors read in the language too."""

import pytest

from agri_platform.reference.loading import load_reference_data

BASE = "/api/v1/reference/"


@pytest.fixture
def reference_data(db):
    load_reference_data()


@pytest.mark.parametrize(
    ("path", "field", "zh", "en"),
    [
        ("countries/MY/", "name", "马来西亚", "Malaysia"),
        ("prefectures/511800/", "name", "雅安市", "Ya'an"),
        ("hs-codes/0805/", "description", "鲜或干的柑橘属水果", "Citrus fruit, fresh or dried"),
        ("cold-chain-profiles/oranges/", "name", "橙、血橙", "Oranges, blood oranges"),
    ],
)
def test_display_name_follows_the_language(api_client, reference_data, path, field, zh, en):
    chinese = api_client.get(BASE + path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = api_client.get(BASE + path, HTTP_ACCEPT_LANGUAGE="en")

    assert chinese.json()[field] == zh
    assert english.json()[field] == en
    # the fixed fields stay as they are in both languages
    assert {k: v for k, v in chinese.json().items() if k != field} == {
        k: v for k, v in english.json().items() if k != field
    }
    # one cached body per language: the second language is not served the first one's body
    assert chinese["ETag"] != english["ETag"]
    assert "Accept-Language" in english["Vary"]


def test_the_platform_language_is_chinese_when_the_request_names_none(api_client, reference_data):
    assert api_client.get(BASE + "prefectures/510100/").json()["name"] == "成都市"


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", "没有与 HS 编码 0101 匹配的冷链温控方案"),
        ("en", "No cold-chain profile matches"),
    ],
)
def test_no_matching_profile_reads_in_the_language(api_client, reference_data, language, words):
    response = api_client.get(
        BASE + "cold-chain-profiles/match/", {"hs_code": "0101"}, HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 404
    assert words in response.json()["detail"]


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "请提供 HS 编码"), ("en", "Give an HS")]
)
def test_missing_hs_code_reads_in_the_language(api_client, reference_data, language, words):
    response = api_client.get(BASE + "cold-chain-profiles/match/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "hs_code"
    assert words in error["detail"]
