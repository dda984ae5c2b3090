"""The portal's home page (journey 10): what needs the exporter's attention now, each a line with
its link, and the enterprise's own export figures (the member overview's selectors)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agri_platform.accounts.choices import MembershipRole
from enterprises.choices import VerificationStatus
from tests import factories
from tests.analytics import factories as af
from tests.certification.factories import (
    CertificateFactory,
    MarketRequirementFactory,
    SchemeFactory,
    SubmittedApplicationFactory,
)
from tests.finance.factories import FinancingOfferFactory
from tests.logistics.factories import ExcursionFactory, ShipmentFactory

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")


def owner_of(enterprise, language="en"):
    return factories.MembershipFactory(
        enterprise=enterprise, role=MembershipRole.OWNER, user__language=language
    ).user


def needing_attention(enterprise, *, copies=1):
    """One of everything the home page lists (`copies` of each), for `enterprise`."""
    made = {"applications": [], "excursions": [], "shipments": [], "offers": [], "certificates": []}
    MarketRequirementFactory(scheme=SchemeFactory(code="HOMEGAP", name_en="Home GAP"))
    for _ in range(copies):
        made["applications"].append(
            SubmittedApplicationFactory(enterprise=enterprise, status="changes_requested")
        )
        moving = ShipmentFactory(enterprise=enterprise, status="in_transit")
        made["excursions"].append(ExcursionFactory(shipment=moving))
        made["shipments"].append(ShipmentFactory(enterprise=enterprise))  # booked, not ready
        made["offers"].append(FinancingOfferFactory(request__enterprise=enterprise))
        made["certificates"].append(
            CertificateFactory(
                enterprise=enterprise, expiry_date=timezone.localdate() + timedelta(days=30)
            )
        )
    return made


def test_a_new_enterprise_is_told_what_to_do_first(client):
    enterprise = factories.EnterpriseFactory(status=VerificationStatus.PENDING)
    client.force_login(owner_of(enterprise))
    html = client.get(HOME).content.decode()
    assert "Nothing to do yet." in html
    assert "Your enterprise registration is being reviewed" in html
    for name in ("portal:products", "portal:certification", "portal:shipment-new"):
        assert f'href="{reverse(name)}"' in html
    assert "No exports recorded in these months yet" in html


def test_every_thing_needing_attention_is_a_line_linking_to_its_page(client):
    enterprise = factories.EnterpriseFactory(
        status=VerificationStatus.REJECTED, status_reason="营业执照照片不清晰"
    )
    made = needing_attention(enterprise)
    theirs = needing_attention(factories.EnterpriseFactory())
    client.force_login(owner_of(enterprise))
    html = client.get(HOME).content.decode()

    assert "The reviewer sent your enterprise registration back for changes." in html
    assert "营业执照照片不清晰" in html
    assert f'href="{reverse("portal:enterprise")}"' in html
    application = made["applications"][0]
    assert f"Your application #{application.pk} for" in html
    assert f'href="{reverse("portal:application", args=[application.pk])}"' in html
    excursion = made["excursions"][0]
    assert f"Shipment {excursion.shipment.reference} left its temperature band" in html
    assert f'href="{reverse("portal:shipment", args=[excursion.shipment_id])}"' in html
    booked = made["shipments"][0]
    assert f"Shipment {booked.reference} is due to leave" in html
    assert "Missing: Home GAP" in html
    offer = made["offers"][0]
    assert f"Financing request #{offer.request_id}" in html
    assert "1 offer is waiting for your decision." in html
    assert f'href="{reverse("portal:finance-request", args=[offer.request_id])}"' in html
    certificate = made["certificates"][0]
    assert f"Certificate {certificate.number}" in html and "in 30 days" in html
    assert f'href="{reverse("portal:certificate", args=[certificate.pk])}"' in html
    assert "6 things to do" in html

    assert reverse("portal:application", args=[theirs["applications"][0].pk]) not in html
    assert reverse("portal:certificate", args=[theirs["certificates"][0].pk]) not in html
    assert theirs["shipments"][0].reference not in html


def test_an_acknowledged_excursion_a_ready_shipment_and_a_far_expiry_are_not_listed(client, places):
    enterprise = factories.EnterpriseFactory(status=VerificationStatus.VERIFIED)
    moving = ShipmentFactory(enterprise=enterprise, status="in_transit")
    ExcursionFactory(
        shipment=moving,
        acknowledged_at=timezone.now(),
        acknowledgement_comment="Checked the pallets",
    )
    ShipmentFactory(enterprise=enterprise)  # booked; nothing is required of it
    CertificateFactory(enterprise=enterprise, expiry_date=timezone.localdate() + timedelta(days=90))
    af.shipment(enterprise, departed_on=date(2026, 1, 10))
    client.force_login(owner_of(enterprise))
    html = client.get(HOME).content.decode()
    assert "Nothing needs your attention right now." in html
    assert "things to do" not in html and "thing to do" not in html


def test_the_enterprises_own_figures_with_a_chart_and_its_table(client, places):
    enterprise = factories.EnterpriseFactory(status=VerificationStatus.VERIFIED)
    af.shipment(enterprise, departed_on=date(2026, 1, 10), lines=(("fruits", "16000", "2000"),))
    af.shipment(enterprise, departed_on=date(2025, 1, 10), lines=(("fruits", "8000", "1000"),))
    af.shipment(factories.EnterpriseFactory(), departed_on=date(2026, 1, 12))  # not theirs
    client.force_login(owner_of(enterprise))
    html = client.get(HOME).content.decode()
    assert "2025-04 to 2026-03" in html
    assert "CN¥16,000.00" in html  # the value of their one shipment in the window
    assert "+100%" in html  # a year before: 8,000
    assert '<svg class="chart" role="img"' in html
    assert '<th scope="row">2026-01</th>' in html  # the chart's text alternative


def test_the_figures_read_in_chinese(client, places):
    enterprise = factories.EnterpriseFactory(name_zh="新津柑橘合作社")
    af.shipment(enterprise, departed_on=date(2026, 1, 10), lines=(("fruits", "500000", "2000"),))
    client.force_login(owner_of(enterprise, language="zh-hans"))
    html = client.get(HOME).content.decode()
    assert "欢迎，新津柑橘合作社" in html
    assert "¥50万" in html
    assert "需要您处理" in html


def queries_of(client, path) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        html = client.get(path).content.decode()
    return len(captured.captured_queries), html


def test_the_home_page_reads_in_a_constant_number_of_queries(client):
    enterprise = factories.EnterpriseFactory(
        status=VerificationStatus.REJECTED, status_reason="缺少营业执照"
    )
    needing_attention(enterprise, copies=1)
    client.force_login(owner_of(enterprise))
    client.get(HOME)  # warm the session and the content types
    few, _ = queries_of(client, HOME)
    more = factories.EnterpriseFactory(
        status=VerificationStatus.REJECTED, status_reason="缺少营业执照"
    )
    needing_attention(more, copies=3)
    client.force_login(owner_of(more))
    client.get(HOME)
    many, html = queries_of(client, HOME)
    assert "16 things to do" in html
    assert many == few


def test_someone_without_an_enterprise_is_sent_to_register_it(client):
    client.force_login(factories.UserFactory())
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:enterprise-register")
