"""Buyer accounts: registration, the staff's verification, the profile, who sees which buyer, and
the cap on a pending buyer's open inquiries."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from agri_platform.accounts.choices import PartnerKind
from agri_platform.api.errors import Conflict, PermissionDenied, TransitionNotAllowed
from agri_platform.events.models import Event
from tests import factories
from tests.accounts.mailbox import confirm_email, link_in_last_email
from tests.conftest import client_for, client_for_key
from tests.trade.factories import BuyerFactory, InquiryFactory, buyer_person
from trade.choices import BuyerStatus, InquiryStatus
from trade.models import Buyer
from trade.services import buyers as services

pytestmark = pytest.mark.django_db

BUYERS = "/api/v1/buyers/"
REGISTER = "/api/v1/buyers/register/"


def registration(**overrides) -> dict:
    factories.country("SG", "Singapore")
    return {
        "email": "Chef@LionCity.example.sg",
        "password": "Correct-Horse-Battery-9",
        "full_name": "Tan Mei Ling",
        "company": "Lion City Sichuan Kitchen Pte Ltd",
        "country": "sg",
        "kind": "restaurant",
        "city": "Singapore",
        "website": "https://lioncity.example.sg",
        **overrides,
    }


def events_of(kind: str):
    return list(Event.objects.filter(kind=kind))


# --- registration ---------------------------------------------------------------------------------


def register(capture, **overrides):
    with capture(execute=True):
        return APIClient().post(REGISTER, registration(**overrides), format="json")


def test_register_creates_person_partner_and_pending_buyer_and_emails_the_link(
    eager_tasks, django_capture_on_commit_callbacks
):
    response = register(django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["country"] == "SG"
    assert body["name"] == "Lion City Sichuan Kitchen Pte Ltd"
    assert body["allowed_actions"] == []
    buyer = Buyer.objects.get(pk=body["id"])
    assert buyer.partner.kind == PartnerKind.BUYER
    person = buyer.partner.users.get()
    assert person.email == "chef@lioncity.example.sg"
    assert person.email_confirmed_at is None
    assert link_in_last_email(person.email, "confirm-email")
    (event,) = events_of("buyer.registered")
    assert event.payload == {
        "buyer_id": buyer.pk,
        "partner_id": buyer.partner_id,
        "name": "Lion City Sichuan Kitchen Pte Ltd",
        "country": "SG",
        "buyer_kind": "restaurant",
        "status": "pending",
    }
    assert list(event.partners.all()) == [buyer.partner]


def test_confirmed_person_reads_own_buyer_from_me(eager_tasks, django_capture_on_commit_callbacks):
    register(django_capture_on_commit_callbacks)
    confirm_email(APIClient(), "chef@lioncity.example.sg")
    person = Buyer.objects.get().partner.users.get()
    person.refresh_from_db()
    assert person.email_confirmed_at is not None
    me = client_for(person).get(f"{BUYERS}me/")
    assert me.status_code == 200
    assert me.json()["kind"] == "restaurant"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"kind": "smuggler"}, "kind"),
        ({"password": "12345678"}, "password"),
        ({"company": ""}, "company"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_bad_registration_names_the_field_and_writes_nothing(overrides, field):
    response = APIClient().post(REGISTER, registration(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.content.decode()
    assert not Buyer.objects.exists()
    assert not mail.outbox


def test_company_name_taken_is_a_conflict_naming_company():
    APIClient().post(REGISTER, registration(), format="json")
    again = registration(email="other@example.sg", company="lion city sichuan kitchen pte ltd")
    response = APIClient().post(REGISTER, again, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "company_taken"
    assert Buyer.objects.count() == 1


def test_email_taken_is_a_conflict_and_leaves_no_partner():
    factories.UserFactory(email="chef@lioncity.example.sg")
    response = APIClient().post(REGISTER, registration(), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"
    assert not Buyer.objects.exists()


# --- verification ---------------------------------------------------------------------------------


def test_reviewer_verifies_and_the_event_goes_to_the_buyer(reviewer_client):
    buyer = BuyerFactory(status=BuyerStatus.PENDING)
    response = reviewer_client.post(f"{BUYERS}{buyer.pk}/verify/")
    assert response.status_code == 200
    assert response.json()["status"] == "verified"
    assert response.json()["allowed_actions"] == ["suspend"]
    (event,) = events_of("buyer.verified")
    assert event.payload["status"] == "verified"
    assert list(event.partners.all()) == [buyer.partner]


def test_reject_needs_a_reason_and_records_it(officer_client):
    buyer = BuyerFactory(status=BuyerStatus.PENDING)
    missing = officer_client.post(f"{BUYERS}{buyer.pk}/reject/", {}, format="json")
    assert missing.status_code == 400
    assert "reason" in missing.content.decode()
    response = officer_client.post(
        f"{BUYERS}{buyer.pk}/reject/", {"reason": "No trace of the company."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status_reason"] == "No trace of the company."
    (event,) = events_of("buyer.rejected")
    assert event.payload["reason"] == "No trace of the company."


def test_suspend_then_reinstate(reviewer_client):
    buyer = BuyerFactory()
    suspended = reviewer_client.post(
        f"{BUYERS}{buyer.pk}/suspend/", {"reason": "Spam inquiries."}, format="json"
    )
    assert suspended.json()["status"] == "suspended"
    assert events_of("buyer.suspended")[0].payload["reason"] == "Spam inquiries."
    reinstated = reviewer_client.post(f"{BUYERS}{buyer.pk}/reinstate/")
    assert reinstated.json()["status"] == "verified"
    assert reinstated.json()["status_reason"] == ""


def test_forbidden_transition_is_409(reviewer_client):
    buyer = BuyerFactory()
    response = reviewer_client.post(f"{BUYERS}{buyer.pk}/reinstate/")
    assert response.status_code == 409
    assert response.json()["allowed_actions"] == ["suspend"]


def test_buyer_cannot_verify_itself():
    buyer = BuyerFactory(status=BuyerStatus.PENDING)
    client = client_for(buyer_person(buyer))
    response = client.post(f"{BUYERS}{buyer.pk}/verify/")
    assert response.status_code == 403
    assert client.get(f"{BUYERS}{buyer.pk}/").json()["allowed_actions"] == []
    buyer.refresh_from_db()
    assert buyer.status == BuyerStatus.PENDING


def test_service_refuses_non_staff():
    buyer = BuyerFactory(status=BuyerStatus.PENDING)
    with pytest.raises(PermissionDenied):
        services.buyer_verify(actor=factories.UserFactory(), buyer=buyer)
    with pytest.raises(TransitionNotAllowed):
        services.buyer_reinstate(actor=factories.StaffUserFactory(), buyer=buyer)


# --- who sees which buyer -------------------------------------------------------------------------


def test_staff_list_filters_by_status_country_kind_and_search(staff_client):
    pending = BuyerFactory(status=BuyerStatus.PENDING, partner__country="SG", kind="hotel")
    BuyerFactory(partner__country="MY")
    assert [b["id"] for b in staff_client.get(BUYERS, {"status": "pending"}).json()["results"]] == [
        pending.pk
    ]
    assert [b["id"] for b in staff_client.get(BUYERS, {"country": "sg"}).json()["results"]] == [
        pending.pk
    ]
    assert [b["id"] for b in staff_client.get(BUYERS, {"kind": "hotel"}).json()["results"]] == [
        pending.pk
    ]
    found = staff_client.get(BUYERS, {"search": pending.partner.name}).json()["results"]
    assert [b["id"] for b in found] == [pending.pk]


def test_list_queries_do_not_grow_with_rows(staff_client, django_assert_max_num_queries):
    BuyerFactory.create_batch(3)
    with django_assert_max_num_queries(12) as few:
        staff_client.get(BUYERS)
    BuyerFactory.create_batch(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(BUYERS)


def test_buyer_sees_only_itself_and_enterprises_see_nobody(enterprise_client):
    mine, theirs = BuyerFactory(), BuyerFactory()
    client = client_for(buyer_person(mine))
    assert [b["id"] for b in client.get(BUYERS).json()["results"]] == [mine.pk]
    assert client.get(f"{BUYERS}{theirs.pk}/").status_code == 404
    InquiryFactory(buyer=mine)  # writing to someone does not open the buyer directory
    assert enterprise_client.get(BUYERS).json()["results"] == []
    assert enterprise_client.get(f"{BUYERS}{mine.pk}/").status_code == 404
    assert enterprise_client.get(f"{BUYERS}me/").status_code == 404


def test_buyer_key_reads_with_trade_read_and_patches_with_trade_write():
    buyer = BuyerFactory()
    reader = client_for_key(buyer.partner, ["trade:read"])
    assert reader.get(f"{BUYERS}me/").json()["id"] == buyer.pk
    assert reader.patch(f"{BUYERS}me/", {"city": "Ipoh"}, format="json").status_code == 403
    writer = client_for_key(buyer.partner, ["trade:write"])
    response = writer.patch(f"{BUYERS}me/", {"city": "Ipoh"}, format="json")
    assert response.status_code == 200
    assert response.json()["city"] == "Ipoh"
    assert client_for_key(buyer.partner, ["legal:read"]).get(f"{BUYERS}me/").status_code == 403


def test_profile_patch_refuses_the_verified_name():
    buyer = BuyerFactory()
    client = client_for(buyer_person(buyer))
    response = client.patch(f"{BUYERS}me/", {"company": "Renamed"}, format="json")
    assert response.status_code == 400
    assert "company" in response.content.decode()
    response = client.patch(f"{BUYERS}me/", {"kind": "hotel", "website": ""}, format="json")
    assert response.json()["kind"] == "hotel"


def test_another_buyer_cannot_update_the_profile():
    buyer = BuyerFactory()
    with pytest.raises(PermissionDenied):
        services.buyer_profile_update(
            actor=buyer_person(BuyerFactory()), buyer=buyer, city="Elsewhere"
        )


# --- may the buyer send an inquiry? ---------------------------------------------------------------


def test_pending_buyer_may_have_three_open_inquiries(settings):
    settings.TRADE_PENDING_BUYER_OPEN_INQUIRIES = 3
    buyer = BuyerFactory(status=BuyerStatus.PENDING)
    InquiryFactory.create_batch(2, buyer=buyer)
    InquiryFactory(buyer=buyer, status=InquiryStatus.DECLINED)  # closed: does not count
    services.buyer_may_send(buyer)
    InquiryFactory(buyer=buyer, status=InquiryStatus.QUOTED)
    with pytest.raises(Conflict) as refusal:
        services.buyer_may_send(buyer)
    assert refusal.value.code == "pending_buyer_limit"
    buyer.status = BuyerStatus.VERIFIED
    services.buyer_may_send(buyer)


@pytest.mark.parametrize(
    ("status", "code"),
    [(BuyerStatus.REJECTED, "buyer_rejected"), (BuyerStatus.SUSPENDED, "buyer_suspended")],
)
def test_rejected_or_suspended_buyer_may_not_send(status, code):
    with pytest.raises(PermissionDenied) as refusal:
        services.buyer_may_send(BuyerFactory(status=status))
    assert refusal.value.code == code
