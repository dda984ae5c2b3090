from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` a caller used: the request it stood for and, once done, the response.

    The unique constraint on (owner, key) is what makes two concurrent requests with the same key
    safe: exactly one of them inserts the row and runs; the other sees the row and answers 409 while
    it is in flight, or replays the stored response once it is done.
    """

    class State(models.TextChoices):
        IN_FLIGHT = "in_flight", _("In flight")
        COMPLETED = "completed", _("Completed")

    owner = models.CharField(
        _("caller"),
        max_length=64,
        help_text=_("The caller: 'user:<id>' (API keys act as the partner's service user)."),
    )
    key = models.CharField(_("key"), max_length=255)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=2000)
    fingerprint = models.CharField(
        _("fingerprint"), max_length=64, help_text=_("SHA-256 of method, path and body.")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.IN_FLIGHT
    )
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_headers = models.JSONField(_("response headers"), default=dict, blank=True)
    response_body = models.BinaryField(_("response body"), default=b"", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "key"],
                name="idempotency_unique_owner_key",
                violation_error_message=_("This Idempotency-Key was already used by this caller."),
            ),
        ]

    def __str__(self):
        return f"{self.owner} {self.key} ({self.state})"
