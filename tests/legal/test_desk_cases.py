"""The law firm's desk: what a lawyer sees and does on the cases assigned to the firm, through the
same selectors and services as the API."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from legal import services
from legal.choices import DesignationStatus, LegalKind, LegalStatus
from legal.models import LegalAttachment, LegalMessage, LegalRequest, MadridDesignation
from tests import factories
from tests.conftest import client_for
from tests.legal.factories import PDF, LegalRequestFactory

pytestmark = pytest.mark.django_db

CASES = reverse("desk:cases")
REQUESTS = "/api/v1/legal/requests/"


@pytest.fixture
def lawyer(firm):
    return factories.PartnerUserFactory(partner=firm, language="en", full_name="Li Lawyer")


@pytest.fixture
def desk(lawyer) -> Client:
    client = Client()
    client.force_login(lawyer)
    return client


@pytest.fixture
def officer_user(db):
    return factories.StaffUserFactory(staff_role="officer")


@pytest.fixture
def assign(officer_user):
    def assign(firm, **extra) -> LegalRequest:
        extra.setdefault("enterprise", factories.MembershipFactory().enterprise)
        case = LegalRequestFactory(**extra)
        return services.request_assign(actor=officer_user, case=case, firm=firm)

    return assign


@pytest.fixture
def trademark_case(assign, firm, countries, lawyer):
    case = assign(
        firm,
        kind=LegalKind.TRADEMARK_REGISTRATION,
        title="Madrid filing for RUNZHAO",
        trademark="RUNZHAO",
    )
    for code in ("VN", "MY"):
        MadridDesignation.objects.create(request=case, country=countries[code], nice_classes=[29])
    return services.request_start(actor=lawyer, case=case)


def case_url(case, name="case"):
    return reverse(f"desk:{name}", kwargs={"pk": case.pk})


def test_the_list_shows_only_the_firms_cases_with_filters_and_counts(
    desk, assign, firm, other_firm
):
    soon = timezone.localdate() + timedelta(days=5)
    contract = assign(firm, title="Distribution contract", deadline=soon)
    dispute = assign(firm, title="Unpaid caviar", kind=LegalKind.TRADE_DISPUTE)
    theirs = assign(other_firm, title="Another firm's case")
    LegalRequestFactory(title="Not assigned yet")

    page = desk.get(CASES).content.decode()
    assert "Distribution contract" in page and "Unpaid caviar" in page
    assert "Another firm&#x27;s case" not in page and "Not assigned yet" not in page
    assert case_url(contract) in page and case_url(theirs) not in page
    assert contract.enterprise.name_en in page

    by_kind = desk.get(CASES, {"kind": LegalKind.TRADE_DISPUTE}).content.decode()
    assert "Unpaid caviar" in by_kind and "Distribution contract" not in by_kind
    by_deadline = desk.get(CASES, {"deadline": "soon"}).content.decode()
    assert "Distribution contract" in by_deadline and "Unpaid caviar" not in by_deadline
    services.request_withdraw(actor=dispute.enterprise.memberships.first().user, case=dispute)
    done = desk.get(CASES, {"status": "done"}).content.decode()
    assert "Unpaid caviar" in done and "Distribution contract" not in done


def test_the_list_says_who_wrote_last(desk, assign, firm, lawyer):
    case = assign(firm, title="Distribution contract")
    member = case.enterprise.memberships.first().user
    services.message_post(actor=member, case=case, body="Here is the contract.")
    assert "The client wrote last" in desk.get(CASES).content.decode()
    services.message_post(actor=lawyer, case=case, body="Reading it.")
    services.message_post(actor=lawyer, case=case, body="Note to self", is_internal=True)
    page = desk.get(CASES).content.decode()
    assert "Your firm wrote last" in page and "The client wrote last" not in page


def test_the_list_takes_the_same_queries_for_more_cases(
    desk, assign, firm, lawyer, django_assert_max_num_queries
):
    def one_more():
        case = assign(firm)
        services.message_post(actor=lawyer, case=case, body="Hello")

    one_more()
    with django_assert_max_num_queries(30) as few:
        desk.get(CASES)
    for _ in range(3):
        one_more()
    with django_assert_max_num_queries(len(few.captured_queries)):
        desk.get(CASES)


def test_another_firms_case_and_file_are_not_found(desk, assign, other_firm):
    theirs = assign(other_firm)
    attachment = LegalAttachment.objects.create(
        request=theirs, title="x.pdf", file=SimpleUploadedFile("x.pdf", PDF), size=len(PDF)
    )
    assert desk.get(case_url(theirs)).status_code == 404
    assert desk.post(case_url(theirs, "case-message"), {"body": "Hi"}).status_code == 404
    assert not theirs.messages.exists()
    file_url = reverse("desk:case-file", kwargs={"request_pk": theirs.pk, "pk": attachment.pk})
    assert desk.get(file_url).status_code == 404


def test_the_case_page_shows_the_facts_files_and_the_thread_with_notes_marked(
    desk, trademark_case, lawyer
):
    case = trademark_case
    member = case.enterprise.memberships.first().user
    document = services.document_add(
        actor=member, case=case, upload=SimpleUploadedFile("contract.pdf", PDF), title="Contract"
    )
    services.message_post(actor=member, case=case, body="Please file in Viet Nam first.")
    services.message_post(actor=lawyer, case=case, body="Check prior marks.", is_internal=True)
    page = desk.get(case_url(case)).content.decode()
    assert "Madrid filing for RUNZHAO" in page and "RUNZHAO" in page
    assert "Please file in Viet Nam first." in page
    assert "Check prior marks." in page
    assert "Internal note — not shown to the client" in page
    assert page.count('class="legal-message legal-message--law_firm desk-legal-note"') == 1
    file_url = reverse("desk:case-file", kwargs={"request_pk": case.pk, "pk": document.pk})
    assert file_url in page
    download = desk.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_another_firms_internal_note_is_not_shown(desk, assign, firm, other_firm, officer_user):
    """After a reassignment the new firm does not read the old firm's notes."""
    old_lawyer = factories.PartnerUserFactory(partner=other_firm)
    case = assign(other_firm)
    services.message_post(actor=old_lawyer, case=case, body="Other firm note", is_internal=True)
    services.request_assign(actor=officer_user, case=case, firm=firm)
    page = desk.get(case_url(case)).content.decode()
    assert "Other firm note" not in page


