"""Who may see money: one filter for every channel that shows a caller data.

Carriers move the goods; the price of what they carry is none of their business (docs/logistics.md).
A carrier's API keys and people therefore never see a price or a value, in any form: API responses
(shipments, events, notifications, excursions, EPCIS, any list, detail or export), webhook bodies
and notification titles. Each channel calls `without_values` for its audience, so a new field or a
new channel named like a price is hidden without touching the app:

- API responses: `ApiMixin.finalize_response` (views.py) filters `response.data` for the caller;
- webhooks: each delivery's body is filtered for its endpoint's partner (events/webhooks.py);
- inbox and e-mail titles: formatted from the payload filtered for the recipient (events/services.py).

The public tracking link shows no prices by construction (logistics/tracking.py).
"""

from agri_platform.accounts.choices import PartnerKind

# Keys that hold a price, a value or what only makes sense with one, at any depth of a payload.
VALUE_KEYS = frozenset(
    {
        "declared_value",
        "declared_values",
        "currency",
        "amount",
        "price",
        "unit_price",
        "total_value",
        "items_total",
        "fees",
        "rate_percent",
        "premium",
    }
)
# Partner kinds that never see a price or a value.
VALUE_BLIND_PARTNER_KINDS = frozenset({PartnerKind.CARRIER})


def partner_is_value_blind(partner) -> bool:
    return partner is not None and partner.kind in VALUE_BLIND_PARTNER_KINDS


def user_is_value_blind(user) -> bool:
    """A carrier's person or API key (its service user)."""
    if user is None or not getattr(user, "partner_id", None):
        return False
    return partner_is_value_blind(user.partner)


def without_values(data):
    """`data` (dicts and lists at any depth) without the keys in VALUE_KEYS; other values as is."""
    if isinstance(data, dict):
        return {key: without_values(item) for key, item in data.items() if key not in VALUE_KEYS}
    if isinstance(data, list | tuple):
        return [without_values(item) for item in data]
    return data


def for_user(user, data):
    return without_values(data) if user_is_value_blind(user) else data


def for_partner(partner, data):
    return without_values(data) if partner_is_value_blind(partner) else data
