"""The whole flow through the API: sign up, register, staff verifies, add a member, bases,
products, and the enterprise appears in the public directory."""

import re

from django.core import mail
from rest_framework.test import APIClient

from agri_platform.events.models import Event

from .conftest import registration


def sign_up(email: str) -> APIClient:
    client = APIClient()
    response = client.post(
        "/api/v1/auth/register/",
        {"email": email, "password": "a-long-unusual-passphrase-42"},
        format="json",
    )
    assert response.status_code == 201, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    return client


def test_sign_up_to_directory(
    signed_up_client, reviewer_client, reference_data, django_capture_on_commit_callbacks
):
    owner = signed_up_client
    public = APIClient()

    # register: pending, not in the directory yet
    registered = owner.post(
        "/api/v1/enterprises/", registration(publish_contact=True), format="json"
    )
    assert registered.status_code == 201, registered.content
    enterprise_id = registered.json()["id"]
    assert registered.json()["status"] == "pending"
    assert public.get("/api/v1/directory/").json()["count"] == 0

    # staff verifies
    verified = reviewer_client.post(f"/api/v1/enterprises/{enterprise_id}/verify/")
    assert verified.status_code == 200
    assert owner.get(f"/api/v1/enterprises/{enterprise_id}/").json()["status"] == "verified"

    # the owner invites a colleague, who signs up and accepts
    with django_capture_on_commit_callbacks(execute=True):
        invited = owner.post(
            f"/api/v1/enterprises/{enterprise_id}/invitations/",
            {"email": "colleague@example.com", "role": "member"},
            format="json",
        )
    assert invited.status_code == 201
    token = re.findall(r"inv_[\w-]+", mail.outbox[-1].body)[-1]  # as shown for programs
    colleague = sign_up("colleague@example.com")
    joined = colleague.post("/api/v1/invitations/accept/", {"token": token}, format="json")
    assert joined.status_code == 201, joined.content
    members = owner.get(f"/api/v1/enterprises/{enterprise_id}/members/").json()["results"]
    assert {(m["email"], m["role"]) for m in members} == {
        ("founder@example.com", "owner"),
        ("colleague@example.com", "member"),
    }

    # the colleague adds a base and a product linked to it
    base = colleague.post(
        "/api/v1/production-bases/",
        {
            "name": "Xinjin packhouse",
            "kind": "packhouse",
            "prefecture": "510100",
            "area_mu": "15",
        },
        format="json",
    )
    assert base.status_code == 201, base.content
    assert base.json()["area_m2"] == "10000.00"
    product = colleague.post(
        "/api/v1/products/",
        {
            "name_zh": "爱媛柑橘",
            "name_en": "Ai Yuan mandarin",
            "category": "fruits",
            "hs_code": "080521",
            "production_bases": [base.json()["id"]],
        },
        format="json",
    )
    assert product.status_code == 201, product.content
    assert product.json()["temp_min_c"] == "4.0"

    # the public directory shows the verified exporter, its product and markets
    listed = public.get("/api/v1/directory/").json()["results"]
    assert [row["id"] for row in listed] == [enterprise_id]
    assert [p["name_en"] for p in listed[0]["products"]] == ["Ai Yuan mandarin"]
    assert [m["code"] for m in listed[0]["export_markets"]] == ["MY", "TH"]
    assert listed[0]["contact"]["email"] == "export@test-citrus.example"

    kinds = set(Event.objects.filter(enterprise_id=enterprise_id).values_list("kind", flat=True))
    assert {
        "enterprise.registered",
        "enterprise.verified",
        "enterprise.member_invited",
        "enterprise.member_joined",
        "enterprise.production_base_added",
        "enterprise.product_added",
    } <= kinds
