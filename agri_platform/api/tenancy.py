"""The tenancy hook: every queryset an API caller reaches goes through one of these functions.

- Platform staff see everything.
- An enterprise user sees the objects of the enterprises they are a member of.
- A partner (user or API key) sees only what is routed to its organisation; each app says how with
  `partner_field` (e.g. "carrier" on shipments).
- Anyone else sees nothing.

A viewset's `get_queryset` calls a selector that uses `scope_queryset`; an object outside the scope
is then a 404, never a 403 that would confirm it exists.
"""

from django.db.models import QuerySet


def enterprise_ids_of(user) -> list[int]:
    """Ids of the enterprises `user` is a member of (cached on the user object per request)."""
    if not user or not user.is_authenticated:
        return []
    cached = getattr(user, "_enterprise_ids_cache", None)
    if cached is None:
        cached = list(user.memberships.values_list("enterprise_id", flat=True))
        user._enterprise_ids_cache = cached
    return cached


def administered_enterprise_ids_of(user) -> list[int]:
    """Ids of the enterprises where `user` is an owner or admin (cached per request like above)."""
    if not user or not user.is_authenticated:
        return []
    cached = getattr(user, "_administered_ids_cache", None)
    if cached is None:
        cached = list(
            user.memberships.filter(role__in=("owner", "admin")).values_list(
                "enterprise_id", flat=True
            )
        )
        user._administered_ids_cache = cached
    return cached


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
