"""GET /api/v1/ is an index of the API; unknown URLs under /api/ are problem details, DEBUG or not."""

from urllib.parse import urlparse

import pytest
from django.urls import resolve

from agri_platform.api.exceptions import PROBLEM_CONTENT_TYPE
from agri_platform.api.index import AREAS
from tests.security.test_isolation import ROUTES

pytestmark = pytest.mark.django_db


def test_index_lists_areas_resources_and_docs_as_absolute_links(api_client):
    response = api_client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert {area["name"] for area in body["areas"]} >= {"logistics", "finance", "certification"}
    links = [resource["url"] for area in body["areas"] for resource in area["resources"]]
    links += body["docs"].values()
    for link in links:
        assert link.startswith("http://testserver/"), link
        resolve(urlparse(link).path)  # raises Resolver404 for a dead link
    shipments = next(area for area in body["areas"] if area["name"] == "logistics")
    assert shipments["resources"][0]["url"] == "http://testserver/api/v1/shipments/"
    assert body["docs"]["swagger_ui"] == "http://testserver/api/docs/"


def test_every_collection_of_the_api_is_in_the_index():
    indexed = {name for area in AREAS for name in area.url_names}
    collections = {route.name for route in ROUTES if route.name and route.name.endswith("-list")}
    missing = collections - indexed - {"api-index"}
    # Collections that live under another object (a partner's keys, an enterprise's members) are
    # reached from that object; only top-level collections belong in the index.
    nested = {route.name for route in ROUTES if route.kwarg_names}
    assert not (missing - nested), f"add to agri_platform/api/index.py AREAS: {missing - nested}"


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_api_url_is_problem_details(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)
    assert response.json()["code"] == "not_found"
    assert "/api/v1/no-such-thing/" in response.json()["detail"]


def test_unknown_url_outside_the_api_stays_an_html_page(client, settings):
    settings.DEBUG = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_api_path_without_trailing_slash_is_still_redirected(client):
    response = client.get("/api/v1/shipments")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/shipments/"
