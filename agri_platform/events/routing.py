"""Who is notified: the audiences named in the catalogue's ``notify`` column, resolved to users.

The routing *table* is the catalogue (agri_platform/events/catalogue.py, one row per kind); this
module only says what each audience name means. Service accounts (the identity of partner API keys)
and inactive users are never notified; neither is the actor of the event.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from agri_platform.accounts.choices import MembershipRole, StaffRole

from . import catalogue


def _audience_filter(audience: str, event) -> Q | None:
    if audience == "reviewers":
        return Q(staff_role=StaffRole.REVIEWER)
    if audience == "officers":
        return Q(staff_role=StaffRole.OFFICER)
    if audience == "enterprise_admins":
        if event.enterprise_id is None:
            return None
        return Q(
            memberships__enterprise_id=event.enterprise_id,
            memberships__role__in=[MembershipRole.OWNER, MembershipRole.ADMIN],
        )
    if audience == "enterprise_members":
        if event.enterprise_id is None:
            return None
        return Q(memberships__enterprise_id=event.enterprise_id)
    if audience == "partner_users":
        partner_ids = [partner.pk for partner in event.partners.all()]
        if not partner_ids:
            return None
        return Q(partner_id__in=partner_ids)
    raise ValueError(f"Unknown audience {audience!r}")


def recipients(event):
    """The users to notify of `event`, per the catalogue row of its kind."""
    entry = catalogue.get(event.kind)
    condition = Q(pk__in=[])
    for audience in entry.notify:
        part = _audience_filter(audience, event)
        if part is not None:
            condition |= part
    users = get_user_model().objects.filter(condition, is_active=True, is_service_account=False)
    if event.actor_id:
        users = users.exclude(pk=event.actor_id)
    return users.distinct().order_by("pk")


def recipients_of(events) -> dict[int, list]:
    """{event id: its recipients} for many events, one query per distinct routing shape (kind,
    enterprise, actor, partners). Prefetch the events' partners."""
    shapes: dict[tuple, list] = {}
    for event in events:
        partner_ids = tuple(sorted(partner.pk for partner in event.partners.all()))
        shape = (event.kind, event.enterprise_id, event.actor_id, partner_ids)
        shapes.setdefault(shape, []).append(event)
    found = {}
    for same_shape in shapes.values():
        users = list(recipients(same_shape[0]).select_related("partner"))
        for event in same_shape:
            found[event.pk] = users
    return found
