"""The public exporter list and profile: verified exporters only, valid certificates only,
markets counted from the exporter's own shipments, contact only when published."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.certification.factories import CertificateFactory
from tests.logistics.factories import ShipmentFactory

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def profile(client, enterprise, **headers):
    return client.get(f"/exporters/{enterprise.pk}/", **{**EN, **headers})


def shipped(enterprise, destination: str, *, status="delivered", dispatched=True):
    return ShipmentFactory(
        enterprise=enterprise,
        destination=factories.location(destination, destination),
        status=status,
        dispatched_at=timezone.now() - timedelta(days=3) if dispatched else None,
        with_item=False,
    )


@pytest.fixture
def danling(db):
    cooperative = factories.EnterpriseFactory(
        name_zh="丹棱县柑橘专业合作社",
        name_en="Danling Citrus Cooperative",
        prefecture=factories.prefecture("511400", "Meishan", "眉山市"),
        contact_name="Export desk",
        contact_email="export@danling.example",
        contact_phone="+86 28 0000 0000",
    )
    factories.ProductFactory(
        enterprise=cooperative, name_en="Buzhihuo mandarin", harvest_months=[1, 2, 12]
    )
    return cooperative


def test_the_list_shows_verified_exporters_only_and_filters(client, danling):
    factories.EnterpriseFactory(name_en="Pending Tea", status="pending", status_changed_at=None)
    factories.EnterpriseFactory(name_en="Suspended Fish", status="suspended")
    chengdu = factories.EnterpriseFactory(
        name_en="Chengdu Tea House", export_categories=["tea"], prefecture=factories.prefecture()
    )

    html = client.get("/exporters/", **EN).content.decode()
    assert "Danling Citrus Cooperative" in html and "Chengdu Tea House" in html
    assert "Pending Tea" not in html and "Suspended Fish" not in html
    assert "2 verified exporters" in html
    assert '<meta name="robots" content="noindex">' in html

    by_name = client.get("/exporters/", {"q": "danling"}, **EN).content.decode()
    assert "Danling Citrus Cooperative" in by_name and "Chengdu Tea House" not in by_name
    by_place = client.get("/exporters/", {"prefecture": "511400"}, **EN).content.decode()
    assert "Danling Citrus Cooperative" in by_place and "Chengdu Tea House" not in by_place
    by_kind = client.get("/exporters/", {"category": "tea"}, **EN).content.decode()
    assert f"/exporters/{chengdu.pk}/" in by_kind and f"/exporters/{danling.pk}/" not in by_kind


def test_a_filter_value_that_is_not_a_choice_is_reported_not_a_500(client, danling):
    response = client.get("/exporters/", {"category": "plutonium"}, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "field-error" in html and "Danling Citrus Cooperative" in html


def test_the_list_paginates(client, db):
    for _ in range(21):
        factories.EnterpriseFactory()
    first = client.get("/exporters/", **EN).content.decode()
    assert first.count('class="card exporter-card"') == 20 and "Page 1 of 2" in first
    assert client.get("/exporters/?page=2", **EN).content.decode().count('exporter-card"') == 1


def test_the_profile_shows_names_prefecture_products_and_harvest_months(client, danling):
    response = profile(client, danling)
    assert response.status_code == 200
    html = response.content.decode()
    assert "丹棱县柑橘专业合作社" in html and "Danling Citrus Cooperative" in html
    assert "Meishan" in html
    assert "Buzhihuo mandarin" in html and "Harvested in: Jan, Feb, Dec" in html
    strip = re.search(r'<ol class="harvest-strip"[^>]*>(.*?)</ol>', html, re.S).group(1)
    assert strip.count("<li") == 12
    assert strip.count("harvest-strip__month--on") == 3
    assert '<meta name="robots" content="index, follow">' in html
    assert "X-Robots-Tag" not in response.headers


def test_the_profile_speaks_chinese(client, danling):
    html = client.get(f"/exporters/{danling.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "眉山市" in html and "采收月份" in html


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended"])
def test_an_enterprise_that_is_not_verified_is_a_404_like_an_unknown_id(client, db, status):
    other = factories.EnterpriseFactory(status=status, status_reason="no")
    assert profile(client, other).status_code == 404
    assert client.get("/exporters/999999/").status_code == 404


def test_only_certificates_in_force_are_shown_each_linking_to_its_page(client, danling):
    valid = CertificateFactory(enterprise=danling, number="GAP-2026-000001-K")
    CertificateFactory(
        enterprise=danling, number="GAP-2026-000002-R", status="revoked", status_reason="Fraud"
    )
    CertificateFactory(
        enterprise=danling, number="GAP-2026-000003-S", status="suspended", status_reason="Audit"
    )
    CertificateFactory(
        enterprise=danling,
        number="GAP-2025-000004-E",
        issue_date=timezone.localdate() - timedelta(days=400),
        expiry_date=timezone.localdate() - timedelta(days=1),
    )
    html = profile(client, danling).content.decode()
    assert f'href="/verify/{valid.number}/"' in html
    assert valid.scheme.code in html
    for hidden in ("000002", "000003", "000004"):
        assert hidden not in html


def test_markets_are_counted_from_the_exporters_own_dispatched_shipments(client, danling):
    shipped(danling, "MYKUL")
    shipped(danling, "MYPKG", status="in_transit")
    shipped(danling, "THBKK")
    shipped(danling, "SGSIN", status="booked", dispatched=False)  # not shipped yet
    shipped(factories.EnterpriseFactory(), "VNSGN")  # another exporter's market
    shipped(factories.EnterpriseFactory(), "THBKK")  # another exporter's shipment there

    html = profile(client, danling).content.decode()
    markets = re.search(r'<ul class="exporter-markets" id="markets">(.*?)</ul>', html, re.S)
    rows = re.findall(r'data-country="(\w+)">([^<]+)</li>', markets.group(1))
    assert [(code, text.strip()) for code, text in rows] == [
        ("MY", "Malaysia: 2 shipments"),
        ("TH", "Thailand: 1 shipment"),
    ]
    assert "96000" not in html and "12000" not in html  # no values, no quantities


def test_contact_appears_only_when_published(client, danling):
    html = profile(client, danling).content.decode()
    assert "export@danling.example" not in html and 'id="contact"' not in html

    danling.publish_contact = True
    danling.save()
    html = profile(client, danling).content.decode()
    assert "Export desk" in html and "mailto:export@danling.example" in html
    assert "+86 28" not in html  # as in the API's directory: name and e-mail only


def test_the_query_count_does_not_grow_with_products_certificates_and_shipments(client, danling):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert profile(client, danling).status_code == 200
        return len(captured)

    CertificateFactory(enterprise=danling)
    shipped(danling, "MYKUL")
    few = queries()
    for destination in ("THBKK", "SGSIN", "VNSGN"):
        factories.ProductFactory(enterprise=danling, harvest_months=[5, 6])
        CertificateFactory(enterprise=danling)
        shipped(danling, destination)
    assert queries() == few


def test_the_portal_links_a_verified_enterprise_to_its_public_profile(client, danling):
    owner = factories.MembershipFactory(enterprise=danling).user
    client.force_login(owner)
    html = client.get("/portal/enterprise/", **EN).content.decode()
    assert f'href="/exporters/{danling.pk}/"' in html and "Your public profile" in html

    danling.status = "suspended"
    danling.status_reason = "Licence expired"
    danling.save()
    assert (
        f'href="/exporters/{danling.pk}/"' not in client.get("/portal/enterprise/").content.decode()
    )
