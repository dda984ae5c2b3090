"""Applications and certificates → analytics facts (docs/analytics.md, "Feeding the facts").

The services call `queue_application_refresh` / `queue_certificate_refresh` wherever an application
or certificate changes; the `reports.*` tasks (certification/tasks.py) apply `*_fact_refresh`.
"""

from django.utils import timezone

from agri_platform.queue import queue_after_commit
from analytics import services as analytics

from .choices import ApplicationStatus, CertificateStatus
from .models import Application, Certificate

DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)


def application_fact_input(application: Application) -> analytics.CertificationFactInput:
    return analytics.CertificationFactInput(
        application_id=application.pk,
        enterprise_id=application.enterprise_id,
        scheme_code=application.scheme.code,
        status=application.status,
        submitted_at=application.submitted_at,
        decided_at=application.decided_at if application.status in DECIDED else None,
        sla_days=application.scheme.review_sla_days,
    )


def certificate_fact_input(certificate: Certificate) -> analytics.CertificateFactInput:
    return analytics.CertificateFactInput(
        certificate_id=certificate.pk,
        enterprise_id=certificate.enterprise_id,
        scheme_code=certificate.scheme.code,
        status=certificate.status,
        in_force=certificate.status == CertificateStatus.ACTIVE
        and certificate.expiry_date >= timezone.localdate(),
        valid_until=certificate.expiry_date,
        application_id=certificate.application_id,
        number=certificate.number,
    )


def application_fact_refresh(*, application_id: int) -> bool:
    application = Application.objects.select_related("scheme").filter(pk=application_id).first()
    if application is None:
        return False
    analytics.upsert_certification_fact(data=application_fact_input(application))
    return True


def certificate_fact_refresh(*, certificate_id: int) -> bool:
    certificate = Certificate.objects.select_related("scheme").filter(pk=certificate_id).first()
    if certificate is None:
        return False
    analytics.upsert_certificate_fact(data=certificate_fact_input(certificate))
    return True


def facts_refresh_all(enterprises=None) -> int:
    """Refresh the facts of every application and certificate (of `enterprises` when given): demo
    seeding, nightly reconciliation. Returns how many facts were written."""
    applications, certificates = Application.objects.all(), Certificate.objects.all()
    if enterprises is not None:
        applications = applications.filter(enterprise__in=enterprises)
        certificates = certificates.filter(enterprise__in=enterprises)
    done = 0
    for pk in applications.order_by("pk").values_list("pk", flat=True).iterator():
        done += application_fact_refresh(application_id=pk)
    for pk in certificates.order_by("pk").values_list("pk", flat=True).iterator():
        done += certificate_fact_refresh(certificate_id=pk)
    return done


def queue_application_refresh(application_id: int) -> None:
    queue_after_commit("reports.certification_fact_refresh", application_id)


def queue_certificate_refresh(certificate_id: int) -> None:
    queue_after_commit("reports.certificate_fact_refresh", certificate_id)
