"""One test per class of hostile input the outside review answered with a 500 (issue 12, section 1).

tests/security/test_hostile_input.py walks every operation with every class; these pin each
mechanism with the review's own example."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from agri_platform.api.parsers import MAX_JSON_DEPTH
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PROBLEM = "application/problem+json"


def _nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def _problem(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    return response.json()


def test_deep_nesting_is_a_400_without_authentication(api_client):
    body = _problem(
        api_client.post("/api/v1/auth/token/", "[" * 100_000, content_type="application/json")
    )
    assert body["code"] == "too_deep"


def test_nesting_deeper_than_the_limit_is_refused_even_when_it_parses(api_client):
    ok = api_client.post(
        "/api/v1/auth/token/", _nested(MAX_JSON_DEPTH), content_type="application/json"
    )
    assert ok.status_code != 400 or ok.json()["code"] != "too_deep"
    deep = api_client.post(
        "/api/v1/auth/token/", _nested(MAX_JSON_DEPTH + 1), content_type="application/json"
    )
    assert _problem(deep)["code"] == "too_deep"


def test_production_settings_parse_json_with_the_depth_limit():
    code = (
        "import django, io; django.setup(); "
        "from rest_framework.settings import api_settings as s; "
        "parser = s.DEFAULT_PARSER_CLASSES[0](); "
        "print(type(parser).__module__); "
        'exec(\'try:\\n parser.parse(io.BytesIO(b"[" * 100000))\\n'
        "except Exception as e: print(type(e).__name__)')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "agri_platform.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "api.agri-trade.example",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["agri_platform.api.parsers", "ParseError"], result.stderr


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"full_name": "\\ud800"}', "full_name"),
        ('{"full_name": "a\\u0000b"}', "full_name"),
        ('{"language": "en", "x": [{"y": "\\udfff"}]}', "x[0].y"),
    ],
)
def test_unstorable_text_in_a_json_body_is_a_400_naming_the_field(enterprise_client, raw, field):
    body = _problem(enterprise_client.patch("/api/v1/me/", raw, content_type="application/json"))
    assert body["errors"][0]["field"] == field


def test_a_surrogate_pair_is_ordinary_text(enterprise_client):
    response = enterprise_client.patch(
        "/api/v1/me/", json.dumps({"full_name": "Li 😀"}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["full_name"] == "Li 😀"


@pytest.mark.parametrize("cursor", ["cD1hYmM=", "cD05OTk5OTk5OTk5OTk5OTk5OTk5OQ==", "abc"])
def test_a_cursor_the_api_did_not_issue_is_a_400_naming_it(enterprise_client, cursor):
    body = _problem(enterprise_client.get(f"/api/v1/shipments/?cursor={cursor}"))
    assert body["errors"][0]["field"] == "cursor"


@pytest.mark.parametrize("value", [18446744073709551616, 2**31])
def test_integers_beyond_the_column_are_a_400_naming_the_field(enterprise_client, value):
    product = ProductFactory(enterprise=enterprise_client.user.memberships.first().enterprise)
    response = enterprise_client.patch(
        f"/api/v1/products/{product.pk}/", {"shelf_life_days": value}, format="json"
    )
    assert _problem(response)["errors"][0]["field"] == "shelf_life_days"
    product.refresh_from_db()
    assert product.shelf_life_days != value


def test_integer_fields_carry_their_column_range_in_the_schema(staff_client):
    schemas = staff_client.get("/api/schema/?format=json").json()["components"]["schemas"]
    shelf_life = schemas["ProductRequest"]["properties"]["shelf_life_days"]
    assert (shelf_life["minimum"], shelf_life["maximum"]) == (1, 2**31 - 1)
    unbounded = [
        f"{name}.{field}"
        for name, component in schemas.items()
        if name.endswith("Request")
        for field, spec in component.get("properties", {}).items()
        for item in [spec.get("items", spec) if spec.get("type") == "array" else spec]
        if item.get("type") == "integer" and ("minimum" not in item or "maximum" not in item)
    ]
    assert not unbounded


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/certification/applications/99999999999999999999/documents/1/download/",
        "/api/v1/certification/applications/1/documents/99999999999999999999/",
        "/api/v1/shipments/99999999999999999999/telemetry/",
        "/api/v1/enterprises/99999999999999999999/members/",
        "/api/v1/products/99999999999999999999/",
    ],
)
def test_ids_beyond_the_database_range_are_a_404_on_every_route(staff_client, path):
    _problem(staff_client.get(path), status=404)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/products/?search=a%00b",
        "/api/v1/certification/certificates/verify/CERT%00X/",
        "/api/v1/products/?a%00=1",
    ],
)
def test_nul_in_the_query_or_the_path_is_a_400(staff_client, url):
    body = _problem(staff_client.get(url))
    assert body["errors"][0]["field"] in ("search", "number", "(query)")


def test_every_operation_documents_a_503(staff_client):
    schema = staff_client.get("/api/schema/?format=json").json()
    missing = [
        f"{method} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "503" not in operation["responses"]
    ]
    assert not missing
    unavailable = schema["components"]["responses"]["ServiceUnavailable"]
    assert "Retry-After" in unavailable["headers"]