def test_a_note_posted_from_the_desk_never_reaches_the_client(desk, trademark_case, lawyer):
    case = trademark_case
    response = desk.post(
        case_url(case, "case-message"), {"body": "Fee estimate: 3 hours.", "is_internal": "on"}
    )
    assert response.status_code == 302
    note = LegalMessage.objects.get(body="Fee estimate: 3 hours.")
    assert note.is_internal and note.author == lawyer
    desk.post(case_url(case, "case-message"), {"body": "We filed today."})
    assert not LegalMessage.objects.get(body="We filed today.").is_internal

    member = case.enterprise.memberships.first().user
    exporter = Client()
    exporter.force_login(member)
    portal = exporter.get(reverse("portal:legal-case", kwargs={"pk": case.pk})).content.decode()
    assert "We filed today." in portal and "Fee estimate" not in portal
    api = client_for(member).get(f"{REQUESTS}{case.pk}/messages/").json()
    bodies = [message["body"] for message in api["results"]]
    assert "We filed today." in bodies and "Fee estimate: 3 hours." not in bodies


def test_a_double_click_posts_the_message_once(desk, trademark_case):
    for _ in range(2):
        desk.post(case_url(trademark_case, "case-message"), {"body": "We filed today."})
    assert LegalMessage.objects.filter(body="We filed today.").count() == 1


