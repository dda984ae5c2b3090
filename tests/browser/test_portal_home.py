"""Journeys 9 and 10: an exporter signs in to the home page, sees what needs attention and the
enterprise's figures, opens the inbox, marks a notification read, follows one to its page and
marks the rest read."""

from datetime import timedelta

import pytest
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
from tests.events.factories import EventFactory, NotificationFactory, payload_for
from tests.factories import DEFAULT_PASSWORD
from tests.finance.factories import FinancingOfferFactory
from tests.logistics.factories import ExcursionFactory, ShipmentFactory

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def cooperative(person):
    enterprise = factories.EnterpriseFactory(
        name_zh="新津柑橘合作社",
        name_en="Xinjin Citrus Cooperative",
        status=VerificationStatus.VERIFIED,
    )
    member = factories.MembershipFactory(
        enterprise=enterprise, role=MembershipRole.OWNER, user__language=person.language
    ).user
    return enterprise, member


def a_busy_season(enterprise):
    """Exports over the last months and one of each thing needing attention."""
    today = timezone.localdate()
    factories.country("MY", "Malaysia", ("ASEAN", "RCEP"))
    for months_ago, value in ((1, "180000"), (2, "240000"), (4, "95000"), (13, "120000")):
        departed = today.replace(day=1) - timedelta(days=30 * months_ago - 10)
        af.shipment(enterprise, departed_on=departed, lines=(("fruits", value, "12000"),))
    MarketRequirementFactory(
        scheme=SchemeFactory(code="GAPHOME", name_en="GLOBALG.A.P.", name_zh="全球良好农业规范")
    )
    application = SubmittedApplicationFactory(enterprise=enterprise, status="changes_requested")
    moving = ShipmentFactory(enterprise=enterprise, status="in_transit", reference="SH-2026-0815")
    ExcursionFactory(shipment=moving)
    ShipmentFactory(enterprise=enterprise, reference="SH-2026-0901")  # booked, not ready
    FinancingOfferFactory(request__enterprise=enterprise)
    CertificateFactory(enterprise=enterprise, expiry_date=today + timedelta(days=20))
    return application, moving


def notify(member, enterprise, application, moving):
    excursion = EventFactory(
        kind="shipment.temperature_excursion.started",
        enterprise=enterprise,
        payload=payload_for(
            "shipment.temperature_excursion.started",
            shipment_id=moving.pk,
            reference=moving.reference,
            peak_c=9.5,
        ),
    )
    changes = EventFactory(
        kind="certification.application.changes_requested",
        enterprise=enterprise,
        payload=payload_for(
            "certification.application.changes_requested",
            application_id=application.pk,
            scheme="GLOBALG.A.P.",
        ),
    )
    return [NotificationFactory(user=member, event=event) for event in (excursion, changes)]


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_an_exporter_sees_what_needs_attention_and_works_through_the_inbox(
    person, live_server, browser, screenshot_dir
):
    enterprise, member = cooperative(person)
    application, moving = a_busy_season(enterprise)
    notify(member, enterprise, application, moving)
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page

    visit.sign_in(member.email, DEFAULT_PASSWORD)
    page.wait_for_url("**/portal/")
    attention = page.locator(".attention li")
    assert attention.count() == 5
    assert page.get_by_text(
        visit.text("运单 SH-2026-0901 计划于", "Shipment SH-2026-0901 is due to leave")
    ).is_visible()
    assert page.locator("svg.chart").is_visible()
    visit.check()
    visit.screenshot(screenshot_dir, "home")

    # The change request's line leads to the application's page.
    page.get_by_role("link", name=visit.text("答复审核人员", "Answer the reviewer")).click()
    page.wait_for_url(f"**/portal/certification/applications/{application.pk}/")

    page.goto(f"{live_server.url}/portal/inbox/")
    assert page.get_by_text(
        visit.text("您有 2 条未读通知。", "You have 2 unread notifications.")
    ).is_visible()
    visit.check()

    # Mark one read in place (htmx): its row says so and the count follows.
    first_row = page.locator("tbody tr").first
    first_row.get_by_role("button", name=visit.text("标为已读", "Mark as read")).click()
    page.get_by_text(
        visit.text("您有 1 条未读通知。", "You have 1 unread notification.")
    ).wait_for()
    assert first_row.get_by_text(visit.text("已读", "Read"), exact=True).is_visible()
    visit.check()
    visit.screenshot(screenshot_dir, "inbox")

    # Following the other one (the excursion) opens its shipment's page and marks it read.
    page.locator("tbody tr").nth(1).get_by_role("link").click()
    page.wait_for_url(f"**/portal/shipments/{moving.pk}/")
    assert not member.notifications.filter(read_at__isnull=True).exists()

    page.goto(f"{live_server.url}/portal/inbox/?show=unread")
    assert page.get_by_text(
        visit.text("没有未读通知：您已处理完毕。", "Nothing unread: you are up to date.")
    ).is_visible()
    visit.check()
    visit.finish()
