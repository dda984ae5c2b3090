"""Journey 8: an exporter asks for a Madrid trademark registration, talks with the law firm in the
case thread, follows the designations per country and closes the case. The officer's and the law
firm's steps go through the services, between the exporter's."""

import re

import pytest
from django.utils import translation

from agri_platform.accounts.choices import StaffRole
from legal import services
from legal.choices import DesignationStatus, LegalStatus
from legal.models import LegalMessage, LegalRequest
from tests import factories
from tests.factories import DEFAULT_PASSWORD
from tests.legal.factories import LawFirmFactory

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def in_language(visit, label) -> str:
    """A model's choice label as the person reads it."""
    with translation.override(visit.person.language):
        return str(label)


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_an_exporter_registers_a_trademark_abroad_with_a_law_firm(
    person, live_server, browser, screenshot_dir
):
    for code, name in [("VN", "Viet Nam"), ("MX", "Mexico"), ("MY", "Malaysia")]:
        factories.country(code, name)
    member = factories.MembershipFactory(
        enterprise__name_zh="润兆鱼子酱", enterprise__name_en="Runzhao Caviar"
    ).user
    firm = LawFirmFactory(name="Tianfu International Law Firm", name_zh="天府国际律师事务所")
    lawyer = factories.UserFactory(partner=firm)
    officer = factories.StaffUserFactory(staff_role=StaffRole.OFFICER)
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page
    visit.sign_in(member.email, DEFAULT_PASSWORD)

    # The legal page: nothing yet, and what to do.
    visit.go("/portal/legal/")
    assert page.get_by_text(visit.text("还没有法律案件", "You have no legal case yet")).is_visible()
    visit.check()
    page.get_by_role("link", name=visit.text("申请法律服务", "Ask for legal help")).click()

    # Step one: the kind of help.
    page.get_by_label(
        visit.text("境外商标注册（马德里体系）", "Overseas trademark registration (Madrid)")
    ).check()
    page.get_by_role("button", name=visit.text("继续", "Continue")).click()
    page.wait_for_url("**/portal/legal/new/?kind=trademark_registration")
    visit.check()

    # Step two: a first try without countries is refused at the field, in the person's language.
    page.get_by_label(visit.text("标题", "Title")).fill("Madrid filing for our caviar mark")
    page.get_by_label(visit.text("要注册的商标", "The mark to register")).fill("RUNZHAO 润兆")
    page.get_by_label(visit.text("尼斯分类", "Nice classes")).fill("29")
    page.get_by_label(
        visit.text("发生了什么，需要什么帮助？", "What happened, and what do you need?")
    ).fill("Extend our Chinese registration to our new markets.")
    page.get_by_role("button", name=visit.text("提交申请", "Send the request")).click()
    assert page.locator(".error-summary").is_visible()
    visit.check()
    for name in [("越南", "Vietnam"), ("墨西哥", "Mexico"), ("马来西亚", "Malaysia")]:
        page.get_by_label(visit.text(*name), exact=True).check()
    page.get_by_role("button", name=visit.text("提交申请", "Send the request")).click()
    page.wait_for_url(re.compile(r"/portal/legal/\d+/$"))
    case = LegalRequest.objects.get()
    assert case.created_by == member and case.designations.count() == 3
    submitted = in_language(visit, LegalStatus.SUBMITTED.label)
    assert page.locator(".page-header .badge").inner_text() == submitted
    visit.check()

    # The officer assigns the firm; the firm starts, asks, keeps a note and files in Viet Nam.
    services.request_assign(actor=officer, case=case, firm=firm)
    services.request_start(actor=lawyer, case=case)
    services.message_post(actor=lawyer, case=case, body="Please send the mark in colour.")
    services.message_post(
        actor=lawyer, case=case, body="Prior mark search in MX pending.", is_internal=True
    )
    services.designation_update(
        actor=lawyer,
        case=case,
        country_code="VN",
        status=DesignationStatus.FILED,
        note="WIPO receipt 2026/123",
    )

    page.reload()
    thread = page.locator("#thread")
    assert thread.get_by_text("Please send the mark in colour.").is_visible()
    assert page.get_by_text("Prior mark search in MX pending.").count() == 0
    assert page.get_by_text(
        "天府国际律师事务所" if person.is_chinese else "Tianfu"
    ).first.is_visible()
    vietnam = page.locator("tr", has_text=visit.text("越南", "Vietnam"))
    assert vietnam.locator(".badge").inner_text() == in_language(
        visit, DesignationStatus.FILED.label
    )
    assert vietnam.get_by_text("WIPO receipt 2026/123").is_visible()

    # The exporter answers with the mark in colour: the thread updates in place (htmx).
    address = page.url
    thread.get_by_label(visit.text("您的留言", "Your message")).fill("Here it is, in colour.")
    thread.get_by_label(visit.text("附件", "Attach files")).set_input_files(
        files=[{"name": "mark.png", "mimeType": "image/png", "buffer": PNG}]
    )
    thread.get_by_role("button", name=visit.text("发送", "Send")).click()
    page.locator("#thread").get_by_text("Here it is, in colour.").wait_for()
    assert page.url == address
    assert page.locator("#thread").get_by_role("link", name="mark.png").is_visible()
    assert LegalMessage.objects.filter(author=member, attachments__title="mark.png").exists()
    visit.check()
    visit.screenshot(screenshot_dir, "legal")

    # The firm resolves; the exporter reads the resolution and closes the case.
    services.request_resolve(
        actor=lawyer, case=case, resolution="International registration 1234567 designating VN."
    )
    page.reload()
    assert page.get_by_text("International registration 1234567").is_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=visit.text("关闭案件", "Close the case")).click()
    page.wait_for_load_state()
    closed = in_language(visit, LegalStatus.CLOSED.label)
    page.locator(".page-header .badge", has_text=closed).wait_for()
    assert page.get_by_label(visit.text("您的留言", "Your message")).count() == 0
    case.refresh_from_db()
    assert case.status == LegalStatus.CLOSED and case.closed_by == member
    visit.check()

    # The list shows it closed.
    visit.go("/portal/legal/")
    row = page.locator("tr", has_text="Madrid filing for our caviar mark")
    assert row.locator(".badge").inner_text() == closed
    visit.check()
    visit.finish()
