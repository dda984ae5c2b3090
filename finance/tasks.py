from celery import shared_task

from . import services


@shared_task(name="finance.expire_offers")
def expire_offers() -> int:
    """Expire every pending offer past its validity. Idempotent: the status guard skips done work."""
    return services.offers_expire_due()
