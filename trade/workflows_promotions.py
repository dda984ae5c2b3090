"""The promotion events' state machines: staff publish and cancel an event, an enterprise's
members withdraw from one they signed up for (agri_platform.api.workflow tables)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from agri_platform.api.errors import PermissionDenied
from agri_platform.api.tenancy import require_membership
from agri_platform.api.workflow import Transition, Workflow, moves, stays

from .choices import ParticipantStatus, PromotionStatus

S = PromotionStatus
P = ParticipantStatus
PROMOTION_ROLES = ("officer",)  # and platform admins, who hold every staff role


def require_promotion_staff(actor, event=None) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_staff_role(*PROMOTION_ROLES):
        raise PermissionDenied(
            _("Only platform officers and administrators manage promotion events.")
        )


def _require_participant_member(actor, participant) -> None:
    require_membership(actor, participant.enterprise_id)


PROMOTION_WORKFLOW = Workflow(
    {
        "update": Transition(stays(S.DRAFT, S.PUBLISHED), who=require_promotion_staff),
        "publish": Transition({S.DRAFT: S.PUBLISHED}, who=require_promotion_staff),
        "cancel": Transition(
            moves([S.DRAFT, S.PUBLISHED], S.CANCELLED), who=require_promotion_staff
        ),
    },
    write_scope="trade:write",
    action_labels={
        "update": pgettext_lazy("action", "edit"),
        "publish": pgettext_lazy("action", "publish"),
        "cancel": pgettext_lazy("action", "cancel"),
    },
)

PARTICIPANT_WORKFLOW = Workflow(
    {
        "withdraw": Transition({P.SIGNED_UP: P.WITHDRAWN}, who=_require_participant_member),
    },
    write_scope="trade:write",
    action_labels={"withdraw": pgettext_lazy("action", "withdraw")},
)