def test_the_thread_comes_back_alone_with_htmx(desk, trademark_case):
    response = desk.post(
        case_url(trademark_case, "case-message"),
        {"body": "Quick note", "is_internal": "on"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith(
        '<section class="card" id="thread"'
    )
    assert "Quick note" in html and "Internal note — not shown to the client" in html


def test_an_empty_message_is_refused_at_the_field(desk, trademark_case):
    response = desk.post(case_url(trademark_case, "case-message"), {"body": "   "})
    assert response.status_code == 200
    assert 'id="id_body_error"' in response.content.decode()
    assert not trademark_case.messages.exists()


def test_the_firm_waits_for_the_client_starts_again_and_resolves(desk, trademark_case):
    case = trademark_case
    refused = desk.post(case_url(case, "case-await-client"), {"reason": " "})
    assert refused.status_code == 200
    assert 'id="id_reason_error"' in refused.content.decode()
    assert "Madrid filing for RUNZHAO" in refused.content.decode()  # the case page again

    desk.post(case_url(case, "case-await-client"), {"reason": "Send the mark in colour."})
    case.refresh_from_db()
    assert case.status == LegalStatus.AWAITING_CLIENT
    assert case.status_reason == "Send the mark in colour."
    # A second click is harmless.
    again = desk.post(case_url(case, "case-await-client"), {"reason": "Send the mark in colour."})
    assert again.status_code == 302

    desk.post(case_url(case, "case-start"))
    case.refresh_from_db()
    assert case.status == LegalStatus.IN_PROGRESS

    desk.post(case_url(case, "case-resolve"), {"resolution": "Registered under 1234567."})
    case.refresh_from_db()
    assert case.status == LegalStatus.RESOLVED and case.resolution == "Registered under 1234567."
    page = desk.get(case_url(case)).content.decode()
    assert case_url(case, "case-start") not in page and case_url(case, "case-resolve") not in page


def test_an_action_the_service_refuses_shows_the_reason(desk, assign, firm):
    case = assign(firm)  # assigned, not started: the firm cannot resolve yet
    response = desk.post(case_url(case, "case-resolve"), {"resolution": "Done."})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    case.refresh_from_db()
    assert case.status == LegalStatus.ASSIGNED


def test_the_firm_updates_a_designation(desk, trademark_case):
    case = trademark_case
    response = desk.post(
        case_url(case, "case-designation"),
        {"country": "VN", "status": DesignationStatus.FILED, "note": "WIPO receipt 2026/123"},
    )
    assert response.status_code == 302
    vietnam = case.designations.get(country_id="VN")
    assert vietnam.status == DesignationStatus.FILED and vietnam.note == "WIPO receipt 2026/123"
    assert case.designations.get(country_id="MY").status == DesignationStatus.REQUESTED


def test_a_country_not_designated_is_refused_on_the_form(desk, trademark_case, countries):
    response = desk.post(
        case_url(trademark_case, "case-designation"),
        {"country": "MX", "status": DesignationStatus.FILED},
    )
    assert response.status_code == 200
    assert "is not designated on this request" in response.content.decode()
    bad_status = desk.post(
        case_url(trademark_case, "case-designation"), {"country": "VN", "status": "granted"}
    )
    assert 'id="id_designation_vn_status_error"' in bad_status.content.decode()


def test_the_firm_adds_a_document(desk, trademark_case):
    response = desk.post(
        case_url(trademark_case, "case-document"),
        {"file": SimpleUploadedFile("filing.pdf", PDF), "title": "WIPO filing"},
    )
    assert response.status_code == 302
    assert trademark_case.documents.filter(title="WIPO filing").exists()


def test_the_case_page_takes_the_same_queries_for_a_longer_thread(
    desk, trademark_case, lawyer, django_assert_max_num_queries
):
    member = trademark_case.enterprise.memberships.first().user
    services.message_post(actor=member, case=trademark_case, body="One")
    with django_assert_max_num_queries(40) as few:
        desk.get(case_url(trademark_case))
    for number in range(3):
        services.message_post(
            actor=lawyer, case=trademark_case, body=f"Note {number}", is_internal=True
        )
        services.message_post(actor=member, case=trademark_case, body=f"Message {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        desk.get(case_url(trademark_case))
