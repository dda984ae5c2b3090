"""Who may do what to a financing request or offer, in which status: the two workflow tables."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from agri_platform.api.errors import PermissionDenied
from agri_platform.api.tenancy import ADMINISTRATOR_ROLES, require_membership
from agri_platform.api.workflow import Transition, Workflow, moves, stays
from enterprises.services import require_verified

from ..choices import OfferStatus, RequestStatus
from ..models import FinancingRequest

S = RequestStatus


def _require_routed_partner(actor, financing_request: FinancingRequest) -> None:
    routed = {partner.pk for partner in financing_request.partners.all()}  # prefetched in lists
    if actor is None or not actor.partner_id or actor.partner_id not in routed:
        raise PermissionDenied(_("Only partners that the request was routed to may make offers."))


def _member(actor, financing_request) -> None:
    require_membership(actor, financing_request.enterprise_id)


def _officer(actor, obj) -> None:
    _require_officer(actor)


def _administrator(actor, financing_request) -> None:
    require_membership(actor, financing_request.enterprise_id, roles=ADMINISTRATOR_ROLES)


def _accepted_partner_or_officer(actor, financing_request) -> None:
    _require_accepted_partner_or_officer(actor, financing_request)


OPEN_STATUSES = (S.DRAFT, S.SUBMITTED, S.ROUTED, S.OFFERED)
# In the order of `allowed_actions`. Disbursing an export credit insurance binds it instead (BOUND).
REQUEST_WORKFLOW = Workflow(
    {
        "accept": Transition({S.OFFERED: S.ACCEPTED}, who=_administrator),
        "add_document": Transition(stays(*OPEN_STATUSES), who=_member),
        "add_evidence": Transition(stays(*OPEN_STATUSES), who=_member),
        "close": Transition(
            moves([S.DISBURSED, S.BOUND], S.CLOSED), who=_accepted_partner_or_officer
        ),
        "decline": Transition(moves([S.SUBMITTED, S.ROUTED, S.OFFERED], S.DECLINED), who=_officer),
        "disburse": Transition({S.ACCEPTED: S.DISBURSED}, who=_accepted_partner_or_officer),
        "offer": Transition(
            {S.ROUTED: S.OFFERED, S.OFFERED: S.OFFERED}, who=_require_routed_partner
        ),
        "route": Transition({S.SUBMITTED: S.ROUTED, **stays(S.ROUTED, S.OFFERED)}, who=_officer),
        "submit": Transition(
            {S.DRAFT: S.SUBMITTED},
            who=_member,
            guard=lambda financing_request: require_verified(financing_request.enterprise),
        ),
        "update": Transition(stays(S.DRAFT), who=_member),
        "withdraw": Transition(moves(OPEN_STATUSES, S.WITHDRAWN), who=_member),
    },
    write_scope="finance:write",
    action_labels={
        "accept": pgettext_lazy("action", "accept an offer"),
        "add_document": pgettext_lazy("action", "add a document"),
        "add_evidence": pgettext_lazy("action", "add evidence"),
        "close": pgettext_lazy("action", "close"),
        "decline": pgettext_lazy("action", "decline"),
        "disburse": pgettext_lazy("action", "disburse"),
        "offer": pgettext_lazy("action", "make an offer"),
        "route": pgettext_lazy("action", "route to partners"),
        "submit": pgettext_lazy("action", "submit"),
        "update": pgettext_lazy("action", "edit"),
        "withdraw": pgettext_lazy("action", "withdraw"),
    },
)
OFFER_WORKFLOW = Workflow(
    {
        "accept": Transition(
            {OfferStatus.PENDING: OfferStatus.ACCEPTED},
            who=lambda actor, offer: _administrator(actor, offer.request),
        ),
        "decline": Transition(
            {OfferStatus.PENDING: OfferStatus.DECLINED},
            who=lambda actor, offer: _member(actor, offer.request),
        ),
    },
    write_scope="finance:write",
    action_labels={
        "accept": pgettext_lazy("action", "accept"),
        "decline": pgettext_lazy("action", "decline"),
    },
)


# --- who may act -------------------------------------------------------------------------------


def _require_officer(actor) -> None:
    if actor is None or not actor.has_staff_role("officer"):
        raise PermissionDenied(_("Only platform officers may do this."))


def _require_accepted_partner_or_officer(actor, financing_request: FinancingRequest) -> None:
    offer = financing_request.accepted_offer
    if actor is not None and actor.partner_id and offer and offer.partner_id == actor.partner_id:
        return
    if actor is not None and actor.has_staff_role("officer"):
        return
    raise PermissionDenied(
        _("Only the partner whose offer was accepted, or an officer, may do this.")
    )
