"""API: promotion events under /api/v1/promotions/ (the API's events/ is the domain event log)
and the enterprises' sign-ups under /api/v1/promotion-participants/."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from agri_platform.api.tenancy import acting_enterprise
from agri_platform.api.views import ApiViewSet
from agri_platform.reference.choices import ExportCategory

from ..choices import PromotionKind, PromotionStatus
from ..models import PromotionEvent
from ..selectors import promotions as selectors
from ..serializers import promotions as serializers
from ..services import promotions as services

PUBLIC_READS = ("list", "retrieve")


class PromotionFilter(filters.FilterSet):
    when = filters.ChoiceFilter(
        choices=[("upcoming", _("Upcoming")), ("past", _("Past"))],
        method="filter_when",
        label=_("upcoming (not ended yet) or past"),
    )
    country = filters.CharFilter(field_name="country__code", lookup_expr="iexact")
    market = filters.CharFilter(field_name="markets__code", lookup_expr="iexact", distinct=True)
    category = filters.ChoiceFilter(choices=ExportCategory.choices, method="filter_category")
    kind = filters.MultipleChoiceFilter(choices=PromotionKind.choices)
    status = filters.MultipleChoiceFilter(choices=PromotionStatus.choices)

    class Meta:
        model = PromotionEvent
        fields = ["when", "country", "market", "category", "kind", "status"]

    def filter_when(self, queryset, name, value):
        today = timezone.localdate()
        if value == "past":
            return queryset.filter(ends_on__lt=today)
        return queryset.filter(ends_on__gte=today)

    def filter_category(self, queryset, name, value):
        return selectors.for_category(queryset, value)


class PublicReadMixin:
    """Reads are open to anyone; writes need a signed-in caller (the services check the role)."""

    permission_classes = [AllowAny]
    public_reads: tuple[str, ...] = PUBLIC_READS

    def get_permissions(self):
        # Without a request (the schema's problem responses ask the view alone), an action that
        # also takes a POST (participants) counts as protected: its sign-up needs a login.
        request = getattr(self, "request", None)
        posting = request.method == "POST" if request is not None else self.action == "participants"
        if self.action not in self.public_reads or posting:
            return [IsAuthenticated()]
        return super().get_permissions()


@extend_schema_view(
    list=extend_schema(
        summary="List promotion events",
        description=(
            "Public, no login: the overseas promotion events (trade fairs, tastings, buyer "
            "meetings) the platform's staff published, soonest first; platform staff also see "
            "drafts. Filter `when=upcoming|past`, host `country`, `market` (a country whose buyers "
            "the event reaches), `category`, `kind`."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a promotion event",
        description=(
            "Public, no login: one event with the enterprises taking part and the products they "
            "show. A draft is a 404 to anyone but platform staff."
        ),
        responses={200: serializers.PromotionEventDetailSerializer},
    ),
)
class PromotionViewSet(
    PublicReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet
):
    """Promotion events. Staff (officers, platform admins) create, edit, publish and cancel them;
    enterprises sign up with the products they will show."""

    public_reads = (*PUBLIC_READS, "participants")
    scope_prefix = "trade"
    serializer_class = serializers.PromotionEventSerializer
    filterset_class = PromotionFilter
    search_fields = ["title_zh", "title_en", "city", "venue"]
    ordering_fields = ["starts_on", "ends_on", "published_at"]
    ordering = ["starts_on", "id"]

    def get_queryset(self):
        return selectors.promotions_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.PromotionEventDetailSerializer
        return serializers.PromotionEventSerializer

    def _respond(self, event, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=event.pk)
        data = serializers.PromotionEventDetailSerializer(
            fresh, context=self.get_serializer_context()
        ).data
        return Response(data, status=status_code)

    @extend_schema(
        summary="Create a promotion event",
        description=(
            "Platform officers and administrators create an event as a draft: titles in Chinese "
            "and English, kind, city, host `country`, dates, the `markets` it reaches and the "
            "export `categories` it is for. Nobody else sees it until it is published."
        ),
        request=serializers.PromotionEventInputSerializer,
        responses={201: serializers.PromotionEventDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = serializers.PromotionEventInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.promotion_create(actor=request.user, **data.validated_data)
        return self._respond(event, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a promotion event",
        description="Staff change the fields they name, on a draft or a published event.",
        request=serializers.PromotionEventPatchSerializer,
        responses={200: serializers.PromotionEventDetailSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        event = self.get_object()
        data = serializers.PromotionEventPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.promotion_update(actor=request.user, event=event, **data.validated_data)
        return self._respond(event)

    @extend_schema(
        summary="Publish a promotion event",
        description=(
            "Staff publish a draft: it appears on /promotions/ and every partner hears of it "
            "(`promotion.published`)."
        ),
        request=None,
        responses={200: serializers.PromotionEventDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        event = self.get_object()
        services.promotion_publish(actor=request.user, event=event)
        return self._respond(event)

    @extend_schema(
        summary="Cancel a promotion event",
        description="Staff cancel an event with a `reason` the enterprises taking part read.",
        request=serializers.PromotionCancelInputSerializer,
        responses={200: serializers.PromotionEventDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        event = self.get_object()
        data = serializers.PromotionCancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.promotion_cancel(
            actor=request.user, event=event, reason=data.validated_data["reason"]
        )
        return self._respond(event)

    @extend_schema(
        methods=["GET"],
        summary="List who takes part in a promotion event",
        description="Public: the enterprises taking part and the products they show.",
        request=None,
        responses={200: serializers.ParticipantSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Sign up for a promotion event",
        description=(
            "A member of a verified enterprise signs it up with the `products` (its own) it will "
            "show and an optional `note`, until sign-up closes (`signup_closes_on`, else the day "
            "before the event). Name the `enterprise` when the caller belongs to several. An "
            "enterprise that withdrew may sign up again. Answers 201 with the participation."
        ),
        request=serializers.SignUpInputSerializer,
        responses={201: serializers.ParticipantSerializer},
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, ordering=None)
    def participants(self, request, pk=None):
        event = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.taking_part(event))
            data = serializers.ParticipantSerializer(page, many=True, context=context).data
            return self.get_paginated_response(data)
        data = serializers.SignUpInputSerializer(data=request.data, context=context)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enterprise = acting_enterprise(request, values.pop("enterprise", None))
        participant = services.promotion_sign_up(
            actor=request.user, event=event, enterprise=enterprise, **values
        )
        fresh = selectors.participants_for(request.user).get(pk=participant.pk)
        return Response(
            serializers.ParticipantSerializer(fresh, context=context).data,
            status=status.HTTP_201_CREATED,
        )


class PromotionParticipantViewSet(ApiViewSet):
    """An enterprise's sign-ups; `withdraw/` takes it out of the event."""

    scope_prefix = "trade"
    serializer_class = serializers.ParticipantSerializer

    def get_queryset(self):
        return selectors.participants_for(self.request.user)

    @extend_schema(
        summary="Withdraw from a promotion event",
        description=(
            "A member of the enterprise takes it out of the event (`promotion.withdrawn`); it may "
            "sign up again while sign-up is open."
        ),
        request=None,
        responses={200: serializers.ParticipantSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        participant = self.get_object()
        services.promotion_withdraw(actor=request.user, participant=participant)
        fresh = self.get_queryset().get(pk=participant.pk)
        return Response(self.get_serializer(fresh).data)


router = SimpleRouter()
router.register("promotions", PromotionViewSet, basename="promotion")
router.register(
    "promotion-participants", PromotionParticipantViewSet, basename="promotion-participant"
)

urlpatterns = router.urls
