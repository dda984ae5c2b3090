"""What an e-mail says: for every kind that notifies someone, its figures formatted for the reader's
language and time zone, and a link to the page where the reader acts (which answers them 200)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from agri_platform.accounts.choices import MembershipRole, PartnerKind
from agri_platform.events import catalogue, email_content, emails, services
from agri_platform.events.models import EmailMessage
from tests.conftest import client_for
from tests.events.factories import EventFactory, NotificationFactory, payload_for
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    PartnerFactory,
    PartnerUserFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOTIFYING_KINDS = [entry.kind for entry in catalogue.CATALOGUE_ENTRIES if entry.notify]

# Realistic values of every payload field (ids stay 1: only links use them).
SAMPLE = {
    "name_zh": "四川蜀果农业有限公司",
    "name_en": "Sichuan Shuguo Agriculture Co., Ltd.",
    "uscc": "91510100MA6CGUGA1W",
    "reason": "检测报告缺失",
    "comment": "请补充农残检测报告",
    "note": "海关查验延误",
    "scheme": "GLOBALG.A.P.",
    "number": "SC-GAP-2026-0042",
    "certificate_number": "SC-GAP-2026-0042",
    "issue_date": "2026-03-01",
    "expiry_date": "2027-03-01",
    "sla_due_at": "2026-12-10T02:00:00+00:00",
    "reference": "SH-2026-0815",
    "origin": "CNCTU",
    "destination": "MYPKG",
    "dispatched_at": "2026-12-05T01:30:00+00:00",
    "delivered_at": "2026-12-09T06:00:00+00:00",
    "occurred_at": "2026-12-06T03:15:00+00:00",
    "started_at": "2026-12-06T03:15:00+00:00",
    "ended_at": "2026-12-06T04:50:00+00:00",
    "peak_c": 9.5,
    "direction": "above",
    "duration_minutes": 95,
    "band_c": [2, 8],
    "sensor_id": "T1",
    "amount": "500000.00",
    "currency": "CNY",
    "fees": "1200.00",
    "rate_percent": "3.850",
    "term_days": 90,
    "valid_until": "2026-12-20T08:00:00+00:00",
    "deadline": "2026-12-31",
    "days_left": 7,
    "title": "马来西亚商标注册",
    "country": "MY",
    "countries": ["MY", "TH"],
    "email": "wang.fang@example.com",
    "prefix": "agri_ab12",
    "url": "https://hooks.example.com/agri",
    "date": "2026-12-06",
    "certificates": [
        {
            "certificate_id": 1,
            "number": "SC-GAP-2026-0042",
            "scheme": "GLOBALG.A.P.",
            "expiry_date": "2027-01-05",
            "days_left": 30,
            "threshold_days": 30,
        }
    ],
}

# How each figure reads: (Chinese, English), for a reader who saved no zone: Beijing time in both
# (DISPLAY_TIME_ZONE, Asia/Shanghai by default).
EXPECTED = {
    "amount": ("¥50万", "CN¥500,000.00"),
    "fees": ("¥1,200.00", "CN¥1,200.00"),
    "rate_percent": ("3.85%", "3.85%"),
    "term_days": ("90天", "90 days"),
    "valid_until": (
        "2026-12-20 16:00（中国（上海）时间）",
        "2026-12-20 16:00 (China (Shanghai) Time)",
    ),
    "expiry_date": ("2027年3月1日", "March 1, 2027"),
    "deadline": ("2026年12月31日", "Dec. 31, 2026"),
    "peak_c": ("9.5 °C", "9.5 °C"),
    "duration_minutes": ("1小时35分钟", "1 hr 35 min"),
    "band_c": ("2 – 8 °C", "2 – 8 °C"),
    "started_at": (
        "2026-12-06 11:15（中国（上海）时间）",
        "2026-12-06 11:15 (China (Shanghai) Time)",
    ),
    "destination": ("MYPKG", "MYPKG"),
    "countries": ("马来西亚、泰国", "Malaysia, Thailand"),
    "reason": ("检测报告缺失", "检测报告缺失"),
    "reference": ("SH-2026-0815", "SH-2026-0815"),
    "number": ("SC-GAP-2026-0042", "SC-GAP-2026-0042"),
    "request_id": ("#7", "#7"),
}
LABELS = {"zh-hans": ("您好", "查看并处理："), "en": ("Hello", "Open it and act: ")}


def realistic_payload(kind: str) -> dict:
    payload = payload_for(kind)
    payload.update({name: value for name, value in SAMPLE.items() if name in payload})
    for name in ("request_id", "application_id", "offer_id"):
        if name in payload:
            payload[name] = 7
    return payload


def render(kind: str, language: str, payload=None, user=None):
    user = user or UserFactory(language=language, full_name="王芳")
    event = EventFactory(kind=kind, payload=payload or realistic_payload(kind))
    notification = NotificationFactory(user=user, event=event)
    return emails._render(EmailMessage(user=user, kind=kind), [notification])


EXPORTER_AUDIENCES = {"enterprise_admins", "enterprise_members"}


def recipient_of(kind: str, language: str):
    """Someone the kind notifies: an exporter's person (portal links) when it tells exporters,
    else a bank's person or a staff member (API links)."""
    notify = set(catalogue.get(kind).notify)
    if notify & EXPORTER_AUDIENCES:
        return UserFactory(language=language, full_name="王芳")
    if "partner_users" in notify:
        bank = PartnerFactory(kind=PartnerKind.BANK)
        return PartnerUserFactory(partner=bank, language=language, full_name="王芳")
    return StaffUserFactory(language=language, full_name="王芳")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("kind", NOTIFYING_KINDS)
