"""Certificates: numbering, validity, issue, suspend / reinstate / revoke, renewal."""

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agri_platform.api.errors import ValidationFailed
from agri_platform.reference import l10n
from enterprises.models import Enterprise, Product, ProductionBase

from .. import numbers
from ..choices import CertificateAction
from ..models import Application, Certificate, CertificateEvent, CertificateSequence, Scheme
from ._common import record_certificate
from .applications import application_create
from .workflows import CERTIFICATE_WORKFLOW


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def expiry_for(scheme: Scheme, issue_date: date) -> date:
    """Last day of validity: issue date + the scheme's validity, minus one day."""
    if scheme.validity_months:
        return add_months(issue_date, scheme.validity_months) - timedelta(days=1)
    return issue_date + timedelta(days=scheme.validity_days - 1)


def next_certificate_number(*, scheme: Scheme, year: int) -> str:
    """Draw the next number of `scheme` in `year`. Must run inside a transaction: the sequence row
    stays locked until it commits, so concurrent issues get distinct consecutive numbers."""
    CertificateSequence.objects.bulk_create(
        [CertificateSequence(scheme=scheme, year=year)], ignore_conflicts=True
    )
    sequence = CertificateSequence.objects.select_for_update().get(scheme=scheme, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return numbers.format_number(scheme.certificate_prefix, year, sequence.last_value)


def scope_summary(products: Iterable[Product], bases: Iterable[ProductionBase]) -> str:
    parts = []
    products = list(products)
    bases = list(bases)
    if products:
        names = _("; ").join(
            _("%(product)s (HS %(code)s)")
            % {"product": l10n.in_reading_language(p.name_zh, p.name_en), "code": p.hs_code_id}
            for p in products
        )
        parts.append(_("Products: %(products)s") % {"products": names})
    if bases:
        names = _("; ").join(
            _("%(base)s (%(kind)s)") % {"base": b.name, "kind": b.get_kind_display()} for b in bases
        )
        parts.append(_("Sites: %(sites)s") % {"sites": names})
    return _(". ").join(parts) or _("Whole enterprise")


@transaction.atomic
def certificate_record(
    *,
    actor,
    enterprise: Enterprise,
    scheme: Scheme,
    products: Iterable[Product] = (),
    bases: Iterable[ProductionBase] = (),
    issue_date: date,
    application: Application | None = None,
    expiry_date: date | None = None,
) -> Certificate:
    """Issue a certificate (from an approval, or staff recording one issued elsewhere)."""
    products, bases = list(products), list(bases)
    certificate = Certificate.objects.create(
        number=next_certificate_number(scheme=scheme, year=issue_date.year),
        application=application,
        enterprise=enterprise,
        scheme=scheme,
        scope_summary=scope_summary(products, bases),
        issue_date=issue_date,
        expiry_date=expiry_date or expiry_for(scheme, issue_date),
        issued_by=actor if actor is not None and actor.is_authenticated else None,
        status_changed_at=timezone.now(),
    )
    certificate.scope_products.set(products)
    certificate.scope_bases.set(bases)
    CertificateEvent.objects.create(
        certificate=certificate,
        action=CertificateAction.ISSUE,
        actor=certificate.issued_by,
        to_status=certificate.status,
    )
    record_certificate("issued", certificate, actor, application_id=application and application.pk)
    return certificate


def _lock_certificate(certificate: Certificate | int) -> Certificate:
    pk = certificate.pk if isinstance(certificate, Certificate) else certificate
    return Certificate.objects.select_for_update().select_related("scheme", "enterprise").get(pk=pk)


def _certificate_transition(
    *, actor, certificate: Certificate, action: str, reason: str, kind: str
) -> Certificate:
    certificate = _lock_certificate(certificate)
    from_status = certificate.status
    to_status = CERTIFICATE_WORKFLOW.check(action, actor=actor, obj=certificate)
    if not reason.strip():
        raise ValidationFailed(_("Give a reason."), field="reason")
    certificate.status = to_status
    certificate.status_reason = reason
    certificate.status_changed_at = timezone.now()
    certificate.status_changed_by = actor
    certificate.save(
        update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"]
    )
    CertificateEvent.objects.create(
        certificate=certificate,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=certificate.status,
        reason=reason,
    )
    record_certificate(kind, certificate, actor, reason=reason)
    return certificate


@transaction.atomic
def certificate_suspend(*, actor, certificate: Certificate, reason: str) -> Certificate:
    return _certificate_transition(
        actor=actor, certificate=certificate, action="suspend", reason=reason, kind="suspended"
    )


@transaction.atomic
def certificate_reinstate(*, actor, certificate: Certificate, reason: str) -> Certificate:
    return _certificate_transition(
        actor=actor, certificate=certificate, action="reinstate", reason=reason, kind="reinstated"
    )


@transaction.atomic
def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    return _certificate_transition(
        actor=actor, certificate=certificate, action="revoke", reason=reason, kind="revoked"
    )


@transaction.atomic
def certificate_renew(*, actor, certificate: Certificate) -> Application:
    """Start the renewal: a draft application for the same scheme and scope, linked to the old
    certificate. One open renewal at a time."""
    certificate = _lock_certificate(certificate)
    CERTIFICATE_WORKFLOW.check("renew", actor=actor, obj=certificate)
    application = application_create(
        actor=actor,
        enterprise=certificate.enterprise,
        scheme=certificate.scheme,
        product_ids=certificate.scope_products.values_list("pk", flat=True),
        base_ids=certificate.scope_bases.values_list("pk", flat=True),
        scope_note=_("Renewal of certificate %(number)s") % {"number": certificate.number},
        renewal_of=certificate,
    )
    CertificateEvent.objects.create(
        certificate=certificate,
        action=CertificateAction.RENEWAL_STARTED,
        actor=actor,
        from_status=certificate.status,
        to_status=certificate.status,
        reason=_("Renewal application #%(id)s") % {"id": application.pk},
    )
    return application
