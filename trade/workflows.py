"""The states of inquiries and quotes as declared tables (agri_platform.api.workflow).

`INQUIRY_WORKFLOW.permitted(user, inquiry)` gives the actions a page may offer that user;
`actions_for(obj, context=...)` the API's `allowed_actions`. The services check every transition
through the same tables, so a page never offers what the service would refuse.
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from agri_platform.api.errors import NotFound, PermissionDenied
from agri_platform.api.tenancy import is_member, require_membership
from agri_platform.api.workflow import Transition, Workflow, moves, stays

from .choices import InquiryStatus, QuoteStatus
from .selectors.buyers import buyer_of

I = InquiryStatus  # noqa: E741 (one letter like legal's S: the tables read as states)
Q = QuoteStatus
# An inquiry the buyer and the enterprise still talk about.
INQUIRY_OPEN = (I.SENT, I.QUOTED)


def _inquiry_of(obj):
    """The inquiry a quote belongs to, or the inquiry itself."""
    return getattr(obj, "inquiry", obj)


_NO_BUYER = object()


def _buyer_id_of(actor) -> int | None:
    """The id of the buyer `actor` acts for, looked up once per request (a list asks it for
    every row's allowed_actions)."""
    cached = getattr(actor, "_trade_buyer_id", _NO_BUYER)
    if cached is _NO_BUYER:
        buyer = buyer_of(actor)
        cached = buyer.pk if buyer is not None else None
        if actor is not None:
            actor._trade_buyer_id = cached
    return cached


def require_buyer_side(actor, obj) -> None:
    """Only the buyer who sent the inquiry (its people and keys). The enterprise asked and staff
    see the inquiry, so they are refused (403); anyone else is told it does not exist."""
    inquiry = _inquiry_of(obj)
    buyer_id = _buyer_id_of(actor)
    if buyer_id is not None and buyer_id == inquiry.buyer_id:
        return
    if (
        actor is not None
        and actor.is_authenticated
        and (actor.is_platform_staff or is_member(actor, inquiry.enterprise_id))
    ):
        raise PermissionDenied(_("Only the buyer who sent the inquiry may do this."))
    raise NotFound(_("No such inquiry."))


def require_enterprise_side(actor, obj) -> None:
    """Only members of the enterprise the inquiry was sent to."""
    require_membership(actor, _inquiry_of(obj).enterprise_id)


def require_either_side(actor, obj) -> None:
    """The buyer who sent the inquiry or a member of the enterprise asked."""
    inquiry = _inquiry_of(obj)
    if is_member(actor, inquiry.enterprise_id):
        return
    require_buyer_side(actor, obj)


# In the order of `allowed_actions`.
INQUIRY_WORKFLOW = Workflow(
    {
        "decline": Transition(moves(INQUIRY_OPEN, I.DECLINED), who=require_enterprise_side),
        "message": Transition(stays(*INQUIRY_OPEN, I.ACCEPTED), who=require_either_side),
        "quote": Transition(moves(INQUIRY_OPEN, I.QUOTED), who=require_enterprise_side),
        "withdraw": Transition(moves(INQUIRY_OPEN, I.WITHDRAWN), who=require_buyer_side),
    },
    write_scope="trade:write",
    action_labels={
        "decline": pgettext_lazy("inquiry action", "decline"),
        "message": pgettext_lazy("action", "send a message"),
        "quote": pgettext_lazy("inquiry action", "send a quote"),
        "withdraw": pgettext_lazy("action", "withdraw"),
    },
)

QUOTE_WORKFLOW = Workflow(
    {
        "accept": Transition({Q.OPEN: Q.ACCEPTED}, who=require_buyer_side),
        "decline": Transition({Q.OPEN: Q.DECLINED}, who=require_buyer_side),
        "withdraw": Transition({Q.OPEN: Q.WITHDRAWN}, who=require_enterprise_side),
    },
    write_scope="trade:write",
    action_labels={
        "accept": pgettext_lazy("quote action", "accept"),
        "decline": pgettext_lazy("quote action", "decline"),
        "withdraw": pgettext_lazy("action", "withdraw"),
    },
)
