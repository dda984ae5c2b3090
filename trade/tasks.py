from celery import shared_task

from .services import inquiries


@shared_task(name="trade.expire_quotes")
def expire_quotes() -> int:
    """Open quotes past their validity date become expired (each one's event recorded once)."""
    return inquiries.quotes_expire()
