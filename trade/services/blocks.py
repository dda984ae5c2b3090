"""An enterprise blocks a buyer that wrote to it: it takes no more inquiries from it.

The buyer is never told (the event goes to nobody outside the enterprise): its next inquiry gets the
answer an enterprise that takes no inquiries gives.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from agri_platform.api.errors import Conflict, NotFound, check_length
from agri_platform.api.tenancy import require_membership
from agri_platform.events import services as events

from ..models import Buyer, BuyerBlock, Inquiry
from .inquiries import MAX_REASON_LENGTH


def _record(kind: str, block: BuyerBlock, *, actor) -> None:
    events.record(
        kind,
        payload={"buyer_id": block.buyer_id, "enterprise_id": block.enterprise_id},
        enterprise=block.enterprise,
        actor=actor,
        subject=block.buyer,
    )


@transaction.atomic
def buyer_block(*, actor, enterprise, buyer: Buyer, reason: str = "") -> BuyerBlock:
    """Block `buyer` for `enterprise`; only a buyer that wrote to the enterprise (any other is,
    to the enterprise, a buyer that does not exist)."""
    require_membership(actor, enterprise.pk)
    if not Inquiry.objects.filter(enterprise=enterprise, buyer=buyer).exists():
        raise NotFound(_("No buyer of that id wrote to the enterprise."), field="buyer")
    reason = (reason or "").strip()
    check_length(reason, MAX_REASON_LENGTH, field="reason")
    if BuyerBlock.objects.filter(enterprise=enterprise, buyer=buyer).exists():
        raise Conflict(_("The buyer is already blocked."), field="buyer", code="already_blocked")
    block = BuyerBlock.objects.create(
        enterprise=enterprise, buyer=buyer, reason=reason, created_by=actor
    )
    _record("buyer.blocked", block, actor=actor)
    return block


@transaction.atomic
def buyer_unblock(*, actor, block: BuyerBlock) -> None:
    """Take inquiries from the buyer again."""
    require_membership(actor, block.enterprise_id)
    _record("buyer.unblocked", block, actor=actor)
    block.delete()
