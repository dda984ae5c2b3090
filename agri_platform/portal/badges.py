"""One colour per state, the same on every page (docs/portal.md, "States and their colours").

A state not listed reads as neutral grey. The word shown is always the model's own choice label,
so the admin and the pages say the same thing.
"""

SUCCESS = "success"  # verified, valid, done well: green
PENDING = "pending"  # waiting on someone: amber
ATTENTION = "attention"  # changes requested, an excursion, an exception: orange
DANGER = "danger"  # rejected, revoked, critical: red
INFO = "info"  # moving along: blue
NEUTRAL = "neutral"  # closed, withdrawn, cancelled, drafts: grey

TONES = {
    SUCCESS: {
        "verified",
        "active",
        "approved",
        "accepted",
        "disbursed",
        "bound",
        "delivered",
        "cleared",
        "registered",
        "resolved",
        "succeeded",
        "sent",
        "valid",
        "held",
        "complete",
        "published",
        "signed_up",
    },
    PENDING: {
        "pending",
        "submitted",
        "under_review",
        "routed",
        "offered",
        "assigned",
        "requested",
        "filed",
        "awaiting_client",
        "queued",
        "sending",
        "in_flight",
        "expiring",
        "booked",
    },
    ATTENTION: {"changes_requested", "exception", "minor", "major", "missing", "suspended"},
    DANGER: {"rejected", "revoked", "critical", "failed", "refused", "declined", "expired"},
    INFO: {"in_transit", "at_customs", "in_progress", "draft", "off_season"},
    NEUTRAL: {"closed", "withdrawn", "cancelled"},
}

TONE_OF = {state: tone for tone, states in TONES.items() for state in states}


def tone_of(state: str) -> str:
    return TONE_OF.get(str(state), NEUTRAL)
