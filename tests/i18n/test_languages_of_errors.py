"""Every error answer of the API reads in the language the caller asked for.

The walk takes every route under /api/v1/ (the route walker of tests/security/test_isolation.py and
its world: enterprises A and B, partners, staff) once with `Accept-Language: zh-hans` and once with
`en`, and provokes on each route the errors that apply to it:
- 401 without credentials, 403 with a partner API key that has no scope;
- 404 for an id that does not exist (asked by platform staff, who would see any existing one);
- 405 for a method the route does not serve;
- 400 for a bad body (an unknown field, an empty body) and bad query values (`page=0`, an unknown
  `ordering`, a NUL);
- whatever the workflow actions answer to each kind of caller on the objects of the world, in their
  first state (409 `transition_not_allowed` where the state does not allow the action, 403, 400);
- 429 once per area, with the caller's rate lowered to one request a minute.

For every problem answer: in zh-hans its `title`, `detail` and each `errors[].detail` hold a Chinese
character; in en none does; and the answer says its language (`Content-Language`) and that it
depends on the request's (`Vary: Accept-Language`). The test is parametrized by area (the app that
serves the route) and fails with the full list of offenders: route, status, where, text.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from rest_framework.throttling import SimpleRateThrottle

from agri_platform.api.exceptions import PROBLEM_CONTENT_TYPE
from agri_platform.api.views import ApiMixin
from tests.conftest import client_for, client_for_key
from tests.security.test_isolation import (  # noqa: F401  (world: the fixture)
    MISSING_INT,
    ROUTES,
    Route,
    client_of,
    kwarg_value,
    missing_value,
    route_model,
    world,
)

CJK = re.compile(r"[\u3400-\u9fff]")
LANGUAGES = ["zh-hans", "en"]
WRITE_METHODS = ("post", "put", "patch")
ALL_METHODS = ("get", "post", "put", "patch", "delete")
# Logging out revokes the walk's own credentials.
EXCLUDED = {("post", "api/v1/auth/logout/"), ("post", "api/v1/auth/logout-everywhere/")}
BAD_QUERIES = ["page=0", "ordering=no_such_field", "page_size=abc", "q=%00"]


def area_of(route: Route) -> str:
    """The app that serves the route: `logistics`, `accounts` (agri_platform.accounts)..."""
    parts = route.view_class.__module__.split(".")
    return parts[1] if parts[0] == "agri_platform" else parts[0]


AREAS = sorted({area_of(route) for route in ROUTES})


def plain(route: Route) -> str:
    return route.path({name: f"{{{name}}}" for name in route.kwarg_names})


def is_excluded(route: Route, method: str) -> bool:
    return (method, route.path({}).lstrip("/")) in EXCLUDED if not route.kwarg_names else False


@dataclass
class Walk:
    language: str
    offenders: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    def send(self, client, method: str, path: str, *, query: str = "", body=None, what: str = ""):
        url = f"{path}?{query}" if query else path
        kwargs = {"HTTP_ACCEPT_LANGUAGE": self.language}
        if method != "get" and method != "delete":
            kwargs.update(data=body if body is not None else {}, format="json")
        response = getattr(client, method)(url, **kwargs)
        self.judge(response, f"{method.upper()} {url} {what}".strip())
        return response

    def judge(self, response, where: str) -> None:
        if not response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            return
        self.statuses[response.status_code] += 1
        body = response.json()
        texts = [("title", body.get("title")), ("detail", body.get("detail"))]
        texts += [
            (f"errors[{error.get('field')}]", error.get("detail"))
            for error in body.get("errors") or []
        ]
        for name, text in texts:
            if self.reads_wrong(text):
                self.offenders.append(f"{where} → {response.status_code} {name}: {text!r}")
        if response.get("Content-Language") != self.language:
            self.offenders.append(
                f"{where} → {response.status_code} Content-Language: "
                f"{response.get('Content-Language')!r}"
            )
        if "accept-language" not in response.get("Vary", "").lower():
            self.offenders.append(
                f"{where} → {response.status_code} Vary: {response.get('Vary')!r}"
            )

    def reads_wrong(self, text) -> bool:
        chinese = bool(CJK.search(str(text or "")))
        return not chinese if self.language == "zh-hans" else chinese


def _object_kwargs(route: Route, the_world, *, mine: bool) -> dict:
    model = route_model(route, the_world)
    pair = the_world.pair_for(model) if model is not None else None
    values = {}
    for name in route.kwarg_names:
        try:
            value = kwarg_value(route, pair[0], name) if pair else MISSING_INT
        except AttributeError:
            value = MISSING_INT
        values[name] = value if mine else missing_value(value)
    return values


def _provoke(route: Route, walk: Walk, clients: dict, the_world) -> None:
    methods = [m for m in route.methods if not is_excluded(route, m)]
    if not methods:
        return
    mine = route.path(_object_kwargs(route, the_world, mine=True))
    missing = route.path(_object_kwargs(route, the_world, mine=False))
    first = methods[0]
    if not route.is_public:
        walk.send(clients["anonymous"], first, mine, what="(no credentials)")
        walk.send(clients["scopeless"], first, mine, what="(key without scope)")
    unserved = next(m for m in ALL_METHODS if m not in route.methods)
    walk.send(clients["staff"], unserved, mine, what="(method not served)")
    if route.kwarg_names:
        walk.send(clients["staff"], first, missing, what="(missing id)")
    if "get" in methods:
        for query in BAD_QUERIES:
            walk.send(clients["enterprise"], "get", mine, query=query, what="(bad query)")
    for method in (m for m in methods if m in WRITE_METHODS):
        for caller in ("staff", "enterprise", "partner", "partner_user"):
            walk.send(clients[caller], method, mine, body={}, what=f"({caller}, empty body)")
            walk.send(
                clients[caller],
                method,
                mine,
                body={"no_such_field": "x"},
                what=f"({caller}, unknown field)",
            )


def _provoke_throttle(routes: list[Route], walk: Walk, the_world, throttle_on) -> None:
    """Two requests of a caller allowed one a minute, on the area's first route that reads."""
    reading = [r for r in routes if "get" in r.methods]
    # A route of the caller's bucket first: public lookups have buckets of their own.
    route = next((r for r in reading if not r.is_public), reading[0] if reading else None)
    if route is None:
        return
    path = route.path(_object_kwargs(route, the_world, mine=True))
    throttle_on()
    client = client_for(the_world.user_b)
    walk.send(client, "get", path, what="(first request)")
    walk.send(client, "get", path, what="(second request, rate 1/min)")


