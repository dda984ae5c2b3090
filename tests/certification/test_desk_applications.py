"""The certification body's desk: the queue of routed applications, one application with the
actions the workflow allows, the confirmation before a decision, and the certificates it issued."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agri_platform.accounts.choices import PartnerKind
from certification import services
from certification.choices import ApplicationStatus
from certification.models import Certificate, TimelineEntry
from tests import factories
from tests.certification.factories import (
    ApplicationDocumentFactory,
    ApplicationFactory,
    SchemeFactory,
    SubmittedApplicationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(db):
    return factories.PartnerFactory(kind=PartnerKind.CERTIFICATION_BODY)


@pytest.fixture
def auditor(body):
    return factories.PartnerUserFactory(partner=body, language="en")


@pytest.fixture
def client(client, auditor):
    client.force_login(auditor)
    return client


@pytest.fixture
def body_scheme(body):
    return SchemeFactory(certification_body=body, name_en="Food safety test scheme")


@pytest.fixture
def routed(enterprise, body_scheme):
    return SubmittedApplicationFactory(enterprise=enterprise, scheme=body_scheme)


def page(application, name="desk:application"):
    return reverse(name, kwargs={"pk": application.pk})


def test_the_queue_lists_what_is_routed_oldest_first_with_overdue_in_words(
    client, enterprise, body_scheme
):
    now = timezone.now()
    late = SubmittedApplicationFactory(
        enterprise=enterprise,
        scheme=body_scheme,
        submitted_at=now - timedelta(days=20),
        sla_due_at=now - timedelta(days=1),
    )
    recent = SubmittedApplicationFactory(enterprise=enterprise, scheme=body_scheme)
    draft = ApplicationFactory(enterprise=enterprise, scheme=body_scheme)
    elsewhere = SubmittedApplicationFactory(enterprise=enterprise)
    html = client.get(reverse("desk:applications")).content.decode()
    assert html.index(page(late)) < html.index(page(recent))
    assert page(draft) not in html and page(elsewhere) not in html
    assert "Overdue" in html
    overdue_only = client.get(reverse("desk:applications"), {"due": "overdue"}).content.decode()
    assert page(late) in overdue_only and page(recent) not in overdue_only


def test_the_queue_filters_by_status_and_scheme(client, enterprise, body, body_scheme, routed):
    withdrawn = SubmittedApplicationFactory(
        enterprise=enterprise, scheme=SchemeFactory(certification_body=body), status="withdrawn"
    )
    waiting = client.get(reverse("desk:applications")).content.decode()
    assert page(routed) in waiting and page(withdrawn) not in waiting
    ended = client.get(reverse("desk:applications"), {"status": "withdrawn"}).content.decode()
    assert page(withdrawn) in ended and page(routed) not in ended
    by_scheme = client.get(
        reverse("desk:applications"), {"status": "", "scheme": body_scheme.code}
    ).content.decode()
    assert page(routed) in by_scheme and page(withdrawn) not in by_scheme


def test_the_application_page_shows_scope_documents_and_the_claim(client, routed):
    document = ApplicationDocumentFactory(application=routed)
    response = client.get(page(routed))
    html = response.content.decode()
    assert response.status_code == 200
    assert routed.enterprise.name_en in html or routed.enterprise.name_zh in html
    assert reverse("desk:application-claim", kwargs={"pk": routed.pk}) in html
    assert reverse("desk:application-approve", kwargs={"pk": routed.pk}) not in html
    download = reverse(
        "desk:application-document", kwargs={"application_pk": routed.pk, "pk": document.pk}
    )
    assert download in html
    assert client.get(download).status_code == 200


def test_claim_then_request_changes_with_a_comment(client, auditor, routed):
    response = client.post(page(routed, "desk:application-claim"), {"claim-note": "Mine."})
    assert response.status_code == 302
    routed.refresh_from_db()
    assert routed.status == ApplicationStatus.UNDER_REVIEW and routed.reviewer == auditor
    response = client.post(page(routed, "desk:application-request-changes"), {})
    assert response.status_code == 200
    assert "Say what needs to change." in response.content.decode()
    response = client.post(
        page(routed, "desk:application-request-changes"),
        {"changes-comment": "Upload the HACCP plan."},
    )
    assert response.status_code == 302
    routed.refresh_from_db()
    assert routed.status == ApplicationStatus.CHANGES_REQUESTED


def test_approving_asks_to_check_the_answers_first(client, auditor, routed):
    services.application_claim(actor=auditor, application=routed)
    today = str(timezone.localdate())
    response = client.post(page(routed, "desk:application-approve"), {"approve-issue_date": today})
    assert response.status_code == 200
    assert "Check your answers" in response.content.decode()
    assert not Certificate.objects.filter(application=routed).exists()
    response = client.post(
        page(routed, "desk:application-approve"),
        {"approve-issue_date": today, "approve-confirmed": "on"},
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get(application=routed)
    assert certificate.issued_by == auditor
    # a second click finds it approved: the page again with the reason, nothing new issued
    again = client.post(
        page(routed, "desk:application-approve"),
        {"approve-issue_date": today, "approve-confirmed": "on"},
    )
    assert again.status_code == 200
    assert Certificate.objects.filter(application=routed).count() == 1
    listed = client.get(reverse("desk:certificates")).content.decode()
    assert reverse("public:certificate", kwargs={"number": certificate.number}) in listed


def test_a_future_issue_date_is_refused_at_the_field(client, auditor, routed):
    services.application_claim(actor=auditor, application=routed)
    tomorrow = str(timezone.localdate() + timedelta(days=1))
    response = client.post(
        page(routed, "desk:application-approve"),
        {"approve-issue_date": tomorrow, "approve-confirmed": "on"},
    )
    assert response.status_code == 200
    assert "The issue date cannot be in the future." in response.content.decode()
    routed.refresh_from_db()
    assert routed.status == ApplicationStatus.UNDER_REVIEW


def test_rejecting_needs_a_reason_and_a_confirmation(client, auditor, routed):
    services.application_claim(actor=auditor, application=routed)
    response = client.post(page(routed, "desk:application-reject"), {})
    assert "A rejection needs a reason." in response.content.decode()
    response = client.post(page(routed, "desk:application-reject"), {"reject-reason": "No HACCP."})
    assert "Check your answers" in response.content.decode()
    routed.refresh_from_db()
    assert routed.status == ApplicationStatus.UNDER_REVIEW
    client.post(
        page(routed, "desk:application-reject"),
        {"reject-reason": "No HACCP.", "reject-confirmed": "on"},
    )
    routed.refresh_from_db()
    assert routed.status == ApplicationStatus.REJECTED


def test_internal_notes_are_marked_and_hidden_from_the_enterprise(
    client, auditor, routed, enterprise_user
):
    response = client.post(page(routed, "desk:application-note"), {"note-comment": "Call Tuesday."})
    assert response.status_code == 302
    assert TimelineEntry.objects.get(comment="Call Tuesday.").internal
    html = client.get(page(routed)).content.decode()
    assert "Call Tuesday." in html and "Internal note" in html
    client.force_login(enterprise_user)
    exporter_page = client.get(reverse("portal:application", kwargs={"pk": routed.pk}))
    assert "Call Tuesday." not in exporter_page.content.decode()


def test_another_bodys_application_is_not_found(client, enterprise):
    theirs = SubmittedApplicationFactory(
        enterprise=enterprise,
        scheme=SchemeFactory(
            certification_body=factories.PartnerFactory(kind=PartnerKind.CERTIFICATION_BODY)
        ),
    )
    assert client.get(page(theirs)).status_code == 404
    assert client.post(page(theirs, "desk:application-claim"), {}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ApplicationStatus.SUBMITTED


def test_chinese_reader_gets_chinese(client, auditor, routed):
    auditor.language = "zh-hans"
    auditor.save(update_fields=["language"])
    html = client.get(reverse("desk:applications"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "认证申请" in html
