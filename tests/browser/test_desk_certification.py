"""A certification body's auditor works through its desk: opens the queue of applications routed
to it, claims one, asks the exporter for a change with a comment; the exporter answers (through the
service, as its portal does) and the auditor approves after checking the answers, then sees the
certificate in the body's list."""

import pytest

from agri_platform.accounts.choices import PartnerKind
from certification import services
from tests import factories
from tests.certification.factories import (
    ApplicationDocumentFactory,
    SchemeFactory,
    SubmittedApplicationFactory,
)
from tests.factories import DEFAULT_PASSWORD

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_an_auditor_claims_asks_for_a_change_and_approves(
    person, live_server, browser, screenshot_dir
):
    body = factories.PartnerFactory(
        name="China Quality Certification Centre Sichuan",
        name_zh="中国质量认证中心四川",
        kind=PartnerKind.CERTIFICATION_BODY,
    )
    auditor = factories.PartnerUserFactory(partner=body, full_name="Li Wen")
    owner = factories.MembershipFactory(
        enterprise__name_zh="润兆渔业", enterprise__name_en="Runzhao Fishery"
    )
    scheme = SchemeFactory(
        code="ISO22000T",
        name_en="ISO 22000 food safety",
        name_zh="ISO 22000 食品安全管理体系",
        certification_body=body,
    )
    application = SubmittedApplicationFactory(enterprise=owner.enterprise, scheme=scheme)
    application.scope_products.set([factories.ProductFactory(enterprise=owner.enterprise)])
    ApplicationDocumentFactory(application=application)

    visit = Visit.start(browser, live_server.url, person)
    page = visit.page
    visit.sign_in(auditor.email, DEFAULT_PASSWORD)
    visit.go("/desk/applications/")
    assert page.get_by_text(visit.text("润兆渔业", "Runzhao Fishery")).first.is_visible()
    visit.check()

    label = visit.text(f"申请 #{application.pk}", f"Application #{application.pk}")
    page.get_by_role("link", name=label, exact=True).click()
    visit.check()
    page.get_by_role("button", name=visit.text("认领申请", "Claim the application")).click()
    assert page.get_by_text(
        visit.text("您已认领该申请", "You have claimed the application")
    ).is_visible()
    visit.check()

    page.get_by_text(visit.text("要求企业修改", "Ask the enterprise for changes")).click()
    send_back = visit.text("退回企业修改", "Send it back for changes")
    page.get_by_role("button", name=send_back).click()  # no comment: refused at the field
    assert page.get_by_text(
        visit.text("请说明需要修改的内容。", "Say what needs to change.")
    ).first.is_visible()
    visit.check()
    page.fill("#id_changes-comment", "Add the HACCP plan for the caviar line.")
    page.get_by_role("button", name=send_back).click()
    assert page.get_by_text("Add the HACCP plan for the caviar line.").is_visible()
    visit.check()

    # the exporter answers through its portal (the same service)
    services.application_submit(actor=owner.user, application=application)

    page.reload()
    visit.check()
    page.get_by_role("button", name=visit.text("认领申请", "Claim the application")).click()
    page.get_by_role("button", name=visit.text("批准", "Approve"), exact=True).click()
    assert page.get_by_role(
        "heading",
        name=visit.text("批准前请核对您填写的内容", "Check your answers before you approve"),
    ).is_visible()
    visit.check()
    page.get_by_role(
        "button", name=visit.text("批准并颁发证书", "Approve and issue the certificate")
    ).click()
    assert page.get_by_text(
        visit.text("申请已批准，证书已颁发。", "The application is approved")
    ).is_visible()
    visit.check()
    visit.screenshot(screenshot_dir, "desk-application")

    page.get_by_role(
        "link", name=visit.text("认证申请", "Certification applications")
    ).first.click()
    visit.check()
    page.get_by_role("link", name=visit.text("贵机构颁发的证书", "Certificates you issued")).click()
    application.refresh_from_db()
    number = application.certificate.number
    assert page.get_by_role("link", name=number).is_visible()
    visit.check()
    visit.finish()
