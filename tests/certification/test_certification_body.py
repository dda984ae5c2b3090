"""Applications routed to a certification body (the scheme it certifies): what its people and keys
see through the API, what they may do through the same workflow as platform reviewers, and what
the enterprise never sees (internal notes)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agri_platform.accounts.choices import PartnerKind
from agri_platform.events.models import Event
from certification import services
from certification.choices import ApplicationStatus
from certification.models import Certificate
from tests import factories
from tests.certification.factories import (
    ApplicationDocumentFactory,
    ApplicationFactory,
    SchemeFactory,
    SubmittedApplicationFactory,
)
from tests.conftest import client_for, client_for_key

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/certification/applications"


@pytest.fixture
def body(db):
    return factories.PartnerFactory(kind=PartnerKind.CERTIFICATION_BODY)


@pytest.fixture
def other_body(db):
    return factories.PartnerFactory(kind=PartnerKind.CERTIFICATION_BODY)


@pytest.fixture
def auditor(body):
    return factories.PartnerUserFactory(partner=body)


@pytest.fixture
def body_scheme(body):
    return SchemeFactory(certification_body=body)


@pytest.fixture
def routed(enterprise, body_scheme):
    return SubmittedApplicationFactory(enterprise=enterprise, scheme=body_scheme)


def ids(response) -> set:
    return {row["id"] for row in response.json()["results"]}


def test_the_body_lists_the_submitted_applications_of_its_schemes_never_drafts(
    enterprise, body, auditor, body_scheme, routed
):
    draft = ApplicationFactory(enterprise=enterprise, scheme=body_scheme)
    elsewhere = SubmittedApplicationFactory(enterprise=enterprise)  # a scheme staff review
    for client in (client_for(auditor), client_for_key(body, ["certification:read"])):
        response = client.get(f"{APPLICATIONS}/")
        assert response.status_code == 200
        assert ids(response) == {routed.pk}
        assert client.get(f"{APPLICATIONS}/{draft.pk}/").status_code == 404
        assert client.get(f"{APPLICATIONS}/{elsewhere.pk}/").status_code == 404
        assert client.get(f"{APPLICATIONS}/{routed.pk}/").status_code == 200


def test_another_bodys_application_is_not_found(enterprise, other_body, auditor):
    theirs = SubmittedApplicationFactory(
        enterprise=enterprise, scheme=SchemeFactory(certification_body=other_body)
    )
    client = client_for(auditor)
    assert client.get(f"{APPLICATIONS}/{theirs.pk}/").status_code == 404
    assert client.post(f"{APPLICATIONS}/{theirs.pk}/claim/", {}, format="json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ApplicationStatus.SUBMITTED


def test_the_body_claims_and_approves_and_the_certificate_names_the_person(auditor, routed):
    client = client_for(auditor)
    response = client.post(f"{APPLICATIONS}/{routed.pk}/claim/", {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == ApplicationStatus.UNDER_REVIEW
    assert set(response.json()["allowed_actions"]) >= {"approve", "reject", "request-changes"}
    response = client.post(
        f"{APPLICATIONS}/{routed.pk}/approve/", {"comment": "Audit passed."}, format="json"
    )
    assert response.status_code == 200, response.content
    certificate = Certificate.objects.get(application=routed)
    assert certificate.issued_by == auditor
    assert certificate.issue_date == timezone.localdate()
    assert response.json()["certificate"]["number"] == certificate.number


def test_a_key_with_the_write_scope_acts_and_one_without_it_is_refused(body, routed):
    reader = client_for_key(body, ["certification:read"])
    assert reader.post(f"{APPLICATIONS}/{routed.pk}/claim/", {}, format="json").status_code == 403
    writer = client_for_key(body, ["certification:write"])
    response = writer.post(f"{APPLICATIONS}/{routed.pk}/claim/", {}, format="json")
    assert response.status_code == 200, response.content
    response = writer.post(
        f"{APPLICATIONS}/{routed.pk}/request-changes/",
        {"comment": "The HACCP plan is missing."},
        format="json",
    )
    assert response.json()["status"] == ApplicationStatus.CHANGES_REQUESTED


def test_a_partner_of_another_kind_is_refused(enterprise, routed):
    carrier = factories.PartnerFactory(kind=PartnerKind.CARRIER)
    routed.scheme.certification_body = carrier  # misrouted by hand: the kind still counts
    routed.scheme.save()
    client = client_for(factories.PartnerUserFactory(partner=carrier))
    response = client.post(f"{APPLICATIONS}/{routed.pk}/claim/", {}, format="json")
    assert response.status_code == 403
    routed.refresh_from_db()
    assert routed.status == ApplicationStatus.SUBMITTED


def test_another_body_may_not_act_through_the_service(other_body, routed):
    stranger = factories.PartnerUserFactory(partner=other_body)
    with pytest.raises(Exception) as refused:
        services.application_claim(actor=stranger, application=routed)
    assert getattr(refused.value, "status_code", None) == 403


def test_assigning_stays_with_staff_officers(auditor, routed):
    response = client_for(auditor).post(
        f"{APPLICATIONS}/{routed.pk}/assign/", {"reviewer": auditor.pk}, format="json"
    )
    assert response.status_code == 403


def test_staff_reviewers_keep_their_rights_on_a_routed_application(reviewer, routed):
    response = client_for(reviewer).post(f"{APPLICATIONS}/{routed.pk}/claim/", {}, format="json")
    assert response.status_code == 200


def test_internal_notes_are_for_the_body_and_staff_never_the_enterprise(
    enterprise_user, auditor, reviewer, routed
):
    services.application_claim(actor=auditor, application=routed)
    response = client_for(auditor).post(
        f"{APPLICATIONS}/{routed.pk}/notes/", {"comment": "Site visit on Tuesday."}, format="json"
    )
    assert response.status_code == 201, response.content

    def comments(user):
        timeline = client_for(user).get(f"{APPLICATIONS}/{routed.pk}/timeline/").json()
        return [entry["comment"] for entry in timeline]

    assert "Site visit on Tuesday." in comments(auditor)
    assert "Site visit on Tuesday." in comments(reviewer)
    assert "Site visit on Tuesday." not in comments(enterprise_user)


def test_the_issue_date_may_be_earlier_but_not_in_the_future_nor_before_submission(auditor, routed):
    services.application_claim(actor=auditor, application=routed)
    client = client_for(auditor)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        f"{APPLICATIONS}/{routed.pk}/approve/", {"issue_date": str(tomorrow)}, format="json"
    )
    assert response.status_code == 400
    assert "issue_date" in str(response.json())
    too_early = timezone.localdate(routed.last_submitted_at) - timedelta(days=1)
    response = client.post(
        f"{APPLICATIONS}/{routed.pk}/approve/", {"issue_date": str(too_early)}, format="json"
    )
    assert response.status_code == 400
    response = client.post(
        f"{APPLICATIONS}/{routed.pk}/approve/",
        {"issue_date": str(timezone.localdate(routed.last_submitted_at))},
        format="json",
    )
    assert response.status_code == 200, response.content


def test_documents_and_certificates_are_routed_to_the_body(body, auditor, routed):
    document = ApplicationDocumentFactory(application=routed)
    client = client_for(auditor)
    response = client.get(f"{APPLICATIONS}/{routed.pk}/documents/{document.pk}/download/")
    assert response.status_code == 200
    services.application_claim(actor=auditor, application=routed)
    certificate = services.application_approve(actor=auditor, application=routed)
    listed = client_for_key(body, ["certification:read"]).get("/api/v1/certification/certificates/")
    assert ids(listed) == {certificate.pk}


def test_application_events_are_routed_to_the_body(body, auditor, routed):
    services.application_claim(actor=auditor, application=routed)
    services.application_approve(actor=auditor, application=routed)
    for kind in ("certification.application.claimed", "certification.application.approved"):
        event = Event.objects.get(kind=kind, subject_id=str(routed.pk))
        assert list(event.partners.all()) == [body]
    issued = Event.objects.get(kind="certificate.issued")
    assert body in issued.partners.all()
