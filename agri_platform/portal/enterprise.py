"""Which enterprise a person acts for in the portal.

A member of one enterprise acts for it; a member of several chooses (the choice is kept in the
session, `portal:enterprise-switch`). The API names the enterprise in each request instead
(`agri_platform.api.tenancy.acting_enterprise`); both read the same memberships.
"""

from django.apps import apps

from agri_platform.api.tenancy import enterprise_roles_of

SESSION_KEY = "portal_enterprise"


def enterprises_of(user):
    """The enterprises `user` is a member of, by name."""
    ids = list(enterprise_roles_of(user))
    return (
        apps.get_model("enterprises", "Enterprise").objects.filter(pk__in=ids).order_by("name_zh")
    )


def current_enterprise(request):
    """The enterprise this request acts for, or None when the person belongs to none."""
    if hasattr(request, "_portal_enterprise"):
        return request._portal_enterprise
    roles = enterprise_roles_of(request.user)
    enterprise = None
    if roles:
        chosen = request.session.get(SESSION_KEY)
        pk = chosen if chosen in roles else min(roles)
        enterprise = apps.get_model("enterprises", "Enterprise").objects.get(pk=pk)
    request._portal_enterprise = enterprise
    return enterprise


def current_role(request) -> str | None:
    """The person's role in the enterprise it acts for (owner, admin, member, …)."""
    enterprise = current_enterprise(request)
    if enterprise is None:
        return None
    return enterprise_roles_of(request.user).get(enterprise.pk)


def choose_enterprise(request, enterprise_id: int) -> bool:
    """Act for `enterprise_id` from now on; False when the person is not its member."""
    if enterprise_id not in enterprise_roles_of(request.user):
        return False
    request.session[SESSION_KEY] = enterprise_id
    request.__dict__.pop("_portal_enterprise", None)
    return True