@pytest.fixture
def clients(world):  # noqa: F811
    from agri_platform.api.permissions import SCOPES

    anonymous = client_for(world.user_a)
    anonymous.credentials()
    built = {
        "anonymous": anonymous,
        "scopeless": client_for_key(world.partner_a, scopes=[]),
        "staff": client_for(world.staff),
        "enterprise": client_of("enterprise", world),
        "partner": client_for_key(world.partner_a, scopes=sorted(SCOPES)),
        "partner_user": client_of("partner_user", world),
    }
    for client in built.values():
        client.raise_request_exception = False  # a 500 is an answer to judge, not the walk's end
    return built


@pytest.fixture
def throttle_on(monkeypatch):
    """Throttles stay off during the walk (hundreds of requests per caller); calling the fixture's
    value turns them on at one request a minute for every caller."""
    original, switch = ApiMixin._throttle_once, {"on": False}

    def when_on(self, request):
        if switch["on"]:
            original(self, request)

    def turn_on():
        rates = {**SimpleRateThrottle.THROTTLE_RATES, "caller": "1/min", "anon": "1/min"}
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
        switch["on"] = True

    monkeypatch.setattr(ApiMixin, "_throttle_once", when_on)
    return turn_on


# What each area must have provoked, so that a broken walk cannot pass by provoking nothing.
EXPECTED = {401, 403, 405, 429}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("area", AREAS)
def test_every_error_reads_in_the_callers_language(area, language, world, clients, throttle_on):  # noqa: F811
    # Whichever the platform asks first, the saved choice or the header, both say `language`.
    get_user_model().objects.update(language=language)
    walk = Walk(language)
    routes = [route for route in ROUTES if area_of(route) == area]
    for route in routes:
        _provoke(route, walk, clients, world)
    _provoke_throttle(routes, walk, world, throttle_on)

    expected = set(EXPECTED) if any(not r.is_public for r in routes) else {405, 429}
    if any(route.kwarg_names for route in routes):
        expected.add(404)
    missing = expected - set(walk.statuses)
    assert not (missing or walk.offenders), (
        f"{area} in {language}: provoked {dict(walk.statuses)}, none of {sorted(missing)}; "
        f"{len(walk.offenders)} answers not in {language}:\n" + "\n".join(walk.offenders)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_successful_answers_say_their_language_too(language, world):  # noqa: F811
    get_user_model().objects.update(language=language)
    client = client_for(world.user_a)
    for path in ("/api/v1/me/", "/api/v1/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert "accept-language" in response["Vary"].lower()
        assert response["Content-Language"] == language
