"""What waits for the exporter among the inquiries sent to it (the portal's inquiries and home)."""

from django.db.models import OuterRef, Q, QuerySet, Subquery

from ..choices import InquiryStatus, MessageSide
from ..models import InquiryMessage
from .inquiries import inquiries_for


def with_last_side(inquiries: QuerySet) -> QuerySet:
    """Each inquiry with `last_side`: who wrote its latest message (None without messages)."""
    latest = InquiryMessage.objects.filter(inquiry=OuterRef("pk")).order_by("-created_at", "-id")
    return inquiries.annotate(last_side=Subquery(latest.values("side")[:1]))


def needs_answer() -> Q:
    """Waiting for the exporter: nothing sent back yet, or the buyer wrote last on a quoted one
    (a queryset annotated by `with_last_side`)."""
    return Q(status=InquiryStatus.SENT) | Q(
        status=InquiryStatus.QUOTED, last_side=MessageSide.BUYER
    )


def inquiry_needs_answer(inquiry) -> bool:
    """`needs_answer` for one inquiry annotated by `with_last_side`."""
    return inquiry.status == InquiryStatus.SENT or (
        inquiry.status == InquiryStatus.QUOTED and inquiry.last_side == MessageSide.BUYER
    )


def waiting_count(user, enterprise) -> int:
    """How many of `enterprise`'s inquiries, as `user` sees them, need an answer: one query."""
    inquiries = inquiries_for(user).filter(enterprise=enterprise)
    return with_last_side(inquiries).filter(needs_answer()).count()
