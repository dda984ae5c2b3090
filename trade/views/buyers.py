"""API: buyer accounts (routes collected by trade/urls.py). Thin: parse, call the service, answer
the buyer as the caller may see it."""

from django.db import transaction
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from agri_platform.api.errors import NotFound
from agri_platform.api.throttling import LoginRateThrottle
from agri_platform.api.views import ApiReadOnlyViewSet, ApiView

from ..filters_buyers import BuyerFilter
from ..selectors.buyers import buyer_of, buyers_for
from ..serializers import buyers as serializers
from ..services import buyers as services


class BuyerRegisterView(ApiView):
    """A buyer organisation signs up: its first person, the organisation, pending verification."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        summary="Register as a buyer",
        description=(
            "An importer, distributor, retailer, restaurant or hotel abroad signs up: the person's "
            "account (its e-mail gets a confirmation link, as for `auth/register/`), the "
            "organisation (`company`, `country` as ISO alpha-2, `kind`) and its profile. Answers "
            "201 with the buyer, `pending` until platform staff verify it; sign in once the "
            "address is confirmed. A taken e-mail is a 409 `email_taken`, a company name already "
            "registered a 409 `company_taken`. Open to anyone, throttled per client address."
        ),
        request=serializers.BuyerRegisterSerializer,
        responses={201: serializers.BuyerSerializer},
    )
    def post(self, request):
        data = serializers.BuyerRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            buyer = services.buyer_register(**data.validated_data)
        body = serializers.BuyerSerializer(buyer, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


def _reason_action(summary: str, description: str):
    return extend_schema(
        summary=summary,
        description=description,
        request=serializers.BuyerReasonSerializer,
        responses={200: serializers.BuyerSerializer},
    )


def _plain_action(summary: str, description: str):
    return extend_schema(
        summary=summary,
        description=description,
        request=None,
        responses={200: serializers.BuyerSerializer},
    )


@extend_schema_view(
    list=extend_schema(
        summary="List buyers",
        description=(
            "Platform staff see every buyer (filter by `status`, `kind`, `country`; `search` "
            "matches the name, city and website); a buyer's people and keys (`trade:read`) see "
            "only their own organisation; anyone else an empty list: enterprises see a buyer only "
            "inside the inquiries it sent them."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a buyer",
        description="One buyer with the actions the caller may take; one the caller may not see "
        "is a 404.",
    ),
)
class BuyerViewSet(ApiReadOnlyViewSet):
    scope_prefix = "trade"
    extra_problem_statuses = (404,)  # me/ for a caller that acts for no buyer
    serializer_class = serializers.BuyerSerializer
    filterset_class = BuyerFilter
    search_fields = ["partner__name", "city", "website"]
    ordering_fields = ["created_at", "status", "status_changed_at"]

    def get_queryset(self):
        return buyers_for(self.request.user).order_by("-created_at", "-id")

    def _respond(self, buyer):
        fresh = self.get_queryset().get(pk=buyer.pk)
        return Response(self.get_serializer(fresh).data)

    def _own_buyer(self):
        buyer = buyer_of(self.request.user)
        if buyer is None:
            raise NotFound(_("The caller does not act for a buyer organisation."))
        return buyer

    @extend_schema(
        methods=["GET"],
        summary="Show the caller's buyer organisation",
        description="The buyer the caller's person or API key acts for (`trade:read`); anyone "
        "else gets a 404.",
        request=None,
        responses={200: serializers.BuyerSerializer},
    )
    @extend_schema(
        methods=["PATCH"],
        summary="Change the caller's buyer profile",
        description="A buyer's people or keys (`trade:write`) change `kind`, `website`, `city` "
        "and `description`. The company name and country are what staff verified: they are not "
        "in the body (a 400 naming the field).",
        request=serializers.BuyerProfileSerializer,
        responses={200: serializers.BuyerSerializer},
    )
    @action(detail=False, methods=["get", "patch"], filterset_class=None)
    def me(self, request):
        buyer = self._own_buyer()
        if request.method == "PATCH":
            data = serializers.BuyerProfileSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            buyer = services.buyer_profile_update(
                actor=request.user, buyer=buyer, **data.validated_data
            )
        return self._respond(buyer)

    @_plain_action(
        "Verify a buyer",
        "Platform reviewers and officers verify a pending (or earlier rejected) buyer after "
        "checking it: its inquiries say it is verified and the cap on open inquiries ends.",
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        buyer = services.buyer_verify(actor=request.user, buyer=self.get_object())
        return self._respond(buyer)

    @_reason_action(
        "Reject a buyer",
        "Platform reviewers and officers reject a pending buyer with a `reason` the buyer reads; "
        "it cannot send inquiries.",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        buyer = self.get_object()
        data = serializers.BuyerReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        buyer = services.buyer_reject(actor=request.user, buyer=buyer, **data.validated_data)
        return self._respond(buyer)

    @_reason_action(
        "Suspend a buyer",
        "Platform reviewers and officers suspend a pending or verified buyer (spam, abuse) with a "
        "`reason`; it cannot send inquiries until reinstated.",
    )
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        buyer = self.get_object()
        data = serializers.BuyerReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        buyer = services.buyer_suspend(actor=request.user, buyer=buyer, **data.validated_data)
        return self._respond(buyer)

    @_plain_action(
        "Reinstate a buyer",
        "Platform reviewers and officers lift a suspension: the buyer is verified again.",
    )
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        buyer = services.buyer_reinstate(actor=request.user, buyer=self.get_object())
        return self._respond(buyer)


router = SimpleRouter()
router.register("buyers", BuyerViewSet, basename="buyer")

urlpatterns = [
    path("buyers/register/", BuyerRegisterView.as_view(), name="buyer-register"),
    *router.urls,
]
