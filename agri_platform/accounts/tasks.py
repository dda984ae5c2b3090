"""Celery tasks for accounts: thin, taking ids."""

from celery import shared_task

from . import emails


@shared_task(name="accounts.send_account_email")
def send_account_email(user_id: int, kind: str) -> bool:
    """The password reset or e-mail confirmation e-mail (the token is made here, at send time)."""
    return emails.account_email_send(user_id=user_id, kind=kind)
