"""Route-walking tenancy test of the portal: every page under /portal/, found from the URL
resolver, not a list.

- A page showing one object by the id in its address names that object's model
  (`isolation_model` on the view): enterprise A's person gets A's object and a 404 for B's, on
  GET and on POST, and B's row is unchanged after the POST. A page with an id and no
  `isolation_model` fails the test: new pages cannot slip through uncovered.
- A page with no id in its address (lists, forms, home) answers A's person and never links to a
  page of one of B's objects.
- A signed-out visitor of any page that needs a sign-in is sent to the sign-in page.
"""

import re

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agri_platform.portal.views import PortalPage
from tests.security.test_isolation import world  # noqa: F401  (the same two enterprises)

PORTAL_PREFIX = "portal/"
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        regex = prefix + pattern.pattern.regex.pattern.lstrip("^")
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, regex.rstrip("$").replace("\\Z", ""), inner)
        elif isinstance(pattern, URLPattern):
            yield regex, f"{namespace}{pattern.name}", pattern


def portal_pages():
    pages = []
    for regex, name, pattern in _walk(get_resolver().url_patterns):
        if regex.startswith(PORTAL_PREFIX):
            kwargs = tuple(m.group("name") for m in GROUP.finditer(regex))
            view_class = getattr(pattern.callback, "view_class", None)
            pages.append((name, kwargs, view_class))
    return pages


PAGES = portal_pages()
OBJECT_PAGES = [page for page in PAGES if page[1]]
PLAIN_PAGES = [page for page in PAGES if not page[1]]


def value_for(obj, kwarg: str):
    if kwarg == "pk":
        return obj.pk
    if kwarg.endswith("_pk"):
        return getattr(obj, kwarg[:-3]).pk
    return getattr(obj, kwarg)


def address_of(name: str, kwargs: tuple, obj) -> str:
    return reverse(name, kwargs={kwarg: value_for(obj, kwarg) for kwarg in kwargs})


def row_of(obj) -> dict | None:
    return type(obj)._default_manager.filter(pk=obj.pk).values().first()


def pair_of(world, view_class):  # noqa: F811
    """(A's object, B's object) of the model the page shows; None when the page names no model
    or the model has no pair (the tests report that as a failure of the page)."""
    model = getattr(view_class, "isolation_model", None)
    return None if model is None else world.pair_for(model)


def uncovered(name, view_class) -> str:
    model = getattr(view_class, "isolation_model", None)
    if model is None:
        return f"{name}: a page with an id in its address names its isolation_model"
    return f"{name}: no pair of {model.__name__} in tests/<app>/isolation.py"


def test_the_portal_was_found():
    names = {page[0] for page in PAGES}
    assert {"portal:login", "portal:home", "portal:shipment"} <= names


# One world for all pages of a test (building it takes seconds); every page's failure is reported.


def test_another_enterprises_object_is_not_found(world, client):  # noqa: F811
    client.force_login(world.user_a)
    failures = []
    for name, kwargs, view_class in OBJECT_PAGES:
        if (pair := pair_of(world, view_class)) is None:
            failures.append(uncovered(name, view_class))
            continue
        mine, theirs = pair
        mine_status = client.get(address_of(name, kwargs, mine)).status_code
        if mine_status >= 400:
            failures.append(f"{name}: A's own object answers {mine_status}")
        their_address = address_of(name, kwargs, theirs)
        if (status := client.get(their_address).status_code) != 404:
            failures.append(f"GET {their_address}: {status}, not 404")
        before = row_of(theirs)
        if (status := client.post(their_address, {}).status_code) not in (404, 405):
            failures.append(f"POST {their_address}: {status}, not 404")
        if row_of(theirs) != before:
            failures.append(f"POST {their_address} changed B's object")
    assert not failures, "\n".join(failures)


def test_a_page_without_an_id_never_links_to_another_enterprises_object(world, client):  # noqa: F811
    client.force_login(world.user_a)
    pairs = [(name, kwargs, pair_of(world, view)) for name, kwargs, view in OBJECT_PAGES]
    their_addresses = {
        address_of(name, kwargs, pair[1]): name for name, kwargs, pair in pairs if pair
    }
    failures = []
    for name, _kwargs, view_class in PLAIN_PAGES:
        if view_class is None or "get" not in view_class.http_method_names:
            continue  # the language and enterprise switches and sign-out answer POST only
        response = client.get(reverse(name))
        if response.status_code >= 400:
            failures.append(f"{name}: {response.status_code}")
            continue
        html = response.content.decode()
        failures += [
            f"{name} links to B's {page}" for addr, page in their_addresses.items() if addr in html
        ]
    assert not failures, "\n".join(failures)


def test_a_signed_out_visitor_is_sent_to_sign_in(world, client):  # noqa: F811
    failures = []
    for name, kwargs, view_class in PAGES:
        if view_class is None or not issubclass(view_class, PortalPage):
            continue
        pair = pair_of(world, view_class) if kwargs else None
        if kwargs and pair is None:
            failures.append(uncovered(name, view_class))
            continue
        address = address_of(name, kwargs, pair[0]) if kwargs else reverse(name)
        response = client.get(address)
        location = response.get("Location", "")
        if response.status_code != 302 or not location.startswith(reverse("portal:login")):
            failures.append(f"{address}: {response.status_code} {location}")
    assert not failures, "\n".join(failures)
