"""The transition mechanism itself (agri_platform/api/workflow.py), on a small made-up table."""

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.utils import translation

from agri_platform.api.errors import Conflict, PermissionDenied, TransitionNotAllowed
from agri_platform.api.workflow import Transition, Workflow, moves, stays


@dataclass
class Person:
    name: str
    is_authenticated: bool = True


@dataclass
class Order:
    status: str
    owner: str = "ann"
    paid: bool = True
    events: list = field(default_factory=list)


def owner(actor, order) -> None:
    if actor.name != order.owner:
        raise PermissionDenied("Only the owner may do this.", code="not_owner")


def clerk(actor, order) -> None:
    if actor.name != "clerk":
        raise PermissionDenied("Only clerks may do this.")


def paid(order) -> None:
    if not order.paid:
        raise Conflict("Pay first.", code="not_paid")


ORDERS = Workflow(
    {
        "edit": Transition(stays("draft"), who=owner),
        "submit": Transition({"draft": "submitted"}, who=owner, guard=paid),
        "ship": Transition({"submitted": "shipped"}, who=clerk),
        "cancel": Transition(moves(["draft", "submitted"], "cancelled"), who=owner),
    },
    write_scope="orders:write",
)
ANN, BOB, CLERK = Person("ann"), Person("bob"), Person("clerk")


def test_check_returns_the_new_state_and_apply_sets_it():
    order = Order("draft")
    assert ORDERS.check("submit", actor=ANN, obj=order) == "submitted"
    assert order.status == "draft"  # check alone changes nothing

    assert ORDERS.apply("submit", actor=ANN, obj=order) == "submitted"
    assert order.status == "submitted"
    assert ORDERS.apply("cancel", actor=ANN, obj=order) == "cancelled"


def test_an_action_that_stays_keeps_the_state():
    assert ORDERS.apply("edit", actor=ANN, obj=(order := Order("draft"))) == "draft"
    assert order.status == "draft"


@pytest.fixture
def in_english():
    with translation.override("en"):
        yield


def test_an_action_the_state_does_not_allow_is_409_with_the_states_actions(in_english):
    with pytest.raises(TransitionNotAllowed) as refused:
        ORDERS.check("ship", actor=CLERK, obj=Order("draft"))

    problem = refused.value
    assert (problem.status_code, problem.code) == (409, "transition_not_allowed")
    assert problem.title == "Transition not allowed"
    assert str(problem.detail) == "Cannot ship while status is 'draft'."
    assert problem.extra == {
        "current_status": "draft",
        "allowed_actions": ["edit", "submit", "cancel"],
    }


def test_the_state_is_checked_before_the_caller_and_the_caller_before_the_guard():
    with pytest.raises(TransitionNotAllowed):  # bob may not ship either, but the state says no
        ORDERS.check("ship", actor=BOB, obj=Order("draft", paid=False))
    with pytest.raises(PermissionDenied) as refused:  # the state allows it, bob may not
        ORDERS.check("submit", actor=BOB, obj=Order("draft", paid=False))
    assert refused.value.code == "not_owner"
    with pytest.raises(Conflict) as refused:  # ann may, the order is not ready
        ORDERS.check("submit", actor=ANN, obj=Order("draft", paid=False))
    assert refused.value.code == "not_paid"


def test_a_failed_check_changes_nothing():
    order = Order("draft", paid=False)
    with pytest.raises(Conflict):
        ORDERS.apply("submit", actor=ANN, obj=order)
    assert order.status == "draft"


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        ORDERS.check("teleport", actor=ANN, obj=Order("draft"))


def test_allowed_lists_the_states_actions_in_declared_order():
    assert ORDERS.allowed("draft") == ["edit", "submit", "cancel"]
    assert ORDERS.allowed("submitted") == ["ship", "cancel"]
    assert ORDERS.allowed("cancelled") == []
    assert ORDERS.allowed("no such state") == []


def test_permitted_lists_what_each_caller_may_take_without_running_guards():
    order = Order("submitted", paid=False)
    assert ORDERS.permitted(ANN, order) == ["cancel"]
    assert ORDERS.permitted(CLERK, order) == ["ship"]
    assert ORDERS.permitted(BOB, order) == []
    assert ORDERS.permitted(ANN, Order("draft", paid=False)) == ["edit", "submit", "cancel"]


def _context(user, key=None):
    return {"request": SimpleNamespace(user=user, auth=key)}


def test_actions_for_reads_the_caller_of_the_serializers_request():
    order = Order("draft")
    assert ORDERS.actions_for(order, context=_context(ANN)) == ["edit", "submit", "cancel"]
    assert ORDERS.actions_for(order, context=_context(BOB)) == []


def test_actions_for_offers_nothing_without_a_known_caller_or_the_write_scope():
    order = Order("draft")
    assert ORDERS.actions_for(order, context=None) == []
    assert ORDERS.actions_for(order, context={}) == []
    assert ORDERS.actions_for(order, context=_context(Person("ann", is_authenticated=False))) == []

    read_key = SimpleNamespace(is_api_key=True, scopes=["orders:read"])
    write_key = SimpleNamespace(is_api_key=True, scopes=["orders:write"])
    assert ORDERS.actions_for(order, context=_context(ANN, read_key)) == []
    assert ORDERS.actions_for(order, context=_context(ANN, write_key)) == [
        "edit",
        "submit",
        "cancel",
    ]


@pytest.mark.parametrize(
    ("language", "detail", "title"),
    [
        ("en", "Cannot ship while status is 'In flight'.", "Transition not allowed"),
        ("zh-hans", "当前状态为“处理中”，无法执行“ship”操作。", "不允许的状态变更"),
    ],
)
def test_the_refusal_names_the_state_by_its_label_in_the_language(language, detail, title):
    from agri_platform.api.models import IdempotencyKey

    state = IdempotencyKey.State.IN_FLIGHT
    keyed = SimpleNamespace(status=state, get_status_display=lambda: state.label)
    with translation.override(language):
        with pytest.raises(TransitionNotAllowed) as refused:
            ORDERS.check("ship", actor=CLERK, obj=keyed)
        assert (str(refused.value.detail), str(refused.value.title)) == (detail, title)
    assert refused.value.extra["current_status"] == "in_flight"
