"""The portal's legal pages: what an exporter sees and does, through the same services as the API."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from agri_platform.events.models import Event
from legal import services
from legal.choices import DesignationStatus, LegalKind, LegalStatus
from legal.models import LegalAttachment, LegalMessage, LegalRequest
from tests import factories
from tests.legal.factories import PDF, LegalRequestFactory

pytestmark = pytest.mark.django_db

NEW = reverse("portal:legal-new")


@pytest.fixture
def member(enterprise_user):
    enterprise_user.language = "en"
    enterprise_user.save(update_fields=["language"])
    return enterprise_user


@pytest.fixture
def browser(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def chinese(member):
    member.language = "zh-hans"
    member.save(update_fields=["language"])


def case_url(case, name="legal-case"):
    return reverse(f"portal:{name}", kwargs={"pk": case.pk})


def assigned_case(enterprise, firm, **extra) -> LegalRequest:
    case = LegalRequestFactory(enterprise=enterprise, **extra)
    return services.request_assign(
        actor=factories.StaffUserFactory(staff_role="officer"), case=case, firm=firm
    )


def trademark_form(**overrides):
    data = {
        "kind": LegalKind.TRADEMARK_REGISTRATION,
        "title": "Madrid filing for our caviar mark",
        "description": "Extend our Chinese registration.",
        "trademark": "RUNZHAO",
        "designations": ["VN", "MY"],
        "nice_classes": "29, 31",
        "deadline": (timezone.localdate() + timedelta(days=60)).isoformat(),
    }
    data.update(overrides)
    return data


def test_the_list_shows_only_the_enterprises_cases_and_filters(
    browser, enterprise, other_enterprise
):
    mine = LegalRequestFactory(enterprise=enterprise, title="Our distribution contract")
    LegalRequestFactory(enterprise=enterprise, title="Old dispute", status=LegalStatus.WITHDRAWN)
    LegalRequestFactory(enterprise=other_enterprise, title="Their secret case")
    page = browser.get(reverse("portal:legal")).content.decode()
    assert "Our distribution contract" in page and "Old dispute" in page
    assert "Their secret case" not in page
    assert case_url(mine) in page
    filtered = browser.get(reverse("portal:legal"), {"status": "open"}).content.decode()
    assert "Our distribution contract" in filtered and "Old dispute" not in filtered
    searched = browser.get(reverse("portal:legal"), {"q": "dispute"}).content.decode()
    assert "Old dispute" in searched and "Our distribution contract" not in searched


def test_an_empty_list_says_what_to_do(browser):
    page = browser.get(reverse("portal:legal")).content.decode()
    assert "You have no legal case yet" in page
    assert NEW in page


def test_a_new_case_starts_with_the_kind(browser, countries):
    page = browser.get(NEW).content.decode()
    assert 'type="radio"' in page and "Overseas trademark registration (Madrid)" in page
    details = browser.get(NEW, {"kind": "contract_review"}).content.decode()
    assert 'name="title"' in details and 'name="designations"' not in details
    trademark = browser.get(NEW, {"kind": "trademark_registration"}).content.decode()
    assert 'name="designations"' in trademark and 'name="trademark"' in trademark


def test_a_trademark_case_is_filed_through_the_service(browser, member, countries):
    response = browser.post(NEW + "?kind=trademark_registration", trademark_form())
    case = LegalRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == case_url(case)
    assert case.created_by == member and case.status == LegalStatus.SUBMITTED
    assert {(d.country_id, tuple(d.nice_classes)) for d in case.designations.all()} == {
        ("VN", (29, 31)),
        ("MY", (29, 31)),
    }
    assert Event.objects.filter(kind="legal.request.submitted").count() == 1
    page = browser.get(case_url(case)).content.decode()
    assert "Vietnam" in page and "Malaysia" in page and "Requested" in page


def test_a_contract_review_with_its_contract(browser, countries):
    upload = SimpleUploadedFile("contract.pdf", PDF, content_type="application/pdf")
    data = {
        "kind": "contract_review",
        "title": "Contract with our Malaysian importer",
        "description": "Please read clause 7.",
        "country": "MY",
        "document": upload,
    }
    response = browser.post(NEW + "?kind=contract_review", data)
    assert response.status_code == 302
    case = LegalRequest.objects.get()
    assert list(case.countries.values_list("code", flat=True)) == ["MY"]
    assert case.documents.get().title == "contract.pdf"


def test_the_services_refusals_land_on_their_fields(browser, countries):
    response = browser.post(
        NEW, trademark_form(trademark=" ", designations=[], deadline="2020-01-01")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "designations" in form.errors  # a required choice: the form's own check
    response = browser.post(NEW, trademark_form(trademark=" ", deadline="2020-01-01"))
    assert "trademark" in response.context["form"].errors
    response = browser.post(NEW, trademark_form(deadline="2020-01-01"))
    assert response.context["form"].errors == {"deadline": ["The deadline is in the past."]}
    response = browser.post(NEW, trademark_form(nice_classes="29, fish"))
    assert "nice_classes" in response.context["form"].errors
    assert not LegalRequest.objects.exists()


def test_a_refused_document_leaves_no_case_behind(browser):
    text = SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain")
    response = browser.post(
        NEW,
        {"kind": "trade_dispute", "title": "Unpaid", "description": "Unpaid.", "document": text},
    )
    assert response.status_code == 200
    assert "PDF, JPEG and PNG" in str(response.context["form"].errors["document"])
    assert not LegalRequest.objects.exists()


def test_errors_speak_chinese(browser, chinese, countries):
    response = browser.post(NEW, trademark_form(deadline="2020-01-01"))
    with translation.override("zh-hans"):
        expected = services._("The deadline is in the past.")
    assert response.context["form"].errors["deadline"] == [expected]
    assert expected != "The deadline is in the past."
    assert "截止" in response.content.decode() or expected in response.content.decode()


def test_an_unverified_enterprise_is_told_before_it_types(browser, enterprise):
    enterprise.status = "pending"
    enterprise.save(update_fields=["status"])
    page = browser.get(NEW, {"kind": "contract_review"}).content.decode()
    assert "must be verified first" in page


def test_the_thread_hides_the_firms_internal_notes(browser, enterprise, firm):
    case = assigned_case(enterprise, firm)
    firm_user = factories.UserFactory(partner=firm)
    services.request_start(actor=firm_user, case=case)
    services.message_post(actor=firm_user, case=case, body="Please send the contract.")
    services.message_post(
        actor=firm_user, case=case, body="Check clause 7 secretly.", is_internal=True
    )
    page = browser.get(case_url(case)).content.decode()
    assert "Please send the contract." in page
    assert "Check clause 7 secretly." not in page
    assert "Firm A" in page


def test_a_message_with_htmx_updates_the_thread_in_place(browser, member, enterprise, firm):
    case = assigned_case(enterprise, firm)
    upload = SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf")
    response = browser.post(
        case_url(case, "legal-case-message"),
        {"body": "Our certificate is attached.", "attachments": [upload]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="thread"')
    assert "<html" not in html and "Our certificate is attached." in html
    message = LegalMessage.objects.get()
    assert message.author == member and message.attachments.get().title == "cert.pdf"
    assert Event.objects.filter(kind="legal.message.posted").count() == 1
    empty = browser.post(case_url(case, "legal-case-message"), {"body": ""}, HTTP_HX_REQUEST="true")
    assert "error-summary" in empty.content.decode()


def test_a_message_without_javascript_returns_to_the_case(browser, enterprise, firm):
    case = assigned_case(enterprise, firm)
    response = browser.post(case_url(case, "legal-case-message"), {"body": "Hello"})
    assert response.status_code == 302 and response["Location"].endswith("#thread")
    refused = browser.post(case_url(case, "legal-case-message"), {"body": "   "})
    assert refused.status_code == 200
    assert refused.context["message_form"].errors["body"]
    assert browser.get(case_url(case, "legal-case-message")).status_code == 302


def test_a_closed_case_takes_no_message(browser, enterprise, firm):
    case = LegalRequestFactory(enterprise=enterprise, status=LegalStatus.CLOSED)
    page = browser.get(case_url(case)).content.decode()
    assert 'name="body"' not in page
    response = browser.post(case_url(case, "legal-case-message"), {"body": "One more"})
    assert response.status_code == 200
    assert response.context["message_form"].non_field_errors()
    assert not LegalMessage.objects.exists()


def test_designations_show_their_status_per_country(browser, enterprise, firm, countries):
    case = services.request_create(
        actor=browser_user(enterprise),
        enterprise=enterprise,
        kind=LegalKind.TRADEMARK_REGISTRATION,
        title="Mark",
        description="Mark.",
        trademark="RUNZHAO",
        designations=[{"country": countries["VN"], "nice_classes": [29]}],
    )
    firm_user = factories.UserFactory(partner=firm)
    services.request_assign(
        actor=factories.StaffUserFactory(staff_role="officer"), case=case, firm=firm
    )
    services.designation_update(
        actor=firm_user,
        case=case,
        country_code="VN",
        status=DesignationStatus.FILED,
        note="WIPO receipt 2026/123",
    )
    page = browser.get(case_url(case)).content.decode()
    assert "Filed with WIPO" in page and "WIPO receipt 2026/123" in page


def browser_user(enterprise):
    return enterprise.memberships.first().user


def test_documents_upload_and_download(browser, enterprise, other_enterprise):
    case = LegalRequestFactory(enterprise=enterprise)
    upload = SimpleUploadedFile("invoice.pdf", PDF, content_type="application/pdf")
    response = browser.post(
        case_url(case, "legal-case-document"), {"file": upload, "title": "Invoice 7"}
    )
    assert response.status_code == 302
    document = LegalAttachment.objects.get()
    assert document.title == "Invoice 7"
    assert Event.objects.filter(kind="legal.request.document_added").exists()
    download = reverse("portal:legal-document", kwargs={"request_pk": case.pk, "pk": document.pk})
    assert download in browser.get(case_url(case)).content.decode()
    file = browser.get(download)
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    theirs = LegalRequestFactory(enterprise=other_enterprise)
    their_document = LegalAttachment.objects.create(
        request=theirs, title="x", file=document.file.name, content_type="application/pdf", size=1
    )
    other = reverse(
        "portal:legal-document", kwargs={"request_pk": theirs.pk, "pk": their_document.pk}
    )
    assert browser.get(other).status_code == 404


def test_an_internal_notes_attachment_is_not_downloadable(browser, enterprise, firm):
    case = assigned_case(enterprise, firm)
    firm_user = factories.UserFactory(partner=firm)
    services.request_start(actor=firm_user, case=case)
    note = services.message_post(
        actor=firm_user,
        case=case,
        body="Internal",
        is_internal=True,
        attachments=[SimpleUploadedFile("memo.pdf", PDF)],
    )
    attachment = note.attachments.get()
    address = reverse("portal:legal-document", kwargs={"request_pk": case.pk, "pk": attachment.pk})
    assert browser.get(address).status_code == 404


def test_close_a_resolved_case(browser, member, enterprise, firm):
    case = LegalRequestFactory(
        enterprise=enterprise, assigned_firm=firm, status=LegalStatus.RESOLVED, resolution="Done."
    )
    page = browser.get(case_url(case)).content.decode()
    assert "Close the case" in page and "Done." in page
    response = browser.post(case_url(case, "legal-case-close"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == LegalStatus.CLOSED and case.closed_by == member
    assert Event.objects.filter(kind="legal.request.closed").exists()
    again = browser.post(case_url(case, "legal-case-close"))
    assert again.status_code == 200 and again.context["close_form"].non_field_errors()


def test_withdraw_asks_once_then_withdraws(browser, enterprise):
    case = LegalRequestFactory(enterprise=enterprise)
    assert case_url(case, "legal-case-withdraw") in browser.get(case_url(case)).content.decode()
    page = browser.get(case_url(case, "legal-case-withdraw")).content.decode()
    assert "cannot be undone" in page
    response = browser.post(case_url(case, "legal-case-withdraw"), {"reason": "Settled."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == LegalStatus.WITHDRAWN and case.status_reason == "Settled."
    assert Event.objects.filter(kind="legal.request.withdrawn").exists()


def test_another_enterprises_case_is_not_found(browser, other_enterprise):
    theirs = LegalRequestFactory(enterprise=other_enterprise)
    for name in ("legal-case", "legal-case-withdraw", "legal-case-message"):
        assert browser.get(case_url(theirs, name)).status_code == 404
    for name in ("legal-case-message", "legal-case-close", "legal-case-withdraw"):
        assert browser.post(case_url(theirs, name), {"body": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == LegalStatus.SUBMITTED and not LegalMessage.objects.exists()
