"""Logistics reads in the caller's language: errors in Chinese and in English, and the tracking page
with Chinese place names and times in the reader's zone, the zone named."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation

from certification.readiness import RequirementCheck
from logistics import tracking
from logistics.choices import Milestone, ShipmentStatus
from logistics.models import TrackingEvent
from logistics.services.telemetry import telemetry_ingest
from tests import factories

from .factories import ExcursionFactory, ShipmentFactory, booking, booking_places

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")
BASE = datetime(2026, 1, 12, tzinfo=UTC)
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _texts(body: dict) -> list[str]:
    return [body["detail"], *(error["detail"] for error in body.get("errors", []))]


# --- errors --------------------------------------------------------------------------------------


@pytest.fixture
def clashing(enterprise, partner):
    booking_places()
    mandarin = factories.ProductFactory(
        enterprise=enterprise, name_en="Ai Yuan mandarin", temp_min_c=4, temp_max_c=8
    )
    caviar = factories.ProductFactory(
        enterprise=enterprise, name_en="Sturgeon caviar", temp_min_c=-2, temp_max_c=2
    )
    return booking(enterprise, partner, mandarin, caviar), str(mandarin), str(caviar)


def test_a_band_conflict_is_explained_in_chinese(enterprise_client, clashing):
    data, warm, cold = clashing
    response = enterprise_client.post("/api/v1/shipments/", data, format="json", **ZH)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "band_conflict" and body["errors"][0]["field"] == "items"
    assert body["detail"] == (
        f"这些产品的温区没有重叠：{warm}（4.0～8.0 °C）要求不低于4.0 °C，"
        f"而{cold}（-2.0～2.0 °C）要求不高于2.0 °C，无法装入同一冷藏箱运输。"
    )


def test_a_band_conflict_is_explained_in_english(enterprise_client, clashing):
    data, warm, cold = clashing
    response = enterprise_client.post("/api/v1/shipments/", data, format="json", **EN)
    body = response.json()
    assert body["code"] == "band_conflict"
    assert body["detail"] == (
        f"The products' temperature bands do not overlap: {warm} (4.0 to 8.0 °C) needs at least "
        f"4.0 °C but {cold} (-2.0 to 2.0 °C) at most 2.0 °C; they cannot ship in one reefer."
    )


@pytest.fixture
def unready(monkeypatch, enterprise, partner):
    """A shipment whose destination asks for a phytosanitary certificate (missing) and an export
    registration that ends before departure."""

    def readiness(**_arguments):
        return [
            RequirementCheck(
                kind="document", code="commercial_invoice", name="Invoice", status="met"
            ),
            RequirementCheck(kind="document", code="phytosanitary", name="Phyto", status="missing"),
            RequirementCheck(
                kind="scheme",
                code="gacc",
                name="GACC",
                status="expiring",
                valid_until=datetime(2026, 3, 1).date(),
            ),
        ]

    monkeypatch.setattr("certification.readiness.check_readiness", readiness)
    return ShipmentFactory(enterprise=enterprise, carrier=partner)


@pytest.mark.parametrize(
    "headers, expected",
    [
        (
            ZH,
            "运单尚不具备发运条件，以下要求未满足：Phyto（缺失）；GACC（有效期仅至 2026-03-01）。",
        ),
        (
            EN,
            "The shipment is not ready to dispatch; not met: Phyto (missing); "
            "GACC (valid only until 2026-03-01).",
        ),
    ],
    ids=["zh", "en"],
)
def test_the_readiness_gate_names_what_blocks_dispatch(
    enterprise_client, unready, headers, expected
):
    response = enterprise_client.post(f"/api/v1/shipments/{unready.pk}/dispatch/", **headers)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "not_ready"
    assert [m["code"] for m in body["missing"]] == ["phytosanitary", "gacc"]
    assert body["detail"] == expected


@pytest.mark.parametrize(
    "headers, action", [(ZH, "报送运输节点"), (EN, "post a tracking event")], ids=["zh", "en"]
)
def test_a_milestone_on_a_cancelled_shipment_names_the_action(
    make_partner_client, enterprise, partner, headers, action
):
    shipment = ShipmentFactory(
        enterprise=enterprise,
        carrier=partner,
        status=ShipmentStatus.CANCELLED,
        cancelled_at=timezone.now(),
    )
    client = make_partner_client(partner, ["logistics:write"])
    response = client.post(
        f"/api/v1/shipments/{shipment.pk}/events/",
        {"milestone": "departed", "occurred_at": BASE.isoformat()},
        format="json",
        **headers,
    )
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["current_status"]) == ("transition_not_allowed", "cancelled")
    assert action in body["detail"]


@pytest.mark.parametrize(
    "headers, reasons",
    [
        (
            ZH,
            [
                "temp_c 不是数字：'warm'",
                "time 须带 UTC 偏移（例如 2026-01-12T08:00:00+08:00 或 …Z）",
            ],
        ),
        (
            EN,
            [
                "temp_c is not a number: 'warm'",
                "time needs a UTC offset (e.g. 2026-01-12T08:00:00+08:00 or …Z)",
            ],
        ),
    ],
    ids=["zh", "en"],
)
def test_bad_csv_rows_are_rejected_with_reasons_in_the_language(
    make_partner_client, enterprise, partner, headers, reasons
):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    client = make_partner_client(partner, ["telemetry:write"])
    csv_body = (
        "sensor_id,time,temp_c\n"
        "T1,2026-01-12T00:00:00Z,5.5\n"
        "T1,2026-01-12T00:05:00Z,warm\n"
        "T1,2026-01-12T08:10:00,5.5\n"
    )
    response = client.post(
        f"/api/v1/shipments/{shipment.pk}/telemetry/",
        csv_body,
        content_type="text/csv",
        **headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["accepted"], body["rejected"]) == (1, 2)
    assert [row["reason"] for row in body["rejected_rows"]] == reasons


@pytest.mark.parametrize("headers, is_chinese", [(ZH, True), (EN, False)], ids=["zh", "en"])
def test_a_csv_without_its_columns_is_refused_in_the_language(
    make_partner_client, enterprise, partner, headers, is_chinese
):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    client = make_partner_client(partner, ["telemetry:write"])
    response = client.post(
        f"/api/v1/shipments/{shipment.pk}/telemetry/",
        "sensor,when\nT1,2026-01-12T00:00:00Z\n",
        content_type="text/csv",
        **headers,
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "readings"
    assert "sensor_id, time, temp_c" in body["detail"]
    assert all(bool(CJK.search(text)) is is_chinese for text in _texts(body))


@pytest.mark.parametrize("headers, is_chinese", [(ZH, True), (EN, False)], ids=["zh", "en"])
def test_an_acknowledgement_twice_is_refused_in_the_language(
    enterprise_client, enterprise, partner, headers, is_chinese
):
    excursion = ExcursionFactory(shipment=ShipmentFactory(enterprise=enterprise, carrier=partner))
    path = f"/api/v1/shipments/{excursion.shipment_id}/excursions/{excursion.pk}/acknowledge/"
    first = enterprise_client.post(path, {"comment": "Reefer reset"}, format="json", **headers)
    assert first.status_code == 200, first.content
    again = enterprise_client.post(path, {"comment": "Again"}, format="json", **headers)
    assert again.status_code == 409
    assert again.json()["code"] == "already_acknowledged"
    assert bool(CJK.search(again.json()["detail"])) is is_chinese


def test_labels_read_in_both_languages():
    with translation.override("zh-hans"):
        assert str(ShipmentStatus.AT_CUSTOMS.label) == "清关中"
        assert str(Milestone.ARRIVED_AT_BORDER.label) == "抵达口岸"
    with translation.override("en"):
        assert str(ShipmentStatus.AT_CUSTOMS.label) == "At customs"


# --- the tracking page ---------------------------------------------------------------------------


@pytest.fixture
def travelled(enterprise, partner):
    """Chengdu → Kuala Lumpur with the platform's Chinese place names, two milestones, an hour above
    the band."""
    for code, name, name_zh in [
        ("CNCTU", "Chengdu", "成都"),
        ("CNMHN", "Mohan", "磨憨"),
        ("MYKUL", "Kuala Lumpur", "吉隆坡"),
    ]:
        location = factories.location(code, name)
        location.name_zh = name_zh
        location.save()
    shipment = ShipmentFactory(
        enterprise=enterprise,
        carrier=partner,
        route="",  # the enterprise's own words, shown as written
        planned_departure=BASE,
        planned_arrival=BASE + timedelta(days=5),
    )
    for hours, milestone, location in [
        (0, "picked_up", "CNCTU"),
        (20, "arrived_at_border", "CNMHN"),
    ]:
        TrackingEvent.objects.create(
            shipment=shipment,
            milestone=milestone,
            occurred_at=BASE + timedelta(hours=hours),
            utc_offset_minutes=480,
            location_id=location,
            source="carrier",
        )
    readings = [
        {
            "sensor_id": "RF-01",
            "time": (BASE + timedelta(minutes=5 * i + 5)).isoformat(),
            "temp_c": 9.6 if 200 <= i < 212 else 6.0,
        }
        for i in range(240)
    ]
    telemetry_ingest(actor=None, shipment=shipment, readings=readings)
    shipment.status = ShipmentStatus.AT_CUSTOMS
    shipment.save()
    return shipment


def test_the_tracking_page_reads_in_chinese_in_china_time(client, travelled):
    response = client.get(f"/track/{travelled.tracking_token}/", **ZH)
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "货物追踪" in html and 'id="status">清关中<' in html
    assert "成都，中国 (CNCTU) → 吉隆坡，马来西亚 (MYKUL)" in html
    assert "已提货" in html and "<strong>抵达口岸</strong> · 磨憨，中国 (CNMHN)" in html
    # 00:00 UTC is 08:00 in China, and the zone is named.
    assert "2026-01-12 08:00（中国（上海）时间）" in html
    assert "4.0～8.0 °C" in html
    assert "60.0分钟 · 峰值9.6 °C" in html
    for english in ("Shipment tracking", "Status", "Timeline", "Chengdu", "UTC"):
        assert english not in html


def test_the_tracking_page_reads_in_english_in_utc(client, travelled):
    response = client.get(f"/track/{travelled.tracking_token}/", **EN)
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Shipment tracking" in html and 'id="status">At customs<' in html
    assert "Chengdu, China (CNCTU) → Kuala Lumpur, Malaysia (MYKUL)" in html
    assert "<strong>Arrived at border</strong> · Mohan, China (CNMHN)" in html
    assert "2026-01-12 00:00 (UTC)" in html
    assert "4.0 to 8.0 °C" in html and "60.0 min · peak 9.6 °C" in html
    assert not CJK.search(html.replace("中文", ""))  # only the language switch is Chinese


def test_the_tracking_page_speaks_the_platform_language_by_default_and_lang_wins(client, travelled):
    page = f"/track/{travelled.tracking_token}/"
    assert "货物追踪" in client.get(page).content.decode()  # no Accept-Language: zh-hans
    assert "Shipment tracking" in client.get(f"{page}?lang=en", **ZH).content.decode()
    assert "货物追踪" in client.get(f"{page}?lang=zh-hans", **EN).content.decode()
    # The page speaks the middleware's language: `?lang=` takes the platform's codes only.
    assert "Shipment tracking" in client.get(f"{page}?lang=zh", **EN).content.decode()


def test_the_tracking_json_labels_follow_the_language(api_client, travelled):
    path = f"/api/v1/tracking/{travelled.tracking_token}/"
    chinese = api_client.get(path, **ZH).json()
    assert (chinese["status"], chinese["status_label"]) == ("at_customs", "清关中")
    assert chinese["origin"] == {"code": "CNCTU", "name": "Chengdu", "label": "成都，中国 (CNCTU)"}
    assert chinese["timeline"][1]["label"] == "抵达口岸"
    assert chinese["timeline"][0]["occurred_at"] == "2026-01-12T00:00:00Z"  # APIs stay UTC
    english = api_client.get(f"{path}?lang=en", **ZH).json()
    assert english["status_label"] == "At customs"
    assert english["destination"]["label"] == "Kuala Lumpur, Malaysia (MYKUL)"


def test_a_signed_in_readers_saved_zone_wins_over_the_device_and_the_language(
    rf: RequestFactory,
):
    request = rf.get("/track/x/")
    request.COOKIES["tz"] = "Asia/Kuala_Lumpur"
    request.user = factories.UserFactory(timezone="Europe/Berlin")
    assert str(tracking.zone_of(request, "zh-hans")) == "Europe/Berlin"
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    assert str(tracking.zone_of(request, "zh-hans")) == "Asia/Kuala_Lumpur"
    del request.COOKIES["tz"]
    assert tracking.zone_of(request, "zh-hans") == ZoneInfo("Asia/Shanghai")
    assert tracking.zone_of(request, "en") == UTC