def test_every_notifying_kind_reads_with_its_figures_and_a_link(kind, language):
    user = recipient_of(kind, language)
    subject, body = render(kind, language, user=user)
    payload = realistic_payload(kind)
    chinese = language == "zh-hans"
    title = catalogue.title_for(kind, payload, language)
    assert title in subject and title in body
    greeting, act = LABELS[language]
    assert greeting in body
    for name, readings in EXPECTED.items():
        if name in payload:
            assert readings[0 if chinese else 1] in body, (name, body)
    link = email_content.link_for(user, kind, payload)
    assert link and f"{act}{link}" in body
    match = resolve(link.removeprefix(email_content.absolute("")))  # a real route of the platform
    assert (match.namespace == "portal") == email_content.reads_the_portal(user)


def test_a_figure_reads_in_the_subject_where_it_matters():
    subject_zh, _ = render("finance.request.disbursed", "zh-hans")
    subject_en, _ = render("finance.request.disbursed", "en")
    assert subject_zh == "【四川农产品贸易服务平台】融资申请 #7 已放款：¥50万"
    assert subject_en == "[Sichuan Agri-Trade] Financing request #7 disbursed: CN¥500,000.00"
    subject, _ = render("shipment.temperature_excursion.started", "zh-hans")
    assert subject.endswith("运单 SH-2026-0815 温度超标：9.5 °C")


def test_a_carrier_never_reads_an_amount():
    carrier_user = PartnerUserFactory(partner=PartnerFactory(kind=PartnerKind.CARRIER))
    subject, body = render("finance.request.disbursed", "en", user=carrier_user)
    assert "500,000" not in subject + body and "Amount" not in body


def test_a_reader_with_a_time_zone_reads_times_in_it():
    user = UserFactory(language="en")
    user.timezone = "Asia/Kuala_Lumpur"
    _, body = render("shipment.temperature_excursion.started", "en", user=user)
    assert "Started at: 2026-12-06 11:15 (Malaysia (Kuala Lumpur) Time)" in body


def test_a_reader_who_never_chose_a_language_reads_the_platform_default(settings):
    user = UserFactory()
    user.language = ""
    _, body = render("shipment.delivered", "", user=user)
    assert "您好" in body and "（中国（上海）时间）" in body


