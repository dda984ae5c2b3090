"""Expiry: certificates past their last valid day, and the reminders before it."""

import logging
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from agri_platform.events import services as events
from enterprises.models import Enterprise

from ..choices import REMINDER_THRESHOLDS_DAYS, CertificateAction
from ..models import Certificate, CertificateEvent, ExpiryReminder
from ._common import record_certificate
from .workflows import C

logger = logging.getLogger(__name__)


def certificates_expire(*, today: date) -> int:
    """Mark certificates past their last valid day as expired; one `certificate.expired` each.
    Safe to run twice: the status guard under the row lock says what is left to do."""
    candidates = list(
        Certificate.objects.filter(
            status__in=[C.ACTIVE, C.SUSPENDED], expiry_date__lt=today
        ).values_list("pk", flat=True)
    )
    done = 0
    for pk in candidates:
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update()
                .select_related("scheme", "enterprise")
                .filter(pk=pk, status__in=[C.ACTIVE, C.SUSPENDED], expiry_date__lt=today)
                .first()
            )
            if certificate is None:
                continue
            from_status = certificate.status
            certificate.status = C.EXPIRED
            certificate.status_reason = ""
            certificate.status_changed_at = timezone.now()
            certificate.status_changed_by = None
            certificate.save(
                update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"]
            )
            CertificateEvent.objects.create(
                certificate=certificate,
                action=CertificateAction.EXPIRE,
                from_status=from_status,
                to_status=C.EXPIRED,
            )
            record_certificate("expired", certificate, None)
            done += 1
    return done


def reminder_threshold(days_left: int) -> int | None:
    """The reminder bucket a certificate with `days_left` falls in: 90, 30 or 7 (None if further
    away or already past). A certificate issued with 20 days left gets the 30-day one only."""
    if days_left < 0:
        return None
    fitting = [t for t in REMINDER_THRESHOLDS_DAYS if days_left <= t]
    return min(fitting) if fitting else None


def expiry_reminders_send(*, today: date) -> int:
    """Send `certificate.expiring`: one event per enterprise per day listing its certificates that
    reached a new threshold. Returns the number of reminders (certificates) sent.

    Exactly once per certificate and threshold: the enterprise row is locked while its reminders are
    decided (a concurrent run waits, then finds them sent), and the unique (certificate, threshold)
    row is the final guard. An enterprise that already got its digest today gets new ones tomorrow.
    """
    horizon = today + timedelta(days=max(REMINDER_THRESHOLDS_DAYS))
    enterprise_ids = sorted(
        set(
            Certificate.objects.filter(
                status=C.ACTIVE, expiry_date__gte=today, expiry_date__lte=horizon
            ).values_list("enterprise_id", flat=True)
        )
    )
    sent = 0
    for enterprise_id in enterprise_ids:
        try:
            sent += _send_enterprise_reminders(enterprise_id=enterprise_id, today=today)
        except IntegrityError:  # a concurrent run won the race: its reminders stand, ours roll back
            logger.info("expiry reminders for enterprise %s already sent", enterprise_id)
    return sent


@transaction.atomic
def _send_enterprise_reminders(*, enterprise_id: int, today: date) -> int:
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise_id)
    if ExpiryReminder.objects.filter(
        certificate__enterprise_id=enterprise_id, sent_on=today
    ).exists():
        return 0
    horizon = today + timedelta(days=max(REMINDER_THRESHOLDS_DAYS))
    certificates = list(
        Certificate.objects.filter(
            enterprise_id=enterprise_id,
            status=C.ACTIVE,
            expiry_date__gte=today,
            expiry_date__lte=horizon,
        )
        .select_related("scheme")
        .order_by("expiry_date", "pk")
    )
    sent_before: dict[int, set[int]] = {}
    for certificate_id, threshold in ExpiryReminder.objects.filter(
        certificate__in=certificates
    ).values_list("certificate_id", "threshold_days"):
        sent_before.setdefault(certificate_id, set()).add(threshold)
    due = []
    for certificate in certificates:
        days_left = (certificate.expiry_date - today).days
        threshold = reminder_threshold(days_left)
        already = sent_before.get(certificate.pk, set())
        # once a closer reminder went out, a farther one is never sent again
        if threshold is None or any(t <= threshold for t in already):
            continue
        due.append((certificate, threshold, days_left))
    if not due:
        return 0
    event = events.record(
        "certificate.expiring",
        payload={
            "enterprise_id": enterprise_id,
            "date": today.isoformat(),
            "certificates": [
                {
                    "certificate_id": certificate.pk,
                    "number": certificate.number,
                    "scheme": certificate.scheme.code,
                    "expiry_date": certificate.expiry_date.isoformat(),
                    "days_left": days_left,
                    "threshold_days": threshold,
                }
                for certificate, threshold, days_left in due
            ],
        },
        enterprise=enterprise,
    )
    ExpiryReminder.objects.bulk_create(
        [
            ExpiryReminder(
                certificate=certificate, threshold_days=threshold, sent_on=today, event=event
            )
            for certificate, threshold, _ in due
        ]
    )
    return len(due)
