"""Unknown-field cases: buyers (see tests/security/test_unknown_fields.py)."""

from rest_framework.test import APIClient

from tests import factories
from tests.conftest import client_for
from tests.security.test_unknown_fields import Case, case
from tests.trade.factories import BuyerFactory
from trade.choices import BuyerStatus

BUYERS = "/api/v1/buyers"


@case("POST /api/v1/buyers/register/")
def _buyer_register(kit):
    factories.country("SG", "Singapore")
    body = {
        "email": "chef@lionrestaurant.example.sg",
        "password": "Correct-Horse-Battery-9",
        "full_name": "Tan Mei Ling",
        "company": "Lion City Sichuan Kitchen Pte Ltd",
        "country": "SG",
        "kind": "restaurant",
    }
    return Case(APIClient(), f"{BUYERS}/register/", body)


@case("PATCH /api/v1/buyers/me/")
def _buyer_me(kit):
    return Case(client_for(kit.buyer_person), f"{BUYERS}/me/", {"city": "Penang"})


@case("POST /api/v1/buyers/{id}/verify/")
def _buyer_verify(kit):
    buyer = BuyerFactory(status=BuyerStatus.PENDING)
    return Case(kit.reviewer_client, f"{BUYERS}/{buyer.pk}/verify/")


@case("POST /api/v1/buyers/{id}/reject/")
def _buyer_reject(kit):
    buyer = BuyerFactory(status=BuyerStatus.PENDING)
    return Case(kit.reviewer_client, f"{BUYERS}/{buyer.pk}/reject/", {"reason": "No website."})


@case("POST /api/v1/buyers/{id}/suspend/")
def _buyer_suspend(kit):
    return Case(kit.reviewer_client, f"{BUYERS}/{kit.buyer.pk}/suspend/", {"reason": "Spam."})


@case("POST /api/v1/buyers/{id}/reinstate/")
def _buyer_reinstate(kit):
    buyer = BuyerFactory(status=BuyerStatus.SUSPENDED)
    return Case(kit.reviewer_client, f"{BUYERS}/{buyer.pk}/reinstate/")
