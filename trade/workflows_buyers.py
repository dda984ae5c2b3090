"""The buyer's verification as a workflow table (agri_platform.api.workflow): staff verify, reject,
suspend and reinstate; `allowed_actions` of the API and the admin's actions come from here."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from agri_platform.api.errors import PermissionDenied
from agri_platform.api.workflow import Transition, Workflow, moves

from .choices import BuyerStatus as S

# Staff who check buyers (platform admins and superusers always may: `has_staff_role`).
BUYER_REVIEWER_ROLES = ("reviewer", "officer")


def require_buyer_reviewer(actor, buyer=None) -> None:
    if (
        actor is None
        or not actor.is_authenticated
        or not actor.has_staff_role(*BUYER_REVIEWER_ROLES)
    ):
        raise PermissionDenied(_("Only platform reviewers and officers may verify buyers."))


BUYER_WORKFLOW = Workflow(
    {
        "verify": Transition(
            moves([S.PENDING, S.REJECTED], S.VERIFIED), who=require_buyer_reviewer
        ),
        "reject": Transition({S.PENDING: S.REJECTED}, who=require_buyer_reviewer),
        "suspend": Transition(
            moves([S.PENDING, S.VERIFIED], S.SUSPENDED), who=require_buyer_reviewer
        ),
        "reinstate": Transition({S.SUSPENDED: S.VERIFIED}, who=require_buyer_reviewer),
    },
    write_scope="trade:write",
    action_labels={
        "verify": pgettext_lazy("buyer action", "verify"),
        "reject": pgettext_lazy("buyer action", "reject"),
        "suspend": pgettext_lazy("buyer action", "suspend"),
        "reinstate": pgettext_lazy("buyer action", "reinstate"),
    },
)
