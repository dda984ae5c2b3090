"""No documented query parameter gives a 5xx when it is used as documented.

Every GET operation of the OpenAPI schema is called once per query parameter it documents, with a
plausible value derived from the parameter's schema (an enum's first value, 1, true, a date, a
code such as "MY"), by the first caller of the isolation world that may call it (staff, a member of
enterprise A, P_A's API key with every scope, buyer B_A's API key), over the world's rows. A filter
whose field name or lookup cannot work on its field (`iexact` on a foreign key) raises a FieldError
only when the parameter is sent: a 500 nothing else notices. Every answer must be a 2xx, or a 4xx
in problem details. tests/security/test_hostile_input.py sends the hostile values.
"""

import re
import uuid

import pytest

from agri_platform.api.permissions import SCOPES
from agri_platform.api.views import ApiMixin
from tests.conftest import client_for, client_for_key
from tests.security.test_hostile_input import real_path, resolved, schema  # noqa: F401
from tests.security.test_isolation import world  # noqa: F401

PARAM = re.compile(r"{(\w+)}")
PROBLEM = "application/problem+json"
STRING_VALUES = ["MY", "a"]
VALUES_BY_FORMAT = {
    "date": "2026-01-01",
    "date-time": "2026-01-01T08:00:00%2B08:00",
    "uuid": None,  # a fresh one each time
}
VALUES_BY_TYPE = {"integer": "1", "number": "1", "boolean": "true"}


def plausible_values(schema: dict, parameter: dict) -> list[str]:  # noqa: F811
    """The values to send for one query parameter, already encoded for the query string."""
    field = resolved(schema, parameter.get("schema", {}))
    field = resolved(schema, field.get("items", field))
    if field.get("enum"):
        return [str(field["enum"][0])]
    fmt = field.get("format")
    if fmt in VALUES_BY_FORMAT:
        return [VALUES_BY_FORMAT[fmt] or str(uuid.uuid4())]
    if field.get("type") in VALUES_BY_TYPE:
        return [VALUES_BY_TYPE[field["type"]]]
    return STRING_VALUES


def callers(the_world) -> list:
    buyer_partner = the_world.buyer_a.partner
    clients = [
        client_for(the_world.staff),
        client_for(the_world.user_a),
        client_for_key(the_world.partner_a, scopes=sorted(SCOPES)),
        client_for_key(buyer_partner, scopes=sorted(SCOPES)),
    ]
    for client in clients:
        client.raise_request_exception = False  # a 500 is a finding to list
    return clients


def allowed_caller(clients: list, path: str):
    """The first caller the GET of the path (with its required parameters) lets through: a 404
    "no profile matches" is an answer to this caller, a 401 or 403 is not."""
    for client in clients:
        if client.get(path).status_code not in (401, 403):
            return client
    return None


def _acceptable(response) -> bool:
    if response.status_code < 300:
        return True
    return 400 <= response.status_code < 500 and response["Content-Type"].startswith(PROBLEM)


def query_parameters(operation: dict) -> list[dict]:
    return [p for p in operation.get("parameters", []) if p.get("in") == "query"]


def required_query(schema: dict, operation: dict) -> str:  # noqa: F811
    """The query string of the operation's required parameters, each with its plausible value."""
    return "&".join(
        f"{parameter['name']}={plausible_values(schema, parameter)[0]}"
        for parameter in query_parameters(operation)
        if parameter.get("required")
    )


@pytest.fixture(autouse=True)
def _unthrottled(monkeypatch):
    """Hundreds of requests from one caller (tests/api/test_throttling.py covers throttling)."""
    monkeypatch.setattr(ApiMixin, "_throttle_once", lambda self, request: None)


def test_every_documented_query_parameter_answers_without_a_5xx(schema, world):  # noqa: F811
    clients = callers(world)
    failures, unreachable, sent = [], [], 0
    for template, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or not query_parameters(operation):
            continue
        path = real_path(template, PARAM.findall(template), world)
        required = required_query(schema, operation)
        client = allowed_caller(clients, f"{path}?{required}")
        if client is None:
            unreachable.append(template)
            continue
        for parameter in query_parameters(operation):
            for value in plausible_values(schema, parameter):
                query = "&".join(filter(None, [required, f"{parameter['name']}={value}"]))
                response = client.get(f"{path}?{query}")
                sent += 1
                if not _acceptable(response):
                    failures.append(
                        f"GET {template}?{query}: {response.status_code} {response.content[:160]!r}"
                    )
    assert sent > 200, "the walk sent too few parameters: it is broken"
    assert not failures, f"{len(failures)} of {sent} requests:\n" + "\n".join(failures)
    assert not unreachable, f"no caller of the world may GET: {unreachable}"
