"""The exporter's shipment list and shipment page (journey 6b): what a person sees, the forms
calling the API's services, the htmx row of an excursion, the EPCIS file."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from logistics.models import Shipment, TrackingEvent
from tests import factories

from .factories import ExcursionFactory, ShipmentFactory, reading

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(enterprise_user):
    enterprise_user.language = "en"
    enterprise_user.save(update_fields=["language"])
    return enterprise_user


@pytest.fixture
def browser(client, person):
    client.force_login(person)
    return client


@pytest.fixture
def travelled(enterprise):
    shipment = ShipmentFactory(enterprise=enterprise, reference="XJ-2026-007", status="in_transit")
    TrackingEvent.objects.create(
        shipment=shipment,
        milestone="picked_up",
        occurred_at=timezone.now() - timedelta(hours=6),
        source="carrier",
        note="Loaded at Xinjin",
    )
    for minutes, temp in [(300, 5.0), (200, 9.5), (100, 6.0), (30, 6.5)]:
        reading(shipment, minutes_ago=minutes, temp=temp)
    summary = shipment.summary
    summary.reading_count = 4
    summary.in_band_count = 3
    summary.temp_sum = 27.0
    summary.arrhenius_sum = 4e-10
    summary.temp_min_c, summary.temp_max_c = 5.0, 9.5
    summary.first_reading_at = timezone.now() - timedelta(minutes=300)
    summary.last_reading_at = timezone.now() - timedelta(minutes=30)
    summary.last_temp_c = 6.5
    summary.save()
    return shipment


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the list ----------------------------------------------------------------------------------


def test_the_list_shows_the_enterprises_shipments_with_a_count_and_never_anothers(
    browser, enterprise, other_enterprise
):
    ShipmentFactory(enterprise=enterprise, reference="XJ-1")
    ShipmentFactory(enterprise=enterprise, reference="XJ-2", status="in_transit")
    ShipmentFactory(enterprise=other_enterprise, reference="OTHER-1")
    html = html_of(browser.get(reverse("portal:shipments")))
    assert "XJ-1" in html and "XJ-2" in html and "OTHER-1" not in html
    assert "2 shipments" in html
    assert reverse("portal:shipment-new") in html
    assert 'data-label="Status"' in html


def test_the_list_filters_by_status_and_searches_by_reference(browser, enterprise):
    ShipmentFactory(enterprise=enterprise, reference="XJ-1")
    ShipmentFactory(enterprise=enterprise, reference="XJ-2", status="in_transit")
    html = html_of(browser.get(reverse("portal:shipments"), {"status": "in_transit"}))
    assert "XJ-2" in html and "XJ-1" not in html and "1 shipment" in html
    html = html_of(browser.get(reverse("portal:shipments"), {"q": "xj-1"}))
    assert "XJ-1" in html and "XJ-2" not in html


def test_a_status_that_is_no_choice_is_said_at_its_field_and_ignored(browser, enterprise):
    ShipmentFactory(enterprise=enterprise, reference="XJ-1")
    html = html_of(browser.get(reverse("portal:shipments"), {"status": "lost"}))
    assert "Select a valid choice" in html and "XJ-1" in html


def test_an_empty_list_says_what_to_do(browser):
    html = html_of(browser.get(reverse("portal:shipments")))
    assert "No shipments yet" in html


# --- the shipment page --------------------------------------------------------------------------


def test_the_page_shows_status_last_reading_milestones_chart_and_excursion(browser, travelled):
    excursion = ExcursionFactory(shipment=travelled, peak_c=9.5)
    html = html_of(browser.get(reverse("portal:shipment", args=[travelled.pk])))
    assert "Shipment XJ-2026-007" in html
    assert "In transit" in html
    assert "6.5 °C" in html and "Within the band" in html
    assert "Loaded at Xinjin" in html and 'data-milestone="picked_up"' in html
    assert 'id="chart"' in html and 'rect class="excursion' in html
    assert 'id="chart-description"' in html and "with 1 excursion" in html
    assert f'id="excursion-{excursion.pk}"' in html and "9.5 °C" in html
    assert travelled.tracking_token in html
    assert reverse("portal:shipment-epcis", args=[travelled.pk]) in html


def test_the_page_of_a_booked_shipment_without_readings_says_so(browser, enterprise):
    shipment = ShipmentFactory(enterprise=enterprise)
    html = html_of(browser.get(reverse("portal:shipment", args=[shipment.pk])))
    assert "No temperature readings yet." in html and "No milestones yet" in html


def test_another_enterprises_shipment_is_not_found(browser, other_enterprise):
    theirs = ShipmentFactory(enterprise=other_enterprise)
    assert browser.get(reverse("portal:shipment", args=[theirs.pk])).status_code == 404
    assert browser.get(reverse("portal:shipment-epcis", args=[theirs.pk])).status_code == 404


# --- acknowledging an excursion -----------------------------------------------------------------


def acknowledge_url(excursion) -> str:
    return reverse(
        "portal:shipment-excursion-acknowledge", args=[excursion.shipment_id, excursion.pk]
    )


def test_acknowledging_with_htmx_swaps_the_row_and_the_service_writes(browser, travelled, person):
    excursion = ExcursionFactory(shipment=travelled)
    response = browser.post(
        acknowledge_url(excursion),
        {f"x{excursion.pk}-comment": "Reefer reset, load checked"},
        HTTP_HX_REQUEST="true",
    )
    html = html_of(response)
    assert html.startswith("<tr") and f'id="excursion-{excursion.pk}"' in html
    assert "Acknowledged by" in html and "Reefer reset, load checked" in html
    excursion.refresh_from_db()
    assert excursion.acknowledged_by == person
    assert excursion.acknowledgement_comment == "Reefer reset, load checked"


def test_acknowledging_without_javascript_returns_to_the_shipment(browser, travelled):
    excursion = ExcursionFactory(shipment=travelled)
    response = browser.post(acknowledge_url(excursion), {f"x{excursion.pk}-comment": "Checked"})
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/portal/shipments/{travelled.pk}/#excursion-{excursion.pk}"
    )
    excursion.refresh_from_db()
    assert excursion.acknowledged_at is not None


@pytest.mark.parametrize(
    "language, message",
    [("en", "This field is required."), ("zh-hans", "该字段是必填项。")],
)
def test_an_empty_comment_is_refused_at_the_field(browser, travelled, person, language, message):
    person.language = language
    person.save(update_fields=["language"])
    excursion = ExcursionFactory(shipment=travelled)
    html = html_of(
        browser.post(
            acknowledge_url(excursion), {f"x{excursion.pk}-comment": "  "}, HTTP_HX_REQUEST="true"
        )
    )
    assert f'id="id_x{excursion.pk}-comment_error"' in html and message in html
    html = html_of(browser.post(acknowledge_url(excursion), {f"x{excursion.pk}-comment": ""}))
    assert "error-summary" in html and message in html
    excursion.refresh_from_db()
    assert excursion.acknowledged_at is None


def test_the_services_refusal_lands_at_the_field(browser, travelled, monkeypatch):
    from agri_platform.api.errors import ValidationFailed
    from logistics.pages import shipment as pages

    def refusing(**kwargs):
        raise ValidationFailed("An acknowledgement needs a comment.", field="comment")

    monkeypatch.setattr(pages, "excursion_acknowledge", refusing)
    excursion = ExcursionFactory(shipment=travelled)
    html = html_of(
        browser.post(
            acknowledge_url(excursion), {f"x{excursion.pk}-comment": "x"}, HTTP_HX_REQUEST="true"
        )
    )
    assert f'id="id_x{excursion.pk}-comment_error"' in html
    assert "An acknowledgement needs a comment." in html


def test_an_acknowledged_excursion_cannot_be_acknowledged_twice(browser, travelled):
    excursion = ExcursionFactory(shipment=travelled)
    url = acknowledge_url(excursion)
    browser.post(url, {f"x{excursion.pk}-comment": "Checked"})
    html = html_of(browser.post(url, {f"x{excursion.pk}-comment": "Again"}))
    assert "This excursion was acknowledged on" in html
    excursion.refresh_from_db()
    assert excursion.acknowledgement_comment == "Checked"


# --- the tracking link and the EPCIS file --------------------------------------------------------


def test_issuing_a_new_tracking_link_calls_the_service(browser, travelled):
    old = travelled.tracking_token
    url = reverse("portal:shipment-tracking-link", args=[travelled.pk])
    assert "Issue a new link" in html_of(browser.get(url))
    response = browser.post(url)
    assert response.status_code == 302
    travelled.refresh_from_db()
    assert travelled.tracking_token != old
    html = html_of(browser.get(response["Location"]))
    assert travelled.tracking_token in html and old not in html
    assert "the old one no longer works" in html


def test_a_carriers_person_cannot_issue_a_new_link(client, travelled):
    # The service's rule: only the enterprise's side may; the carrier's user has no portal page.
    carrier_user = factories.UserFactory(partner=travelled.carrier)
    client.force_login(carrier_user)
    url = reverse("portal:shipment-tracking-link", args=[travelled.pk])
    assert client.post(url).status_code == 403
    assert Shipment.objects.get(pk=travelled.pk).tracking_token == travelled.tracking_token


def test_the_epcis_file_is_the_apis_document(browser, travelled, enterprise_client):
    response = browser.get(reverse("portal:shipment-epcis", args=[travelled.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Content-Disposition"] == 'attachment; filename="XJ-2026-007-epcis.jsonld"'
    api = enterprise_client.get(f"/api/v1/shipments/{travelled.pk}/epcis/")
    document, expected = json.loads(response.content), api.json()
    document.pop("creationDate", None), expected.pop("creationDate", None)
    assert document == expected
