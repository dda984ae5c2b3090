"""The law firm's desk: a lawyer signs in, opens an assigned trademark case, reads the client's
message, keeps an internal note, answers the client and reports a designation for one country.
The exporter's and the officer's steps go through the services, before the lawyer's."""

import re

import pytest
from django.utils import translation

from agri_platform.accounts.choices import StaffRole
from legal import services
from legal.choices import DesignationStatus, LegalKind, LegalStatus
from legal.models import LegalMessage, LegalRequest
from tests import factories
from tests.factories import DEFAULT_PASSWORD
from tests.legal.factories import LawFirmFactory, LegalRequestFactory

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def in_language(visit, label) -> str:
    """A model's choice label as the person reads it."""
    with translation.override(visit.person.language):
        return str(label)


def assigned_trademark_case(firm) -> LegalRequest:
    countries = [
        factories.country(code, name) for code, name in [("VN", "Viet Nam"), ("MY", "Malaysia")]
    ]
    member = factories.MembershipFactory(
        enterprise__name_zh="润兆鱼子酱", enterprise__name_en="Runzhao Caviar"
    ).user
    case = services.request_create(
        actor=member,
        enterprise=member.memberships.get().enterprise,
        kind=LegalKind.TRADEMARK_REGISTRATION,
        title="Madrid filing for RUNZHAO",
        description="Extend our Chinese registration to Viet Nam and Malaysia.",
        trademark="RUNZHAO 润兆",
        designations=[{"country": country, "nice_classes": [29]} for country in countries],
    )
    officer = factories.StaffUserFactory(staff_role=StaffRole.OFFICER)
    case = services.request_assign(actor=officer, case=case, firm=firm)
    services.message_post(actor=member, case=case, body="Please file in Viet Nam first.")
    LegalRequestFactory(title="A contract to review", assigned_firm=None)  # not the firm's
    return case


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_lawyer_answers_a_client_keeps_a_note_and_reports_a_designation(
    person, live_server, browser, screenshot_dir
):
    firm = LawFirmFactory(name="Tianfu International Law Firm", name_zh="天府国际律师事务所")
    lawyer = factories.UserFactory(partner=firm, full_name="Li Ming", language=person.language)
    case = assigned_trademark_case(firm)
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page
    visit.sign_in(lawyer.email, DEFAULT_PASSWORD)

    # The desk's cases: the firm's case only, the client wrote last.
    page.get_by_role("link", name=visit.text("法律案件", "Legal cases")).first.click()
    page.wait_for_url("**/desk/cases/")
    row = page.locator("tr", has_text="Madrid filing for RUNZHAO")
    assert row.get_by_text(visit.text("客户最后留言", "The client wrote last")).is_visible()
    assert page.get_by_text("A contract to review").count() == 0
    visit.check()
    row.get_by_role("link", name="Madrid filing for RUNZHAO").click()
    page.wait_for_url(re.compile(r"/desk/cases/\d+/$"))

    # The case: the client's message; the lawyer starts work.
    thread = page.locator("#thread")
    assert thread.get_by_text("Please file in Viet Nam first.").is_visible()
    visit.check()
    page.get_by_role("button", name=visit.text("开始办理", "Start work")).click()
    started = in_language(visit, LegalStatus.IN_PROGRESS.label)
    page.locator(".page-header .badge", has_text=started).wait_for()

    # An internal note, then the reply: the thread updates in place (htmx).
    address = page.url
    thread = page.locator("#thread")
    thread.get_by_label(visit.text("留言或备注", "Message or note")).fill(
        "Prior mark search in VN shows no conflict."
    )
    thread.get_by_label(visit.text("内部备注", "Internal note"), exact=False).check()
    thread.get_by_role("button", name=visit.text("发布", "Post")).click()
    note = page.locator(".desk-legal-note", has_text="Prior mark search in VN")
    note.wait_for()
    assert note.get_by_text(
        visit.text("内部备注——客户看不到", "Internal note — not shown to the client")
    ).is_visible()
    thread = page.locator("#thread")
    thread.get_by_label(visit.text("留言或备注", "Message or note")).fill(
        "We will file in Viet Nam this week."
    )
    thread.get_by_role("button", name=visit.text("发布", "Post")).click()
    reply = page.locator("#thread .legal-message", has_text="We will file in Viet Nam this week.")
    reply.wait_for()
    assert reply.locator(".badge").count() == 0
    assert page.url == address
    assert LegalMessage.objects.get(body__startswith="Prior mark search").is_internal
    assert not LegalMessage.objects.get(body__startswith="We will file").is_internal
    visit.check()

    # Viet Nam is filed with WIPO.
    vietnam = page.locator("#designations tr", has_text=visit.text("越南", "Vietnam"))
    vietnam.get_by_label(visit.text("状态", "Status"), exact=True).select_option(
        DesignationStatus.FILED
    )
    vietnam.get_by_label(visit.text("给客户的说明", "Note for the client")).fill(
        "WIPO receipt 2026/123"
    )
    vietnam.get_by_role("button").click()
    page.wait_for_url("**#designations")
    vietnam = page.locator("#designations tr", has_text=visit.text("越南", "Vietnam"))
    filed = in_language(visit, DesignationStatus.FILED.label)
    assert vietnam.locator(".badge").inner_text() == filed
    designation = case.designations.get(country_id="VN")
    assert designation.status == DesignationStatus.FILED
    assert designation.note == "WIPO receipt 2026/123"
    assert page.locator(".desk-legal-note", has_text="Prior mark search in VN").is_visible()
    visit.check()
    visit.screenshot(screenshot_dir, "desk-case")
    visit.finish()
