"""Buyer pages: registration (public), the desk home's status banner, the profile."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.trade.factories import BuyerFactory, InquiryFactory, buyer_person
from trade.choices import BuyerStatus
from trade.models import Buyer

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    return {
        "full_name": "Tan Mei Ling",
        "email": "chef@lioncity.example.sg",
        "password": "Correct-Horse-Battery-9",
        "company": "Lion City Sichuan Kitchen Pte Ltd",
        "country": "SG",
        "kind": "restaurant",
        "city": "Singapore",
        "website": "lioncity.example.sg",
        "description": "",
        **overrides,
    }


def test_register_page_creates_pending_buyer_and_says_check_your_email():
    factories.country("SG", "Singapore")
    client = Client()
    assert 'value="SG"' in client.get(reverse("public:buyer-register")).content.decode()
    response = client.post(reverse("public:buyer-register"), form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("public:buyer-registered")
    buyer = Buyer.objects.get()
    assert buyer.status == BuyerStatus.PENDING
    assert buyer.website == "https://lioncity.example.sg"
    done = client.get(response["Location"]).content.decode()
    assert "chef@lioncity.example.sg" in done


def test_register_page_shows_the_services_refusal_at_the_field():
    factories.country("SG", "Singapore")
    BuyerFactory(partner__name="Lion City Sichuan Kitchen Pte Ltd")
    response = Client().post(reverse("public:buyer-register"), form_data())
    assert response.status_code == 200
    form = response.context["form"]
    assert "company" in form.errors
    assert Buyer.objects.count() == 1


def test_pending_buyer_desk_home_shows_the_banner_and_verified_does_not(settings):
    settings.TRADE_PENDING_BUYER_OPEN_INQUIRIES = 3
    buyer = BuyerFactory(status=BuyerStatus.PENDING)
    InquiryFactory(buyer=buyer)
    client = Client()
    client.force_login(buyer_person(buyer))
    page = client.get(reverse("desk:home")).content.decode()
    assert "buyer-status" in page
    assert "3" in page
    assert reverse("public:catalogue") in page
    buyer.status = BuyerStatus.VERIFIED
    buyer.save()
    assert "buyer-status" not in client.get(reverse("desk:home")).content.decode()


def test_profile_page_shows_status_and_saves_changes():
    buyer = BuyerFactory()
    client = Client()
    client.force_login(buyer_person(buyer))
    page = client.get(reverse("desk:buyer-profile"))
    assert page.status_code == 200
    assert buyer.partner.name in page.content.decode()
    response = client.post(
        reverse("desk:buyer-profile"),
        {"kind": "hotel", "city": "Johor Bahru", "website": "", "description": "Hotel group."},
    )
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert (buyer.kind, buyer.city) == ("hotel", "Johor Bahru")


def test_an_exporter_gets_no_buyer_profile(enterprise_user):
    client = Client()
    client.force_login(enterprise_user)
    assert client.get(reverse("desk:buyer-profile")).status_code == 403
