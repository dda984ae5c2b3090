"""The "certificate" evidence resolver for finance (finance/evidence.py), registered in apps.py.

Only the requesting enterprise's own certificates resolve; another enterprise's reads like a missing
one. The summary is what a bank needs to judge it: number, scheme, status and validity.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from agri_platform.api.errors import NotFound

from .choices import CertificateStatus
from .models import Certificate


def resolve_certificate(enterprise, object_id: str) -> dict:
    certificate = None
    if object_id.isdigit():
        certificate = (
            Certificate.objects.select_related("scheme")
            .filter(enterprise=enterprise, pk=int(object_id))
            .first()
        )
    if certificate is None:  # also accept the certificate number, as printed on the certificate
        certificate = (
            Certificate.objects.select_related("scheme")
            .filter(enterprise=enterprise, number=object_id)
            .first()
        )
    if certificate is None:
        raise NotFound(_("No such certificate."))
    return {
        "certificate_id": certificate.pk,
        "number": certificate.number,
        "scheme": certificate.scheme.code,
        "scheme_name": certificate.scheme.name_en,
        "status": certificate.status,
        "issue_date": certificate.issue_date.isoformat(),
        "valid_until": certificate.expiry_date.isoformat(),
        "valid_now": certificate.status == CertificateStatus.ACTIVE
        and certificate.issue_date <= timezone.localdate() <= certificate.expiry_date,
        "scope": certificate.scope_summary,
    }


def certificates_now(enterprise_id: int, ids: list[int]) -> list[Certificate]:
    """The enterprise's certificates `ids` as they stand now (a bank's desk)."""
    return list(
        Certificate.objects.select_related("scheme")
        .filter(enterprise_id=enterprise_id, pk__in=ids)
        .order_by("expiry_date", "pk")
    )
