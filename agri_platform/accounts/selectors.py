"""Tenant-scoped reads for identity: partners, their users and their API keys.

Platform staff see every partner; a partner's people see their own organisation only; enterprise
users see no partner at all (a partner's detail is not theirs to read).
"""

from django.db.models import QuerySet

from agri_platform.api.tenancy import scope_queryset

from .models import ApiKey, Partner, User


def partners_for(user) -> QuerySet[Partner]:
    return scope_queryset(Partner.objects.all(), user, enterprise_field=None, partner_field="pk")


def partner_directory() -> QuerySet[Partner]:
    """The partners an enterprise can name in a request (carrier, bank, law firm ...): active ones."""
    return Partner.objects.filter(is_active=True).order_by("kind", "name")


def partner_users_for(user, *, partner_id) -> QuerySet[User]:
    """The people of a partner (never its service account), if the caller may see the partner."""
    return User.objects.filter(
        partner__in=partners_for(user), partner_id=partner_id, is_service_account=False
    ).order_by("email")


def api_keys_for(user, *, partner_id) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(
        partner__in=partners_for(user), partner_id=partner_id
    ).select_related("created_by")
