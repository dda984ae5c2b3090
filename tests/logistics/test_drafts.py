"""Shipment drafts: opened with the readiness snapshot for the destination market, read and
discarded through the API and the portal, booked from the booking page (the draft is linked)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agri_platform.events.models import Event
from logistics.models import Shipment, ShipmentDraft
from logistics.services.drafts import shipment_draft_discard, shipment_draft_open
from tests import factories
from tests.certification.factories import (
    CertificateFactory,
    MarketRequirementFactory,
    SchemeFactory,
)

from .factories import booking, booking_places
from .test_portal_booking import booking_data

pytestmark = pytest.mark.django_db

DRAFTS = "/api/v1/shipments/drafts/"


@pytest.fixture
def malaysia(db):
    return booking_places()


@pytest.fixture
def citrus(enterprise):
    return factories.ProductFactory(
        enterprise=enterprise, name_en="Danling late citrus", temp_min_c=4, temp_max_c=8
    )


@pytest.fixture
def requirements(db):
    """Malaysia asks for a certificate (GAP) and a phytosanitary certificate with each shipment."""
    gap = SchemeFactory(code="GAPTEST", name_en="Good agricultural practice")
    MarketRequirementFactory(scheme=gap)
    MarketRequirementFactory(scheme=None, document_type="phytosanitary")
    return gap


def open_draft(enterprise, product, *, actor=None, **overrides) -> ShipmentDraft:
    fields = {
        "actor": actor,
        "enterprise": enterprise,
        "source": "Quote #7",
        "consignee_name": "Kedai Buah Segar Sdn Bhd",
        "consignee_country": factories.country("MY", "Malaysia"),
        "destination": factories.location("MYKUL", "Kuala Lumpur"),
        "incoterm": "CIF",
        "ready_by": date(2027, 3, 10),
        "items": [
            {
                "product": product,
                "net_kg": Decimal("2000"),
                "packages": 200,
                "declared_value": Decimal("6400.00"),
                "currency": factories.currency("USD"),
            }
        ],
    }
    return shipment_draft_open(**{**fields, **overrides})


# --- the service ---------------------------------------------------------------------------------


def test_opening_stores_the_readiness_for_the_destinations_country(
    enterprise, citrus, malaysia, requirements, enterprise_user
):
    draft = open_draft(enterprise, citrus, actor=enterprise_user)
    by_code = {entry["code"]: entry for entry in draft.readiness}
    assert set(by_code) == {"GAPTEST", "phytosanitary"}
    assert by_code["GAPTEST"]["met"] is False and by_code["GAPTEST"]["blocks_dispatch"] is True
    assert by_code["GAPTEST"]["why"]
    assert by_code["phytosanitary"]["kind"] == "document"
    assert draft.readiness_checked_at is not None
    assert draft.items.get().net_kg == Decimal("2000")
    event = Event.objects.get(kind="shipment.draft_opened")
    assert event.payload == {
        "shipment_draft_id": draft.pk,
        "enterprise_id": enterprise.pk,
        "destination": "MYKUL",
        "source": "Quote #7",
        "ready": False,
    }


def test_a_held_certificate_is_met_and_without_blocking_rules_the_draft_is_ready(
    enterprise, citrus, malaysia, requirements
):
    CertificateFactory(enterprise=enterprise, scheme=requirements)
    draft = open_draft(enterprise, citrus)
    gap = next(entry for entry in draft.readiness if entry["code"] == "GAPTEST")
    assert gap["met"] is True and gap["blocks_dispatch"] is False
    # the phytosanitary certificate travels with the shipment: missing until it is uploaded
    assert Event.objects.get(kind="shipment.draft_opened").payload["ready"] is False


def test_no_requirement_means_ready(enterprise, citrus, malaysia):
    draft = open_draft(enterprise, citrus)
    assert draft.readiness == []
    assert Event.objects.get(kind="shipment.draft_opened").payload["ready"] is True


def test_another_enterprises_product_is_refused_and_nothing_is_written(
    enterprise, other_enterprise, malaysia
):
    theirs = factories.ProductFactory(enterprise=other_enterprise)
    with pytest.raises(Exception) as refused:
        open_draft(enterprise, theirs)
    assert getattr(refused.value, "status_code", None) == 400
    assert not ShipmentDraft.objects.exists()


def test_discard_once_then_409(enterprise, citrus, malaysia, enterprise_user):
    draft = open_draft(enterprise, citrus)
    shipment_draft_discard(actor=enterprise_user, draft=draft)
    draft.refresh_from_db()
    assert draft.discarded_at is not None
    with pytest.raises(Exception) as refused:
        shipment_draft_discard(actor=enterprise_user, draft=draft)
    assert refused.value.status_code == 409


# --- the API -------------------------------------------------------------------------------------


def test_members_list_and_read_their_drafts(enterprise_client, enterprise, citrus, malaysia):
    draft = open_draft(enterprise, citrus)
    listed = enterprise_client.get(DRAFTS)
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [draft.pk]
    shown = enterprise_client.get(reverse("shipment-draft-detail", kwargs={"pk": draft.pk})).json()
    assert shown["state"] == "open" and shown["destination"] == "MYKUL"
    assert shown["allowed_actions"] == ["discard", "book"]
    assert shown["items"][0]["product"] == citrus.pk


def test_another_tenant_gets_a_404_and_an_empty_list(
    other_enterprise_client, enterprise, citrus, malaysia
):
    draft = open_draft(enterprise, citrus)
    assert other_enterprise_client.get(DRAFTS).json()["results"] == []
    assert other_enterprise_client.get(f"{DRAFTS}{draft.pk}/").status_code == 404
    assert other_enterprise_client.post(f"{DRAFTS}{draft.pk}/discard/").status_code == 404


def test_staff_read_every_draft(staff_client, enterprise, citrus, malaysia):
    draft = open_draft(enterprise, citrus)
    assert staff_client.get(f"{DRAFTS}{draft.pk}/").json()["allowed_actions"] == []


def test_discard_through_the_api(enterprise_client, enterprise, citrus, malaysia):
    draft = open_draft(enterprise, citrus)
    answer = enterprise_client.post(f"{DRAFTS}{draft.pk}/discard/")
    assert answer.status_code == 200 and answer.json()["state"] == "discarded"
    again = enterprise_client.post(f"{DRAFTS}{draft.pk}/discard/")
    assert again.status_code == 409


def test_the_list_does_not_grow_in_queries(enterprise_client, enterprise, citrus, malaysia):
    open_draft(enterprise, citrus)
    with CaptureQueriesContext(connection) as one:
        enterprise_client.get(DRAFTS)
    for _ in range(4):
        open_draft(enterprise, citrus)
    with CaptureQueriesContext(connection) as five:
        assert len(enterprise_client.get(DRAFTS).json()["results"]) == 5
    assert len(five) <= len(one)


def test_booking_through_the_api_links_the_draft(
    enterprise_client, enterprise, citrus, malaysia, partner
):
    draft = open_draft(enterprise, citrus)
    answer = enterprise_client.post(
        "/api/v1/shipments/", booking(enterprise, partner, citrus, draft=draft.pk), format="json"
    )
    assert answer.status_code == 201, answer.json()
    draft.refresh_from_db()
    assert draft.shipment_id == answer.json()["id"]
    again = enterprise_client.post(
        "/api/v1/shipments/",
        booking(enterprise, partner, citrus, draft=draft.pk, reference="BY-2026-002"),
        format="json",
    )
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "draft"


def test_booking_with_another_tenants_draft_is_an_unknown_id(
    other_enterprise_client, other_enterprise, enterprise, citrus, malaysia, partner
):
    draft = open_draft(enterprise, citrus)
    theirs = factories.ProductFactory(enterprise=other_enterprise)
    answer = other_enterprise_client.post(
        "/api/v1/shipments/",
        booking(other_enterprise, partner, theirs, draft=draft.pk),
        format="json",
    )
    assert answer.status_code == 400
    assert not Shipment.objects.exists()


# --- the portal ----------------------------------------------------------------------------------


@pytest.fixture
def member(enterprise_user, client):
    enterprise_user.language = "en"
    enterprise_user.save(update_fields=["language"])
    client.force_login(enterprise_user)
    return enterprise_user


def test_the_draft_page_shows_the_readiness_and_what_to_do(
    client, member, enterprise, citrus, malaysia, requirements
):
    draft = open_draft(enterprise, citrus)
    page = client.get(reverse("portal:shipment-draft", kwargs={"pk": draft.pk})).content.decode()
    assert "Kedai Buah Segar Sdn Bhd" in page and "Quote #7" in page
    assert "Not ready for Malaysia yet" in page
    assert "Apply for Good agricultural practice" in page
    assert f"/portal/shipments/new/?draft={draft.pk}" in page
    again = client.get(reverse("portal:shipment-draft", kwargs={"pk": draft.pk}) + "?check=1")
    assert "Readiness now" in again.content.decode()


def test_the_shipments_list_shows_open_drafts_first(client, member, enterprise, citrus, malaysia):
    draft = open_draft(enterprise, citrus)
    page = client.get(reverse("portal:shipments")).content.decode()
    assert reverse("portal:shipment-draft", kwargs={"pk": draft.pk}) in page


def test_discard_from_the_page_asks_once(client, member, enterprise, citrus, malaysia):
    draft = open_draft(enterprise, citrus)
    url = reverse("portal:shipment-draft", kwargs={"pk": draft.pk})
    assert "Discard this draft?" in client.get(url + "?discard=1").content.decode()
    response = client.post(url)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.discarded_at is not None


def test_the_booking_page_is_prefilled_from_the_draft_and_booking_links_it(
    client, member, enterprise, citrus, malaysia, partner
):
    draft = open_draft(enterprise, citrus)
    url = f"{reverse('portal:shipment-new')}?draft={draft.pk}"
    page = client.get(url).content.decode()
    assert 'value="Kedai Buah Segar Sdn Bhd"' in page and "2000" in page
    data = booking_data(partner, (citrus, "2000", "kg"), consignee_name=draft.consignee_name)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.shipment == Shipment.objects.get()


def test_someone_elses_draft_is_a_404_on_the_booking_page(
    client, member, other_enterprise, malaysia
):
    theirs = open_draft(other_enterprise, factories.ProductFactory(enterprise=other_enterprise))
    url = f"{reverse('portal:shipment-new')}?draft={theirs.pk}"
    assert client.get(url).status_code == 404
    assert client.get(reverse("portal:shipment-draft", kwargs={"pk": theirs.pk})).status_code == 404
