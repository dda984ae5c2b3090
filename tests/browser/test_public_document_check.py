"""A customs officer, without an account, checks the certificate PDF an exporter sent: she opens
the certificate's page, takes its PDF from the address the page links, uploads it at the document
check and sees that it is exactly the one the platform issued, with its status now; a copy with one
byte changed is reported as not issued."""

from datetime import date

import pytest
from django.urls import reverse

from certification import numbers
from tests import factories
from tests.certification.factories import CertificateFactory, SchemeFactory

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def changed(content: bytes) -> bytes:
    middle = len(content) // 2
    return content[:middle] + bytes([content[middle] ^ 0x01]) + content[middle + 1 :]


def upload(visit, content: bytes, name: str):
    page = visit.page
    page.set_input_files(
        "#id_file", files=[{"name": name, "mimeType": "application/pdf", "buffer": content}]
    )
    page.get_by_role("button", name=visit.text("核验该文件", "Check the document")).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_customs_officer_checks_the_certificate_pdf_she_was_sent(
    person, live_server, browser, screenshot_dir
):
    enterprise = factories.EnterpriseFactory(
        name_zh="苍溪猕猴桃合作社", name_en="Cangxi Kiwifruit Cooperative"
    )
    scheme = SchemeFactory(
        code="GAPJOURNEY",
        name_en="China Good Agricultural Practice",
        name_zh="良好农业规范认证",
        certificate_prefix="GAPJ",
    )
    certificate = CertificateFactory(
        number=numbers.format_number("GAPJ", 2026, 12),
        enterprise=enterprise,
        scheme=scheme,
        issue_date=date(2026, 3, 1),
        expiry_date=date(2029, 2, 28),
    )

    visit = Visit.start(browser, live_server.url, person)
    page = visit.page

    # The certificate's page, and the PDF at the address it links.
    visit.go(reverse("public:certificate", kwargs={"number": certificate.number}))
    visit.check()
    response = page.request.get(
        visit.base_url + reverse("public:certificate-pdf", kwargs={"number": certificate.number})
    )
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    issued_pdf = response.body()

    # The document check, from the link every public page carries.
    page.get_by_role("link", name=visit.text("核验文件", "Check a document")).first.click()
    page.wait_for_url("**/verify/document/")
    visit.check()

    upload(visit, issued_pdf, f"{certificate.number}.pdf")
    answer = page.locator(".document-check__answer")
    answer.get_by_text(
        visit.text("这正是平台签发的 PDF", "This is exactly a PDF the platform issued")
    ).wait_for()
    assert certificate.number in answer.inner_text()
    assert visit.text("有效", "Active") in answer.locator(".badge").inner_text()
    visit.check()
    visit.screenshot(screenshot_dir, "document-check")

    upload(visit, changed(issued_pdf), "certificate-edited.pdf")
    answer.get_by_text(
        visit.text("这不是平台签发的文件", "Not a document the platform issued")
    ).wait_for()
    assert certificate.number not in answer.inner_text()
    visit.check()
    visit.finish()
