"""The whole lifecycle through the API: draft → documents → submit → claim → changes requested →
resubmit → approve → certificate → public verification → expiry reminder → renewal."""

import hashlib
from datetime import timedelta

import pytest

from agri_platform.events.models import Event
from certification import tasks
from certification.models import Certificate, ExpiryReminder
from certification.numbers import is_well_formed
from tests.certification.factories import PDF
from tests.certification.helpers import API, create_application, upload

pytestmark = pytest.mark.django_db


def kinds():
    return list(Event.objects.order_by("id").values_list("kind", flat=True))


def test_draft_to_certificate_to_expiry_reminder_and_renewal(
    enterprise, enterprise_client, reviewer_client, api_client, scheme, product, base
):
    # draft with a scope of the enterprise's own product and base
    application = create_application(enterprise_client, scheme, [product], [base])
    app_id = application["id"]
    assert application["status"] == "draft"
    assert application["scope_products"] == [product.pk]
    assert "edit" in application["allowed_actions"]

    # submitting without the required documents is refused and names what is missing
    response = enterprise_client.post(f"{API}/applications/{app_id}/submit/")
    assert response.status_code == 400
    assert set(response.json()["missing_documents"]) == {"business_licence", "quality_manual"}

    # documents: type from content, SHA-256 kept, stored through the storage API
    response = upload(enterprise_client, app_id, "business_licence")
    assert response.status_code == 201, response.json()
    assert response.json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert response.json()["content_type"] == "application/pdf"
    assert upload(enterprise_client, app_id, "quality_manual").status_code == 201
    listed = enterprise_client.get(f"{API}/applications/{app_id}/documents/").json()
    assert {d["kind"] for d in listed} == {"business_licence", "quality_manual"}
    download = enterprise_client.get(
        f"{API}/applications/{app_id}/documents/{listed[0]['id']}/download/"
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF

    response = enterprise_client.post(f"{API}/applications/{app_id}/submit/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    assert response.json()["sla_due_at"]

    # a reviewer claims it from the queue
    queue = reviewer_client.get(f"{API}/review-queue/").json()["results"]
    assert [row["id"] for row in queue] == [app_id]
    response = reviewer_client.post(f"{API}/applications/{app_id}/claim/")
    assert response.status_code == 200
    assert response.json()["status"] == "under_review"

    # changes requested, with a public comment and an internal note
    response = reviewer_client.post(
        f"{API}/applications/{app_id}/request-changes/",
        {"comment": "The quality manual is unsigned.", "note": "Applicant seems new to ISO."},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "changes_requested"

    enterprise_timeline = enterprise_client.get(f"{API}/applications/{app_id}/timeline/").json()
    staff_timeline = reviewer_client.get(f"{API}/applications/{app_id}/timeline/").json()
    comments = [entry["comment"] for entry in enterprise_timeline]
    assert "The quality manual is unsigned." in comments
    assert "Applicant seems new to ISO." not in comments
    assert not any(entry["internal"] for entry in enterprise_timeline)
    assert "Applicant seems new to ISO." in [entry["comment"] for entry in staff_timeline]
    detail = enterprise_client.get(f"{API}/applications/{app_id}/").json()
    assert all(not entry["internal"] for entry in detail["timeline"])

    # the enterprise edits and resubmits
    response = enterprise_client.patch(
        f"{API}/applications/{app_id}/", {"scope_note": "Signed manual attached"}, format="json"
    )
    assert response.status_code == 200
    assert upload(enterprise_client, app_id, "quality_manual").status_code == 201
    response = enterprise_client.post(f"{API}/applications/{app_id}/submit/")
    assert response.json()["status"] == "submitted"

    reviewer_client.post(f"{API}/applications/{app_id}/claim/")
    response = reviewer_client.post(f"{API}/applications/{app_id}/approve/", {"comment": "Good."})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "approved"
    number = body["certificate"]["number"]
    assert number.startswith(f"QMS-{enterprise_timeline[0]['created_at'][:4]}-000001-")
    assert is_well_formed(number)

    assert kinds() == [
        "certification.application.submitted",
        "certification.application.claimed",
        "certification.application.changes_requested",
        "certification.application.resubmitted",
        "certification.application.claimed",
        "certificate.issued",
        "certification.application.approved",
    ]

    # the certificate: holder, scope, dates from the scheme's validity (36 months)
    certificate = Certificate.objects.get(number=number)
    assert certificate.enterprise == enterprise
    assert list(certificate.scope_products.all()) == [product]
    assert certificate.expiry_date.year == certificate.issue_date.year + 3
    mine = enterprise_client.get(f"{API}/certificates/").json()["results"]
    assert [c["number"] for c in mine] == [number]

    # public verification: exactly the public fields, no login
    response = api_client.get(f"{API}/certificates/verify/{number.lower()}/")
    assert response.status_code == 200
    assert set(response.json()) == {
        "number",
        "holder_name",
        "holder_name_en",
        "scheme",
        "scope_summary",
        "valid_from",
        "valid_until",
        "status",
        "pdf_url",
        "pdf_sha256",
    }
    assert response.json()["pdf_sha256"] == certificate.documents.get().sha256
    assert response.json()["holder_name"] == enterprise.name_zh
    assert response.json()["status"] == "active"
    # written when the certificate was issued, in the approver's language (the default, Chinese)
    assert product.name_zh in response.json()["scope_summary"]

    # expiry: 30 days before, the daily task sends one reminder; a second run sends nothing
    day = certificate.expiry_date - timedelta(days=30)
    tasks.run_expiry.apply(args=[day.isoformat()])
    tasks.run_expiry.apply(args=[day.isoformat()])
    expiring = Event.objects.filter(kind="certificate.expiring")
    assert expiring.count() == 1
    assert expiring.get().payload["certificates"][0]["number"] == number
    assert expiring.get().payload["certificates"][0]["threshold_days"] == 30
    assert expiring.get().enterprise == enterprise
    assert ExpiryReminder.objects.filter(certificate=certificate).count() == 1

    # renewal starts a new application linked to the old certificate
    response = enterprise_client.post(f"{API}/certificates/{certificate.pk}/renew/")
    assert response.status_code == 201, response.json()
    assert response.json()["renewal_of"] == certificate.pk
    assert response.json()["status"] == "draft"
    assert response.json()["scope_products"] == [product.pk]
    again = enterprise_client.post(f"{API}/certificates/{certificate.pk}/renew/")
    assert again.status_code == 409

    # after the last day the task marks it expired and verification says so
    tasks.run_expiry.apply(args=[(certificate.expiry_date + timedelta(days=1)).isoformat()])
    certificate.refresh_from_db()
    assert certificate.status == "expired"
    assert Event.objects.filter(kind="certificate.expired").count() == 1


def test_withdraw_before_decision_and_not_after(
    enterprise_client, reviewer_client, scheme, product
):
    application = create_application(enterprise_client, scheme, [product])
    response = enterprise_client.post(f"{API}/applications/{application['id']}/withdraw/")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert Event.objects.filter(kind="certification.application.withdrawn").exists()
    response = enterprise_client.post(f"{API}/applications/{application['id']}/submit/")
    assert response.status_code == 409
    assert response.json()["current_status"] == "withdrawn"
    assert response.json()["allowed_actions"] == []


def test_reject_needs_reason_and_is_shown_to_enterprise(
    enterprise_client, reviewer_client, scheme, product
):
    from tests.certification.helpers import submitted_application

    application = submitted_application(enterprise_client, scheme, [product])
    url = f"{API}/applications/{application['id']}"
    reviewer_client.post(f"{url}/claim/")
    assert reviewer_client.post(f"{url}/reject/", {}).status_code == 400
    response = reviewer_client.post(f"{url}/reject/", {"reason": "Scope is not a food process."})
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    seen = enterprise_client.get(f"{url}/").json()
    assert seen["decision_reason"] == "Scope is not a food process."
    assert seen["certificate"] is None
    assert Event.objects.filter(kind="certification.application.rejected").count() == 1


def test_officer_assigns_and_assigned_reviewer_decides(
    enterprise_client, officer_client, reviewer, reviewer_client, scheme, product
):
    from tests.certification.helpers import submitted_application
    from tests.factories import StaffUserFactory

    application = submitted_application(enterprise_client, scheme, [product])
    url = f"{API}/applications/{application['id']}"
    assert reviewer_client.post(f"{url}/assign/", {"reviewer": reviewer.pk}).status_code == 403
    response = officer_client.post(f"{url}/assign/", {"reviewer": reviewer.pk})
    assert response.status_code == 200
    assert response.json()["reviewer"]["id"] == reviewer.pk
    other_reviewer = StaffUserFactory(staff_role="reviewer")
    from tests.conftest import client_for

    response = client_for(other_reviewer).post(f"{url}/approve/")
    assert response.status_code == 403
    assert response.json()["code"] == "not_assigned_reviewer"
    assert reviewer_client.post(f"{url}/approve/").status_code == 200


def test_staff_suspend_reinstate_revoke_with_reason(
    enterprise, enterprise_client, reviewer_client, api_client
):
    from tests.certification.factories import CertificateFactory

    certificate = CertificateFactory(enterprise=enterprise)
    url = f"{API}/certificates/{certificate.pk}"
    assert enterprise_client.post(f"{url}/suspend/", {"reason": "x"}).status_code == 403
    assert reviewer_client.post(f"{url}/suspend/", {}).status_code == 400
    response = reviewer_client.post(f"{url}/suspend/", {"reason": "Surveillance audit missed"})
    assert response.json()["status"] == "suspended"
    assert response.json()["pdf_url"].startswith("http")  # an absolute URI, as the schema says
    response = reviewer_client.post(f"{url}/suspend/", {"reason": "again"})
    assert response.status_code == 409
    # what the reviewer may do (issue 12): `renew` is the enterprise's
    assert response.json()["allowed_actions"] == ["reinstate", "revoke"]
    response = reviewer_client.post(f"{url}/reinstate/", {"reason": "Audit done"})
    assert response.json()["status"] == "active"
    response = reviewer_client.post(f"{url}/revoke/", {"reason": "Fraudulent records"})
    assert response.json()["status"] == "revoked"
    assert list(
        Event.objects.filter(kind__startswith="certificate.").values_list("kind", flat=True)
    ) == ["certificate.revoked", "certificate.reinstated", "certificate.suspended"]
    assert list(certificate.events.values_list("action", flat=True)) == [
        "suspend",
        "reinstate",
        "revoke",
    ]
    verified = api_client.get(f"{API}/certificates/verify/{certificate.number}/")
    # factory numbers have no valid check character: unknown to the public
    assert verified.status_code == 404


def test_schemes_catalogue_is_served(enterprise_client, scheme):
    response = enterprise_client.get(f"{API}/schemes/")
    assert response.status_code == 200
    codes = [row["code"] for row in response.json()["results"]]
    assert scheme.code in codes
    detail = enterprise_client.get(f"{API}/schemes/{scheme.code}/").json()
    assert detail["required_documents"] == ["business_licence", "quality_manual"]
    assert detail["validity_months"] == 36
