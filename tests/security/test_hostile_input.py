"""No input gives a 5xx: every operation of the OpenAPI schema, every hostile class, three callers.

For each operation the walk sends, one at a time, each hostile class into each kind of parameter
and field the operation has, with real ids of objects the caller may see elsewhere in the path (the
world of the route-walking isolation test), so the hostile value reaches the code behind the
parameter:
- path ids beyond the database's range, zero, letters; NUL and broken UTF-8 in other path segments;
- query parameters: NUL; integers beyond 64 bits; instants that overflow once in UTC; cursors that
  decode to garbage;
- JSON bodies: nesting 100,000 deep; per field: a lone surrogate and a NUL in strings, 2**64 in
  integers, digits beyond any precision in decimals, overflowing date-times, broken dates and times,
  objects nested past the depth limit; the same inside the objects of an array (`items[0].qty`).
Every answer must be a 4xx `application/problem+json`. Three answers are by design not a 4xx and
are checked for what they promise instead:
- a date-time *filter* beyond Python's range is clamped to it (agri_platform/api/filtering.as_utc),
  and a `page_size` above the cap gives the cap (docs/api-conventions.md): not a 5xx;
- telemetry rejects readings one by one (docs/logistics.md): a 2xx that stores nothing and names
  the reason of each rejected reading.
"""

import base64
import json
import re

import pytest
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from agri_platform.api.permissions import SCOPES
from agri_platform.api.views import ApiMixin
from tests.conftest import client_for, client_for_key
from tests.security.test_isolation import Route, kwarg_value, route_model, world  # noqa: F401

PARAM = re.compile(r"{(\w+)}")
PROBLEM = "application/problem+json"
BEYOND_INT64 = 18446744073709551616
OVERFLOWING_INSTANTS = ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+05:00"]
ROW_BY_ROW = {("post", "/api/v1/shipments/{shipment_pk}/telemetry/")}
# Logging out revokes the walk's own credentials (as in tests/quality/fuzz.py).
EXCLUDED = {("post", "/api/v1/auth/logout/")}


def _cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


GARBAGE_CURSORS = [
    "cD1hYmM=",  # p=abc, the outside review's example
    _cursor("p=99999999999999999999"),
    _cursor("p=9999-12-31T23:59:59-23:59"),
    _cursor("p=%00"),
    _cursor("o=-1"),
    "abc",  # not base64
]


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _deep_object(levels: int) -> dict:
    value: dict = {}
    for _ in range(levels):
        value = {"a": value}
    return value


