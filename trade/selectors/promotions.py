"""Reading promotion events: what each caller may see of them."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from agri_platform.api.tenancy import scope_queryset

from ..choices import ParticipantStatus, PromotionStatus
from ..models import PromotionEvent, PromotionParticipant
from .lists import holding


def _with_counts(queryset: QuerySet) -> QuerySet:
    return (
        queryset.select_related("country")
        .prefetch_related("markets")
        .annotate(
            taking_part=Count(
                "participants",
                filter=Q(participants__status=ParticipantStatus.SIGNED_UP),
                distinct=True,
            )
        )
    )


def promotions_for(user) -> QuerySet[PromotionEvent]:
    """Published and cancelled events for everyone (signed in or not); drafts for staff only."""
    events = PromotionEvent.objects.all()
    if not (user is not None and user.is_authenticated and user.is_platform_staff):
        events = events.exclude(status=PromotionStatus.DRAFT)
    return _with_counts(events)


def published_promotions() -> QuerySet[PromotionEvent]:
    return _with_counts(PromotionEvent.objects.filter(status=PromotionStatus.PUBLISHED))


def published_promotion(pk) -> PromotionEvent:
    return get_object_or_404(published_promotions(), pk=pk)


def taking_part(event: PromotionEvent) -> QuerySet[PromotionParticipant]:
    """The event's participants that have not withdrawn, with their enterprise and products."""
    return (
        event.participants.filter(status=ParticipantStatus.SIGNED_UP)
        .select_related("enterprise")
        .prefetch_related(Prefetch("products"))
        .order_by("enterprise__name_en", "id")
    )


def participants_for(user) -> QuerySet[PromotionParticipant]:
    """Sign-ups of the caller's enterprises (staff: all)."""
    return scope_queryset(
        PromotionParticipant.objects.select_related("enterprise", "event").prefetch_related(
            "products"
        ),
        user,
    )


def for_category(events: QuerySet[PromotionEvent], category: str) -> QuerySet[PromotionEvent]:
    """The events for `category`: those naming it, and those naming none (they are for all)."""
    return holding(events, "categories", category) | events.filter(categories=[])
