from django.db import models


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` a caller used: the request it stood for and, once done, the response.

    The unique constraint on (owner, key) is what makes two concurrent requests with the same key
    safe: exactly one of them inserts the row and runs; the other sees the row and answers 409 while
    it is in flight, or replays the stored response once it is done.
    """

    class State(models.TextChoices):
        IN_FLIGHT = "in_flight", "In flight"
        COMPLETED = "completed", "Completed"

    owner = models.CharField(
        max_length=64,
        help_text="The caller: 'user:<id>' (API keys act as the partner's service user).",
    )
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.IN_FLIGHT)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    response_body = models.BinaryField(default=b"", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "key"],
                name="idempotency_unique_owner_key",
                violation_error_message="This Idempotency-Key was already used by this caller.",
            ),
        ]

    def __str__(self):
        return f"{self.owner} {self.key} ({self.state})"
