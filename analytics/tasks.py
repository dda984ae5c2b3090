"""Celery tasks of analytics (`reports.*` run on the reports queue)."""

from celery import shared_task

from . import cache
from .selectors.overview import warm_defaults


@shared_task(name="reports.analytics_warm")
def warm() -> int:
    """Refill the cached default dashboard after a change (queued by `cache.invalidate`, debounced).

    Idempotent: it computes through the same cached selectors a reader uses, so running it twice
    only finds its figures cached the second time. Returns how many answers it prepared.
    """
    cache.warm_started()
    return warm_defaults()
