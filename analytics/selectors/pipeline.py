"""The certification pipeline: applications by status, review times, SLA breaches, expiries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from ..choices import NOT_OPEN_APPLICATION_STATUSES
from ..models import CertificateFact, CertificationFact
from . import windows
from .tables import TENTH
from .windows import Window

EXPIRY_HORIZON_DAYS = 90


# --- certification pipeline ---------------------------------------------------------------------


def percentile(values: list[Decimal], fraction: float) -> Decimal | None:
    """Linear interpolation between closest ranks (the same as numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * Decimal(str(fraction))
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    weight = position - lower
    value = ordered[lower] + (ordered[upper] - ordered[lower]) * weight
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def certification_pipeline(
    window: Window, *, enterprise_ids: list[int] | None = None, on: date | None = None
) -> dict:
    on = on or windows.today()
    apps = CertificationFact.objects.all()
    certificates = CertificateFact.objects.filter(in_force=True)
    if enterprise_ids is not None:
        apps = apps.filter(enterprise_id__in=enterprise_ids)
        certificates = certificates.filter(enterprise_id__in=enterprise_ids)
    by_status = dict(
        apps.values("status").annotate(n=Count("id")).order_by().values_list("status", "n")
    )
    decided = apps.filter(
        decided_at__date__gte=window.start,
        decided_at__date__lte=window.end,
        review_days__isnull=False,
    )
    decided_rows = list(decided.values_list("review_days", "sla_breached", "enterprise_id"))
    review = [days for days, _, _ in decided_rows]
    open_overdue = (
        apps.filter(decided_at__isnull=True, sla_due_at__lt=windows.now())
        .exclude(status__in=NOT_OPEN_APPLICATION_STATUSES)
        .count()
    )
    expiring = certificates.filter(
        valid_until__gte=on, valid_until__lte=on + timedelta(days=EXPIRY_HORIZON_DAYS)
    )
    return {
        "by_status": dict(sorted(by_status.items())),
        "decided_in_window": len(decided_rows),
        "review_days_median": percentile(review, 0.5),
        "review_days_p90": percentile(review, 0.9),
        "sla_breached_decided": sum(1 for _, breached, _ in decided_rows if breached),
        "sla_breached_open": open_overdue,
        "expiring_90d": expiring.count(),
        "_deciding_enterprises": len({e for _, _, e in decided_rows}),
    }
