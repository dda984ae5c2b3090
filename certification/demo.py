"""Demo certification data (idempotent): the catalogue, Fushun's ISO 9001 application under review,
Runzhao's ISO 22000 certificate and CITES permit, Baiyang's GlobalG.A.P. certificate expiring soon.

The demo enterprises come from enterprises/demo.py; each case is skipped with a log line when its
enterprise is absent.
"""

import hashlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from agri_platform.accounts.choices import PartnerKind
from agri_platform.accounts.models import Partner, User
from enterprises.models import Enterprise

from . import catalogue, facts, services
from .choices import ApplicationAction, ApplicationStatus
from .models import Application, ApplicationDocument, Certificate, Scheme, TimelineEntry

DEMO_PDF = b"%PDF-1.4\n% demo document for the Sichuan Agri-Trade platform\n%%EOF\n"
REVIEWER_EMAIL = "reviewer@demo.agri-trade.example"
# The demo certification body (agri_platform/accounts/demo.py) certifies ISO 22000: its desk
# lists those applications and Runzhao's certificate.
BODY_SCHEME = "ISO22000"


def _enterprise(fragment: str, log):
    enterprise = Enterprise.objects.filter(name_en__icontains=fragment).order_by("pk").first()
    if enterprise is None:
        log(f"certification demo: no enterprise named like {fragment!r}; its case is skipped")
    return enterprise


def _products(enterprise, *, hs_prefix: str = "", category: str = ""):
    products = enterprise.products.all()
    if hs_prefix:
        products = products.filter(hs_code__code__startswith=hs_prefix)
    if category:
        products = products.filter(category=category)
    return list(products)


def _certificate(log, enterprise, scheme_code: str, *, issue_date, expiry_date=None, products=()):
    scheme = Scheme.objects.get(code=scheme_code)
    existing = Certificate.objects.filter(enterprise=enterprise, scheme=scheme).first()
    if existing is not None:
        return existing
    certificate = services.certificate_record(
        actor=None,
        enterprise=enterprise,
        scheme=scheme,
        products=products,
        bases=list(enterprise.production_bases.all()[:1]),
        issue_date=issue_date,
        expiry_date=expiry_date,
    )
    log(f"certificate {certificate.number} for {enterprise} (valid to {certificate.expiry_date})")
    return certificate


def _fushun_application(log, enterprise):
    scheme = Scheme.objects.get(code="ISO9001")
    if Application.objects.filter(enterprise=enterprise, scheme=scheme).exists():
        return
    now = timezone.now()
    member = User.objects.filter(memberships__enterprise=enterprise).order_by("pk").first()
    reviewer = (
        User.objects.filter(email=REVIEWER_EMAIL).first()
        or User.objects.filter(staff_role="reviewer", is_active=True).order_by("pk").first()
    )
    status = ApplicationStatus.UNDER_REVIEW if reviewer else ApplicationStatus.SUBMITTED
    submitted_at = now - timedelta(days=6)
    application = Application.objects.create(
        enterprise=enterprise,
        scheme=scheme,
        status=status,
        scope_note="Citrus growing, sorting and packing for direct export (ISO 9001).",
        created_by=member,
        reviewer=reviewer,
        submitted_at=submitted_at,
        last_submitted_at=submitted_at,
        sla_due_at=submitted_at + timedelta(days=scheme.review_sla_days),
    )
    application.scope_products.set(_products(enterprise, category="fruits"))
    application.scope_bases.set(enterprise.production_bases.all())
    for kind in scheme.required_documents:
        document = ApplicationDocument(
            application=application,
            kind=kind,
            original_name=f"{kind}.pdf",
            content_type="application/pdf",
            size=len(DEMO_PDF),
            sha256=hashlib.sha256(DEMO_PDF).hexdigest(),
            uploaded_by=member,
        )
        document.file.save(f"{kind}.pdf", ContentFile(DEMO_PDF), save=False)
        document.save()
    TimelineEntry.objects.create(
        application=application, action=ApplicationAction.CREATE, actor=member, to_status="draft"
    )
    TimelineEntry.objects.create(
        application=application,
        action=ApplicationAction.SUBMIT,
        actor=member,
        from_status=ApplicationStatus.DRAFT,
        to_status=ApplicationStatus.SUBMITTED,
    )
    if reviewer:
        TimelineEntry.objects.create(
            application=application,
            action=ApplicationAction.CLAIM,
            actor=reviewer,
            from_status=ApplicationStatus.SUBMITTED,
            to_status=ApplicationStatus.UNDER_REVIEW,
        )
    log(f"Fushun ISO 9001 application #{application.pk} ({application.status})")


def _route_to_demo_body(log) -> None:
    body = Partner.objects.filter(kind=PartnerKind.CERTIFICATION_BODY).order_by("pk").first()
    if body is None:
        log("certification demo: no certification body; every scheme stays with platform staff")
        return
    Scheme.objects.filter(code=BODY_SCHEME, certification_body__isnull=True).update(
        certification_body=body
    )
    log(f"{BODY_SCHEME} applications are routed to {body}")


def seed(log) -> None:
    catalogue.load(log)
    _route_to_demo_body(log)
    today = timezone.localdate()

    fushun = _enterprise("Fushun", log)
    if fushun is not None:
        _fushun_application(log, fushun)

    runzhao = _enterprise("Runzhao", log)
    if runzhao is not None:
        _certificate(log, runzhao, "ISO22000", issue_date=today - timedelta(days=200))
        _certificate(
            log,
            runzhao,
            "CITES-EXPORT",
            issue_date=today - timedelta(days=30),
            products=_products(runzhao, hs_prefix="1604"),
        )

    baiyang = _enterprise("Baiyang", log)
    if baiyang is not None:
        _certificate(
            log,
            baiyang,
            "GLOBALGAP",
            issue_date=today - timedelta(days=345),
            expiry_date=today + timedelta(days=20),
            products=_products(baiyang, category="fruits"),
        )

    demo = [enterprise for enterprise in (fushun, runzhao, baiyang) if enterprise is not None]
    written = facts.facts_refresh_all(enterprises=demo)
    log(f"certification: analytics facts of {written} demo applications and certificates refreshed")
