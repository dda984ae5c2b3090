"""Demo users and partners. Passwords are for local use only and printed by `make run`."""

from django.utils import timezone
from django.utils.text import slugify

from agri_platform.accounts.choices import Language, PartnerKind, StaffRole
from agri_platform.accounts.models import Partner, User

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (local demo only, printed by make run)  # nosec B105

STAFF = [
    ("admin@demo.agri-trade.example", "Platform Admin", StaffRole.PLATFORM_ADMIN, True),
    ("reviewer@demo.agri-trade.example", "Li Reviewer", StaffRole.REVIEWER, False),
    ("officer@demo.agri-trade.example", "Wang Officer", StaffRole.OFFICER, False),
]

ENTERPRISE_USERS = [
    ("exporter@demo.agri-trade.example", "Zhang Exporter"),
]

PARTNERS = [
    ("Bank of Chengdu Trade Finance", "成都银行国际业务部", PartnerKind.BANK),
    ("Sichuan Agricultural Credit Bank", "四川农商银行", PartnerKind.BANK),
    ("Sinosure Sichuan", "中国信保四川分公司", PartnerKind.INSURER),
    ("Shudao Cold Chain Logistics", "蜀道冷链物流", PartnerKind.CARRIER),
    ("Chengdu Customs Brokerage", "成都报关行", PartnerKind.CUSTOMS_BROKER),
    (
        "China Quality Certification Centre Sichuan",
        "中国质量认证中心四川",
        PartnerKind.CERTIFICATION_BODY,
    ),
    ("Tianfu International Law Firm", "天府国际律师事务所", PartnerKind.LAW_FIRM),
]


def partner_user_email(partner_name: str) -> str:
    return f"{slugify(partner_name)}@partner.demo.agri-trade.example"


def _user(email: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, email_confirmed_at=timezone.now(), **fields
        )
    return user


def seed(log) -> None:
    for email, name, role, superuser in STAFF:
        _user(
            email,
            full_name=name,
            staff_role=role,
            is_staff=True,
            is_superuser=superuser,
            language=Language.ZH_HANS,
        )
    for email, name in ENTERPRISE_USERS:
        _user(email, full_name=name, language=Language.ZH_HANS)
    for name, name_zh, kind in PARTNERS:
        partner, _ = Partner.objects.get_or_create(
            name=name, defaults={"name_zh": name_zh, "kind": kind}
        )
        _user(
            partner_user_email(name),
            full_name=f"{name} user",
            partner=partner,
            language=Language.EN,
        )
    log(
        f"{len(STAFF)} staff users, {len(ENTERPRISE_USERS)} enterprise users, {len(PARTNERS)} partners"
    )
