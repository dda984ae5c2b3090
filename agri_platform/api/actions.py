"""`allowed_actions`: what *this caller* may do to an object now, not what its state allows anyone.

Each app keeps its transition table (which actions the state allows) and its services' guards (who
may act: `_require_member`, `_require_officer`...). `permitted_actions` joins the two by running, for
each action the state allows, the very guard the service runs before that action, so the list and
the answer to the POST cannot disagree. An action without a guard is not offered (closed by
default), and an API key without the area's write scope is offered nothing. (A later issue will
unify the transitions; this is the smallest shared piece that works for every app until then.)
"""

from collections.abc import Callable, Iterable, Mapping

from rest_framework import exceptions as drf_exceptions

from . import errors
from .permissions import scope_granted

# guard(user, obj) returns quietly when `user` may act, raises PermissionDenied (or NotFound) if not
Guard = Callable[[object, object], object]
_REFUSALS = (
    errors.PermissionDenied,
    errors.NotFound,
    drf_exceptions.PermissionDenied,
    drf_exceptions.NotFound,
)


def _passes(guard: Guard, user, obj) -> bool:
    try:
        guard(user, obj)
    except _REFUSALS:
        return False
    return True


def permitted_actions(
    obj,
    state_allowed: Iterable[str],
    guards: Mapping[str, Guard],
    *,
    context: Mapping | None,
    write_scope: str,
) -> list[str]:
    """The actions of `state_allowed` that the caller of `context["request"]` may perform on `obj`.

    Without a request (a serializer used outside a view) nobody is known, so nothing is offered."""
    request = (context or {}).get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    key = getattr(request, "auth", None)
    if getattr(key, "is_api_key", False) and not scope_granted(key.scopes, write_scope):
        return []
    return [
        action
        for action in state_allowed
        if action in guards and _passes(guards[action], user, obj)
    ]