def test_a_digest_lists_each_notification_with_its_figures():
    user = UserFactory(language="zh-hans")
    notifications = []
    for n, amount in enumerate(["500000.00", "80000.00"], start=1):
        payload = realistic_payload("finance.offer.received") | {"offer_id": n, "amount": amount}
        event = EventFactory(kind="finance.offer.received", payload=payload)
        notifications.append(NotificationFactory(user=user, event=event))
    subject, body = emails._render(
        EmailMessage(user=user, kind="finance.offer.received"), notifications
    )
    assert subject.startswith("【四川农产品贸易服务平台】2 条新通知：")
    assert "1. 融资申请 #7 收到新报价：¥50万" in body
    assert "2. 融资申请 #7 收到新报价：¥8万" in body
    assert body.count(reverse("portal:finance-request", args=[7])) == 2


def test_the_platform_keeps_what_it_sent(django_capture_on_commit_callbacks):
    enterprise = EnterpriseFactory()
    owner = MembershipFactory(
        enterprise=enterprise,
        role=MembershipRole.OWNER,
        user=UserFactory(language="zh-hans", full_name="王芳"),
    ).user
    with django_capture_on_commit_callbacks(execute=True):
        services.record(
            "shipment.exception",
            payload=realistic_payload("shipment.exception"),
            enterprise=enterprise,
        )
    stored = EmailMessage.objects.get(user=owner)
    assert stored.language == "zh-hans" and stored.to_address == owner.email
    assert (
        stored.subject
        == mail.outbox[0].subject
        == "【四川农产品贸易服务平台】运单 SH-2026-0815 出现异常"
    )
    assert stored.body == mail.outbox[0].body
    assert "海关查验延误" in stored.body and "2026-12-06 11:15（中国（上海）时间）" in stored.body


# --- the link answers the recipient ------------------------------------------------------------


def _owner_of(enterprise, language="zh-hans"):
    return MembershipFactory(
        enterprise=enterprise, role=MembershipRole.OWNER, user=UserFactory(language=language)
    ).user


def _signed_in(user):
    """The recipient after signing in: a session on the portal, a token on the API."""
    if not email_content.reads_the_portal(user):
        return client_for(user)
    client = Client()
    client.force_login(user)
    return client


def _assert_link_answers(kind, payload, user):
    _, body = render(kind, user.language, payload=payload, user=user)
    link = email_content.link_for(user, kind, payload)
    assert link in body
    path = link.removeprefix(email_content.absolute(""))
    assert path.startswith("/portal/") == email_content.reads_the_portal(user)
    response = _signed_in(user).get(path)
    assert response.status_code == 200, (kind, link, response.content[:300])


def test_shipment_links_answer_the_enterprise_and_the_carrier():
    from tests.logistics.factories import ExcursionFactory, ShipmentFactory

    shipment = ShipmentFactory()
    excursion = ExcursionFactory(shipment=shipment)
    owner = _owner_of(shipment.enterprise)
    carrier_user = PartnerUserFactory(partner=shipment.carrier, language="en")
    payload = realistic_payload("shipment.dispatched") | {"shipment_id": shipment.pk}
    for user in (owner, carrier_user):
        _assert_link_answers("shipment.dispatched", payload, user)
    payload = realistic_payload("shipment.temperature_excursion.started") | {
        "shipment_id": shipment.pk,
        "excursion_id": excursion.pk,
    }
    for user in (owner, carrier_user):
        _assert_link_answers("shipment.temperature_excursion.started", payload, user)


def test_certification_links_answer_the_enterprise():
    from tests.certification.factories import CertificateFactory, SubmittedApplicationFactory

    application = SubmittedApplicationFactory()
    owner = _owner_of(application.enterprise)
    payload = realistic_payload("certification.application.changes_requested") | {
        "application_id": application.pk
    }
    _assert_link_answers("certification.application.changes_requested", payload, owner)
    certificate = CertificateFactory(enterprise=application.enterprise)
    payload = realistic_payload("certificate.suspended") | {"certificate_id": certificate.pk}
    _assert_link_answers("certificate.suspended", payload, owner)
    expiring = realistic_payload("certificate.expiring")
    expiring["certificates"] = [expiring["certificates"][0] | {"certificate_id": certificate.pk}]
    _assert_link_answers("certificate.expiring", expiring, owner)


