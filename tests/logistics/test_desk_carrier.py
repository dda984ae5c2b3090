"""The carrier's desk: the shipments assigned to the carrier, a shipment's page, posting a
milestone and uploading a telemetry CSV through the API's services."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from logistics.models import SensorReading, ShipmentItem, TemperatureExcursion, TrackingEvent
from logistics.services.telemetry import telemetry_ingest
from tests import factories

from .factories import ExcursionFactory, ShipmentFactory, TrackingEventFactory, reading

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatcher(carrier):
    person = factories.PartnerUserFactory(partner=carrier, language="en", timezone="Asia/Shanghai")
    return person


@pytest.fixture
def desk(client, dispatcher):
    client.force_login(dispatcher)
    return client


@pytest.fixture
def assigned(enterprise, carrier):
    shipment = ShipmentFactory(
        enterprise=enterprise,
        carrier=carrier,
        reference="XJ-2026-031",
        status="in_transit",
        dispatched_at=timezone.now() - timedelta(days=1),
    )
    ShipmentItem.objects.filter(shipment=shipment).delete()
    ShipmentItem.objects.create(
        shipment=shipment,
        product=factories.ProductFactory(),
        net_kg=Decimal("1200"),
        packages=80,
        declared_value=Decimal("98765.43"),
        currency=factories.currency("USD"),
    )
    return shipment


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def csv_upload(text: str, name: str = "readings.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def at(hours_ago: float) -> str:
    moment = datetime.now(UTC).replace(microsecond=0, second=0) - timedelta(hours=hours_ago)
    return moment.isoformat()


# --- the list ----------------------------------------------------------------------------------


def test_the_list_shows_only_the_carriers_shipments_without_values(desk, assigned, enterprise):
    ShipmentFactory(enterprise=enterprise, reference="OTHER-CARRIER-1")
    reading(assigned, minutes_ago=30, temp=6.5)
    summary = assigned.summary
    summary.last_temp_c, summary.last_reading_at = 6.5, timezone.now() - timedelta(minutes=30)
    summary.save()
    ExcursionFactory(shipment=assigned)
    html = html_of(desk.get(reverse("desk:shipments")))
    assert "XJ-2026-031" in html and "OTHER-CARRIER-1" not in html
    assert "1 shipment" in html
    assert "(CNCTU)" in html and "(MYKUL)" in html
    assert "4.0 to 8.0 °C" in html
    assert "6.5 °C" in html and "30\xa0minutes ago" in html
    assert reverse("desk:shipment", args=[assigned.pk]) in html
    assert "98765" not in html and "98,765" not in html and "USD" not in html


def test_the_list_filters_by_status_search_window_and_open_excursions(desk, carrier, enterprise):
    now = timezone.now()
    quiet = ShipmentFactory(enterprise=enterprise, carrier=carrier, reference="AAA-1")
    alarm = ShipmentFactory(
        enterprise=enterprise, carrier=carrier, reference="BBB-2", status="in_transit"
    )
    alarm.planned_departure = now - timedelta(days=20)
    alarm.save(update_fields=["planned_departure"])
    ExcursionFactory(shipment=alarm)
    ExcursionFactory(shipment=quiet, acknowledged_at=now, acknowledgement_comment="checked")
    url = reverse("desk:shipments")

    def references(query):
        html = html_of(desk.get(url, query))
        return {ref for ref in ("AAA-1", "BBB-2") if ref in html}

    assert references({}) == {"AAA-1", "BBB-2"}
    assert references({"status": "in_transit"}) == {"BBB-2"}
    assert references({"q": "aaa"}) == {"AAA-1"}
    assert references({"open_excursions": "on"}) == {"BBB-2"}
    since = (now - timedelta(days=5)).date().isoformat()
    assert references({"departure_from": since}) == {"AAA-1"}
    assert references({"departure_to": since}) == {"BBB-2"}
    html = html_of(desk.get(url, {"status": "nonsense"}))
    assert "Select a valid choice" in html and "AAA-1" in html


def test_the_list_reads_a_constant_number_of_queries(desk, carrier, enterprise):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            html_of(desk.get(reverse("desk:shipments")))
        return len(captured)

    ShipmentFactory(enterprise=enterprise, carrier=carrier)
    queries()  # the first page of a process loads the reference names once
    one = queries()
    for _ in range(4):
        shipment = ShipmentFactory(enterprise=enterprise, carrier=carrier)
        ExcursionFactory(shipment=shipment)
    assert queries() == one


# --- the shipment page -------------------------------------------------------------------------


def test_the_shipment_page_shows_milestones_chart_and_excursions_without_values(desk, assigned):
    TrackingEventFactory(shipment=assigned, milestone="departed", note="Left Xinjin")
    readings = [{"sensor_id": "T1", "time": at(hours), "temp_c": 6.0} for hours in (5, 3, 1)]
    telemetry_ingest(actor=None, shipment=assigned, readings=readings)
    acknowledger = factories.UserFactory(full_name="Li Na")
    ExcursionFactory(
        shipment=assigned,
        acknowledged_at=timezone.now(),
        acknowledged_by=acknowledger,
        acknowledgement_comment="Reefer reset",
    )
    ExcursionFactory(shipment=assigned, sensor_id="T2", ended_at=None)
    html = html_of(desk.get(reverse("desk:shipment", args=[assigned.pk])))
    assert "Shipment XJ-2026-031" in html
    assert "Left Xinjin" in html and 'data-milestone="departed"' in html
    assert 'id="chart"' in html
    assert "Acknowledged by Li Na" in html and "Not acknowledged yet" in html
    assert "ongoing" in html
    assert "(China (Shanghai) Time)" in html or "China Time" in html
    assert "98765" not in html and "USD" not in html and "Incoterm" not in html
    assert reverse("desk:shipment-milestone", args=[assigned.pk]) in html


def test_another_carriers_shipment_is_not_found(desk, enterprise):
    theirs = ShipmentFactory(enterprise=enterprise)  # a carrier of its own
    for name in ("desk:shipment", "desk:shipment-milestone", "desk:shipment-telemetry"):
        assert desk.get(reverse(name, args=[theirs.pk])).status_code == 404
    response = desk.post(
        reverse("desk:shipment-milestone", args=[theirs.pk]),
        {"milestone": "departed", "occurred_at": "2026-03-01T08:00", "event_id": "x"},
    )
    assert response.status_code == 404
    assert not TrackingEvent.objects.filter(shipment=theirs).exists()


def test_the_shipment_page_reads_a_constant_number_of_queries(desk, assigned):
    url = reverse("desk:shipment", args=[assigned.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            html_of(desk.get(url))
        return len(captured)

    TrackingEventFactory(shipment=assigned)
    ExcursionFactory(shipment=assigned)
    queries()  # the first page of a process loads the reference names once
    one = queries()
    for hours in range(2, 6):
        TrackingEventFactory(shipment=assigned, occurred_at=timezone.now() - timedelta(hours=hours))
        ExcursionFactory(
            shipment=assigned,
            sensor_id=f"T{hours}",
            acknowledged_at=timezone.now(),
            acknowledged_by=factories.UserFactory(),
            acknowledgement_comment="checked",
        )
    assert queries() == one


# --- posting a milestone -----------------------------------------------------------------------


def test_a_milestone_is_posted_through_the_service_in_the_persons_zone(desk, assigned, dispatcher):
    url = reverse("desk:shipment-milestone", args=[assigned.pk])
    html = html_of(desk.get(url))
    assert 'name="event_id"' in html and "Asia/Shanghai" in html
    factories.location("LAVTE", "Vientiane")
    data = {
        "milestone": "arrived_at_border",
        "occurred_at": "2026-03-01T08:30",
        "location": "la vte",
        "note": "Boten border post",
        "event_id": "desk-once",
    }
    response = desk.post(url, data)
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("desk:shipment", args=[assigned.pk]) + "#timeline")
    event = TrackingEvent.objects.get(shipment=assigned)
    assert event.occurred_at == datetime(2026, 3, 1, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai
    assert event.location_id == "LAVTE" and event.source == "carrier"
    assert event.recorded_by == dispatcher and event.event_id == "desk-once"
    assigned.refresh_from_db()
    assert assigned.status == "at_customs"  # the service moved the status


def test_a_double_submit_posts_the_milestone_once(desk, assigned):
    url = reverse("desk:shipment-milestone", args=[assigned.pk])
    data = {"milestone": "departed", "occurred_at": "2026-03-01T08:30", "event_id": "desk-k1"}
    assert desk.post(url, data).status_code == 302
    assert desk.post(url, data).status_code == 302
    assert TrackingEvent.objects.filter(shipment=assigned).count() == 1


def test_the_services_refusal_is_shown_at_the_field(desk, enterprise, carrier):
    cancelled = ShipmentFactory(
        enterprise=enterprise, carrier=carrier, status="cancelled", cancelled_at=timezone.now()
    )
    url = reverse("desk:shipment-milestone", args=[cancelled.pk])
    data = {"milestone": "departed", "occurred_at": "2026-03-01T08:30", "event_id": "desk-k2"}
    html = html_of(desk.post(url, data))
    assert "There is a problem" in html
    assert 'id="id_milestone_error"' in html and "Cancelled" in html
    assert not TrackingEvent.objects.filter(shipment=cancelled).exists()


def test_bad_input_shows_the_form_again_with_errors(desk, assigned):
    url = reverse("desk:shipment-milestone", args=[assigned.pk])
    data = {"milestone": "flew", "occurred_at": "yesterday", "location": "ZZZZZ", "event_id": "k"}
    html = html_of(desk.post(url, data))
    assert 'id="id_milestone_error"' in html and 'id="id_occurred_at_error"' in html
    assert "No place has the UN/LOCODE ZZZZZ." in html
    assert not TrackingEvent.objects.exists()


# --- uploading telemetry -----------------------------------------------------------------------


def upload(desk, shipment, text, name="readings.csv"):
    url = reverse("desk:shipment-telemetry", args=[shipment.pk])
    return html_of(desk.post(url, {"file": csv_upload(text, name)}))


def test_the_csv_result_is_shown_per_row_with_the_rejected_rows_and_opened_excursions(
    desk, assigned
):
    assigned.excursion_delay_minutes = 0
    assigned.save(update_fields=["excursion_delay_minutes"])
    text = (
        "sensor_id,time,temp_c,humidity\n"
        f"T1,{at(3)},5.0,80\n"
        f"T1,{at(2.5)},12.5,80\n"
        f"T1,{at(2)},12.8,80\n"
        f"T1,{at(1.5)},not-a-number,80\n"
        f"T1,{at(1)},5.5,80\n"
    )
    html = upload(desk, assigned, text)
    assert SensorReading.objects.filter(shipment=assigned).count() == 4
    assert 'id="total-received">5<' in html
    assert 'id="total-accepted">4<' in html and 'id="total-rejected">1<' in html
    assert html.count("telemetry-row--accepted") == 4
    assert 'class="telemetry-row telemetry-row--rejected" data-line="5"' in html
    assert "temp_c is not a number" in html
    excursion = TemperatureExcursion.objects.get(shipment=assigned)
    assert f'id="excursion-{excursion.pk}"' in html
    assert 'id="opened-none"' not in html


def test_re_uploading_the_same_file_accepts_nothing_twice(desk, assigned):
    text = f"sensor_id,time,temp_c\nT1,{at(2)},5.0\nT1,{at(1)},5.5\nT1,{at(1)},5.5\n"
    first = upload(desk, assigned, text)
    assert 'id="total-accepted">2<' in first and 'id="total-duplicate">1<' in first
    assert 'class="telemetry-row telemetry-row--duplicate" data-line="4"' in first
    again = upload(desk, assigned, text)
    assert 'id="total-accepted">0<' in again and 'id="total-duplicate">3<' in again
    assert again.count("telemetry-row--duplicate") == 3
    assert "nothing was added twice" in again
    assert SensorReading.objects.filter(shipment=assigned).count() == 2


def test_a_file_that_is_not_csv_is_refused_at_the_field(desk, assigned):
    url = reverse("desk:shipment-telemetry", args=[assigned.pk])
    picture = SimpleUploadedFile(
        "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png"
    )
    html = html_of(desk.post(url, {"file": picture}))
    assert 'id="id_file_error"' in html and "Choose a CSV file" in html
    binary = SimpleUploadedFile("data.csv", b"\xff\xfe\x00\x01", content_type="text/csv")
    html = html_of(desk.post(url, {"file": binary}))
    assert "This file is not CSV text" in html
    html = upload(desk, assigned, "a,b\n1,2\n")
    assert 'id="id_file_error"' in html and "The CSV header lacks" in html
    assert not SensorReading.objects.exists()


def test_a_file_too_big_is_refused_at_the_field(desk, assigned, monkeypatch):
    monkeypatch.setattr("logistics.forms.MAX_TELEMETRY_CSV_BYTES", 10)
    html = upload(desk, assigned, f"sensor_id,time,temp_c\nT1,{at(1)},5.0\n")
    assert 'id="id_file_error"' in html and "larger than 5 MB" in html
    assert not SensorReading.objects.exists()


def test_a_long_file_lists_its_rejected_rows_only(desk, assigned):
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=1)
    lines = [f"T1,{(start + timedelta(minutes=n)).isoformat()},5.0" for n in range(205)]
    lines[100] = f"T1,{start.isoformat()},hot"
    html = upload(desk, assigned, "sensor_id,time,temp_c\n" + "\n".join(lines) + "\n")
    assert 'id="total-accepted">204<' in html and 'id="total-rejected">1<' in html
    assert "The file has 205 rows; its rejected rows are listed below." in html
    assert html.count('class="telemetry-row ') == 1
    assert 'data-line="102"' in html
