"""Demo buyers from the article's markets (Malaysia, Singapore, the UAE, Senegal), each with one
person who signs in on /portal/login/ (e-mail from `partner_user_email`, the demo password)."""

from django.utils import timezone

from agri_platform.accounts.choices import Language, PartnerKind
from agri_platform.accounts.demo import DEMO_PASSWORD, partner_user_email
from agri_platform.accounts.models import Partner, User

from .choices import BuyerKind, BuyerStatus
from .models import Buyer

# name, country, kind, city, website
BUYERS = [
    (
        "Kedai Buah Segar Sdn Bhd",
        "MY",
        BuyerKind.IMPORTER,
        "Kuala Lumpur",
        "https://kedaibuah.example.my",
    ),
    (
        "Marina Bay Gourmet Pte Ltd",
        "SG",
        BuyerKind.RESTAURANT,
        "Singapore",
        "https://marinabaygourmet.example.sg",
    ),
    ("Al Noor Hospitality LLC", "AE", BuyerKind.HOTEL, "Dubai", "https://alnoor.example.ae"),
    (
        "Teranga Distribution SARL",
        "SN",
        BuyerKind.DISTRIBUTOR,
        "Dakar",
        "https://teranga.example.sn",
    ),
]


def buyer_person_email(name: str) -> str:
    return partner_user_email(name)


def seed(log) -> None:
    for name, country, kind, city, website in BUYERS:
        partner, _ = Partner.objects.get_or_create(
            name=name, defaults={"kind": PartnerKind.BUYER, "country": country}
        )
        Buyer.objects.get_or_create(
            partner=partner,
            defaults={
                "kind": kind,
                "city": city,
                "website": website,
                "status": BuyerStatus.VERIFIED,
                "status_changed_at": timezone.now(),
            },
        )
        if not User.objects.filter(email=buyer_person_email(name)).exists():
            User.objects.create_user(
                email=buyer_person_email(name),
                password=DEMO_PASSWORD,
                email_confirmed_at=timezone.now(),
                full_name=f"{name} buyer",
                partner=partner,
                language=Language.EN,
            )
    log(f"{len(BUYERS)} overseas buyers")
