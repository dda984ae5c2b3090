"""Route-walking tenancy test of the partner desks: every page under /desk/, found from the URL
resolver (the portal walker's rules, with partners in place of enterprises).

- A page showing one object by the id in its address names that object's model
  (`isolation_model`): partner A's person (buyer B_A's person on the buyer's desk) gets what is routed to A and a 404 for what is routed
  to B, on GET and on POST, and B's row is unchanged after the POST.
- A page with no id in its address answers A's person and never links to one of B's objects.
- A signed-out visitor is sent to the sign-in page; an exporter's person gets the 403 page that
  sends them to their portal.
"""

from django.urls import get_resolver, reverse

from agri_platform.portal.desk import DeskPage
from tests import factories
from tests.security.test_isolation import world  # noqa: F401  (the same two partners)
from tests.security.test_portal_isolation import (
    GROUP,
    _walk,
    address_of,
    pair_of,
    row_of,
    uncovered,
)
from trade.pages.frame import BuyerPage

DESK_PREFIX = "desk/"


def desk_pages():
    pages = []
    for regex, name, pattern in _walk(get_resolver().url_patterns):
        if regex.startswith(DESK_PREFIX):
            kwargs = tuple(m.group("name") for m in GROUP.finditer(regex))
            view_class = getattr(pattern.callback, "view_class", None)
            pages.append((name, kwargs, view_class))
    return pages


PAGES = desk_pages()
OBJECT_PAGES = [page for page in PAGES if page[1]]
PLAIN_PAGES = [page for page in PAGES if not page[1]]


def person_for(world, view_class, people: dict):  # noqa: F811
    """Who walks the page: a person of buyer B_A for the buyer's desk, else a person of P_A."""
    kind = "buyer" if view_class is not None and issubclass(view_class, BuyerPage) else "partner"
    if kind not in people:
        partner = world.buyer_a.partner if kind == "buyer" else world.partner_a
        people[kind] = factories.PartnerUserFactory(partner=partner)
    return people[kind]


def test_the_desks_were_found():
    names = {page[0] for page in PAGES}
    assert {
        "desk:home",
        "desk:financing",
        "desk:shipments",
        "desk:cases",
        "desk:applications",
        "desk:people",
        "desk:keys",
        "desk:webhooks",
    } <= names


def test_what_is_routed_to_another_partner_is_not_found(world, client):  # noqa: F811
    people = {}
    failures = []
    for name, kwargs, view_class in OBJECT_PAGES:
        client.force_login(person_for(world, view_class, people))
        if (pair := pair_of(world, view_class)) is None:
            failures.append(uncovered(name, view_class))
            continue
        mine, theirs = pair
        mine_status = client.get(address_of(name, kwargs, mine)).status_code
        if mine_status >= 400:
            failures.append(f"{name}: what is routed to A answers {mine_status}")
        their_address = address_of(name, kwargs, theirs)
        if (status := client.get(their_address).status_code) != 404:
            failures.append(f"GET {their_address}: {status}, not 404")
        before = row_of(theirs)
        if (status := client.post(their_address, {}).status_code) not in (404, 405):
            failures.append(f"POST {their_address}: {status}, not 404")
        if row_of(theirs) != before:
            failures.append(f"POST {their_address} changed what is routed to B")
    assert not failures, "\n".join(failures)


def test_a_desk_page_without_an_id_never_links_to_another_partners_object(world, client):  # noqa: F811
    people = {}
    pairs = [(name, kwargs, pair_of(world, view)) for name, kwargs, view in OBJECT_PAGES]
    their_addresses = {
        address_of(name, kwargs, pair[1]): name for name, kwargs, pair in pairs if pair
    }
    failures = []
    for name, _kwargs, view_class in PLAIN_PAGES:
        if view_class is None or "get" not in view_class.http_method_names:
            continue
        client.force_login(person_for(world, view_class, people))
        response = client.get(reverse(name))
        if response.status_code >= 400:
            failures.append(f"{name}: {response.status_code}")
            continue
        html = response.content.decode()
        failures += [
            f"{name} links to B's {page}" for addr, page in their_addresses.items() if addr in html
        ]
    assert not failures, "\n".join(failures)


def _each_desk_address(world):  # noqa: F811
    for name, kwargs, view_class in PAGES:
        if view_class is None or not issubclass(view_class, DeskPage):
            continue
        pair = pair_of(world, view_class) if kwargs else None
        if kwargs and pair is None:
            yield name, None
            continue
        yield name, address_of(name, kwargs, pair[0]) if kwargs else reverse(name)


def test_a_signed_out_visitor_is_sent_to_sign_in(world, client):  # noqa: F811
    failures = []
    for name, address in _each_desk_address(world):
        if address is None:
            failures.append(f"{name}: no pair for its isolation_model")
            continue
        response = client.get(address)
        location = response.get("Location", "")
        if response.status_code != 302 or not location.startswith(reverse("portal:login")):
            failures.append(f"{address}: {response.status_code} {location}")
    assert not failures, "\n".join(failures)


def test_an_exporters_person_gets_no_desk(world, client):  # noqa: F811
    client.force_login(world.user_a)
    failures = []
    for _name, address in _each_desk_address(world):
        if address is None:
            continue
        if (status := client.get(address).status_code) != 403:
            failures.append(f"{address}: {status}, not 403")
    assert not failures, "\n".join(failures)
