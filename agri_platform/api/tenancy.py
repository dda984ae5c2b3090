"""The tenancy hook: every queryset an API caller reaches goes through one of these functions.

- Platform staff see everything.
- An enterprise user sees the objects of the enterprises they are a member of.
- A partner (user or API key) sees only what is routed to its organisation; each app says how with
  `partner_field` (e.g. "carrier" on shipments).
- Anyone else sees nothing.

A viewset's `get_queryset` calls a selector that uses `scope_queryset`; an object outside the scope
is then a 404, never a 403 that would confirm it exists.

Writes go through the same module: `acting_enterprise` answers "which enterprise is this request
for" (the create views), `require_membership` "may this caller act for that enterprise, in this
role" (the services' guards). Both give "not yours" the answer "does not exist" gets.

This is plumbing: it reaches enterprises through the user's `memberships` and the app registry,
never by importing the enterprises app.
"""

from collections.abc import Iterable

from django.apps import apps
from django.db.models import QuerySet
from django.utils.translation import gettext

from agri_platform.accounts.choices import MembershipRole

from .errors import NotFound, PermissionDenied, ValidationFailed, alternatives
from .serializers import unknown_id

ADMINISTRATOR_ROLES = (MembershipRole.OWNER, MembershipRole.ADMIN)


def enterprise_roles_of(user) -> dict[int, str]:
    """{enterprise id: role} of `user`'s memberships (cached on the user object per request).
    Partners act for their organisation, never as an enterprise's member."""
    if not user or not user.is_authenticated or user.partner_id:
        return {}
    cached = getattr(user, "_enterprise_roles_cache", None)
    if cached is None:
        cached = dict(user.memberships.values_list("enterprise_id", "role"))
        user._enterprise_roles_cache = cached
    return cached


def forget_memberships(user) -> None:
    """Drop the cached memberships of `user` after a service changed them."""
    user._enterprise_roles_cache = None


def enterprise_ids_of(user) -> list[int]:
    """Ids of the enterprises `user` is a member of (cached on the user object per request)."""
    return list(enterprise_roles_of(user))


def administered_enterprise_ids_of(user) -> list[int]:
    """Ids of the enterprises where `user` is an owner or admin (cached per request like above)."""
    roles = enterprise_roles_of(user)
    return [pk for pk, role in roles.items() if role in ADMINISTRATOR_ROLES]


def scope_queryset(
    queryset: QuerySet,
    user,
    *,
    enterprise_field: str | None = "enterprise",
    partner_field: str | None = None,
) -> QuerySet:
    """Restrict `queryset` to what `user` may see.

    `enterprise_field` is the lookup path from the model to its owning Enterprise ("" when the model
    *is* the Enterprise); `partner_field` the path to the Partner it is routed to, if partners see it.
    """
    if not user or not user.is_authenticated:
        return queryset.none()
    if user.is_platform_staff:
        return queryset
    if user.partner_id:
        if partner_field is None:
            return queryset.none()
        scoped = queryset.filter(**{partner_field: user.partner_id})
        return scoped.distinct() if "__" in partner_field else scoped
    if enterprise_field is None:
        return queryset.none()
    lookup = f"{enterprise_field}__in" if enterprise_field else "pk__in"
    return queryset.filter(**{lookup: enterprise_ids_of(user)})


# --- writes -------------------------------------------------------------------------------------


def is_member(user, enterprise_id: int, *, roles: Iterable[str] | None = None) -> bool:
    """Whether `user` is a member of the enterprise (holding one of `roles`, when given)."""
    role = enterprise_roles_of(user).get(enterprise_id)
    return role is not None and (roles is None or role in roles)


def require_membership(user, enterprise_id: int, *, roles: Iterable[str] | None = None) -> str:
    """The role `user` holds in the enterprise; refuses anyone else, platform staff included.

    A caller who can see the enterprise (staff, a partner it deals with) gets a 403 `not_a_member`;
    anyone else the 404 a missing enterprise gets. A member without one of `roles` gets a 403
    `role_required`."""
    role = enterprise_roles_of(user).get(enterprise_id)
    if role is None:
        if (
            user is not None
            and user.is_authenticated
            and (user.is_platform_staff or user.partner_id)
        ):
            raise PermissionDenied(
                gettext("Only members of the enterprise may do this."), code="not_a_member"
            )
        raise NotFound(gettext("No such enterprise."))
    if roles is not None and role not in roles:
        raise PermissionDenied(
            gettext("Only an %(roles)s of the enterprise may do this.")
            % {"roles": alternatives(MembershipRole, roles)},
            code="role_required",
        )
    return role


def acting_enterprise(
    request_or_user,
    enterprise_id: int | None,
    *,
    roles: Iterable[str] | None = None,
    field: str = "enterprise",
):
    """The enterprise a write is for. A member acts for its enterprise: the one it has, or the one
    `enterprise_id` names when it has several. Staff name any enterprise. Partners and users of no
    enterprise are refused (403). An id the caller may not act for answers exactly like a missing
    one: a 400 naming `field`, code `does_not_exist`. With `roles`, the caller must be a member
    holding one of them (see `require_membership`)."""
    user = getattr(request_or_user, "user", request_or_user)
    ids = enterprise_ids_of(user)
    if not ids and not (user is not None and user.is_authenticated and user.is_platform_staff):
        raise PermissionDenied(
            gettext("Only members of an enterprise may do this."), code="not_a_member"
        )
    if enterprise_id is None:
        if len(ids) != 1:
            raise ValidationFailed(
                gettext("Name the enterprise this request is for."), field=field, code="required"
            )
        enterprise_id = ids[0]
    elif not user.is_platform_staff and enterprise_id not in ids:
        raise unknown_id(field, enterprise_id)
    enterprise = (
        apps.get_model("enterprises", "Enterprise").objects.filter(pk=enterprise_id).first()
    )
    if enterprise is None:
        raise unknown_id(field, enterprise_id)
    if roles is not None:
        require_membership(user, enterprise.pk, roles=roles)
    return enterprise
