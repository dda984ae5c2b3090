"""Verification workflow: pending → verified | rejected; verified → suspended → verified."""

import pytest

from agri_platform.api.errors import PermissionDenied
from agri_platform.events.models import Event
from enterprises import services
from enterprises.models import Enterprise
from tests import factories
from tests.conftest import client_for


@pytest.fixture
def pending(db):
    return factories.EnterpriseFactory(status="pending", status_changed_at=None)


def url(enterprise, action):
    return f"/api/v1/enterprises/{enterprise.pk}/{action}/"


def test_reviewer_verifies_a_pending_enterprise(reviewer_client, reviewer, pending):
    response = reviewer_client.post(url(pending, "verify"))

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "verified"
    assert response.json()["allowed_actions"] == ["suspend"]
    pending.refresh_from_db()
    assert pending.status == "verified"
    assert pending.status_changed_by == reviewer
    assert pending.status_changed_at is not None
    event = Event.objects.get(kind="enterprise.verified")
    assert event.actor == reviewer
    assert event.payload == {
        "enterprise_id": pending.pk,
        "uscc": pending.uscc,
        "name_zh": pending.name_zh,
        "name_en": pending.name_en,
        "status": "verified",
    }


def test_officer_rejects_with_a_reason(officer_client, pending):
    response = officer_client.post(url(pending, "reject"), {"reason": "Licence scan unreadable"})

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["status_reason"] == "Licence scan unreadable"
    event = Event.objects.get(kind="enterprise.rejected")
    assert event.payload["reason"] == "Licence scan unreadable"
    assert event.payload["status"] == "rejected"


def test_reject_without_reason_is_400_and_changes_nothing(reviewer_client, pending):
    response = reviewer_client.post(url(pending, "reject"), {"reason": "  "})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "reason"
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert not Event.objects.filter(kind="enterprise.rejected").exists()


def test_suspend_and_reinstate(reviewer_client, enterprise):
    suspended = reviewer_client.post(url(enterprise, "suspend"), {"reason": "Customs alert"})
    assert suspended.status_code == 200
    assert suspended.json()["status"] == "suspended"
    assert suspended.json()["allowed_actions"] == ["reinstate"]

    reinstated = reviewer_client.post(url(enterprise, "reinstate"), {"reason": "Cleared"})
    assert reinstated.status_code == 200
    assert reinstated.json()["status"] == "verified"
    kinds = list(
        Event.objects.filter(enterprise=enterprise).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == ["enterprise.suspended", "enterprise.reinstated"]


def test_forbidden_transition_is_409_with_status_and_allowed_actions(reviewer_client, enterprise):
    response = reviewer_client.post(url(enterprise, "verify"))

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_not_allowed"
    assert body["current_status"] == "verified"
    assert body["allowed_actions"] == ["suspend"]


def test_enterprise_members_cannot_verify_themselves(enterprise_client, enterprise):
    enterprise.status = "pending"
    enterprise.save()

    response = enterprise_client.post(url(enterprise, "verify"))

    assert response.status_code == 403
    enterprise.refresh_from_db()
    assert enterprise.status == "pending"


def test_service_refuses_a_non_reviewer(pending):
    with pytest.raises(PermissionDenied):
        services.enterprise_verify(enterprise=pending, reviewer=factories.UserFactory())


def test_owner_resubmits_after_rejection(reviewer, pending):
    owner = factories.MembershipFactory(enterprise=pending).user
    services.enterprise_reject(enterprise=pending, reviewer=reviewer, reason="Wrong address")

    response = client_for(owner).post(url(pending, "resubmit"))

    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    assert Event.objects.filter(kind="enterprise.resubmitted").exists()


def test_require_verified_is_the_single_gate(pending, reviewer):
    with pytest.raises(PermissionDenied) as caught:
        services.require_verified(pending)
    assert caught.value.extra["enterprise_status"] == "pending"

    services.enterprise_verify(enterprise=pending, reviewer=reviewer)
    services.require_verified(Enterprise.objects.get(pk=pending.pk))  # no exception

    services.enterprise_suspend(enterprise=pending, reviewer=reviewer, reason="Audit")
    with pytest.raises(PermissionDenied):
        services.require_verified(Enterprise.objects.get(pk=pending.pk))


def test_rejected_status_needs_a_reason_in_the_database(pending):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.filter(pk=pending.pk).update(status="rejected", status_reason="")


def test_history_records_each_transition(reviewer, pending):
    services.enterprise_verify(enterprise=pending, reviewer=reviewer)
    services.enterprise_suspend(enterprise=pending, reviewer=reviewer, reason="Audit")

    statuses = list(pending.history.order_by("history_id").values_list("status", flat=True))
    assert statuses[-2:] == ["verified", "suspended"]


def test_list_filters_search_and_ordering(reviewer_client, reference_data):
    from agri_platform.reference.models import Prefecture

    meishan = Prefecture.objects.get(pk="511400")
    a = factories.EnterpriseFactory(name_en="Alpha Citrus", export_categories=["fruits"])
    b = factories.EnterpriseFactory(
        name_en="Beta Caviar", export_categories=["aquatic_products"], prefecture=meishan
    )
    c = factories.EnterpriseFactory(name_en="Gamma Tea", status="pending", status_changed_at=None)

    def ids(**params):
        response = reviewer_client.get("/api/v1/enterprises/", params)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids(category="aquatic_products") == [b.pk]
    assert ids(prefecture="511400") == [b.pk]
    assert ids(status="pending") == [c.pk]
    assert ids(search="Alpha") == [a.pk]
    assert ids(search=b.uscc) == [b.pk]
    assert ids(ordering="-name_en") == [c.pk, b.pk, a.pk]
    assert set(ids()) == {a.pk, b.pk, c.pk}


def test_members_see_only_their_enterprise(enterprise_client, enterprise, other_enterprise):
    response = enterprise_client.get("/api/v1/enterprises/")

    assert [row["id"] for row in response.json()["results"]] == [enterprise.pk]
    assert enterprise_client.get(f"/api/v1/enterprises/{other_enterprise.pk}/").status_code == 404


def test_list_query_count_does_not_grow(reviewer_client, django_assert_max_num_queries):
    for _ in range(3):
        factories.EnterpriseFactory().export_markets.add(factories.country())
    reviewer_client.get("/api/v1/enterprises/")  # warm the token's last_used_at
    with django_assert_max_num_queries(6):
        small = reviewer_client.get("/api/v1/enterprises/")
    for _ in range(12):
        factories.EnterpriseFactory().export_markets.add(factories.country("TH", "Thailand"))
    with django_assert_max_num_queries(6):
        large = reviewer_client.get("/api/v1/enterprises/")
    assert len(small.json()["results"]) == 3
    assert len(large.json()["results"]) == 15
