"""Demo financing requests from the source article. Idempotent: each request is found by its
enterprise, kind and purpose before anything is created.

- Runzhao asks two banks for a pre-shipment loan, with its caviar shipment to Viet Nam (and its
  cold-chain record) and its CITES export permit linked as evidence, and has two offers.
- Chengben insures its prepared-rabbit shipment to Dakar with the export credit insurer.
"""

from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from agri_platform.accounts.models import Partner
from agri_platform.reference.models import Currency
from enterprises.models import Enterprise

from . import evidence
from .choices import EvidenceKind, FinancingKind, OfferStatus, RequestStatus
from .models import FinancingEvidence, FinancingOffer, FinancingRequest, FinancingRouting

BANKS = ["Bank of Chengdu Trade Finance", "Sichuan Agricultural Credit Bank"]
INSURER = "Sinosure Sichuan"
LOAN_PURPOSE = (
    "Pre-shipment loan to finance sturgeon caviar (HS 1604.31) for new buyers in Viet Nam, "
    "Mexico and Malaysia; repaid from export proceeds."
)
INSURANCE_PURPOSE = (
    "Export credit insurance for the first shipment of prepared rabbit dishes to the port of "
    "Dakar, Senegal (buyer default and political risk)."
)
LOAN_OFFERS = [
    # bank, external reference, rate % p.a., fees, conditions
    (
        BANKS[0],
        "DEMO-BOCD-LOAN-1",
        Decimal("3.8500"),
        Decimal("5000.00"),
        "Assignment of export proceeds; CITES permit copy",
    ),
    (
        BANKS[1],
        "DEMO-SACB-LOAN-1",
        Decimal("3.6000"),
        Decimal("12000.00"),
        "Guarantee by the Ya'an agricultural credit fund",
    ),
]


# Seeded by logistics/demo.py and certification/demo.py (earlier in INSTALLED_APPS order); looked up
# through the app registry so finance keeps no import of those apps.
CAVIAR_SHIPMENT = "RZ-VN-2026-014"
CAVIAR_CERTIFICATE_SCHEME = "CITES-EXPORT"


def _loan_evidence(loan, enterprise, log) -> int:
    shipment = (
        apps.get_model("logistics", "Shipment")
        .objects.filter(enterprise=enterprise, reference=CAVIAR_SHIPMENT)
        .first()
    )
    certificate = (
        apps.get_model("certification", "Certificate")
        .objects.filter(enterprise=enterprise, scheme__code=CAVIAR_CERTIFICATE_SCHEME)
        .order_by("pk")
        .first()
    )
    made = 0
    for kind, obj in ((EvidenceKind.SHIPMENT, shipment), (EvidenceKind.CERTIFICATE, certificate)):
        if obj is None:
            log(f"finance: Runzhao has no demo {kind}; not linked as evidence")
            continue
        if loan.evidence.filter(kind=kind, object_id=str(obj.pk)).exists():
            continue
        summary = evidence.resolve(kind, enterprise=enterprise, object_id=str(obj.pk))
        FinancingEvidence.objects.create(
            request=loan, kind=kind, object_id=str(obj.pk), summary=summary
        )
        made += 1
    return made


def _currency(code: str, name: str, minor_units: int = 2) -> Currency:
    return Currency.objects.get_or_create(
        code=code, defaults={"name": name, "minor_units": minor_units}
    )[0]


def _enterprise(fragment: str, log) -> Enterprise | None:
    enterprise = Enterprise.objects.filter(name_en__icontains=fragment).order_by("pk").first()
    if enterprise is None:
        log(f"finance: no enterprise named like '{fragment}'; skipped its demo request")
    return enterprise


def _request(*, enterprise, kind, purpose, amount, currency, term_days, status, partners):
    existing = FinancingRequest.objects.filter(
        enterprise=enterprise, kind=kind, purpose=purpose
    ).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    financing_request = FinancingRequest.objects.create(
        enterprise=enterprise,
        kind=kind,
        purpose=purpose,
        amount=amount,
        currency=currency,
        term_days=term_days,
        status=status,
        submitted_at=now - timedelta(days=2),
        routed_at=now - timedelta(days=1),
    )
    for partner in partners:
        FinancingRouting.objects.create(request=financing_request, partner=partner)
    return financing_request, True


def seed(log) -> None:
    cny = _currency("CNY", "Chinese yuan renminbi")
    usd = _currency("USD", "US dollar")
    banks = list(Partner.objects.filter(name__in=BANKS).order_by("name"))
    insurer = Partner.objects.filter(name=INSURER).first()
    made = 0

    runzhao = _enterprise("Runzhao", log)
    if runzhao is not None and len(banks) == len(BANKS):
        loan, created = _request(
            enterprise=runzhao,
            kind=FinancingKind.PRE_SHIPMENT_LOAN,
            purpose=LOAN_PURPOSE,
            amount=Decimal("3000000.00"),
            currency=cny,
            term_days=120,
            status=RequestStatus.OFFERED,
            partners=banks,
        )
        made += created
        made += _loan_evidence(loan, runzhao, log)
        by_name = {bank.name: bank for bank in banks}
        for bank_name, reference, rate, fees, conditions in LOAN_OFFERS:
            _, offer_created = FinancingOffer.objects.get_or_create(
                request=loan,
                partner=by_name[bank_name],
                external_reference=reference,
                defaults={
                    "amount": loan.amount,
                    "currency": cny,
                    "rate_percent": rate,
                    "term_days": loan.term_days,
                    "fees": fees,
                    "conditions": conditions,
                    "valid_until": timezone.now() + timedelta(days=30),
                    "status": OfferStatus.PENDING,
                },
            )
            made += offer_created
    elif runzhao is not None:
        log("finance: demo banks are missing; skipped Runzhao's loan")

    chengben = _enterprise("Chengben", log)
    if chengben is not None and insurer is not None:
        _, created = _request(
            enterprise=chengben,
            kind=FinancingKind.EXPORT_CREDIT_INSURANCE,
            purpose=INSURANCE_PURPOSE,
            amount=Decimal("180000.00"),
            currency=usd,
            term_days=90,
            status=RequestStatus.ROUTED,
            partners=[insurer],
        )
        made += created
    log(f"finance: {made} demo requests and offers created")
