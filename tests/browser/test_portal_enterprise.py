"""Journey 2 in a browser: a new exporter registers the enterprise (a wrong USCC check character
explained at the field), uploads the business licence, sees it pending, reads the reviewer's reason after a rejection, corrects
the profile, sends it back, and invites a colleague."""

import pytest

from agri_platform.reference.loading import load_reference_data
from enterprises import services, uscc
from enterprises.models import Enterprise, Invitation
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .portal import PEOPLE, Visit

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_an_exporter_registers_answers_the_reviewer_and_invites_a_colleague(
    person, live_server, browser, screenshot_dir
):
    load_reference_data()
    founder = factories.UserFactory(language=person.language)
    code = uscc.make("915101180MA6TEXT1")
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page
    visit.sign_in(founder.email, DEFAULT_PASSWORD)

    visit.go("/portal/enterprise/")
    assert "/portal/enterprise/register/" in page.url
    visit.check()
    page.fill("#id_uscc", wrong.lower())
    page.fill("#id_name_zh", "新津柑橘出口合作社")
    page.fill("#id_name_en", "Xinjin Citrus Export Cooperative")
    page.select_option("#id_prefecture", "510100")
    page.fill("#id_county", "新津区")
    page.get_by_label(visit.text("水果", "Fruits")).check()
    page.get_by_role("button", name=visit.text("登记企业", "Register the enterprise")).click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    assert code[17] in page.locator("#id_uscc_error").inner_text()
    visit.check()

    page.fill("#id_uscc", code)
    page.get_by_role("button", name=visit.text("登记企业", "Register the enterprise")).click()
    page.wait_for_url("**/portal/enterprise/licence/")
    visit.check()
    page.locator("#id_file").set_input_files(
        {"name": "licence.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name=visit.text("上传营业执照", "Upload the licence")).click()
    page.wait_for_url("**/portal/enterprise/")
    assert page.get_by_role("link", name="licence.pdf").first.is_visible()
    assert page.locator(".badge").first.inner_text() == visit.text("待核验", "Pending verification")
    visit.check()

    enterprise = Enterprise.objects.get(uscc=code)
    services.enterprise_reject(
        enterprise=enterprise,
        reviewer=factories.StaffUserFactory(),
        reason=visit.text("营业执照扫描件不清晰", "The licence scan is unreadable"),
    )
    page.reload()
    assert page.get_by_text(visit.text("营业执照扫描件不清晰", "The licence scan is unreadable"))
    visit.check()
    visit.screenshot(screenshot_dir, "enterprise")

    page.get_by_role("link", name=visit.text("编辑资料", "Edit the profile")).first.click()
    page.fill("#id_address", visit.text("新津区花源街道 8 号", "8 Huayuan Street, Xinjin"))
    page.get_by_role("button", name=visit.text("保存资料", "Save the profile")).click()
    page.wait_for_url("**/portal/enterprise/")
    page.get_by_role("button", name=visit.text("重新提交审核", "Send for review again")).click()
    page.wait_for_url("**/portal/enterprise/")
    assert page.locator(".badge").first.inner_text() == visit.text("待核验", "Pending verification")

    visit.go("/portal/enterprise/members/")
    visit.check()
    page.fill("#id_email", "colleague@example.com")
    page.select_option("#id_role", "admin")
    page.get_by_role("button", name=visit.text("发送邀请", "Send the invitation")).click()
    page.wait_for_url("**/portal/enterprise/members/")
    assert page.get_by_role("cell", name="colleague@example.com").first.is_visible()
    assert Invitation.objects.get(email="colleague@example.com").role == "admin"
    visit.check()
    visit.finish()
