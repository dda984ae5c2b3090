from celery import shared_task

from . import idempotency


@shared_task(name="api.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    """Delete Idempotency-Key rows older than settings.IDEMPOTENCY_KEY_TTL (hourly, from beat)."""
    return idempotency.purge_expired()
