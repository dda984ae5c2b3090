"""Every error is RFC 9457 problem details, including those raised outside DRF."""

import pytest
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.test import Client
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from agri_platform.accounts.models import Partner
from agri_platform.api.exceptions import PROBLEM_CONTENT_TYPE, problem_details_handler
from agri_platform.api.serializers import RejectUnknownFieldsMixin
from tests.certification.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

PARTNERS = "/api/v1/partners/"


def assert_problem(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body = response.json()
    assert body["status"] == status
    assert body["type"].endswith(body["code"])
    assert body["title"] and body["detail"]
    if code:
        assert body["code"] == code
    return body


def field_errors(body) -> dict:
    return {error["field"]: error["code"] for error in body.get("errors", [])}


def test_unknown_url_under_api_is_problem_404(api_client):
    body = assert_problem(api_client.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert "/api/v1/no-such-thing/" in body["detail"]


def test_unknown_url_elsewhere_stays_html(api_client):
    response = api_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_missing_credentials_is_401_with_challenge(api_client):
    response = api_client.get("/api/v1/me/")
    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_method_not_allowed_is_405(staff_client, partner):
    assert_problem(staff_client.delete(f"{PARTNERS}{partner.pk}/"), 405, "method_not_allowed")
    assert_problem(staff_client.put(PARTNERS, {}, format="json"), 405)
    assert Partner.objects.filter(pk=partner.pk).exists()


def test_not_acceptable_is_406(staff_client):
    assert_problem(staff_client.get(PARTNERS, HTTP_ACCEPT="application/xml"), 406)


def test_wrong_content_type_is_415(staff_client):
    response = staff_client.post(PARTNERS, "name=x", content_type="text/plain")
    body = assert_problem(response, 415, "unsupported_media_type")
    assert "text/plain" in body["detail"]
    assert not Partner.objects.exists()


@pytest.mark.parametrize(
    ("language", "words"), [("en", "JSON parse error"), ("zh-hans", "JSON 解析错误")]
)
def test_malformed_json_is_400_naming_the_parse_error(staff_client, language, words):
    response = staff_client.post(
        PARTNERS,
        '{"name": "x", ',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    body = assert_problem(response, 400, "parse_error")
    assert words in body["detail"]
    assert not Partner.objects.exists()


def test_oversized_json_body_is_413_with_the_limit(staff_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    response = staff_client.post(PARTNERS, {"name": "x" * 300, "kind": "carrier"}, format="json")
    body = assert_problem(response, 413, "payload_too_large")
    assert body["limit_bytes"] == 200
    assert not Partner.objects.exists()


def test_request_data_too_big_from_django_becomes_413_in_drf():
    response = problem_details_handler(RequestDataTooBig("too big"), {})
    assert response.status_code == 413
    assert response.data["code"] == "payload_too_large"


def test_request_data_too_big_outside_drf_is_413_not_400(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    client = Client()
    response = client.post("/admin/login/", {"username": "u" * 500, "password": "p"})
    assert response.status_code == 413


def test_too_many_fields_is_a_400_problem_under_api(settings, enterprise_client, enterprise):
    # Form bodies are for uploads only (JSON everywhere else): an application's documents.
    application = ApplicationFactory(enterprise=enterprise)
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    response = enterprise_client.post(
        f"/api/v1/certification/applications/{application.pk}/documents/",
        {f"f{i}": "x" for i in range(10)},
        format="multipart",
    )
    assert_problem(response, 400, "bad_request")
    assert problem_details_handler(TooManyFieldsSent("x"), {}).status_code == 400


def test_unknown_field_on_create_is_400_naming_it(staff_client):
    response = staff_client.post(
        PARTNERS, {"name": "Carrier", "kind": "carrier", "colour": "red"}, format="json"
    )
    body = assert_problem(response, 400, "validation_error")
    assert field_errors(body) == {"colour": "unknown_field"}
    assert not Partner.objects.exists()


def test_read_only_field_on_update_is_400_naming_it(staff_client, partner):
    response = staff_client.patch(
        f"{PARTNERS}{partner.pk}/", {"created_at": "2020-01-01T00:00:00Z"}, format="json"
    )
    assert field_errors(assert_problem(response, 400)) == {"created_at": "read_only"}


def test_wrong_types_and_missing_fields_are_named(staff_client):
    response = staff_client.post(PARTNERS, {"is_active": "maybe"}, format="json")
    errors = field_errors(assert_problem(response, 400))
    assert errors == {"name": "required", "kind": "required", "is_active": "invalid"}


def test_unknown_field_on_a_directly_built_serializer(api_client):
    response = api_client.post(
        "/api/v1/auth/token/",
        {"email": "a@example.org", "password": "x", "remember_me": True},
        format="json",
    )
    assert field_errors(assert_problem(response, 400)) == {"remember_me": "unknown_field"}


def test_reject_unknown_fields_mixin_checks_nested_levels():
    class Line(RejectUnknownFieldsMixin, serializers.Serializer):
        qty = serializers.IntegerField()

    class Order(RejectUnknownFieldsMixin, serializers.Serializer):
        ref = serializers.CharField()
        lines = Line(many=True)
        id = serializers.IntegerField(read_only=True)

    ok = Order(data={"ref": "A", "lines": [{"qty": 1}]})
    assert ok.is_valid(), ok.errors
    bad = Order(data={"ref": "A", "lines": [{"qty": 1, "price": 2}], "id": 3})
    assert not bad.is_valid()
    with pytest.raises(ValidationError) as caught:
        bad.is_valid(raise_exception=True)
    from agri_platform.api.exceptions import flatten_field_errors

    found = {(e["field"], e["code"]) for e in flatten_field_errors(caught.value.detail)}
    assert found == {("id", "read_only")}  # the top level is checked first, before nesting
    nested = Order(data={"ref": "A", "lines": [{"qty": 1, "price": 2}]})
    assert not nested.is_valid()
    found = {(e["field"], e["code"]) for e in flatten_field_errors(nested.errors)}
    assert found == {("lines[0].price", "unknown_field")}


@pytest.mark.urls("tests.api.urls")
def test_crash_in_a_drf_view_is_problem_500(api_client):
    api_client.raise_request_exception = False
    body = assert_problem(api_client.get("/api/v1/test-crash/"), 500, "server_error")
    assert "a bug" not in body["detail"]


@pytest.mark.urls("tests.api.urls")
def test_crash_outside_drf_is_problem_500(api_client):
    api_client.raise_request_exception = False
    assert_problem(api_client.get("/api/v1/test-crash-plain/"), 500, "server_error")


def test_browsable_api_renders_problems_as_html(api_client):
    response = api_client.get("/api/v1/me/", HTTP_ACCEPT="text/html")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("text/html")


def test_a_method_an_action_route_does_not_serve_is_405_not_500(api_client):
    """A POST to a GET-only action whose schema comes from `extend_schema_view` broke the body
    check before DRF could answer 405 (found by tests/i18n/test_languages_of_errors.py)."""
    response = api_client.post("/api/v1/reference/cold-chain-profiles/match/", {}, format="json")
    assert_problem(response, 405, "method_not_allowed")
