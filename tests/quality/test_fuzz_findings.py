"""Regression tests for what the schemathesis run found (docs/quality.md "API fuzzing")."""

import pytest

from agri_platform.api.filtering import MAX_AGE_DAYS, days_ago
from tests.certification.factories import SubmittedApplicationFactory

pytestmark = pytest.mark.django_db


def test_options_on_a_plain_api_view_is_not_a_500(api_client):
    # TokenView is an ApiView (no get_serializer): DRF's metadata used to crash on it.
    response = api_client.options("/api/v1/auth/token/")
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["page_size=0", "page_size=Inf", "page_size=-3"])
def test_invalid_page_size_is_a_400_naming_it(staff_client, query):
    response = staff_client.get(f"/api/v1/partners/?{query}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "page_size"


def test_page_past_the_last_is_a_documented_404(staff_client):
    assert staff_client.get("/api/v1/partners/?page=999").status_code == 404
    schema = staff_client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/partners/"]["get"]
    assert "404" in operation["responses"]
    page = next(p for p in operation["parameters"] if p["name"] == "page")
    assert page["schema"]["minimum"] == 1


@pytest.mark.parametrize(
    "query",
    ["is_active=maybe", "is_active=", "kind="],
)
def test_filter_values_the_schema_calls_invalid_are_a_400(staff_client, query):
    response = staff_client.get(f"/api/v1/partners/?{query}")
    assert response.status_code == 400, response.json()
    assert response.json()["errors"][0]["field"] == query.split("=")[0]


def test_dates_in_filters_must_be_iso(staff_client):
    assert (
        staff_client.get("/api/v1/finance/requests/?submitted_before=10/25/2006").status_code == 400
    )
    ok = staff_client.get("/api/v1/finance/requests/?submitted_before=2026-01-01T00:00:00Z")
    assert ok.status_code == 200


def test_huge_age_filters_are_clamped_not_a_500(staff_client):
    for path in ("/api/v1/finance/requests/", "/api/v1/legal/requests/"):
        response = staff_client.get(f"{path}?min_age_days=1e40&max_age_days=-1e40")
        assert response.status_code == 200, path
    assert abs((days_ago(1e40) - days_ago(MAX_AGE_DAYS)).total_seconds()) < 60


def test_currency_filter_works_on_the_code(staff_client):
    assert staff_client.get("/api/v1/finance/requests/?currency=usd").status_code == 200


def test_a_number_for_a_string_field_is_a_400(enterprise_client):
    response = enterprise_client.patch("/api/v1/me/", {"full_name": 12}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "full_name"


def test_request_bodies_are_closed_and_idempotency_key_has_its_pattern(staff_client):
    schema = staff_client.get("/api/schema/?format=json").json()
    partner_request = schema["components"]["schemas"]["PartnerRequest"]
    assert partner_request["additionalProperties"] is False
    post = schema["paths"]["/api/v1/partners/"]["post"]
    key = next(p for p in post["parameters"] if p["name"] == "Idempotency-Key")
    assert key["schema"]["pattern"].startswith("^[\\x21-\\x7e]")
    assert "400" in schema["paths"]["/api/v1/auth/logout/"]["post"]["responses"]
    assert "401" in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]


def test_me_staff_role_may_be_blank_in_the_schema(enterprise_client):
    me = enterprise_client.get("/api/v1/me/").json()
    assert me["staff_role"] == ""


def test_timeline_is_a_plain_list(staff_client):
    application = SubmittedApplicationFactory()
    response = staff_client.get(f"/api/v1/certification/applications/{application.pk}/timeline/")
    assert response.status_code == 200
    assert isinstance(response.json(), list)


def test_nul_in_a_country_code_is_a_400_not_a_500(enterprise_client, enterprise):
    response = enterprise_client.post(
        "/api/v1/legal/requests/",
        {
            "enterprise": enterprise.pk,
            "kind": "trademark_madrid",
            "title": "Mark",
            "description": "x",
            "countries": ["M\x00Y"],
        },
        format="json",
    )
    assert response.status_code == 400, response.json()


def test_options_on_notification_preferences_is_not_a_500(enterprise_client):
    assert enterprise_client.options("/api/v1/notifications/preferences/").status_code == 200


def test_a_partner_posting_a_json_list_as_webhook_endpoint_is_a_400(make_partner_client, partner):
    client = make_partner_client(partner, ["webhooks:manage"])
    response = client.post("/api/v1/webhooks/endpoints/", [1, 2], format="json")
    assert response.status_code == 400


def test_a_value_the_database_cannot_store_is_a_400(enterprise_client, enterprise):
    response = enterprise_client.post(
        "/api/v1/production-bases/",
        {"enterprise": enterprise.pk, "name": "Base", "kind": "orchard", "area_mu": "9" * 40},
        format="json",
    )
    assert response.status_code == 400, response.json()
