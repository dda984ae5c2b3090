"""The OpenAPI schema documents problem details for every operation and generates without warnings."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    import yaml

    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_every_operation_documents_its_problems(schema):
    assert "Problem" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"406", "429", "500"} <= codes, (method, path)
            if {} not in operation.get("security", [{}]):  # absent or {}: anonymous access
                assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if "requestBody" in operation:
                assert {"400", "413", "415"} <= codes, (method, path)


def test_problem_responses_use_problem_json(schema):
    responses = schema["components"]["responses"]
    for name, response in responses.items():
        assert list(response["content"]) == ["application/problem+json"], name
    assert "Retry-After" in responses["TooManyRequests"]["headers"]


def test_idempotency_key_header_on_writes_except_exempt_ones(schema):
    def headers(path, method):
        operation = schema["paths"][path][method]
        return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}

    assert "Idempotency-Key" in headers("/api/v1/partners/", "post")
    assert "422" in schema["paths"]["/api/v1/partners/"]["post"]["responses"]
    assert "Idempotency-Key" in headers("/api/v1/me/", "patch")
    # A new API key is redacted in the stored copy, so its create takes a key like any write.
    assert "Idempotency-Key" in headers("/api/v1/partners/{partner_pk}/api-keys/", "post")
    # Anonymous: never stored, so no idempotency.
    assert "Idempotency-Key" not in headers("/api/v1/auth/token/", "post")


def test_both_credentials_are_security_schemes(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerAuth"]["scheme"] == "bearer"
    assert schemes["ApiKeyAuth"]["name"] == "Authorization"
