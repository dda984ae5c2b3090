"""Partners API: staff manage partners, their people and their API keys; partners see their own."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from agri_platform.accounts.models import ApiKey, AuthToken, Partner, User
from agri_platform.accounts.services import api_key_create
from agri_platform.events.models import Event
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PARTNERS = "/api/v1/partners/"


def keys_url(partner) -> str:
    return f"{PARTNERS}{partner.pk}/api-keys/"


def users_url(partner) -> str:
    return f"{PARTNERS}{partner.pk}/users/"


@pytest.fixture
def partner_person(partner):
    return factories.PartnerUserFactory(partner=partner)


@pytest.fixture
def partner_person_client(partner_person):
    return client_for(partner_person)


# --- partners -------------------------------------------------------------------------------------


def test_staff_create_list_and_update_partners(staff_client):
    created = staff_client.post(
        PARTNERS,
        {"name": "Sinosure Sichuan", "name_zh": "中国信保四川", "kind": "insurer", "country": "cn"},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["country"] == "CN"
    assert Event.objects.filter(kind="partner.created").count() == 1

    listed = staff_client.get(PARTNERS, {"kind": "insurer"}).json()
    assert [row["name"] for row in listed["results"]] == ["Sinosure Sichuan"]

    updated = staff_client.patch(
        f"{PARTNERS}{body['id']}/", {"contact_email": "api@sinosure.example"}, format="json"
    )
    assert updated.status_code == 200
    assert Partner.objects.get(pk=body["id"]).contact_email == "api@sinosure.example"


def test_duplicate_partner_name_is_409(staff_client, partner):
    response = staff_client.post(PARTNERS, {"name": partner.name, "kind": "bank"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "partner_exists"


def test_bad_partner_input_names_the_field(staff_client):
    response = staff_client.post(
        PARTNERS, {"name": "X", "kind": "pirate", "country": "China"}, format="json"
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"kind", "country"}


def test_partner_person_sees_only_their_partner(partner, partner_person_client):
    other = factories.PartnerFactory()
    listed = partner_person_client.get(PARTNERS).json()
    assert [row["id"] for row in listed["results"]] == [partner.pk]
    assert partner_person_client.get(f"{PARTNERS}{partner.pk}/").status_code == 200
    assert partner_person_client.get(f"{PARTNERS}{other.pk}/").status_code == 404
    assert (
        partner_person_client.patch(
            f"{PARTNERS}{partner.pk}/", {"name": "Renamed"}, format="json"
        ).status_code
        == 403
    )


def test_enterprise_users_get_nothing(enterprise_client, partner):
    assert enterprise_client.get(PARTNERS).json()["results"] == []
    assert enterprise_client.get(f"{PARTNERS}{partner.pk}/").status_code == 404
    assert (
        enterprise_client.post(PARTNERS, {"name": "X", "kind": "bank"}, format="json").status_code
        == 403
    )
    assert enterprise_client.get(keys_url(partner)).status_code == 403


def test_partner_api_keys_cannot_manage_partners_or_keys(partner, make_partner_client):
    from agri_platform.api.permissions import SCOPES

    client = make_partner_client(partner, list(SCOPES))
    assert client.get(PARTNERS).status_code == 403
    assert client.get(keys_url(partner)).status_code == 403
    assert (
        client.post(
            keys_url(partner), {"name": "x", "scopes": ["logistics:read"]}, format="json"
        ).status_code
        == 403
    )


def test_partners_list_has_constant_queries(staff_client, django_assert_max_num_queries):
    for _ in range(5):
        factories.PartnerFactory()
    with django_assert_max_num_queries(6):
        assert staff_client.get(PARTNERS).status_code == 200


# --- API keys -------------------------------------------------------------------------------------


def test_create_shows_the_key_once_and_it_works(partner, partner_person_client, partner_person):
    response = partner_person_client.post(
        keys_url(partner), {"name": "TMS prod", "scopes": ["logistics:write"]}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    plaintext = body["key"]
    assert plaintext.startswith(f"apk_{body['prefix']}_")
    assert body["created_by"] == partner_person.email
    assert body["is_usable"] is True
    # A year by default.
    expires = ApiKey.objects.get(pk=body["id"]).expires_at
    assert timezone.now() + timedelta(days=364) < expires < timezone.now() + timedelta(days=366)

    # Never again: neither in the list nor in the detail.
    listed = partner_person_client.get(keys_url(partner)).json()["results"]
    detail = partner_person_client.get(f"{keys_url(partner)}{body['id']}/").json()
    assert all("key" not in row for row in listed)
    assert "key" not in detail
    assert plaintext not in str(listed) + str(detail)

    # The key authenticates as the partner's service user.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plaintext}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 403  # me/ is closed to API keys, but the key itself was accepted
    assert me.json()["code"] == "permission_denied"


def test_scopes_are_validated(staff_client, partner):
    response = staff_client.post(
        keys_url(partner), {"name": "x", "scopes": ["logistics:write", "root:all"]}, format="json"
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"scopes[1]"}
    empty = staff_client.post(keys_url(partner), {"name": "x", "scopes": []}, format="json")
    assert empty.status_code == 400
    assert not ApiKey.objects.exists()


def test_expiry_must_be_in_the_future(staff_client, partner):
    past = (timezone.now() - timedelta(days=1)).isoformat()
    response = staff_client.post(
        keys_url(partner),
        {"name": "x", "scopes": ["finance:read"], "expires_at": past},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "expires_at"
    future = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    ok = staff_client.post(
        keys_url(partner),
        {"name": "x", "scopes": ["finance:read"], "expires_at": future.isoformat()},
        format="json",
    )
    assert ok.status_code == 201
    assert ApiKey.objects.get().expires_at == future


def test_revoke_stops_the_key_at_once(partner, partner_person_client):
    key, plaintext = api_key_create(partner=partner, name="old", scopes=["logistics:read"])
    response = partner_person_client.post(f"{keys_url(partner)}{key.pk}/revoke/")
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert response.json()["is_usable"] is False
    again = partner_person_client.post(f"{keys_url(partner)}{key.pk}/revoke/")
    assert again.json()["revoked_at"] == response.json()["revoked_at"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plaintext}")
    assert client.get("/api/v1/me/").status_code == 401
    assert Event.objects.filter(kind="partner.api_key_revoked").count() == 1


def test_key_language_is_set_at_creation_and_changed_later(partner, partner_person_client):
    created = partner_person_client.post(
        keys_url(partner),
        {"name": "TMS prod", "scopes": ["logistics:read"], "language": "en"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["language"] == "en"
    url = f"{keys_url(partner)}{created.json()['id']}/"
    changed = partner_person_client.patch(
        url, {"name": "TMS (Chengdu)", "language": "zh-hans"}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["name"], changed.json()["language"]) == ("TMS (Chengdu)", "zh-hans")
    key = ApiKey.objects.get(pk=created.json()["id"])
    assert (key.name, key.language) == ("TMS (Chengdu)", "zh-hans")
    assert (
        partner_person_client.patch(url, {"language": ""}, format="json").json()["language"] == ""
    )


def test_key_update_refuses_scopes_and_unknown_languages(partner, partner_person_client):
    key, _ = api_key_create(partner=partner, name="k", scopes=["logistics:read"])
    url = f"{keys_url(partner)}{key.pk}/"
    scopes = partner_person_client.patch(url, {"scopes": ["finance:read"]}, format="json")
    assert scopes.status_code == 400
    assert {e["field"] for e in scopes.json()["errors"]} == {"scopes"}
    language = partner_person_client.patch(url, {"language": "fr"}, format="json")
    assert language.status_code == 400
    assert language.json()["errors"][0]["field"] == "language"


def test_a_partner_person_cannot_touch_another_partners_keys(partner_person_client):
    other = factories.PartnerFactory()
    key, _ = api_key_create(partner=other, name="theirs", scopes=["logistics:read"])
    assert partner_person_client.get(keys_url(other)).status_code == 404
    assert partner_person_client.post(f"{keys_url(other)}{key.pk}/revoke/").status_code == 404
    assert (
        partner_person_client.patch(
            f"{keys_url(other)}{key.pk}/", {"language": "en"}, format="json"
        ).status_code
        == 404
    )
    assert (
        partner_person_client.post(
            keys_url(other), {"name": "x", "scopes": ["logistics:read"]}, format="json"
        ).status_code
        == 404
    )
    key.refresh_from_db()
    assert key.revoked_at is None
    assert ApiKey.objects.filter(partner=other).count() == 1


def test_reviewers_read_keys_but_only_officers_and_admins_create(
    reviewer_client, officer_client, partner
):
    body = {"name": "x", "scopes": ["logistics:read"]}
    assert reviewer_client.get(keys_url(partner)).status_code == 200
    assert reviewer_client.post(keys_url(partner), body, format="json").status_code == 403
    assert officer_client.post(keys_url(partner), body, format="json").status_code == 201


def test_key_on_a_missing_partner_is_404(staff_client):
    assert staff_client.get(f"{PARTNERS}987654/api-keys/").status_code == 404
    response = staff_client.post(
        f"{PARTNERS}987654/api-keys/", {"name": "x", "scopes": ["logistics:read"]}, format="json"
    )
    assert response.status_code == 404


# --- partner people -------------------------------------------------------------------------------


def test_staff_create_partner_people_who_can_log_in(staff_client, partner):
    response = staff_client.post(
        users_url(partner),
        {"email": "Ops@Carrier.example", "password": "Cold-chain-2026!", "full_name": "Ops"},
        format="json",
    )
    assert response.status_code == 201
    user = User.objects.get(email="ops@carrier.example")
    assert user.partner == partner and not user.is_service_account
    token = APIClient().post(
        "/api/v1/auth/token/",
        {"email": "ops@carrier.example", "password": "Cold-chain-2026!"},
        format="json",
    )
    assert token.status_code == 201


def test_partner_people_passwords_are_validated(staff_client, partner):
    response = staff_client.post(
        users_url(partner), {"email": "a@carrier.example", "password": "123"}, format="json"
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"password"}


def test_partner_people_list_hides_the_service_account(staff_client, partner, partner_person):
    api_key_create(partner=partner, name="k", scopes=["logistics:read"])  # makes the service user
    emails = [row["email"] for row in staff_client.get(users_url(partner)).json()["results"]]
    assert emails == [partner_person.email]


def test_partner_people_cannot_add_people(partner_person_client, partner):
    response = partner_person_client.post(
        users_url(partner),
        {"email": "x@carrier.example", "password": "Cold-chain-2026!"},
        format="json",
    )
    assert response.status_code == 403
    assert partner_person_client.get(users_url(partner)).status_code == 200


def test_deactivating_a_partner_person_revokes_their_tokens(staff_client, partner, partner_person):
    client = client_for(partner_person)
    response = staff_client.patch(
        f"{users_url(partner)}{partner_person.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200
    assert not AuthToken.objects.filter(user=partner_person, revoked_at__isnull=True).exists()
    assert client.get("/api/v1/me/").status_code == 401


def test_duplicate_partner_person_email_is_409(staff_client, partner, enterprise_user):
    response = staff_client.post(
        users_url(partner),
        {"email": enterprise_user.email, "password": "Cold-chain-2026!"},
        format="json",
    )
    assert response.status_code == 409


# --- audit history --------------------------------------------------------------------------------


def test_staff_change_through_the_api_records_who_and_what(staff_client, staff_user, partner):
    response = staff_client.patch(
        f"{PARTNERS}{partner.pk}/",
        {"is_active": False, "contact_email": "x@p.example"},
        format="json",
    )
    assert response.status_code == 200
    latest = partner.history.latest()
    assert latest.history_user == staff_user
    assert latest.history_type == "~"
    delta = latest.diff_against(latest.prev_record)
    changed = {change.field: (change.old, change.new) for change in delta.changes}
    assert changed == {"is_active": (True, False), "contact_email": ("", "x@p.example")}


def test_key_creation_and_revocation_are_in_the_history(staff_client, staff_user, partner):
    created = staff_client.post(
        keys_url(partner), {"name": "k", "scopes": ["logistics:read"]}, format="json"
    ).json()
    staff_client.post(f"{keys_url(partner)}{created['id']}/revoke/")
    key = ApiKey.objects.get(pk=created["id"])
    kinds = [
        (h.history_type, h.history_user_id, h.revoked_at is not None)
        for h in key.history.order_by("history_id")
    ]
    assert kinds == [("+", staff_user.pk, False), ("~", staff_user.pk, True)]


def test_user_history_leaves_out_the_password_hash(staff_client, partner):
    staff_client.post(
        users_url(partner),
        {"email": "h@carrier.example", "password": "Cold-chain-2026!"},
        format="json",
    )
    user = User.objects.get(email="h@carrier.example")
    record = user.history.latest()
    assert not hasattr(record, "password")
    assert record.partner_id == partner.pk


def test_history_is_visible_in_the_admin(staff_client, partner):
    staff_client.patch(f"{PARTNERS}{partner.pk}/", {"name": "Renamed Carrier"}, format="json")
    admin = factories.StaffUserFactory(staff_role="platform_admin", is_superuser=True)
    client = APIClient()
    client.force_login(admin)
    page = client.get(f"/admin/accounts/partner/{partner.pk}/history/")
    assert page.status_code == 200
    html = page.content.decode()
    assert staff_client.user.email in html
    assert "Renamed Carrier" in html
    for path in ("user", "apikey", "membership"):
        assert client.get(f"/admin/accounts/{path}/").status_code == 200


def test_enterprise_users_list_the_partners_they_can_name(enterprise_client, partner):
    firm = factories.PartnerFactory(kind="law_firm", contact_email="desk@firm.example")
    factories.PartnerFactory(kind="law_firm", is_active=False)
    response = enterprise_client.get("/api/v1/partners/directory/", {"kind": "law_firm"})
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": firm.pk,
            "name": firm.name,
            "name_zh": firm.name_zh,
            "kind": "law_firm",
            "country": firm.country,
        }
    ]
    carriers = enterprise_client.get("/api/v1/partners/directory/", {"kind": "carrier"})
    assert [row["id"] for row in carriers.json()["results"]] == [partner.pk]


def test_partners_do_not_read_the_partner_directory(partner_person_client):
    response = partner_person_client.get("/api/v1/partners/directory/")
    assert response.status_code == 403
