"""A reviewer works the certification review queue in the Django admin, in a real browser."""

import pytest

from certification import services
from certification.models import Application, Certificate
from tests import factories
from tests.browser.conftest import admin_login
from tests.certification.factories import SchemeFactory, SubmittedApplicationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def apply_action(page, action: str, comment: str = "", note: str = "") -> None:
    page.select_option("#id_action", action)
    page.fill("#id_comment", comment)
    page.fill("#id_note", note)
    page.click("input[type=submit][value=Apply]")
    page.wait_for_load_state()


def test_reviewer_requests_changes_then_approves(live_server, browser, screenshot_dir):
    reviewer = factories.StaffUserFactory(staff_role="reviewer", email="reviewer@browser.example")
    owner = factories.UserFactory()
    membership = factories.MembershipFactory(user=owner)
    scheme = SchemeFactory(code="ISO9001B", certificate_prefix="QMS", required_documents=[])
    application = SubmittedApplicationFactory(
        enterprise=membership.enterprise, scheme=scheme, scope_note="Citrus packing line"
    )
    application.scope_products.add(factories.ProductFactory(enterprise=membership.enterprise))

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    admin_login(page, live_server.url, reviewer.email, factories.DEFAULT_PASSWORD)

    # The review queue: the application changelist, waiting applications first.
    page.goto(f"{live_server.url}/admin/certification/application/?status__exact=submitted")
    row_link = page.locator(f"#result_list a[href*='/{application.pk}/change/']")
    assert row_link.count() == 1
    page.screenshot(path=str(screenshot_dir / "review-queue.png"), full_page=True)
    row_link.click()
    page.click("text=Review: approve, reject")
    assert page.locator("#application-status").inner_text() == "Submitted"

    apply_action(page, "claim", note="Taking this one.")
    assert page.locator("#application-status").inner_text() == "Under review"
    apply_action(page, "request-changes", comment="Please add the HACCP plan to the scope.")
    assert page.locator("#application-status").inner_text() == "Changes requested"
    assert "Please add the HACCP plan" in page.locator("#timeline").inner_text()

    # The enterprise answers and resubmits (through the same service as its API).
    services.application_submit(actor=owner, application=Application.objects.get(pk=application.pk))
    page.reload()
    assert page.locator("#application-status").inner_text() == "Submitted"

    apply_action(page, "claim")
    apply_action(page, "approve", comment="Audit passed.", note="Checked on site.")
    assert page.locator("#application-status").inner_text() == "Approved"
    certificate = Certificate.objects.get(application_id=application.pk)
    assert certificate.number.startswith("QMS-")
    assert certificate.number in page.locator("#content-main").inner_text()
    timeline = page.locator("#timeline").inner_text()
    assert "Audit passed." in timeline and "Checked on site." in timeline
    page.screenshot(path=str(screenshot_dir / "review-approved.png"), full_page=True)

    application.refresh_from_db()
    assert application.status == "approved"
    assert application.decided_by == reviewer
