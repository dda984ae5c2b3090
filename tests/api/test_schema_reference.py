"""The API reference reads like a product's: every operation has a summary and a description written
for partners (never a code docstring), the main ones examples, and components clean names."""

import inspect
import re
import sys

import pytest
from django.core.management import call_command

from agri_platform.api.schema import clean_component_name

pytestmark = pytest.mark.django_db

PROJECT_PACKAGES = (
    "agri_platform",
    "enterprises",
    "certification",
    "logistics",
    "finance",
    "legal",
)
METHODS = ("get", "post", "put", "patch", "delete")
DOUBLED_SUFFIX = re.compile(r"(Request|Response|Input|Output|Serializer)(Request|Response)$")

# (method, path) of the operations a partner's engineer starts with: each shows an example body
# and an example answer.
MAIN_OPERATIONS = [
    ("post", "/api/v1/auth/token/"),
    ("post", "/api/v1/auth/register/"),
    ("post", "/api/v1/enterprises/"),
    ("post", "/api/v1/products/"),
    ("post", "/api/v1/certification/applications/"),
    ("post", "/api/v1/certification/applications/{id}/submit/"),
    ("post", "/api/v1/shipments/"),
    ("post", "/api/v1/shipments/{id}/dispatch/"),
    ("post", "/api/v1/shipments/{shipment_pk}/telemetry/"),
    ("post", "/api/v1/finance/requests/"),
    ("post", "/api/v1/finance/requests/{id}/offers/"),
    ("post", "/api/v1/finance/offers/{id}/accept/"),
    ("post", "/api/v1/legal/requests/"),
    ("post", "/api/v1/legal/requests/{id}/messages/"),
    ("post", "/api/v1/webhooks/endpoints/"),
]


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker):
    import yaml

    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                yield method, path, operation


def _cleaned(doc: str) -> str:
    """A docstring the way drf-spectacular would have put it into the schema."""
    return "\n".join(line.rstrip() for line in inspect.cleandoc(doc).rstrip().split("\n"))


def _docstrings_of_the_project() -> set[str]:
    docs = set()
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".")[0] not in PROJECT_PACKAGES:
            continue
        for value in vars(module).values():
            if getattr(value, "__module__", None) != name:
                continue
            docs.add(getattr(value, "__doc__", None))
            if inspect.isclass(value):
                for member in vars(value).values():
                    member = getattr(member, "fget", None) or getattr(member, "__func__", member)
                    docs.add(getattr(member, "__doc__", None))
    return {_cleaned(doc) for doc in docs if isinstance(doc, str) and doc.strip()}


def _descriptions(node, where="#"):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                yield where, value
            else:
                yield from _descriptions(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _descriptions(value, f"{where}/{index}")


def test_every_operation_has_a_summary_and_a_description(schema):
    missing = [
        f"{method.upper()} {path}"
        for method, path, operation in _operations(schema)
        if not operation.get("summary", "").strip() or not operation.get("description", "").strip()
    ]
    assert missing == []


def test_summaries_are_short_and_distinct_within_a_path(schema):
    for path, operations in schema["paths"].items():
        summaries = [op["summary"] for m, op in operations.items() if m in METHODS]
        assert len(set(summaries)) == len(summaries), path
        for summary in summaries:
            assert len(summary) <= 80 and "\n" not in summary, summary


def test_no_description_is_a_code_docstring(schema):
    docstrings = _docstrings_of_the_project()
    # The mixin that leaked into RegisterRequest and a dozen other request bodies is among them.
    assert any(doc.startswith("For serializers used directly") for doc in docstrings)
    leaks = [
        (where, text[:60])
        for where, text in _descriptions(schema)
        if any(len(doc) >= 20 and doc in text for doc in docstrings)
    ]
    assert leaks == []


def test_component_names_have_no_doubled_suffix(schema):
    doubled = [name for name in schema["components"]["schemas"] if DOUBLED_SUFFIX.search(name)]
    assert doubled == []
    assert "TokenRequest" in schema["components"]["schemas"]
    assert "ProductRequest" in schema["components"]["schemas"]


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("TokenRequestRequest", "TokenRequest"),
        ("ProductInputRequest", "ProductRequest"),
        ("PatchedWebhookEndpointUpdateInputRequest", "PatchedWebhookEndpointUpdateRequest"),
        ("FinancingRequestInputRequest", "FinancingRequest"),
        ("PartnerRequest", "PartnerRequest"),
        ("FinancingRequest", "FinancingRequest"),
    ],
)
def test_clean_component_name(name, clean):
    assert clean_component_name(name) == clean


def _examples(content: dict) -> dict:
    return next(iter(content.values()), {}).get("examples", {})


@pytest.mark.parametrize(("method", "path"), MAIN_OPERATIONS)
def test_main_operations_show_request_and_response_examples(schema, method, path):
    operation = schema["paths"][path][method]
    if "requestBody" in operation:  # submit, dispatch and accept take no body
        assert _examples(operation["requestBody"]["content"]), "no request example"
    success = [code for code in operation["responses"] if code.startswith("2")]
    assert success
    for code in success:
        assert _examples(operation["responses"][code].get("content", {})), f"no {code} example"


def _as_json_schema(node):
    """OpenAPI 3.0 to JSON Schema: `nullable: true` becomes a null alternative."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _as_json_schema(value) for key, value in node.items()}
    if converted.pop("nullable", False) is True:
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def _documented_examples(schema):
    for method, path, operation in _operations(schema):
        bodies = [("request", operation.get("requestBody", {}))]
        bodies += [(code, response) for code, response in operation["responses"].items()]
        for where, body in bodies:
            for media_type, media in body.get("content", {}).items():
                for name, example in media.get("examples", {}).items():
                    yield f"{method.upper()} {path} {where} {media_type} {name}", media, example


def test_every_example_matches_its_schema(schema):
    from jsonschema import Draft202012Validator

    components = _as_json_schema(schema["components"])
    checked, wrong = 0, []
    for where, media, example in _documented_examples(schema):
        root = {"allOf": [_as_json_schema(media["schema"])], "components": components}
        errors = list(Draft202012Validator(root).iter_errors(example["value"]))
        wrong += [(where, error.message[:120]) for error in errors]
        checked += 1
    assert checked >= 2 * len(MAIN_OPERATIONS)
    assert wrong == []
