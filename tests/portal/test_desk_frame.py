"""The desk frame: partners sign in on the portal's page and land in their desk, whose
navigation follows the partner's kind; exporters and staff get no desk."""

import pytest
from django.urls import reverse

from agri_platform.accounts.choices import PartnerKind
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-password-2026"


def test_a_partners_person_signs_in_and_lands_in_the_desk(client):
    person = factories.PartnerUserFactory(partner__kind=PartnerKind.CARRIER)
    person.set_password(PASSWORD)
    person.save()
    response = client.post(
        reverse("portal:login"), {"username": person.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:home")


@pytest.mark.parametrize(
    ("kind", "shown", "not_shown"),
    [
        (PartnerKind.BANK, "desk:financing", "desk:shipments"),
        (PartnerKind.CARRIER, "desk:shipments", "desk:financing"),
        (PartnerKind.LAW_FIRM, "desk:cases", "desk:applications"),
        (PartnerKind.CERTIFICATION_BODY, "desk:applications", "desk:cases"),
    ],
)
def test_the_desk_shows_the_entries_of_the_partners_kind(client, kind, shown, not_shown):
    client.force_login(factories.PartnerUserFactory(partner__kind=kind))
    html = client.get(reverse("desk:home")).content.decode()
    assert f'href="{reverse(shown)}"' in html
    assert f'href="{reverse(not_shown)}"' not in html
    assert f'href="{reverse("desk:keys")}"' in html


def test_the_inbox_of_a_partners_person_has_the_desk_navigation(client):
    client.force_login(factories.PartnerUserFactory(partner__kind=PartnerKind.BANK))
    html = client.get(reverse("portal:inbox")).content.decode()
    assert f'href="{reverse("desk:financing")}"' in html
    assert f'href="{reverse("portal:shipments")}"' not in html


def test_an_exporter_gets_a_page_sending_them_to_their_portal(client):
    client.force_login(factories.MembershipFactory().user)
    response = client.get(reverse("desk:home"))
    assert response.status_code == 403
    assert reverse("portal:home") in response.content.decode()


def test_a_public_page_needs_no_sign_in_and_shows_no_portal_navigation(client):
    response = client.get(reverse("public:verify"))
    assert response.status_code == 200
    assert 'id="sidenav"' not in response.content.decode()
