"""The portal's booking pages: the form calls shipment_create, documents document_add, the gate is
dispatch's own check, dispatch and cancel the API's services; errors land on their fields."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from agri_platform.accounts.choices import PartnerKind
from agri_platform.events.models import Event
from logistics.models import Shipment
from logistics.pages.booking import documents_and_dispatch
from tests import factories
from tests.certification.factories import MarketRequirementFactory

from .factories import PDF, ShipmentDocumentFactory, ShipmentFactory, booking_places

pytestmark = pytest.mark.django_db

NEW = "/portal/shipments/new/"


@pytest.fixture
def places(db):
    return booking_places()


@pytest.fixture
def member(enterprise_user, client):
    enterprise_user.language = "en"
    enterprise_user.save(update_fields=["language"])
    client.force_login(enterprise_user)
    return enterprise_user


@pytest.fixture
def chinese(member):
    member.language = "zh-hans"
    member.save(update_fields=["language"])
    return member


def booking_data(carrier, *items, **overrides) -> dict:
    data = {
        "reference": "XJ-2026-014",
        "consignee_name": "Pasar Borong Selayang",
        "origin": "CNCTU",
        "destination_search": "",
        "destination": "MYKUL",
        "consignee_country": "",
        "carrier": carrier.pk,
        "transport_mode": "reefer_truck",
        "route": "",
        "incoterm": "CIF",
        "planned_departure": "2026-01-12T08:00",
        "planned_arrival": "2026-01-17T18:00",
        "excursion_delay_minutes": "15",
        "excursion_mode": "consecutive",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "50",
    }
    for index, (product, quantity, unit) in enumerate(items):
        data |= {
            f"items-{index}-product": product.pk if product else "",
            f"items-{index}-quantity": quantity,
            f"items-{index}-unit": unit,
            f"items-{index}-packages": "100",
            f"items-{index}-declared_value": "8000.00",
            f"items-{index}-currency": "USD",
        }
    data.update(overrides)
    return data


def test_the_form_offers_carriers_and_the_enterprises_own_products(
    client, member, enterprise, partner, places
):
    factories.PartnerFactory(kind=PartnerKind.BANK, name="Bank of Chengdu")
    factories.ProductFactory(enterprise=enterprise, name_en="Ai Yuan mandarin")
    factories.ProductFactory(name_en="Someone else's kiwi")
    page = client.get(NEW).content.decode()
    assert partner.name in page and "Bank of Chengdu" not in page
    assert "Ai Yuan mandarin" in page and "Someone else" not in page
    assert 'hx-get="/portal/shipments/new/band/"' in page
    assert 'hx-get="/portal/shipments/new/places/"' in page


def test_booking_calls_the_service_and_says_what_dispatch_still_needs(
    client, member, enterprise, partner, places
):
    product = factories.ProductFactory(enterprise=enterprise, temp_min_c=4, temp_max_c=8)
    MarketRequirementFactory(scheme=None, document_type="phytosanitary")
    response = client.post(NEW, booking_data(partner, (product, "1000", "kg")), follow=True)
    shipment = Shipment.objects.get()
    assert response.redirect_chain[-1][0] == f"/portal/shipments/{shipment.pk}/"
    assert (shipment.enterprise, shipment.booked_by, shipment.reference) == (
        enterprise,
        member,
        "XJ-2026-014",
    )
    assert shipment.consignee_country_id == "MY"  # the destination's, left empty
    assert (shipment.temp_min_c, shipment.temp_max_c) == (Decimal("4.0"), Decimal("8.0"))
    assert Event.objects.filter(kind="shipment.booked", subject_id=str(shipment.pk)).exists()
    page = response.content.decode()
    assert "XJ-2026-014" in page and "Phytosanitary certificate" in page


def test_weights_in_jin_reach_the_service_and_are_stored_in_kg(
    client, member, enterprise, partner, places
):
    product = factories.ProductFactory(enterprise=enterprise)
    client.post(NEW, booking_data(partner, (product, "2400", "jin")))
    assert Shipment.objects.get().items.get().net_kg == Decimal("1200.000")


def test_clashing_bands_are_explained_and_nothing_is_booked(
    client, chinese, enterprise, partner, places
):
    mandarin = factories.ProductFactory(enterprise=enterprise, temp_min_c=4, temp_max_c=8)
    caviar = factories.ProductFactory(
        enterprise=enterprise, name_en="Sturgeon caviar", temp_min_c=-2, temp_max_c=2
    )
    data = booking_data(partner, (mandarin, "10", "kg"), (caviar, "5", "kg"))
    response = client.post(NEW, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "温区没有重叠" in page
    assert "这些产品不能同车运输" in page
    assert not Shipment.objects.exists()


def test_the_band_follows_the_products_chosen(client, member, enterprise, places):
    mandarin = factories.ProductFactory(enterprise=enterprise, temp_min_c=4, temp_max_c=8)
    orange = factories.ProductFactory(enterprise=enterprise, temp_min_c=3, temp_max_c=7)
    caviar = factories.ProductFactory(enterprise=enterprise, temp_min_c=-2, temp_max_c=2)
    band = reverse("portal:shipment-new-band")
    page = client.get(
        band, {"items-0-product": mandarin.pk, "items-1-product": orange.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "4.0 to 7.0 °C" in page
    page = client.get(
        band, {"items-0-product": mandarin.pk, "items-1-product": caviar.pk}
    ).content.decode()
    assert "cannot travel together" in page and "do not overlap" in page
    theirs = factories.ProductFactory(temp_min_c=-20, temp_max_c=-18)
    page = client.get(band, {"items-0-product": theirs.pk}).content.decode()
    assert "Choose the products" in page


def test_places_are_found_by_code_or_name(client, member, places):
    url = reverse("portal:shipment-new-places")
    page = client.get(url, {"destination_search": "kuala"}).content.decode()
    assert 'value="MYKUL"' in page and "checked" in page
    page = client.get(url, {"destination_search": "mykul"}).content.decode()
    assert 'value="MYKUL"' in page
    page = client.get(url, {"destination_search": "atlantis"}).content.decode()
    assert "No place matches" in page


def test_a_search_finding_one_place_chooses_it_without_javascript(
    client, member, enterprise, partner, places
):
    product = factories.ProductFactory(enterprise=enterprise)
    data = booking_data(partner, (product, "10", "kg"), destination="", destination_search="Kuala")
    client.post(NEW, data)
    assert Shipment.objects.get().destination_id == "MYKUL"


@pytest.mark.parametrize(
    ("language", "search", "message"),
    [
        ("en", "atlantis", "No place matches “atlantis”"),
        ("zh-hans", "atlantis", "没有与“atlantis”匹配的地点"),
        ("en", "", "Type the destination's UN/LOCODE or name"),
    ],
)
def test_a_destination_not_found_is_said_at_the_search_field(
    client, member, enterprise, partner, places, language, search, message
):
    member.language = language
    member.save(update_fields=["language"])
    product = factories.ProductFactory(enterprise=enterprise)
    data = booking_data(partner, (product, "10", "kg"), destination="", destination_search=search)
    response = client.post(NEW, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in form.errors["destination_search"][0]
    assert not Shipment.objects.exists()


def test_an_item_without_weight_is_an_error_at_its_field(
    client, member, enterprise, partner, places
):
    product = factories.ProductFactory(enterprise=enterprise)
    response = client.post(NEW, booking_data(partner, (product, "", "kg")))
    items = response.context["items"]
    assert items.forms[0].errors["quantity"]
    page = response.content.decode()
    assert 'href="#id_items-0-quantity"' in page
    assert not Shipment.objects.exists()


def test_a_refusal_of_the_service_is_shown_at_its_field(
    client, member, enterprise, partner, places
):
    product = factories.ProductFactory(enterprise=enterprise)
    ShipmentFactory(enterprise=enterprise, reference="XJ-2026-014")
    response = client.post(NEW, booking_data(partner, (product, "10", "kg")))
    assert response.context["form"].errors["reference"] == [
        "This enterprise already has a shipment with this reference."
    ]


def test_adding_a_product_keeps_what_was_typed(client, member, enterprise, partner, places):
    product = factories.ProductFactory(enterprise=enterprise)
    data = booking_data(partner, (product, "10", "jin"), add_item="1")
    response = client.post(NEW, data)
    items = response.context["items"]
    assert len(items.forms) == 2
    assert items.forms[0]["unit"].value() == "jin"
    assert not response.context["form"].is_bound  # nothing checked yet: no errors shown
    assert "error-summary" not in response.content.decode()
    assert not Shipment.objects.exists()


# --- documents, the gate, dispatch, cancel ------------------------------------------------------


@pytest.fixture
def shipment(enterprise, partner):
    return ShipmentFactory(enterprise=enterprise, carrier=partner)


def test_upload_a_document_through_the_service(client, member, shipment):
    url = reverse("portal:shipment-documents", kwargs={"pk": shipment.pk})
    response = client.post(
        url,
        {"doc_type": "phytosanitary", "number": "PH-1", "file": SimpleUploadedFile("p.pdf", PDF)},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/portal/shipments/{shipment.pk}/#documents"
    document = shipment.documents.get()
    assert (document.doc_type, document.uploaded_by, document.content_type) == (
        "phytosanitary",
        member,
        "application/pdf",
    )


def test_a_file_that_is_not_a_document_is_refused_at_the_file_field(client, member, shipment):
    url = reverse("portal:shipment-documents", kwargs={"pk": shipment.pk})
    response = client.post(
        url, {"doc_type": "packing_list", "file": SimpleUploadedFile("x.pdf", b"MZ\x90 nope")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not shipment.documents.exists()


def test_dispatch_refused_while_something_is_missing(client, member, shipment):
    MarketRequirementFactory(scheme=None, document_type="phytosanitary")
    url = reverse("portal:shipment-dispatch", kwargs={"pk": shipment.pk})
    page = client.get(url).content.decode()
    assert "Phytosanitary certificate" in page and "Missing" in page
    response = client.post(url)
    assert response.status_code == 200
    assert "not ready to dispatch" in response.content.decode()
    shipment.refresh_from_db()
    assert shipment.status == "booked"


def test_dispatch_once_the_document_is_there(client, member, shipment):
    MarketRequirementFactory(scheme=None, document_type="phytosanitary")
    ShipmentDocumentFactory(shipment=shipment, doc_type="phytosanitary")
    response = client.post(reverse("portal:shipment-dispatch", kwargs={"pk": shipment.pk}))
    assert response.status_code == 302
    shipment.refresh_from_db()
    assert shipment.status == "in_transit" and shipment.dispatched_by == member
    assert Event.objects.filter(kind="shipment.dispatched").count() == 1


def test_cancel_with_a_reason(client, member, shipment):
    url = reverse("portal:shipment-cancel", kwargs={"pk": shipment.pk})
    assert "cannot be undone" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Order withdrawn"})
    assert response.status_code == 302
    shipment.refresh_from_db()
    assert shipment.status == "cancelled"
    assert Event.objects.get(kind="shipment.cancelled").payload["reason"] == "Order withdrawn"
    again = client.post(reverse("portal:shipment-dispatch", kwargs={"pk": shipment.pk}))
    assert again.status_code == 200 and shipment.reference in again.content.decode()


def test_another_enterprises_shipment_is_not_found(client, member, other_enterprise):
    theirs = ShipmentFactory(enterprise=other_enterprise)
    for name in ("shipment-documents", "shipment-dispatch", "shipment-cancel"):
        url = reverse(f"portal:{name}", kwargs={"pk": theirs.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "booked"


def test_the_panel_lists_documents_the_gate_and_the_actions(member, shipment):
    MarketRequirementFactory(scheme=None, document_type="phytosanitary")
    ShipmentDocumentFactory(shipment=shipment, doc_type="commercial_invoice")
    request = RequestFactory().get(f"/portal/shipments/{shipment.pk}/")
    request.user = member
    context = documents_and_dispatch(request, shipment)
    assert [d.doc_type for d in context["documents"]] == ["commercial_invoice"]
    assert context["gate"]["ready"] is False
    assert context["can_dispatch"] and context["can_cancel"]
    html = render_to_string("logistics/portal/_documents_and_dispatch.html", context)
    assert f"/api/v1/shipments/{shipment.pk}/documents/" in html  # the download
    assert f"/portal/shipments/{shipment.pk}/documents/?doc_type=phytosanitary" in html
    assert "data-confirm" in html
    assert "button--primary" not in html  # no dispatch while something is missing
