"""Tenant-scoped reads shared by the views, the admin and the tasks."""

from django.db.models import Prefetch, QuerySet

from agri_platform.api.tenancy import scope_queryset

from .choices import AWAITING_STAFF_STATUSES
from .models import (
    Application,
    ApplicationDocument,
    Certificate,
    MarketRequirement,
    Scheme,
    TimelineEntry,
)


def schemes_for(user) -> QuerySet[Scheme]:
    """Staff see the whole catalogue; everyone else the schemes open for applications."""
    queryset = Scheme.objects.all()
    if user.is_authenticated and user.is_platform_staff:
        return queryset
    return queryset.filter(is_active=True)


def requirements_for(user) -> QuerySet[MarketRequirement]:
    queryset = MarketRequirement.objects.select_related("scheme", "destination_country")
    if user.is_authenticated and user.is_platform_staff:
        return queryset
    return queryset.filter(is_active=True)


def applications_for(user) -> QuerySet[Application]:
    queryset = Application.objects.select_related(
        "enterprise", "enterprise__prefecture", "scheme", "reviewer", "certificate", "renewal_of"
    ).prefetch_related(
        "scope_products",
        "scope_bases",
        Prefetch("documents", queryset=ApplicationDocument.objects.order_by("id")),
    )
    return scope_queryset(queryset, user)


def review_queue_for(user) -> QuerySet[Application]:
    """Staff's queue: oldest submission first (the filters choose the statuses; by default the
    applications waiting for staff)."""
    return applications_for(user).order_by("submitted_at", "id")


def default_queue_statuses() -> tuple[str, ...]:
    return tuple(str(status) for status in AWAITING_STAFF_STATUSES)


def timeline_for(application: Application, user) -> QuerySet[TimelineEntry]:
    """Internal reviewer notes are for staff only."""
    queryset = application.timeline.select_related("actor").order_by("id")
    if user.is_authenticated and user.is_platform_staff:
        return queryset
    return queryset.filter(internal=False)


def documents_for(user, application_id) -> QuerySet[ApplicationDocument]:
    return scope_queryset(
        ApplicationDocument.objects.filter(application_id=application_id).select_related(
            "application"
        ),
        user,
        enterprise_field="application__enterprise",
    )


def certificates_for(user) -> QuerySet[Certificate]:
    queryset = Certificate.objects.select_related(
        "enterprise", "scheme", "application"
    ).prefetch_related("scope_products", "scope_bases")
    return scope_queryset(queryset, user)


def certificate_by_number(number: str) -> Certificate | None:
    return Certificate.objects.select_related("enterprise", "scheme").filter(number=number).first()
