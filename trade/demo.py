"""Demo buyers from the article's markets (Malaysia, Singapore, the UAE, Senegal), each with one
person who signs in on /portal/login/ (e-mail from `partner_user_email`, the demo password); a
published tasting in Singapore with the article's exporters taking part; inquiries between the
buyers and the exporters in every state, with quotes in every state.

Everything after the buyers is made through the services (so the events, the audit trail and the
shipment draft are those of real use) and only once: a case whose inquiry (found by its notes) or
event (by its English title) exists is left alone, so `seed_demo` may run any number of times."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from agri_platform.accounts.choices import Language, MembershipRole, PartnerKind
from agri_platform.accounts.demo import DEMO_PASSWORD, partner_user_email
from agri_platform.accounts.models import Membership, Partner, User
from agri_platform.reference.choices import ExportCategory
from agri_platform.reference.models import Country, Currency, Location

from .choices import BuyerKind, BuyerStatus, PromotionKind
from .models import Buyer, Inquiry, PromotionEvent

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


def _seed_buyers(log) -> None:
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


# --- people acting for the demo exporters -------------------------------------------------------

EXPORT_DESK_PASSWORD = DEMO_PASSWORD


def export_desk_email(key: str) -> str:
    """The person who answers inquiries for the demo enterprise `key` (enterprises/demo.py)."""
    return f"export-desk.{key.replace('_', '-')}@exporters.demo.agri-trade.example"


def _enterprise(key: str):
    from enterprises.demo import ENTERPRISES, demo_uscc
    from enterprises.models import Enterprise

    [spec] = [spec for spec in ENTERPRISES if spec["key"] == key]
    return Enterprise.objects.get(uscc=demo_uscc(spec["uscc"]))


def _export_desk(enterprise, key: str) -> User:
    user = User.objects.filter(email=export_desk_email(key)).first()
    if user is None:
        user = User.objects.create_user(
            email=export_desk_email(key),
            password=EXPORT_DESK_PASSWORD,
            email_confirmed_at=timezone.now(),
            full_name=f"{enterprise.name_en} export desk",
            language=Language.ZH_HANS,
        )
    Membership.objects.get_or_create(
        user=user, enterprise=enterprise, defaults={"role": MembershipRole.ADMIN}
    )
    return user


def _buyer(country: str) -> tuple[Buyer, User]:
    [name] = [name for name, code, *_ in BUYERS if code == country]
    return Buyer.objects.get(partner__name=name), User.objects.get(email=buyer_person_email(name))


# --- the promotion event ------------------------------------------------------------------------

EVENT_TITLE_EN = "Sichuan late citrus and fine food tasting, Singapore"
EVENT_EXPORTERS = ["danling", "baiyang", "runzhao", "chengben"]
# The demo enterprises whose export desk (a person, the demo password) answers inquiries.
EXPORT_DESKS = [*EVENT_EXPORTERS, "yingjing"]


def _seed_event(log) -> None:
    from .services import promotions

    if PromotionEvent.objects.filter(title_en=EVENT_TITLE_EN).exists():
        log("promotion event in Singapore (already there)")
        return
    officer = User.objects.get(email="officer@demo.agri-trade.example")
    today = timezone.localdate()
    event = promotions.promotion_create(
        actor=officer,
        title_zh="四川晚熟柑橘与特色食品新加坡品鉴会",
        title_en=EVENT_TITLE_EN,
        kind=PromotionKind.TASTING,
        description_zh="面向新加坡和马来西亚的餐厅、酒店和进口商：丹棱晚熟柑橘、鲟鱼子酱、自贡兔肉现场品鉴，"
        "并安排一对一采购洽谈。",
        description_en="For restaurants, hotels and importers from Singapore and Malaysia: "
        "Danling late citrus, sturgeon caviar and Zigong rabbit to taste, with one-to-one "
        "buyer meetings.",
        city="Singapore",
        country=Country.objects.get(pk="SG"),
        venue="Marina Bay Sands Expo and Convention Centre",
        starts_on=today + timedelta(days=35),
        ends_on=today + timedelta(days=36),
        signup_closes_on=today + timedelta(days=28),
        markets=list(Country.objects.filter(code__in=["SG", "MY"])),
        categories=[
            str(c)
            for c in (ExportCategory.FRUITS, ExportCategory.AQUATIC, ExportCategory.LIVESTOCK)
        ],
    )
    promotions.promotion_publish(actor=officer, event=event)
    for key in EVENT_EXPORTERS:
        enterprise = _enterprise(key)
        promotions.promotion_sign_up(
            actor=_export_desk(enterprise, key),
            event=event,
            enterprise=enterprise,
            products=list(enterprise.products.all()),
            note="Samples for the tasting and one person at the stand.",
        )
    log(f"promotion event in Singapore with {len(EVENT_EXPORTERS)} exporters taking part")


# --- inquiries in every state -------------------------------------------------------------------

# key, buyer country, exporter, destination, incoterm, quantity (unit), notes, what happens
INQUIRIES = [
    (
        "sent",
        "SN",
        "chengben",
        "SNDKR",
        "CIF",
        "2",
        "t",
        "Frozen rabbit for Dakar restaurants, halal certificate needed.",
        [],
    ),
    (
        "quoted",
        "MY",
        "danling",
        "MYPKG",
        "CIF",
        "20",
        "t",
        "Late citrus for Kuala Lumpur supermarkets, March to April.",
        ["quote"],
    ),
    (
        "accepted",
        "SG",
        "runzhao",
        "SGSIN",
        "CIP",
        "30",
        "kg",
        "Sturgeon caviar for our restaurants, tins of 50 g.",
        ["quote", "quote", "accept"],
    ),
    (
        "declined",
        "AE",
        "yingjing",
        "AEDXB",
        "CIP",
        "10",
        "kg",
        "Caviar for the hotel's banquets in Dubai.",
        ["decline"],
    ),
    (
        "withdrawn",
        "MY",
        "baiyang",
        "MYPKG",
        "FOB",
        "5",
        "t",
        "Ai Yuan mandarin for a trial order.",
        ["withdraw"],
    ),
    (
        "quote_declined",
        "SG",
        "danling",
        "SGSIN",
        "CIF",
        "8",
        "t",
        "Late citrus: we will taste it at the Singapore tasting.",
        ["quote", "decline_quote"],
    ),
    (
        "quote_withdrawn",
        "AE",
        "chengben",
        "AEDXB",
        "CFR",
        "3",
        "t",
        "Spicy rabbit snacks for hotel minibars.",
        ["quote", "withdraw_quote"],
    ),
    (
        "quote_expired",
        "SN",
        "danling",
        "SNDKR",
        "CIF",
        "12",
        "t",
        "Citrus for Dakar, first shipment.",
        ["quote_today", "expire"],
    ),
]
PRICES = {"t": Decimal("1450.00"), "kg": Decimal("820.00")}


def _send(case) -> Inquiry:
    from .services import inquiries

    _key, country, exporter, port, incoterm, quantity, unit, notes, _steps = case
    buyer, person = _buyer(country)
    enterprise = _enterprise(exporter)
    today = timezone.localdate()
    promotion = None
    if "tasting" in notes:
        promotion = PromotionEvent.objects.filter(title_en=EVENT_TITLE_EN).first()
    return inquiries.inquiry_send(
        actor=person,
        buyer=buyer,
        enterprise=enterprise,
        items=[
            {"product": product, "quantity": Decimal(quantity), "unit": unit}
            for product in enterprise.products.order_by("pk")[:1]
        ],
        destination=Location.objects.get(pk=port),
        incoterm=incoterm,
        delivery_from=today + timedelta(days=45),
        delivery_to=today + timedelta(days=75),
        notes=notes,
        promotion=promotion,
    )


def _quote(inquiry: Inquiry, desk: User, *, valid_days: int, price_step: int = 0):
    from .services import inquiries

    item = inquiry.items.order_by("pk").first()
    return inquiries.quote_send(
        actor=desk,
        inquiry=inquiry,
        currency=Currency.objects.get(pk="USD"),
        incoterm=inquiry.incoterm,
        valid_until=timezone.localdate() + timedelta(days=valid_days),
        lead_time_days=21,
        conditions="30% on order, 70% against the bill of lading.",
        lines=[{"item": item, "unit_price": PRICES[item.unit] - 50 * price_step}],
    )


def _play(case) -> None:
    from .services import inquiries

    _key, country, exporter, *_rest, steps = case
    inquiry = _send(case)
    _buyer_account, person = _buyer(country)
    desk = _export_desk(inquiry.enterprise, exporter)
    quote = None
    inquiries.inquiry_message_post(
        actor=person, inquiry=inquiry, body="Could you also send the packing list for one pallet?"
    )
    for number, step in enumerate(steps):
        if step == "quote":
            quote = _quote(inquiry, desk, valid_days=30, price_step=number)
        elif step == "quote_today":
            quote = _quote(inquiry, desk, valid_days=0)
        elif step == "accept":
            inquiries.quote_accept(actor=person, quote=quote)
        elif step == "decline":
            inquiries.inquiry_decline(
                actor=desk, inquiry=inquiry, reason="Our caviar is sold out until the autumn."
            )
        elif step == "withdraw":
            inquiries.inquiry_withdraw(actor=person, inquiry=inquiry, reason="Found it locally.")
        elif step == "decline_quote":
            inquiries.quote_decline(actor=person, quote=quote, reason="Above our budget.")
        elif step == "withdraw_quote":
            inquiries.quote_withdraw(actor=desk, quote=quote, reason="Freight rates changed.")
        elif step == "expire":
            inquiries.quote_expire(quote.pk, timezone.localdate() + timedelta(days=1))


def _seed_inquiries(log) -> None:
    made = 0
    for case in INQUIRIES:
        notes = case[7]
        if Inquiry.objects.filter(notes=notes).exists():
            continue
        _play(case)
        made += 1
    log(f"{len(INQUIRIES)} demo inquiries in every state ({made} new)")


def seed(log) -> None:
    _seed_buyers(log)
    _seed_event(log)
    _seed_inquiries(log)
