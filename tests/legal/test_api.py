"""Legal services end to end through the API: enterprise, officer, law firm (API key)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agri_platform.events.models import Event
from legal.choices import LegalStatus
from legal.models import LegalMessage, LegalRequest
from tests import factories
from tests.conftest import client_for, client_for_key
from tests.legal.factories import LegalRequestFactory

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/legal/requests/"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF"


def url(pk, action=""):
    return f"{REQUESTS}{pk}/" + (f"{action}/" if action else "")


def trademark_body(**overrides):
    body = {
        "kind": "trademark_registration",
        "title": "Madrid filing for our caviar mark",
        "description": "Extend our Chinese registration through the Madrid System.",
        "trademark": "RUNZHAO",
        "designations": [
            {"country": "VN", "nice_classes": [29]},
            {"country": "mx", "nice_classes": [29]},
            {"country": "MY", "nice_classes": [29, 31]},
        ],
        "deadline": (timezone.localdate() + timedelta(days=60)).isoformat(),
    }
    body.update(overrides)
    return body


def fields(response):
    return [e["field"] for e in response.json().get("errors", [])]


def test_trademark_case_end_to_end(
    enterprise_client, officer_client, staff_client, firm, firm_client, countries
):
    created = enterprise_client.post(REQUESTS, trademark_body(), format="json")
    assert created.status_code == 201, created.content
    case = created.json()
    assert case["status"] == "submitted"
    assert case["countries"] == ["MX", "MY", "VN"]
    assert [d["country"] for d in case["designations"]] == ["MX", "MY", "VN"]
    assert case["designations"][1]["nice_classes"] == [29, 31]
    pk = case["id"]

    assert firm_client.get(url(pk)).status_code == 404  # not assigned yet
    assigned = officer_client.post(url(pk, "assign"), {"firm": firm.pk}, format="json")
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["status"] == "assigned"
    assert assigned.json()["assigned_firm"]["id"] == firm.pk

    assert firm_client.post(url(pk, "start")).json()["status"] == "in_progress"

    # The thread: the enterprise writes with an attachment, the firm answers and keeps a note.
    posted = enterprise_client.post(
        url(pk, "messages"),
        {
            "body": "Our Chinese certificate is attached.",
            "attachments": [SimpleUploadedFile("cert.pdf", PDF)],
        },
        format="multipart",
    )
    assert posted.status_code == 201, posted.content
    assert posted.json()["author_side"] == "enterprise"
    assert posted.json()["attachments"][0]["content_type"] == "application/pdf"
    reply = firm_client.post(
        url(pk, "messages"), {"body": "Thank you, we will file next week."}, format="json"
    )
    assert reply.status_code == 201
    note = firm_client.post(
        url(pk, "messages"),
        {"body": "Check prior marks in class 29 in MX.", "is_internal": True},
        format="json",
    )
    assert note.status_code == 201
    assert note.json()["is_internal"] is True

    enterprise_thread = enterprise_client.get(url(pk, "messages")).json()["results"]
    assert [m["id"] for m in enterprise_thread] == [posted.json()["id"], reply.json()["id"]]
    firm_thread = firm_client.get(url(pk, "messages")).json()["results"]
    assert note.json()["id"] in [m["id"] for m in firm_thread]
    staff_thread = staff_client.get(url(pk, "messages")).json()["results"]
    assert len(staff_thread) == 3
    assert staff_client.post(url(pk, "messages"), {"body": "hi"}, format="json").status_code == 403

    # Designation progress by the firm.
    designation = firm_client.post(
        url(pk, "designation"), {"country": "vn", "status": "filed"}, format="json"
    )
    assert designation.json()["status"] == "filed"

    waiting = firm_client.post(
        url(pk, "await-client"), {"reason": "Need the logo in colour."}, format="json"
    )
    assert waiting.json()["status"] == "awaiting_client"
    assert firm_client.post(url(pk, "start")).json()["status"] == "in_progress"
    resolved = firm_client.post(
        url(pk, "resolve"), {"resolution": "Filed with WIPO, IRN 1234567."}, format="json"
    )
    assert resolved.json()["status"] == "resolved"
    closed = enterprise_client.post(url(pk, "close"))
    assert closed.json()["status"] == "closed"

    late = enterprise_client.post(url(pk, "messages"), {"body": "One more thing"}, format="json")
    assert late.status_code == 409
    assert late.json()["current_status"] == "closed"
    assert late.json()["allowed_actions"] == []

    kinds = list(
        Event.objects.filter(kind__startswith="legal.")
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        "legal.request.submitted",
        "legal.request.assigned",
        "legal.request.started",
        "legal.message.posted",
        "legal.message.posted",
        "legal.request.designation_updated",
        "legal.request.awaiting_client",
        "legal.request.started",
        "legal.request.resolved",
        "legal.request.closed",
    ]  # the internal note sends no event
    assigned_event = Event.objects.get(kind="legal.request.assigned")
    assert list(assigned_event.partners.all()) == [firm]
    assert LegalRequest.objects.get(pk=pk).history.count() >= 7


def test_internal_note_never_reaches_the_enterprise(
    enterprise, enterprise_client, firm, firm_client
):
    case = LegalRequestFactory(
        enterprise=enterprise, assigned_firm=firm, status=LegalStatus.IN_PROGRESS
    )
    firm_client.post(
        url(case.pk, "messages"), {"body": "secret", "is_internal": True}, format="json"
    )
    thread = enterprise_client.get(url(case.pk, "messages"))
    assert thread.json()["results"] == []
    assert b"secret" not in thread.content
    assert not Event.objects.filter(kind="legal.message.posted").exists()


def test_enterprise_cannot_post_internal_notes(enterprise, enterprise_client):
    case = LegalRequestFactory(enterprise=enterprise)
    response = enterprise_client.post(
        url(case.pk, "messages"), {"body": "x", "is_internal": True}, format="json"
    )
    assert response.status_code == 400
    assert fields(response) == ["is_internal"]
    assert not LegalMessage.objects.exists()


def test_reassignment_hides_the_case_from_the_first_firm(
    enterprise, officer_client, firm, other_firm, firm_client
):
    case = LegalRequestFactory(enterprise=enterprise)
    officer_client.post(url(case.pk, "assign"), {"firm": firm.pk}, format="json")
    assert firm_client.get(url(case.pk)).status_code == 200
    officer_client.post(url(case.pk, "assign"), {"firm": other_firm.pk}, format="json")
    assert firm_client.get(url(case.pk)).status_code == 404
    other_client = client_for_key(other_firm, ["legal:read"])
    assert other_client.get(url(case.pk)).status_code == 200
    assert Event.objects.filter(kind="legal.request.unassigned", partners=firm).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"designations": [{"country": "ZZ", "nice_classes": [29]}]}, "designations"),
        ({"designations": []}, "designations"),
        (
            {"designations": [{"country": "VN", "nice_classes": [46]}]},
            "designations",
        ),
        ({"trademark": ""}, "trademark"),
        ({"deadline": "2001-01-01"}, "deadline"),
        ({"kind": "contract_review"}, "designations"),
        ({"countries": ["XX"]}, "countries"),
        ({"kind": "tax_advice"}, "kind"),
    ],
)
def test_bad_legal_input_is_400_naming_the_field(enterprise_client, countries, overrides, field):
    response = enterprise_client.post(REQUESTS, trademark_body(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert any(name.startswith(field) for name in fields(response)), response.json()
    assert not LegalRequest.objects.exists()


def test_plain_request_with_countries(enterprise_client, countries):
    response = enterprise_client.post(
        REQUESTS,
        {
            "kind": "compliance_consultation",
            "title": "Halal labelling for Malaysia",
            "description": "What must the label say?",
            "countries": ["MY"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["countries"] == ["MY"]
    assert response.json()["deadline"] is None


def test_assign_only_to_law_firms_by_officers(enterprise, officer_client, enterprise_client, firm):
    case = LegalRequestFactory(enterprise=enterprise)
    bank = factories.PartnerFactory(kind="bank")
    wrong = officer_client.post(url(case.pk, "assign"), {"firm": bank.pk}, format="json")
    assert wrong.status_code == 400
    assert fields(wrong) == ["firm"]
    assert (
        enterprise_client.post(url(case.pk, "assign"), {"firm": firm.pk}, format="json").status_code
        == 403
    )


def test_withdraw_before_resolution_only(enterprise, enterprise_client, firm):
    open_case = LegalRequestFactory(
        enterprise=enterprise, assigned_firm=firm, status=LegalStatus.IN_PROGRESS
    )
    response = enterprise_client.post(url(open_case.pk, "withdraw"), {"reason": "settled"})
    assert response.json()["status"] == "withdrawn"
    assert Event.objects.get(kind="legal.request.withdrawn").partners.get() == firm
    resolved = LegalRequestFactory(
        enterprise=enterprise,
        assigned_firm=firm,
        status=LegalStatus.RESOLVED,
        resolution="done",
    )
    refused = enterprise_client.post(url(resolved.pk, "withdraw"))
    assert refused.status_code == 409
    # what the enterprise may do (issue 12): `update_designation` is the firm's
    assert refused.json()["allowed_actions"] == ["add_document", "close", "message"]


def test_only_the_assigned_firm_works_the_case(enterprise, firm, other_firm, enterprise_client):
    case = LegalRequestFactory(
        enterprise=enterprise, assigned_firm=firm, status=LegalStatus.ASSIGNED
    )
    other = client_for(factories.PartnerUserFactory(partner=other_firm))
    assert other.post(url(case.pk, "start")).status_code == 404
    assert enterprise_client.post(url(case.pk, "start")).status_code == 403
    firm_user = client_for(factories.PartnerUserFactory(partner=firm))
    assert firm_user.post(url(case.pk, "start")).json()["status"] == "in_progress"
    no_reason = firm_user.post(url(case.pk, "resolve"), {}, format="json")
    assert no_reason.status_code == 400


def test_case_documents(enterprise, enterprise_client, firm, firm_client):
    case = LegalRequestFactory(
        enterprise=enterprise, assigned_firm=firm, status=LegalStatus.ASSIGNED
    )
    created = enterprise_client.post(
        url(case.pk, "documents"),
        {"file": SimpleUploadedFile("contract.pdf", PDF), "title": "Contract"},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    bad = enterprise_client.post(
        url(case.pk, "documents"),
        {"file": SimpleUploadedFile("contract.pdf", b"GIF89a")},
        format="multipart",
    )
    assert bad.status_code == 415
    assert [d["title"] for d in firm_client.get(url(case.pk, "documents")).json()] == ["Contract"]


def test_staff_queue_filters(staff_client, firm, other_firm):
    old = LegalRequestFactory(assigned_firm=firm, status=LegalStatus.ASSIGNED)
    LegalRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=9))
    dispute = LegalRequestFactory(kind="trade_dispute")
    other = LegalRequestFactory(assigned_firm=other_firm, status=LegalStatus.IN_PROGRESS)

    def ids(**params):
        return {row["id"] for row in staff_client.get(REQUESTS, params).json()["results"]}

    assert ids() == {old.pk, dispute.pk, other.pk}
    assert ids(partner=firm.pk) == {old.pk}
    assert ids(kind="trade_dispute") == {dispute.pk}
    assert ids(status="in_progress") == {other.pk}
    assert ids(unassigned=True) == {dispute.pk}
    assert ids(min_age_days=7) == {old.pk}


def test_list_and_thread_query_counts(
    enterprise, enterprise_client, firm, countries, django_assert_max_num_queries
):
    author = enterprise_client.user

    def make(n):
        for _ in range(n):
            case = LegalRequestFactory(
                enterprise=enterprise, assigned_firm=firm, status=LegalStatus.IN_PROGRESS
            )
            case.countries.set(countries.values())
            LegalMessage.objects.create(
                request=case, author=author, author_side="enterprise", body="hello"
            )

    make(2)
    with django_assert_max_num_queries(8) as few:
        assert len(enterprise_client.get(REQUESTS).json()["results"]) == 2
    make(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(enterprise_client.get(REQUESTS).json()["results"]) == 12

    case = LegalRequest.objects.first()
    with django_assert_max_num_queries(10) as thread_few:
        enterprise_client.get(url(case.pk, "messages"))
    for _ in range(10):
        LegalMessage.objects.create(request=case, author=author, author_side="enterprise", body="x")
    with django_assert_max_num_queries(len(thread_few.captured_queries)):
        assert len(enterprise_client.get(url(case.pk, "messages")).json()["results"]) == 11
