"""What every use case of the package shares: the event payload and who may act for an
enterprise (a member, an owner or admin, or a platform admin)."""

from agri_platform.accounts.models import Membership, User
from agri_platform.api.tenancy import ADMINISTRATOR_ROLES, require_membership

from ..models import Enterprise


def event_payload(enterprise: Enterprise, **extra) -> dict:
    payload = {
        "enterprise_id": enterprise.pk,
        "uscc": enterprise.uscc,
        "name_zh": enterprise.name_zh,
        "name_en": enterprise.name_en,
        "status": enterprise.status,
    }
    payload.update(extra)
    return payload


def membership_of(user: User, enterprise: Enterprise) -> Membership | None:
    if not user or not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, enterprise=enterprise).first()


def _is_platform_admin(user: User) -> bool:
    # has_staff_role() with no roles is true only for platform admins and superusers
    return bool(user and user.is_authenticated and user.has_staff_role())


def require_member(user: User, enterprise: Enterprise, *, roles=None) -> Membership | None:
    """Any member (or a platform admin) may maintain the enterprise's bases and products."""
    if _is_platform_admin(user):
        return None
    require_membership(user, enterprise.pk, roles=roles)
    return membership_of(user, enterprise)


def require_administrator(user: User, enterprise: Enterprise) -> Membership | None:
    """Owners and admins (or a platform admin) manage the profile and the members."""
    return require_member(user, enterprise, roles=ADMINISTRATOR_ROLES)
