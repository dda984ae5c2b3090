"""A buyer without an account checks the certificates an exporter sent: types the first number as
printed (lower case, spaces) into the search on /verify/, sees it valid and who holds it; checks a
second one and sees it suspended, without the platform's reason; mistypes a third and is told no
certificate has that number."""

from datetime import UTC, datetime

import pytest

from certification import numbers
from certification.choices import CertificateStatus
from enterprises.choices import VerificationStatus
from tests import factories
from tests.certification.factories import CertificateFactory, SchemeFactory

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

SECRET_REASON = "Residue test failed at the packhouse"


def certificates():
    enterprise = factories.EnterpriseFactory(
        name_zh="润兆渔业", name_en="Runzhao Fishery", status=VerificationStatus.VERIFIED
    )
    scheme = SchemeFactory(
        code="ISO9001B",
        name_en="ISO 9001 quality management",
        name_zh="ISO 9001 质量管理体系认证",
        certificate_prefix="QMS",
        issuer="China Quality Certification Centre",
    )
    caviar = factories.ProductFactory(
        enterprise=enterprise, name_zh="鲟鱼子酱", name_en="Sturgeon caviar"
    )
    valid = CertificateFactory(
        enterprise=enterprise,
        scheme=scheme,
        number=numbers.format_number("QMS", 2026, 42),
        scope_summary="Caviar processing and packing",
    )
    valid.scope_products.set([caviar])
    suspended = CertificateFactory(
        enterprise=enterprise,
        scheme=scheme,
        number=numbers.format_number("QMS", 2026, 57),
        status=CertificateStatus.SUSPENDED,
        status_reason=SECRET_REASON,
        status_changed_at=datetime(2026, 3, 4, 2, 0, tzinfo=UTC),
    )
    return valid, suspended


def as_printed(number: str) -> str:
    """How a buyer types it off the paper: lower case, spaces for the dashes."""
    return " ".join(number.lower().split("-"))


def search(visit, typed: str) -> None:
    page = visit.page
    page.get_by_label(visit.text("证书编号", "Certificate number"), exact=True).fill(typed)
    page.get_by_role("button", name=visit.text("查询编号", "Check the number")).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_buyer_checks_a_valid_a_suspended_and_a_mistyped_certificate_number(
    person, live_server, browser, screenshot_dir
):
    valid, suspended = certificates()
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page

    # The search: what a number looks like, then the first number as printed.
    visit.go("/verify/")
    assert page.locator("html").get_attribute("lang") == visit.text("zh-Hans", "en")
    heading = visit.text("核验证书", "Check a certificate")
    assert page.get_by_role("heading", level=1).inner_text() == heading
    visit.check()
    search(visit, as_printed(valid.number))
    page.wait_for_url(f"**/verify/{valid.number}/")
    assert page.locator(".badge").first.inner_text() == visit.text("有效", "Valid")
    assert page.get_by_text("润兆渔业").is_visible()
    assert page.get_by_text("Runzhao Fishery").is_visible()
    assert page.get_by_text(visit.text("鲟鱼子酱", "Sturgeon caviar")).is_visible()
    visit.check()
    visit.screenshot(screenshot_dir, "verify-certificate")

    # The second number, from the search box at the top of the page.
    search(visit, suspended.number)
    page.wait_for_url(f"**/verify/{suspended.number}/")
    assert page.locator(".badge").first.inner_text() == visit.text("已暂停", "Suspended")
    assert (
        page.locator(".certificate-meaning")
        .inner_text()
        .startswith(visit.text("此证书自", "This certificate is suspended since"))
    )
    assert SECRET_REASON not in page.content()
    visit.check()

    # A typing mistake in the last character: no certificate has that number.
    mistyped = suspended.number[:-1] + ("X" if suspended.number[-1] != "X" else "Y")
    search(visit, mistyped)
    assert page.get_by_role("heading", level=1).inner_text() == visit.text(
        "没有证书使用此编号", "No certificate has this number"
    )
    assert page.locator(".certificate-echo").inner_text() == mistyped
    visit.check()
    # The not-found page answers 404 on purpose, and Chromium logs that as a console error:
    # expect exactly that one, so that any other still fails the journey.
    visit.problems.remove(
        f"{page.url}: Failed to load resource: the server responded with a status of 404 "
        "(Not Found)"
    )
    visit.finish()