def test_finance_links_answer_the_enterprise_and_the_bank():
    from tests.finance.factories import FinancingOfferFactory

    offer = FinancingOfferFactory()
    owner = _owner_of(offer.request.enterprise)
    bank_user = PartnerUserFactory(partner=offer.partner, language="en")
    payload = realistic_payload("finance.offer.received") | {
        "request_id": offer.request_id,
        "offer_id": offer.pk,
    }
    _assert_link_answers("finance.offer.received", payload, owner)
    _assert_link_answers("finance.offer.accepted", payload, bank_user)
    payload = realistic_payload("finance.request.disbursed") | {"request_id": offer.request_id}
    _assert_link_answers("finance.request.disbursed", payload, owner)


def test_legal_and_enterprise_links_answer_the_enterprise():
    from tests.legal.factories import LegalRequestFactory

    case = LegalRequestFactory()
    owner = _owner_of(case.enterprise)
    payload = realistic_payload("legal.request.awaiting_client") | {"request_id": case.pk}
    _assert_link_answers("legal.request.awaiting_client", payload, owner)
    _assert_link_answers("legal.message.posted", payload | {"message_id": 1}, owner)
    payload = realistic_payload("enterprise.verified") | {"enterprise_id": case.enterprise_id}
    _assert_link_answers("enterprise.verified", payload, owner)
    _assert_link_answers("enterprise.member_joined", payload, owner)


def test_partner_links_answer_the_partner():
    from tests.events.factories import WebhookEndpointFactory

    endpoint = WebhookEndpointFactory(partner=PartnerFactory(kind=PartnerKind.BANK))
    user = PartnerUserFactory(partner=endpoint.partner, language="en")
    payload = realistic_payload("webhook.endpoint.disabled") | {"endpoint_id": endpoint.pk}
    _assert_link_answers("webhook.endpoint.disabled", payload, user)
    payload = realistic_payload("partner.user_created") | {"partner": endpoint.partner_id}
    _assert_link_answers("partner.user_created", payload, user)


def test_dates_read_in_the_readers_language():
    with email_content.reading_context(UserFactory.build(language="zh-hans")):
        assert email_content._day(date(2027, 3, 1)) == "2027年3月1日"
        assert email_content._moment(timezone.now() - timedelta(0)).endswith("（中国（上海）时间）")
        assert email_content._money(Decimal("500000"), {"currency": "CNY"}) == "¥50万"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_codes_read_as_the_labels_of_the_subject(language):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import translation

    from tests.logistics.factories import ShipmentFactory

    shipment = ShipmentFactory()
    user = UserFactory(language=language)
    payload = realistic_payload("shipment.status_changed") | {"status": "in_transit"}
    event = EventFactory(
        kind="shipment.status_changed",
        payload=payload,
        subject_type=ContentType.objects.get_for_model(shipment),
        subject_id=str(shipment.pk),
    )
    with translation.override(language):
        label = str(dict(type(shipment)._meta.get_field("status").flatchoices)["in_transit"])
    subject, body = emails._render(
        EmailMessage(user=user, kind=event.kind), [NotificationFactory(user=user, event=event)]
    )
    assert label in subject and "in_transit" not in subject + body
    assert email_content.notification_title(event, user) in subject


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "待处理"), ("en", "Pending")])
def test_an_offers_status_reads_as_the_offers_label_though_the_request_is_the_subject(
    language, label
):
    from django.contrib.contenttypes.models import ContentType

    from tests.finance.factories import FinancingRequestFactory

    request = FinancingRequestFactory()
    user = UserFactory(language=language)
    payload = realistic_payload("finance.offer.received") | {"status": "pending"}
    event = EventFactory(
        kind="finance.offer.received",
        payload=payload,
        subject_type=ContentType.objects.get_for_model(request),
        subject_id=str(request.pk),
    )
    _subject, body = emails._render(
        EmailMessage(user=user, kind=event.kind), [NotificationFactory(user=user, event=event)]
    )
    assert label in body and "pending" not in body
