"""The Django admin: queue with filters, bulk claim, approve/reject form with the timeline — over
the same services as the API."""

import pytest
from django.test import Client
from django.urls import reverse

from agri_platform.events.models import Event
from certification.models import Application, Certificate
from tests import factories
from tests.certification.factories import SchemeFactory, SubmittedApplicationFactory
from tests.certification.helpers import submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for():
    """A logged-in admin client reading `language` (English unless a test asks for Chinese)."""

    def make(user, language="en"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(user)
        return client

    return make


def test_reviewer_approves_via_the_admin_form(
    admin_client_for, reviewer, enterprise_client, scheme, product
):
    application = Application.objects.get(
        pk=submitted_application(enterprise_client, scheme, [product])["id"]
    )
    client = admin_client_for(reviewer)

    changelist = client.get(reverse("admin:certification_application_changelist"))
    assert changelist.status_code == 200
    assert f"/{application.pk}/change/" in changelist.content.decode()

    url = reverse("admin:certification_application_review", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Timeline" in page.content.decode()

    # approving before claiming is refused by the service and shown on the form
    response = client.post(
        url, {"action": "approve", "comment": "", "note": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Cannot approve while status is" in response.content.decode()

    assert client.post(url, {"action": "claim", "comment": "", "note": ""}).status_code == 302
    response = client.post(
        url, {"action": "approve", "comment": "Audit passed.", "note": "Checked on site."}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.decided_by == reviewer
    certificate = Certificate.objects.get(application=application)
    assert certificate.number.startswith("QMS-")
    assert Event.objects.filter(kind="certificate.issued").count() == 1

    page = client.get(url).content.decode()
    assert certificate.number in page
    assert "Checked on site." in page  # staff see the internal note in the timeline
    assert "Audit passed." in page


def test_reject_form_needs_a_reason(admin_client_for, reviewer, enterprise):
    application = SubmittedApplicationFactory(
        enterprise=enterprise, status="under_review", reviewer=reviewer
    )
    client = admin_client_for(reviewer)
    url = reverse("admin:certification_application_review", args=[application.pk])
    response = client.post(url, {"action": "reject", "comment": "", "note": ""})
    assert "A rejection needs a reason." in response.content.decode()
    client.post(url, {"action": "reject", "comment": "Outside scope", "note": ""})
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == ("rejected", "Outside scope")


def test_bulk_claim_action_and_list_filters(admin_client_for, reviewer, enterprise):
    waiting = [SubmittedApplicationFactory() for _ in range(2)]
    conflicted = SubmittedApplicationFactory(enterprise=enterprise)
    factories.MembershipFactory(user=reviewer, enterprise=enterprise)
    client = admin_client_for(reviewer)
    changelist = reverse("admin:certification_application_changelist")
    response = client.post(
        changelist,
        {
            "action": "claim_selected",
            "_selected_action": [a.pk for a in [*waiting, conflicted]],
        },
        follow=True,
    )
    assert response.status_code == 200
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert [statuses[a.pk] for a in waiting] == ["under_review", "under_review"]
    assert statuses[conflicted.pk] == "submitted"  # reviewer is a member: refused
    assert "Claimed 2 applications." in response.content.decode()

    iso = SchemeFactory(code="ISOFILTER")
    SubmittedApplicationFactory(scheme=iso)
    for query in (
        "status__exact=submitted",
        f"scheme__id__exact={iso.pk}",
        "sla=breached",
        "age=7",
    ):
        assert client.get(f"{changelist}?{query}").status_code == 200, query


def test_certificate_status_form(admin_client_for, reviewer, enterprise):
    from tests.certification.factories import CertificateFactory

    certificate = CertificateFactory(enterprise=enterprise)
    client = admin_client_for(reviewer)
    url = reverse("admin:certification_certificate_status", args=[certificate.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"action": "suspend", "reason": "Missed surveillance audit"})
    certificate.refresh_from_db()
    assert certificate.status == "suspended"
    assert Event.objects.filter(kind="certificate.suspended").count() == 1


def test_enterprise_users_and_officers_rights(admin_client_for, enterprise_user, officer):
    assert admin_client_for(enterprise_user).get(
        reverse("admin:certification_application_changelist")
    ).status_code in (302, 403)
    officer_client = admin_client_for(officer)
    assert officer_client.get(reverse("admin:certification_scheme_add")).status_code == 200
    assert (
        officer_client.get(reverse("admin:certification_marketrequirement_add")).status_code == 200
    )
