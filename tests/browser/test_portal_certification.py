"""Journey 4: a cooperative applies for GlobalG.A.P.: chooses the scheme, sees the documents to
upload as a checklist, uploads them, submits, answers the reviewer's change request and opens its
certificate. The reviewer's steps are the services a reviewer runs from the admin."""

import pytest

from certification import catalogue, services
from certification.models import Application
from tests import factories
from tests.certification.factories import PDF
from tests.factories import DEFAULT_PASSWORD

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def upload(page, kind: str, path) -> None:
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", str(path))
    page.locator("#documents form.form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_cooperative_applies_answers_a_change_request_and_gets_its_certificate(
    person, live_server, browser, screenshot_dir, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    catalogue.load()
    membership = factories.MembershipFactory(
        enterprise__name_zh="新津柑橘合作社", enterprise__name_en="Xinjin Citrus Cooperative"
    )
    factories.ProductFactory(enterprise=membership.enterprise)
    factories.ProductionBaseFactory(enterprise=membership.enterprise, name="Xinjin orchard")
    reviewer = factories.StaffUserFactory(staff_role="reviewer")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)

    visit = Visit.start(browser, live_server.url, person)
    page = visit.page
    visit.sign_in(membership.user.email, DEFAULT_PASSWORD)
    visit.go("/portal/certification/")
    visit.check()
    page.get_by_role("link", name=visit.text("申请认证", "Apply for a certificate")).click()
    page.wait_for_url("**/applications/new/")
    visit.check()
    page.get_by_label(visit.text("全球良好农业规范", "GlobalG.A.P."), exact=False).check()
    page.get_by_label(visit.text("爱媛柑橘", "Ai Yuan mandarin"), exact=False).check()
    page.get_by_role("button", name=visit.text("创建申请", "Create the application")).click()
    page.wait_for_url("**/certification/applications/*/")
    application = Application.objects.get(enterprise=membership.enterprise)
    assert page.get_by_text(
        visit.text("还缺少 3 份必需文件。", "3 required documents are still missing.")
    ).is_visible()
    visit.check()

    # submitting too early names what is missing
    page.get_by_role("button", name=visit.text("提交申请", "Submit the application")).click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    visit.check()

    for kind in application.scheme.required_documents:
        upload(page, kind, scan)
    assert page.get_by_text(
        visit.text("还缺少 0 份必需文件。", "0 required documents are still missing.")
    ).is_visible()
    page.get_by_role("button", name=visit.text("提交申请", "Submit the application")).click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == "submitted"

    # the reviewer asks for a signed site plan (as in the admin)
    services.application_claim(actor=reviewer, application=application)
    services.application_request_changes(
        actor=reviewer, application=application, comment="Please sign the site plan."
    )
    page.reload()
    assert page.get_by_text("Please sign the site plan.").first.is_visible()
    visit.check()
    visit.screenshot(screenshot_dir, "application")
    upload(page, "site_plan", scan)
    page.get_by_role("button", name=visit.text("重新提交申请", "Resubmit the application")).click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == "submitted"

    services.application_claim(actor=reviewer, application=application)
    certificate = services.application_approve(actor=reviewer, application=application)
    page.reload()
    page.get_by_role("link", name=visit.text("查看证书", "View the certificate")).click()
    page.wait_for_url(f"**/certificates/{certificate.pk}/")
    assert page.get_by_role("heading", name=certificate.number, exact=False).is_visible()
    visit.check()
    page.get_by_role("link", name=visit.text("可打印证书", "Printable certificate")).click()
    page.wait_for_url("**/print/")
    visit.check()
    visit.finish()
