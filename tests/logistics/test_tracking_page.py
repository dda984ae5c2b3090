"""The tracking page in the public pages' look: times in the viewer's zone (their saved zone, else
the device's from the `tz` cookie, else the zone of the page's language), the zone named; the
status and last reading first; milestones and excursions in one timeline; the shared chart."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from agri_platform.api.throttling import PublicLookupThrottle
from agri_platform.portal import zone
from logistics.models import TrackingEvent
from logistics.services.telemetry import telemetry_ingest
from tests import factories

from .factories import ExcursionFactory, ShipmentFactory

pytestmark = pytest.mark.django_db

BASE = datetime(2026, 1, 12, tzinfo=UTC)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}


@pytest.fixture
def shipment(enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner, planned_departure=BASE)
    TrackingEvent.objects.create(
        shipment=shipment,
        milestone="picked_up",
        occurred_at=BASE,
        utc_offset_minutes=480,
        location=factories.location("CNCTU", "Chengdu"),
        source="carrier",
    )
    ExcursionFactory(shipment=shipment, started_at=BASE + timedelta(hours=2))
    readings = [
        {"sensor_id": "RF-01", "time": (BASE + timedelta(minutes=5 * i)).isoformat(), "temp_c": 5.5}
        for i in range(12)
    ]
    telemetry_ingest(actor=None, shipment=shipment, readings=readings)
    return shipment


def page(client, shipment, *, cookie=None, **headers):
    if cookie is not None:
        client.cookies["tz"] = cookie
    return client.get(f"/track/{shipment.tracking_token}/", **{**EN, **headers})


def test_without_a_zone_cookie_the_language_zone_is_named_and_the_reload_announced(
    client, shipment
):
    html = page(client, shipment).content.decode()
    assert "2026-01-12 00:00 (UTC)" in html
    assert "Times are shown in UTC. Once the page reloads" in html
    chinese = page(client, shipment, **ZH).content.decode()
    assert "2026-01-12 08:00（中国（上海）时间）" in chinese
    assert "页面重新加载后，将按您设备的时区显示" in chinese


def test_the_devices_zone_from_the_cookie_is_used_and_named(client, shipment):
    html = page(client, shipment, cookie="Asia/Kuala_Lumpur").content.decode()
    assert "2026-01-12 08:00 (Malaysia (Kuala Lumpur) Time)" in html
    assert "Times are shown in your time zone: Malaysia (Kuala Lumpur) Time." in html
    assert "Once the page reloads" not in html
    new_york = page(client, shipment, cookie="America/New_York").content.decode()
    assert "2026-01-11 19:00 (" in new_york


@pytest.mark.parametrize(
    "cookie", ["Mars/Olympus_Mons", "../../etc/passwd", "", "x" * 200, "<script>", "UTC%00"]
)
def test_a_cookie_that_names_no_zone_is_ignored(client, shipment, cookie):
    response = page(client, shipment, cookie=cookie)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026-01-12 00:00 (UTC)" in html and "Once the page reloads" in html


def test_a_signed_in_persons_saved_zone_wins_over_the_device(client, shipment):
    client.force_login(factories.UserFactory(timezone="Europe/Berlin"))
    html = page(client, shipment, cookie="Asia/Kuala_Lumpur").content.decode()
    assert "2026-01-12 01:00 (" in html and "Germany" in html
    assert "Times are shown in your time zone" in html


def test_the_page_leads_with_status_and_last_reading_and_marks_excursions(client, shipment):
    response = page(client, shipment)
    assert response["X-Robots-Tag"] == "noindex"
    html = response.content.decode()
    assert '<link rel="stylesheet" href="/static/portal/portal.css' in html
    assert html.index('id="status"') < html.index('id="last-reading"') < html.index('id="timeline"')
    assert re.search(r'id="last-reading">.*?5\.5 °C', html, re.S)
    timeline = re.search(
        r'<ol class="timeline tracking-timeline" id="timeline">(.*?)</ol>', html, re.S
    )
    assert 'data-milestone="picked_up"' in timeline.group(1)
    assert "data-excursion=" in timeline.group(1) and "Temperature excursion" in timeline.group(1)
    assert 'class="temperature-chart"' in html  # the partial shared with the portal's page
    assert f'href="/verify/document/?tracking={shipment.tracking_token}"' in html


def test_the_429_page_is_in_the_public_look(client, shipment, settings):
    original = PublicLookupThrottle.THROTTLE_RATES
    PublicLookupThrottle.THROTTLE_RATES = {**original, "public_lookup": "1/min"}
    try:
        assert page(client, shipment).status_code == 200
        limited = page(client, shipment)
    finally:
        PublicLookupThrottle.THROTTLE_RATES = original
    assert limited.status_code == 429
    assert 'class="public-footer"' in limited.content.decode()


def test_zone_named_reads_iana_names_only():
    assert str(zone.zone_named("Asia/Kuala_Lumpur")) == "Asia/Kuala_Lumpur"
    assert str(zone.zone_named("Asia%2FKuala_Lumpur")) == "Asia/Kuala_Lumpur"
    for bad in (None, 3, "", "asia/kuala_lumpur", "/etc/localtime", "Asia/../UTC"):
        assert zone.zone_named(bad) is None
