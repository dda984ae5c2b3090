"""Model fields that point at a user, for every app's models."""

from django.conf import settings
from django.db import models


def user_field(verbose_name) -> models.ForeignKey:
    """Who took a step of a workflow (the row stays when the account is deleted)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
    )
