"""Tenant-scoped reads shared by the views, the admin and the tasks."""

from dataclasses import replace
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agri_platform.api.errors import ValidationFailed
from agri_platform.api.serializers import unknown_id
from agri_platform.api.tenancy import enterprise_ids_of, scope_queryset
from agri_platform.reference import l10n
from agri_platform.reference.models import Country
from enterprises.models import Enterprise, Product

from .choices import (
    AWAITING_STAFF_STATUSES,
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    CertificateStatus,
)
from .models import (
    Application,
    ApplicationDocument,
    Certificate,
    MarketRequirement,
    Scheme,
    TimelineEntry,
)
from .readiness import Readiness, check_readiness


def schemes_for(user) -> QuerySet[Scheme]:
    """Staff see the whole catalogue; everyone else the schemes open for applications."""
    queryset = Scheme.objects.all()
    if user.is_authenticated and user.is_platform_staff:
        return queryset
    return queryset.filter(is_active=True)


def requirements_for(user) -> QuerySet[MarketRequirement]:
    queryset = MarketRequirement.objects.select_related("scheme", "destination_country")
    if user.is_authenticated and user.is_platform_staff:
        return queryset
    return queryset.filter(is_active=True)


def applications_for(user) -> QuerySet[Application]:
    queryset = Application.objects.select_related(
        "enterprise", "enterprise__prefecture", "scheme", "reviewer", "certificate", "renewal_of"
    ).prefetch_related(
        "scope_products",
        "scope_bases",
        Prefetch("documents", queryset=ApplicationDocument.objects.order_by("id")),
    )
    return routed_to_body(scope_queryset(queryset, user, partner_field=BODY_FIELD), user)


# Applications and certificates of a scheme are routed to the body that certifies it; a draft is
# the enterprise's own until it is submitted.
BODY_FIELD = "scheme__certification_body"


def routed_to_body(queryset: QuerySet, user, *, status_field: str = "status") -> QuerySet:
    if user.is_authenticated and user.partner_id:
        return queryset.exclude(**{status_field: ApplicationStatus.DRAFT})
    return queryset


def sees_internal_notes(user, application: Application) -> bool:
    """Platform staff, and the people of the body the application is routed to."""
    if not user.is_authenticated:
        return False
    if user.is_platform_staff:
        return True
    body_id = application.scheme.certification_body_id
    return bool(user.partner_id) and user.partner_id == body_id


def review_queue_for(user) -> QuerySet[Application]:
    """Staff's queue: oldest submission first (the filters choose the statuses; by default the
    applications waiting for staff)."""
    return applications_for(user).order_by("submitted_at", "id")


def default_queue_statuses() -> tuple[str, ...]:
    return tuple(str(status) for status in AWAITING_STAFF_STATUSES)


def timeline_for(application: Application, user) -> QuerySet[TimelineEntry]:
    """Internal reviewer notes are for staff and the certification body, never the enterprise."""
    queryset = application.timeline.select_related("actor").order_by("id")
    if sees_internal_notes(user, application):
        return queryset
    return queryset.filter(internal=False)


def documents_for(user, application_id) -> QuerySet[ApplicationDocument]:
    queryset = scope_queryset(
        ApplicationDocument.objects.filter(application_id=application_id).select_related(
            "application"
        ),
        user,
        enterprise_field="application__enterprise",
        partner_field=f"application__{BODY_FIELD}",
    )
    return routed_to_body(queryset, user, status_field="application__status")


def certificates_for(user) -> QuerySet[Certificate]:
    queryset = Certificate.objects.select_related(
        "enterprise", "scheme", "application"
    ).prefetch_related("scope_products", "scope_bases", "documents")
    return scope_queryset(queryset, user, partner_field=BODY_FIELD)


def certificate_by_number(number: str) -> Certificate | None:
    return Certificate.objects.select_related("enterprise", "scheme").filter(number=number).first()


def live_status(certificate: Certificate, on=None) -> str:
    """The status the public sees on `on` (default today): "expired" as soon as an active
    certificate's last day has passed, before the daily task records it."""
    from django.utils import timezone

    on = on or timezone.localdate()
    if certificate.status == CertificateStatus.ACTIVE and certificate.expiry_date < on:
        return CertificateStatus.EXPIRED
    return certificate.status


def valid_certificates(on=None) -> QuerySet[Certificate]:
    """Certificates in force on `on` (default today): active, issued, not past their last day.
    Used by the public exporter directory and the enterprise list's `has_valid_certificate`."""
    on = on or timezone.localdate()
    return Certificate.objects.filter(
        status=CertificateStatus.ACTIVE, issue_date__lte=on, expiry_date__gte=on
    )


def readiness_for(
    *, enterprise: Enterprise, product_ids: list[int], destination_code: str, on_date: date
) -> Readiness:
    """What `destination_code` requires of the enterprise's products on `on_date`, and what is met.
    An id that is not one of the enterprise's products, or an unknown country, is a 400."""
    products = list(
        Product.objects.filter(enterprise=enterprise, pk__in=product_ids).select_related("hs_code")
    )
    unknown = sorted(set(product_ids) - {p.pk for p in products})
    if unknown:
        raise unknown_id("product", unknown[0])
    destination = Country.objects.filter(code=destination_code.upper()).first()
    if destination is None:
        raise ValidationFailed(
            _("Unknown country code %(code)s (ISO 3166-1 alpha-2).") % {"code": destination_code},
            field="destination",
        )
    checks = check_readiness(
        enterprise=enterprise, products=products, destination=destination, on_date=on_date
    )
    numbers_by_id = dict(
        Certificate.objects.filter(
            pk__in=[c.certificate_id for c in checks if c.certificate_id]
        ).values_list("pk", "number")
    )
    return Readiness(
        enterprise_id=enterprise.pk,
        product_ids=[p.pk for p in products],
        destination={
            "code": destination.code,
            "name": l10n.in_reading_language(destination.name_zh, destination.name_en),
            "name_en": destination.name_en,
            "groups": destination.groups or [],
        },
        on_date=on_date,
        checks=[
            replace(check, certificate_number=numbers_by_id.get(check.certificate_id, ""))
            for check in checks
        ],
    )


def member_applications(user) -> QuerySet[Application]:
    """The applications of the enterprises `user` is a member of (the portal's pages: a staff
    member who also belongs to an enterprise sees that enterprise's, not the whole platform's)."""
    return applications_for(user).filter(enterprise_id__in=enterprise_ids_of(user))


def member_certificates(user) -> QuerySet[Certificate]:
    """The certificates of the enterprises `user` is a member of (see `member_applications`)."""
    return certificates_for(user).filter(enterprise_id__in=enterprise_ids_of(user))


def open_applications_by_scheme(enterprise: Enterprise) -> dict[int, Application]:
    """{scheme id: the newest open application} of `enterprise`: where a missing certificate is
    already being applied for."""
    found: dict[int, Application] = {}
    for application in Application.objects.filter(
        enterprise=enterprise, status__in=OPEN_APPLICATION_STATUSES
    ).order_by("-id"):
        found.setdefault(application.scheme_id, application)
    return found
