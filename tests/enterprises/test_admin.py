"""Staff act through the Django admin with the same services as the API."""

import pytest
from django.test import Client
from django.urls import reverse

from agri_platform.events.models import Event
from enterprises.models import Enterprise
from tests import factories

CHANGELIST = reverse("admin:enterprises_enterprise_changelist")


@pytest.fixture
def pending(db):
    return factories.EnterpriseFactory(status="pending", status_changed_at=None)


def test_reviewer_verifies_through_the_admin_action(admin_reviewer_client, reviewer, pending):
    page = admin_reviewer_client.get(CHANGELIST)
    assert page.status_code == 200
    assert pending.name_zh in page.content.decode()

    response = admin_reviewer_client.post(
        CHANGELIST, {"action": "verify", "_selected_action": [pending.pk]}, follow=True
    )

    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == "verified"
    assert pending.status_changed_by == reviewer
    event = Event.objects.get(kind="enterprise.verified")
    assert event.actor == reviewer
    assert event.payload["enterprise_id"] == pending.pk
    history = admin_reviewer_client.get(
        reverse("admin:enterprises_enterprise_history", args=[pending.pk])
    )
    assert history.status_code == 200


def test_reject_asks_for_a_reason_then_rejects(admin_reviewer_client, pending):
    form = admin_reviewer_client.post(
        CHANGELIST, {"action": "reject", "_selected_action": [pending.pk]}
    )
    assert form.status_code == 200
    assert 'name="reason"' in form.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending"

    admin_reviewer_client.post(
        CHANGELIST,
        {
            "action": "reject",
            "_selected_action": [pending.pk],
            "apply": "1",
            "reason": "Business licence expired",
        },
    )

    pending.refresh_from_db()
    assert pending.status == "rejected"
    assert pending.status_reason == "Business licence expired"


def test_forbidden_transition_is_reported_not_applied(admin_reviewer_client, enterprise):
    response = admin_reviewer_client.post(
        CHANGELIST,
        {"action": "reinstate", "_selected_action": [enterprise.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Cannot reinstate" in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.status == "verified"


def test_an_enterprise_user_cannot_use_the_admin(enterprise_user, pending):
    client = Client()
    client.force_login(enterprise_user)

    response = client.post(CHANGELIST, {"action": "verify", "_selected_action": [pending.pk]})

    assert response.status_code == 302  # to the admin login
    assert Enterprise.objects.get(pk=pending.pk).status == "pending"


def test_the_reviewer_sees_and_downloads_the_licence_in_the_admin(
    admin_reviewer_client, pending, settings, tmp_path
):
    from .factories import PDF, EnterpriseDocumentFactory

    settings.MEDIA_ROOT = tmp_path
    document = EnterpriseDocumentFactory(enterprise=pending)
    page = admin_reviewer_client.get(
        reverse("admin:enterprises_enterprise_change", args=[pending.pk])
    )
    assert page.status_code == 200
    download = reverse(
        "admin:enterprises_enterprise_document_download", args=[pending.pk, document.pk]
    )
    assert download in page.content.decode()
    response = admin_reviewer_client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
