"""Demo legal case from the source article: Runzhao files a Madrid trademark request for
Viet Nam, Mexico and Malaysia, assigned to the law-firm partner. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from agri_platform.accounts.models import Partner
from agri_platform.reference.models import Country
from enterprises.models import Enterprise

from .choices import LegalKind, LegalStatus
from .models import LegalRequest, MadridDesignation

LAW_FIRM = "Tianfu International Law Firm"
TITLE = "Madrid trademark filing for our caviar brand: Viet Nam, Mexico, Malaysia"
COUNTRIES = [
    ("VN", "Viet Nam", ["ASEAN", "RCEP"]),
    ("MX", "Mexico", []),
    ("MY", "Malaysia", ["ASEAN", "RCEP"]),
]
NICE_CLASSES = [29]  # caviar and fish products


def seed(log) -> None:
    runzhao = Enterprise.objects.filter(name_en__icontains="Runzhao").order_by("pk").first()
    if runzhao is None:
        log("legal: no enterprise named like 'Runzhao'; skipped the trademark case")
        return
    firm = Partner.objects.filter(name=LAW_FIRM).first()
    if firm is None:
        log(f"legal: partner '{LAW_FIRM}' is missing; skipped the trademark case")
        return
    if LegalRequest.objects.filter(enterprise=runzhao, title=TITLE).exists():
        log("legal: demo trademark case already present")
        return
    countries = [
        Country.objects.get_or_create(code=code, defaults={"name_en": name, "groups": groups})[0]
        for code, name, groups in COUNTRIES
    ]
    now = timezone.now()
    case = LegalRequest.objects.create(
        enterprise=runzhao,
        kind=LegalKind.TRADEMARK_REGISTRATION,
        title=TITLE,
        trademark="RUNZHAO 润兆",
        description=(
            "Extend our Chinese trademark registration for sturgeon caviar to our new markets "
            "through the Madrid System, before the first shipments arrive."
        ),
        deadline=timezone.localdate() + timedelta(days=90),
        status=LegalStatus.ASSIGNED,
        assigned_firm=firm,
        assigned_at=now,
    )
    case.countries.set(countries)
    for country in countries:
        MadridDesignation.objects.create(request=case, country=country, nice_classes=NICE_CLASSES)
    log("legal: Runzhao's Madrid trademark case created (VN, MX, MY)")
