"""Bad input from the issue: wrong document type or size, foreign scope, own-enterprise approval,
approving twice, readiness for an unknown country; plus the workflow's 409s."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agri_platform.api.uploads import MAX_DOCUMENT_BYTES
from certification.models import Application, ApplicationDocument, Certificate
from tests import factories
from tests.certification.factories import PDF, SubmittedApplicationFactory
from tests.certification.helpers import API, create_application, submitted_application, upload
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_executable_named_pdf_is_415_and_nothing_stored(enterprise_client, scheme, product):
    application = create_application(enterprise_client, scheme, [product])
    response = upload(enterprise_client, application["id"], "business_licence", b"MZ\x90\x00exe")
    assert response.status_code == 415
    assert response["Content-Type"].startswith("application/problem+json")
    assert "application/pdf" in response.json()["accepted"]
    assert not ApplicationDocument.objects.exists()


def test_document_over_20_mb_is_413_with_the_limit(enterprise_client, scheme, product):
    application = create_application(enterprise_client, scheme, [product])
    big = PDF + b"0" * (MAX_DOCUMENT_BYTES - len(PDF) + 1)
    response = enterprise_client.post(
        f"{API}/applications/{application['id']}/documents/",
        {"kind": "business_licence", "file": SimpleUploadedFile("big.pdf", big)},
        format="multipart",
    )
    assert response.status_code == 413
    assert response.json()["limit_bytes"] == MAX_DOCUMENT_BYTES
    assert not ApplicationDocument.objects.exists()


def test_unknown_document_kind_is_400(enterprise_client, scheme, product):
    application = create_application(enterprise_client, scheme, [product])
    response = upload(enterprise_client, application["id"], "selfie")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "kind"


def test_scope_with_another_enterprises_product_is_400_like_a_missing_one(
    enterprise_client, other_enterprise, scheme, product
):
    foreign = factories.ProductFactory(enterprise=other_enterprise)
    foreign_base = factories.ProductionBaseFactory(enterprise=other_enterprise)
    payload = {"scheme": scheme.code, "scope_products": [product.pk, foreign.pk]}
    seen = enterprise_client.post(f"{API}/applications/", payload, format="json")
    payload["scope_products"] = [product.pk, 987654]
    missing = enterprise_client.post(f"{API}/applications/", payload, format="json")
    assert seen.status_code == missing.status_code == 400
    assert seen.json()["errors"][0]["field"] == "scope_products"
    assert seen.json()["detail"].replace(str(foreign.pk), "N") == missing.json()["detail"].replace(
        "987654", "N"
    )
    response = enterprise_client.post(
        f"{API}/applications/",
        {"scheme": scheme.code, "scope_bases": [foreign_base.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "scope_bases"
    assert not Application.objects.exists()


def test_scope_edit_with_foreign_product_is_400(enterprise_client, other_enterprise, scheme):
    application = create_application(enterprise_client, scheme)
    foreign = factories.ProductFactory(enterprise=other_enterprise)
    response = enterprise_client.patch(
        f"{API}/applications/{application['id']}/",
        {"scope_products": [foreign.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert not Application.objects.get().scope_products.exists()


def test_product_outside_the_schemes_categories_is_400(enterprise_client, product):
    from tests.certification.factories import SchemeFactory

    aquatic_only = SchemeFactory(product_categories=["aquatic_products"])
    response = enterprise_client.post(
        f"{API}/applications/",
        {"scheme": aquatic_only.code, "scope_products": [product.pk]},
        format="json",
    )
    assert response.status_code == 400


def test_unknown_scheme_and_foreign_enterprise_are_400(enterprise_client, other_enterprise, scheme):
    response = enterprise_client.post(f"{API}/applications/", {"scheme": "NOPE"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "scheme"
    response = enterprise_client.post(
        f"{API}/applications/",
        {"scheme": scheme.code, "enterprise": other_enterprise.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "enterprise"


def test_unverified_enterprise_cannot_submit(enterprise, enterprise_client, scheme, product):
    application = create_application(enterprise_client, scheme, [product])
    for kind in scheme.required_documents:
        upload(enterprise_client, application["id"], kind)
    enterprise.status = "pending"
    enterprise.save(update_fields=["status"])
    response = enterprise_client.post(f"{API}/applications/{application['id']}/submit/")
    assert response.status_code == 403
    assert response.json()["code"] == "enterprise_not_verified"
    assert Application.objects.get().status == "draft"


def test_reviewer_never_decides_own_enterprises_application(
    enterprise, enterprise_client, reviewer, scheme, product
):
    application = submitted_application(enterprise_client, scheme, [product])
    url = f"{API}/applications/{application['id']}"
    conflicted = factories.StaffUserFactory(staff_role="officer")
    factories.MembershipFactory(user=conflicted, enterprise=enterprise)
    conflicted_client = client_for(conflicted)
    # cannot claim either
    response = conflicted_client.post(f"{url}/claim/")
    assert response.status_code == 403
    assert response.json()["code"] == "conflict_of_interest"
    # assigned to someone else, the conflicted officer still cannot decide
    client_for(reviewer).post(f"{url}/claim/")
    for action, data in [
        ("approve", {}),
        ("reject", {"reason": "x"}),
        ("request-changes", {"comment": "x"}),
    ]:
        response = conflicted_client.post(f"{url}/{action}/", data)
        assert response.status_code == 403, action
        assert response.json()["code"] == "conflict_of_interest"
    assert Application.objects.get().status == "under_review"
    assert not Certificate.objects.exists()


def test_approving_twice_is_409_and_issues_one_certificate(
    enterprise_client, reviewer_client, scheme, product
):
    application = submitted_application(enterprise_client, scheme, [product])
    url = f"{API}/applications/{application['id']}"
    reviewer_client.post(f"{url}/claim/")
    assert reviewer_client.post(f"{url}/approve/").status_code == 200
    response = reviewer_client.post(f"{url}/approve/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_not_allowed"
    assert body["current_status"] == "approved"
    assert body["allowed_actions"] == []
    assert Certificate.objects.count() == 1


def test_impossible_transitions_answer_409_with_allowed_actions(enterprise, reviewer_client):
    application = SubmittedApplicationFactory(enterprise=enterprise)
    response = reviewer_client.post(f"{API}/applications/{application.pk}/approve/")
    assert response.status_code == 409
    assert response.json()["current_status"] == "submitted"
    # what this reviewer may do (issue 12: not `assign`, which is for officers, nor `withdraw`)
    assert response.json()["allowed_actions"] == ["claim"]


def test_editing_after_submission_is_409(enterprise_client, scheme, product):
    application = submitted_application(enterprise_client, scheme, [product])
    response = enterprise_client.patch(
        f"{API}/applications/{application['id']}/", {"scope_note": "late"}, format="json"
    )
    assert response.status_code == 409
    response = upload(enterprise_client, application["id"], "business_licence")
    assert response.status_code == 409
    document = ApplicationDocument.objects.first()
    response = enterprise_client.delete(
        f"{API}/applications/{application['id']}/documents/{document.pk}/"
    )
    assert response.status_code == 409


def test_enterprise_cannot_use_staff_actions(enterprise, enterprise_client):
    application = SubmittedApplicationFactory(enterprise=enterprise)
    for action in ("claim", "approve", "reject", "request-changes", "assign", "notes"):
        response = enterprise_client.post(f"{API}/applications/{application.pk}/{action}/")
        assert response.status_code == 403, action
    assert enterprise_client.get(f"{API}/review-queue/").status_code == 403


def test_readiness_unknown_country_is_400(enterprise_client, product):
    response = enterprise_client.get(
        f"{API}/readiness/", {"product": product.pk, "destination": "QQ"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "destination"


def test_readiness_foreign_product_is_400(enterprise_client, other_enterprise):
    factories.country("MY")
    foreign = factories.ProductFactory(enterprise=other_enterprise)
    response = enterprise_client.get(
        f"{API}/readiness/", {"product": foreign.pk, "destination": "MY"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "product"
    response = enterprise_client.get(
        f"{API}/readiness/",
        {"product": foreign.pk, "destination": "MY", "enterprise": other_enterprise.pk},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "enterprise"


def test_readiness_without_product_is_400(enterprise_client):
    response = enterprise_client.get(f"{API}/readiness/", {"destination": "MY"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "product"
