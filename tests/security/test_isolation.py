"""Route-walking tenancy test: every route under /api/v1/, found from the URL resolver, not a list.

For each route and each HTTP method it serves:
- no credentials → 401 (unless the view is public: AllowAny);
- a partner API key without scopes → 403 (unless public);
- enterprise A asking for B's object answers exactly as for an object that does not exist (a 404,
  or the same 403 a missing object gets), and B's object is unchanged: every column of its row is
  the same after GET, POST, PUT, PATCH and DELETE were tried on it (actions included);
- enterprise A's list shows A's object and never B's.
The same holds for partner P_A against objects routed to P_B, on the routes P_A may reach, both for
P_A's API key (all scopes) and for a person who works for P_A (bearer token, no scopes involved).
"""

import importlib
import pkgutil
import re
import uuid
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory

import tests
from tests import factories
from tests.conftest import client_for, client_for_key
from tests.isolation import BUILDERS, World
from tests.trade.factories import BuyerFactory

API_PREFIX = "api/v1/"
MISSING_INT = 987654321
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    regex: str
    name: str | None
    view_class: type
    methods: tuple[str, ...]
    kwarg_names: tuple[str, ...]

    def path(self, kwargs: dict) -> str:
        path = GROUP.sub(lambda m: str(kwargs[m.group("name")]), self.regex)
        path = path.replace("\\Z", "").replace("^", "").replace("$", "").replace("\\", "")
        path = re.sub(r"\.\(\?P<format>[^)]*\)/?", "", path)
        return "/" + path

    @property
    def is_public(self) -> bool:
        return any(
            issubclass(p, AllowAny) for p in getattr(self.view_class, "permission_classes", [])
        )

    def __str__(self):
        return f"{self.name or self.regex}"


def _regex_of(pattern) -> str:
    return pattern.pattern.regex.pattern


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        regex = prefix + _regex_of(pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, regex.rstrip("$"))
        elif isinstance(pattern, URLPattern):
            yield regex, pattern


def api_routes() -> list[Route]:
    routes = []
    for regex, pattern in _walk(get_resolver().url_patterns):
        if not regex.startswith(API_PREFIX) or "(?P<format>" in regex:
            continue
        view_class = getattr(pattern.callback, "cls", None)
        if view_class is None:
            continue
        actions = getattr(pattern.callback, "actions", None)
        if actions:
            methods = tuple(sorted(actions))
        else:
            methods = tuple(
                m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)
            )
        kwarg_names = tuple(m.group("name") for m in GROUP.finditer(regex))
        routes.append(Route(regex, pattern.name, view_class, methods, kwarg_names))
    return routes


ROUTES = api_routes()


def _load_builders():
    for module in pkgutil.iter_modules(tests.__path__):
        if module.ispkg:
            try:
                importlib.import_module(f"tests.{module.name}.isolation")
            except ModuleNotFoundError as exc:
                if exc.name != f"tests.{module.name}.isolation":
                    raise


_load_builders()


def route_model(route: Route, world: World):
    """The model a route serves, asked of the view itself (its queryset, as staff would get it)."""
    explicit = getattr(route.view_class, "isolation_model", None)
    if explicit is not None:
        return explicit
    view = route.view_class()
    request = APIRequestFactory().get("/")
    request.user = world.staff
    request.auth = None
    view.request = view._request = request
    view.format_kwarg = None
    view.kwargs = {name: MISSING_INT for name in route.kwarg_names}
    view.args = ()
    view.action = None
    get_queryset = getattr(view, "get_queryset", None)
    if get_queryset is None:
        return None
    try:
        return get_queryset().model
    except Exception:
        queryset = getattr(route.view_class, "queryset", None)
        return None if queryset is None else queryset.model


def kwarg_value(route: Route, obj, name: str):
    lookup_field = getattr(route.view_class, "lookup_field", "pk")
    lookup_url_kwarg = getattr(route.view_class, "lookup_url_kwarg", None) or lookup_field
    if name == "pk":
        return obj.pk
    if name == lookup_url_kwarg:
        return getattr(obj, lookup_field)
    if name.endswith("_pk"):
        return getattr(obj, name[:-3]).pk
    return getattr(obj, name)


def missing_value(value):
    if isinstance(value, int):
        return MISSING_INT
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    return "Z" * max(len(str(value)), 8)


CALLERS = ["enterprise", "partner", "partner_user", "buyer_user", "buyer_key"]


def client_of(caller: str, world: World):
    """A's client: an enterprise member, P_A's API key with every scope, a person of P_A, a person
    of buyer B_A or B_A's API key with every scope."""
    if caller == "enterprise":
        return client_for(world.user_a)
    if caller == "partner_user":
        return client_for(factories.PartnerUserFactory(partner=world.partner_a))
    if caller == "buyer_user":
        return client_for(factories.PartnerUserFactory(partner=world.buyer_a.partner))
    from agri_platform.api.permissions import SCOPES

    partner = world.buyer_a.partner if caller == "buyer_key" else world.partner_a
    return client_for_key(partner, scopes=list(SCOPES))


def row_of(model, pk) -> dict | None:
    return model._default_manager.filter(pk=pk).values().first()


def call(client, method: str, path: str):
    return getattr(client, method)(path, data={} if method != "get" else None, format="json")


def ids_in(response) -> set:
    body = response.json() if response.content else None
    rows = body.get("results", body) if isinstance(body, dict) else body
    if not isinstance(rows, list):
        return set()
    return {row.get("id") for row in rows if isinstance(row, dict)}