def resolved(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in node:
        merged: dict = {}
        for part in node["allOf"]:
            merged.update(resolved(schema, part))
        return merged
    return node


def hostile_values(schema: dict, field: dict) -> list:
    """The hostile values for a field of this type."""
    field = resolved(schema, field)
    kind, fmt = field.get("type"), field.get("format")
    if kind == "integer":
        return [BEYOND_INT64, -BEYOND_INT64]
    if kind == "number" or fmt == "decimal":
        return ["1e999999", "9" * 400]
    if fmt == "date-time":
        return OVERFLOWING_INSTANTS
    if fmt == "date":
        return ["0000-00-00", "99999-01-01"]
    if fmt == "time":
        return ["25:61:61"]
    if kind == "array":
        return [[value] for value in hostile_values(schema, field.get("items", {}))]
    if kind == "object" or "properties" in field:
        return [_deep_object(100)]
    if kind == "boolean":
        return []
    return ["\ud800", "a\x00b"]


def body_cases(schema: dict, operation: dict):
    """(field, body) pairs: each field of the JSON body with each hostile value, alone."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return
    yield "(body)", "[" * 100_000
    body = resolved(schema, content["application/json"]["schema"])
    for name, field in body.get("properties", {}).items():
        if field.get("readOnly"):
            continue
        for value in hostile_values(schema, field):
            yield name, json.dumps({name: value})
        items = resolved(schema, field.get("items", {})) if field.get("type") == "array" else {}
        for item_name, item_field in items.get("properties", {}).items():
            for value in hostile_values(schema, item_field):
                yield f"{name}[0].{item_name}", json.dumps({name: [{item_name: value}]})


def query_cases(schema: dict, operation: dict):
    for parameter in operation.get("parameters", []):
        if parameter.get("in") != "query":
            continue
        name = parameter["name"]
        field = resolved(schema, parameter.get("schema", {}))
        field = resolved(schema, field.get("items", field))
        yield name, "%00", True
        if name == "cursor":
            for cursor in GARBAGE_CURSORS:
                yield name, cursor, True
        elif field.get("type") == "integer" or field.get("type") == "number":
            yield name, str(BEYOND_INT64) * 3, name != "page_size"  # capped by design: a 200
        elif field.get("format") == "date-time":
            for instant in OVERFLOWING_INSTANTS:
                yield name, instant.replace("+", "%2B"), False  # clamped by design: no 5xx


def path_cases(params: list[str]):
    for name in params:
        if name in ("id", "pk") or name.endswith("_pk"):  # the schema calls `pk` `id`
            values = ["99999999999999999999", "0", "abc"]
        else:
            values = ["%00", "%ED%A0%80"]
        for value in values:
            yield name, value


def real_path(template: str, params: list[str], the_world) -> str:
    """The path with ids of objects the caller may see (the isolation world's "mine" objects)."""
    probe = PARAM.sub("1", template)
    view_class = resolve(probe).func.cls
    route = Route(template, None, view_class, (), tuple(params))
    model = route_model(route, the_world)
    pair = the_world.pair_for(model) if model is not None else None
    values = {}
    for name in params:
        try:
            values[name] = kwarg_value(route, pair[0], name) if pair else 1
        except AttributeError:
            values[name] = 1
    return PARAM.sub(lambda m: str(values[m.group(1)]), template)


def _send(client, method: str, path: str, query: str = "", body: str | None = None):
    url = f"{path}?{query}" if query else path
    if body is None:
        return getattr(client, method)(url)
    return getattr(client, method)(
        url, data=body.encode("utf-8", "surrogatepass"), content_type="application/json"
    )


def _problem(response) -> bool:
    return 400 <= response.status_code < 500 and response["Content-Type"].startswith(PROBLEM)


def _stored_nothing_and_said_why(response) -> bool:
    body = response.json()
    return body.get("accepted") == 0 and all(row.get("reason") for row in body["rejected_rows"])


def walk(schema: dict, client, the_world) -> tuple[int, list[str]]:
    failures, sent = [], 0
    for template, operations in schema["paths"].items():
        params = PARAM.findall(template)
        for method, operation in operations.items():
            if (
                method not in ("get", "post", "put", "patch", "delete")
                or (method, template) in EXCLUDED
            ):
                continue
            real = real_path(template, params, the_world)

            def check(
                response, what, strict=True, row_by_row=False, method=method, template=template
            ):
                ok = _problem(response)
                if not ok and row_by_row and response.status_code < 300:
                    ok = _stored_nothing_and_said_why(response)
                if not ok and not strict:
                    ok = response.status_code < 500
                if not ok:
                    failures.append(
                        f"{method.upper()} {template} {what}: {response.status_code} {response.content[:160]!r}"
                    )

            for name, value in path_cases(params):
                path = _with(real, template, name, value)
                check(_send(client, method, path), f"path {name}={value}")
                sent += 1
            for name, value, strict in query_cases(schema, operation):
                check(
                    _send(client, method, real, f"{name}={value}"), f"query {name}={value}", strict
                )
                sent += 1
            for name, body in body_cases(schema, operation):
                response = _send(client, method, real, body=body)
                check(
                    response,
                    f"body {name}={body[:60]!r}",
                    row_by_row=(method, template) in ROW_BY_ROW,
                )
                sent += 1
    return sent, failures


def _with(real: str, template: str, name: str, value: str) -> str:
    """`real` with the segment of path parameter `name` replaced by `value`."""
    template_parts, real_parts = template.split("/"), real.split("/")
    return "/".join(
        value if part == "{" + name + "}" else real_part
        for part, real_part in zip(template_parts, real_parts, strict=True)
    )


@pytest.fixture(autouse=True)
def _unthrottled(monkeypatch):
    """Thousands of requests from one caller: throttling would hide the answers under 429s
    (tests/api/test_throttling.py covers it)."""
    monkeypatch.setattr(ApiMixin, "_throttle_once", lambda self, request: None)


def _client(caller: str, the_world):
    if caller == "enterprise":
        client = client_for(the_world.user_a)
    elif caller == "staff":
        client = client_for(the_world.staff)
    else:
        client = client_for_key(the_world.partner_a, scopes=sorted(SCOPES))
    client.raise_request_exception = False  # a 500 is a finding to list, not the end of the walk
    return client


@pytest.mark.parametrize("caller", ["enterprise", "partner", "staff"])
def test_no_hostile_input_gives_a_5xx(caller, schema, world):  # noqa: F811
    sent, failures = walk(schema, _client(caller, world), world)
    assert sent > 1000, "the walk found too few operations or parameters: it is broken"
    assert not failures, f"{len(failures)} of {sent} hostile requests:\n" + "\n".join(failures)
