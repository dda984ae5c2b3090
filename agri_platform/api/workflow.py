"""State machines as declared tables: one `Workflow` per model, one `Transition` per action.

A transition says from which states the action may start and the state it leads to (`moves`), who
may take it (`who`, a predicate on the actor and the object that raises 403/404 when not) and what
the object must satisfy first (`guard`, raising the app's usual error). `Workflow.check` runs them in
one order for every app: the state (409 `transition_not_allowed` with the state's actions), then the
caller, then the guard. `Workflow.actions_for` is the `allowed_actions` field of the responses: the
actions the state allows AND the caller may take (guards are not run: they answer when tried).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from rest_framework import exceptions as drf_exceptions

from . import errors
from .permissions import scope_granted

# who(actor, obj) returns quietly when `actor` may act, raises PermissionDenied (or NotFound) if not
Who = Callable[[object, object], object]
# guard(obj) returns quietly when the object is ready for the action, raises the app's error if not
Guard = Callable[[object], object]

_REFUSALS = (
    errors.PermissionDenied,
    errors.NotFound,
    drf_exceptions.PermissionDenied,
    drf_exceptions.NotFound,
)


def moves(sources: Iterable[str], to: str) -> dict[str, str]:
    """Every state of `sources` leads to `to`."""
    return {source: to for source in sources}


def stays(*states: str) -> dict[str, str]:
    """An action that the states allow without leaving them (edit, add a document, renew...)."""
    return {state: state for state in states}


@dataclass(frozen=True)
class Transition:
    moves: Mapping[str, str]  # from state → to state
    who: Who
    guard: Guard | None = None


@dataclass(frozen=True)
class Workflow:
    transitions: Mapping[str, Transition]  # in the order `allowed_actions` lists them
    write_scope: str  # an API key without it is offered nothing
    field: str = "status"
    # What a person calls each action in a refusal ("Cannot dispatch while …"), marked for
    # translation by the app; an action without one is named by its code.
    action_labels: Mapping[str, str] = dataclass_field(default_factory=dict)

    def action_label(self, action: str) -> str:
        return str(self.action_labels.get(action, action))

    def status_label(self, obj) -> str:
        """What a person calls the object's state: its choice label (`get_<field>_display`, in the
        request's language) or, for an object without choices, the state itself."""
        display = getattr(obj, f"get_{self.field}_display", None)
        return str(display()) if callable(display) else str(getattr(obj, self.field))

    def allowed(self, state: str) -> list[str]:
        """The actions `state` allows anyone."""
        return [action for action, t in self.transitions.items() if state in t.moves]

    def check(self, action: str, *, actor, obj) -> str:
        """The state `action` leads `obj` to, or the error: the state's, the caller's, the guard's."""
        transition = self.transitions[action]
        current = getattr(obj, self.field)
        if current not in transition.moves:
            raise errors.TransitionNotAllowed(
                action=self.action_label(action),
                current_status=current,
                status_label=self.status_label(obj),
                allowed_actions=self.allowed(current),
            )
        transition.who(actor, obj)
        if transition.guard is not None:
            transition.guard(obj)
        return transition.moves[current]

    def apply(self, action: str, *, actor, obj) -> str:
        """`check`, then set the new state on `obj` (unsaved) and return it."""
        new_state = self.check(action, actor=actor, obj=obj)
        setattr(obj, self.field, new_state)
        return new_state

    def permitted(self, actor, obj) -> list[str]:
        """The actions of the object's state that `actor` may take."""
        state = getattr(obj, self.field)
        return [
            action
            for action, transition in self.transitions.items()
            if state in transition.moves and _passes(transition.who, actor, obj)
        ]

    def actions_for(self, obj, *, context: Mapping | None) -> list[str]:
        """`allowed_actions` for the caller of `context["request"]` (a serializer's context).

        Without a request (a serializer used outside a view) nobody is known: nothing is offered."""
        request = (context or {}).get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        key = getattr(request, "auth", None)
        if getattr(key, "is_api_key", False) and not scope_granted(key.scopes, self.write_scope):
            return []
        return self.permitted(user, obj)


def _passes(who: Who, actor, obj) -> bool:
    try:
        who(actor, obj)
    except _REFUSALS:
        return False
    return True