@pytest.fixture
def world(db) -> World:
    enterprise_a = factories.EnterpriseFactory()
    enterprise_b = factories.EnterpriseFactory()
    user_a = factories.MembershipFactory(enterprise=enterprise_a).user
    user_b = factories.MembershipFactory(enterprise=enterprise_b).user
    world = World(
        enterprise_a=enterprise_a,
        enterprise_b=enterprise_b,
        user_a=user_a,
        user_b=user_b,
        partner_a=factories.PartnerFactory(),
        partner_b=factories.PartnerFactory(),
        staff=factories.StaffUserFactory(staff_role="platform_admin"),
        buyer_a=BuyerFactory(),
        buyer_b=BuyerFactory(),
    )
    for build in BUILDERS:
        build(world)
    return world


def test_routes_were_found():
    names = {str(route) for route in ROUTES}
    assert len(ROUTES) > 0, "no route under /api/v1/ was found: the walker is broken"
    assert names  # every later test iterates these


def _object_routes():
    return [route for route in ROUTES if route.kwarg_names and not route.is_public]


def _is_directory(route: Route) -> bool:
    return getattr(route.view_class, "isolation_directory_fields", None) is not None


def _list_routes():
    # Public lists (reference data, the exporter directory) show everyone the same rows by design.
    return [
        route
        for route in ROUTES
        if not route.kwarg_names
        and "get" in route.methods
        and not route.is_public
        and not _is_directory(route)
    ]


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.is_public], ids=str)
def test_no_credentials_is_401(route, world):
    client = client_for(world.user_a)
    client.credentials()
    pair = None
    model = route_model(route, world)
    if model is not None:
        pair = world.pair_for(model)
    kwargs = {
        n: (kwarg_value(route, pair[1], n) if pair else MISSING_INT) for n in route.kwarg_names
    }
    for method in route.methods:
        response = call(client, method, route.path(kwargs))
        assert response.status_code == 401, (
            f"{method.upper()} {route.path(kwargs)} without credentials"
        )
        assert response["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.is_public], ids=str)
def test_partner_key_without_scope_is_403(route, world):
    client = client_for_key(world.partner_a, scopes=[])
    kwargs = {name: MISSING_INT for name in route.kwarg_names}
    for method in route.methods:
        response = call(client, method, route.path(kwargs))
        assert response.status_code == 403, (
            f"{method.upper()} {route.path(kwargs)} with a scopeless key"
        )


@pytest.mark.parametrize("route", _object_routes(), ids=str)
@pytest.mark.parametrize("caller", CALLERS)
def test_other_tenants_object_looks_missing(route, caller, world):
    model = route_model(route, world)
    assert model is not None, f"{route}: cannot tell which model this route serves"
    pair = world.pair_for(model)
    assert pair is not None, (
        f"{route} serves {model.__name__}, which has no isolation pair: "
        "register one with @builder in tests/<app>/isolation.py"
    )
    _, theirs = pair
    client = client_of(caller, world)
    before = row_of(model, theirs.pk)
    theirs_kwargs = {name: kwarg_value(route, theirs, name) for name in route.kwarg_names}
    missing_kwargs = {name: missing_value(value) for name, value in theirs_kwargs.items()}
    for method in route.methods:
        seen = call(client, method, route.path(theirs_kwargs))
        missing = call(client, method, route.path(missing_kwargs))
        assert seen.status_code >= 400, (
            f"{caller} A reached B's {model.__name__} via {method.upper()} {route.path(theirs_kwargs)}"
        )
        assert seen.status_code == missing.status_code, (
            f"{method.upper()} {route.path(theirs_kwargs)} answers {seen.status_code} for B's object but "
            f"{missing.status_code} for a missing one: that confirms B's object exists"
        )
    after = row_of(model, theirs.pk)
    assert after is not None, f"{route}: B's object was deleted"
    assert after == before, (
        f"{route}: {caller} A's refused requests still changed B's {model.__name__}: "
        f"{ {k: (before[k], after[k]) for k in before if before[k] != after[k]} }"
    )


@pytest.mark.parametrize("route", _list_routes(), ids=str)
@pytest.mark.parametrize("caller", CALLERS)
def test_lists_show_only_own_objects(route, caller, world):
    model = route_model(route, world)
    if model is None:
        return  # not a collection of model objects (e.g. me/, an overview)
    pair = world.pair_for(model)
    assert pair is not None, (
        f"{route} lists {model.__name__}, which has no isolation pair: "
        "register one with @builder in tests/<app>/isolation.py"
    )
    _, theirs = pair
    client = client_of(caller, world)
    response = client.get(route.path({}), {"page_size": 1000})
    if response.status_code in (403, 404):
        return  # this caller may not list these at all
    assert response.status_code == 200, f"GET {route.path({})}: {response.status_code}"
    ids = ids_in(response)
    assert theirs.pk not in ids, f"{caller} A sees B's {model.__name__} in {route.path({})}"


# Directories behind a login show every enterprise the same rows by design (the partners an
# enterprise names in a request); what they must never show is more than their public fields.
PRIVATE_PARTNER_FIELDS = {"contact_email", "is_active", "service_user", "created_at"}


@pytest.mark.parametrize("route", [r for r in ROUTES if _is_directory(r)], ids=str)
@pytest.mark.parametrize("caller", CALLERS)
def test_directories_show_only_public_fields(route, caller, world):
    response = client_of(caller, world).get(route.path({}), {"page_size": 1000})
    if caller != "enterprise":
        assert response.status_code == 403, f"{caller} may read {route.path({})}"
        return
    assert response.status_code == 200, f"GET {route.path({})}: {response.status_code}"
    rows = response.json()["results"]
    assert {world.partner_a.pk, world.partner_b.pk} <= {row["id"] for row in rows}
    allowed = route.view_class.isolation_directory_fields
    for row in rows:
        assert set(row) <= allowed, f"{route.path({})} shows {set(row) - allowed}"
        assert not set(row) & PRIVATE_PARTNER_FIELDS
