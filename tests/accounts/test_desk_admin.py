"""The partner desk's people and API key pages: what the API allows a partner's person, through
the same selectors and services (accounts/desk_pages.py)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agri_platform.accounts.models import ApiKey
from agri_platform.accounts.services import api_key_create, partner_service_user
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(db):
    return factories.PartnerFactory(name="Bank of Chengdu", kind="bank")


@pytest.fixture
def person(bank):
    return factories.PartnerUserFactory(partner=bank, language="en", full_name="Li Na")


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def new_key_form(client) -> str:
    html = client.get(reverse("desk:key-new")).content.decode()
    return re.search(r'name="once" value="([^"]+)"', html).group(1)


def key_data(once, **overrides) -> dict:
    return {
        "once": once,
        "name": "TMS production",
        "scopes": ["finance:read", "finance:write"],
        "expires_on": "",
        "language": "",
        **overrides,
    }


# --- people -----------------------------------------------------------------------------------


def test_the_people_page_lists_the_partners_people_never_its_service_account(
    signed_in, bank, person
):
    colleague = factories.PartnerUserFactory(partner=bank, email="wang@bank.example")
    service = partner_service_user(partner=bank)
    stranger = factories.PartnerUserFactory(email="someone@other.example")

    html = signed_in.get(reverse("desk:people")).content.decode()

    assert person.email in html and colleague.email in html
    assert service.email not in html
    assert stranger.email not in html
    assert "Never signed in" in html
    assert "officers add people" in html  # the API reserves adding people to staff


# --- API keys ---------------------------------------------------------------------------------


def test_the_keys_page_shows_each_key_with_its_scopes_in_words(signed_in, bank, person):
    key, _ = api_key_create(
        partner=bank, name="Core banking", scopes=["finance:read"], created_by=person
    )
    other, _ = api_key_create(
        partner=factories.PartnerFactory(), name="Their system", scopes=["legal:read"]
    )

    html = signed_in.get(reverse("desk:keys")).content.decode()

    assert "Core banking" in html and f"{key.prefix}…" in html
    assert "Read financing requests routed to the partner" in html
    assert "Li Na" in html
    assert "Their system" not in html and other.prefix not in html


def test_a_new_key_is_shown_once_and_never_again(signed_in, bank):
    response = signed_in.post(reverse("desk:key-new"), key_data(new_key_form(signed_in)))
    assert response.status_code == 302
    key = ApiKey.objects.get(partner=bank)
    assert key.scopes == ["finance:read", "finance:write"]
    assert key.expires_at > timezone.now() + timedelta(days=300)  # the default: one year

    shown = signed_in.get(response["Location"])
    assert "no-store" in shown["Cache-Control"]
    plaintext = re.search(r'<code id="new-key">([^<]+)</code>', shown.content.decode()).group(1)
    assert f"_{key.prefix}_" in plaintext
    assert f'data-copy="{plaintext}"' in shown.content.decode()
    assert "it will not be shown again" in shown.content.decode()

    again = signed_in.get(response["Location"]).content.decode()
    assert plaintext not in again
    assert "already shown" in again
    assert plaintext not in str(dict(signed_in.session))


def test_sending_the_create_form_twice_makes_one_key(signed_in, bank):
    data = key_data(new_key_form(signed_in))
    first = signed_in.post(reverse("desk:key-new"), data)
    second = signed_in.post(reverse("desk:key-new"), data)

    assert ApiKey.objects.filter(partner=bank).count() == 1
    assert first["Location"] == second["Location"]
    # The second answer leads to the same page: the key is shown once, to whichever comes first.
    assert 'id="new-key"' in signed_in.get(second["Location"]).content.decode()


def test_scopes_are_required_and_must_be_known(signed_in, bank):
    none = signed_in.post(reverse("desk:key-new"), key_data(new_key_form(signed_in), scopes=[]))
    unknown = signed_in.post(
        reverse("desk:key-new"), key_data(new_key_form(signed_in), scopes=["root:all"])
    )

    for response in (none, unknown):
        assert response.status_code == 200
        assert response.context["form"].errors["scopes"]
    assert not ApiKey.objects.filter(partner=bank).exists()


def test_a_past_expiry_is_refused_at_its_field_by_the_service(signed_in, bank):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = signed_in.post(
        reverse("desk:key-new"), key_data(new_key_form(signed_in), expires_on=yesterday)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["expires_on"] == ["The expiry must be in the future."]
    assert not ApiKey.objects.filter(partner=bank).exists()


def test_revoking_a_key_says_what_stops_working_and_revokes_it(signed_in, bank):
    key, _ = api_key_create(partner=bank, name="Old TMS", scopes=["logistics:read"])
    address = reverse("desk:key-revoke", args=[key.pk])

    page = signed_in.get(address).content.decode()
    assert "Read assigned shipments" in page and "every request made with it is refused" in page

    response = signed_in.post(address)
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    revoked_at = key.revoked_at
    signed_in.post(address)  # again: nothing changes
    key.refresh_from_db()
    assert key.revoked_at == revoked_at


def test_another_partners_key_is_not_found(signed_in):
    theirs, _ = api_key_create(
        partner=factories.PartnerFactory(), name="Theirs", scopes=["legal:read"]
    )
    address = reverse("desk:key-revoke", args=[theirs.pk])

    assert signed_in.get(address).status_code == 404
    assert signed_in.post(address).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_an_exporters_person_has_no_key_page(client):
    client.force_login(factories.MembershipFactory().user)
    assert client.get(reverse("desk:keys")).status_code == 403


def test_the_keys_and_people_pages_read_in_a_constant_number_of_queries(signed_in, bank, person):
    def count(name):
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(reverse(name)).status_code == 200
        return len(queries)

    api_key_create(partner=bank, name="one", scopes=["finance:read"], created_by=person)
    factories.PartnerUserFactory(partner=bank)
    few = {name: count(name) for name in ("desk:keys", "desk:people")}
    for number in range(5):
        api_key_create(partner=bank, name=f"k{number}", scopes=["finance:read"], created_by=person)
        factories.PartnerUserFactory(partner=bank)
    assert {name: count(name) for name in few} == few


def test_the_desk_pages_speak_chinese(signed_in, person):
    person.language = "zh-hans"
    person.save(update_fields=["language"])
    html = signed_in.get(reverse("desk:keys")).content.decode()
    assert "创建 API 密钥" in html
