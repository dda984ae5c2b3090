"""API: inquiries, their messages and quotes, quotes, buyer blocks (routes collected by
trade/urls.py). Thin: parse, call a service or selector, serialize."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from agri_platform.api.errors import PermissionDenied
from agri_platform.api.filtering import IdFilter, IsoDateTimeFilter
from agri_platform.api.serializers import unknown_id
from agri_platform.api.tenancy import acting_enterprise
from agri_platform.api.views import ApiReadOnlyViewSet, ApiViewSet

from ..choices import InquiryStatus, QuoteStatus
from ..models import Buyer, Inquiry, Quote
from ..selectors.buyers import buyer_of
from ..selectors.inquiries import blocks_for, inquiries_for, quotes_for
from ..serializers import inquiries as serializers
from ..services import blocks as block_services
from ..services import inquiries as services


class InquiryFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=InquiryStatus.choices)
    enterprise = IdFilter(field_name="enterprise")
    destination_country = filters.CharFilter(
        field_name="destination__country__code",
        lookup_expr="iexact",
        label=_("Destination country"),
    )
    created_after = IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Inquiry
        fields = ["status", "enterprise"]


class QuoteFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=QuoteStatus.choices)
    inquiry = IdFilter(field_name="inquiry")
    enterprise = IdFilter(field_name="inquiry__enterprise")

    class Meta:
        model = Quote
        fields = ["status", "inquiry", "enterprise"]


@extend_schema_view(
    list=extend_schema(
        summary="List inquiries",
        description=(
            "A buyer's own inquiries; for an enterprise's members those sent to their enterprises "
            "(`enterprise=` for members of several); platform staff all. Filter by status, "
            "enterprise, destination country and sending time. Buyer keys need `trade:read`."
        ),
    ),
    retrieve=extend_schema(
        summary="Show an inquiry",
        description=(
            "One inquiry with its items, quotes, message count and the actions the caller may "
            "take now. The buyer shows as name, country, kind, website and verification only."
        ),
    ),
)
class InquiryViewSet(mixins.CreateModelMixin, ApiReadOnlyViewSet):
    """A buyer's inquiries to an enterprise, answered with quotes or declined."""

    scope_prefix = "trade"
    serializer_class = serializers.InquirySerializer
    filterset_class = InquiryFilter
    ordering_fields = ["created_at", "status", "delivery_from"]
    extra_problem_statuses = (429,)

    def get_queryset(self):
        return inquiries_for(self.request.user)

    def _respond(self, inquiry, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=inquiry.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    @extend_schema(
        summary="Send an inquiry",
        description=(
            "A buyer's person or key (`trade:write`) asks one enterprise for one or more of its "
            "listed products: quantity and unit per product, destination UN/LOCODE, Incoterm and "
            "the wanted delivery window. Answers 201 with the inquiry, `sent`. Inquiries per "
            "buyer are limited (`TRADE_INQUIRY_RATE`): beyond it a 429 with `Retry-After`."
        ),
        request=serializers.InquiryInputSerializer,
        responses={201: serializers.InquirySerializer},
    )
    def create(self, request, *args, **kwargs):
        buyer = buyer_of(request.user)
        if buyer is None:
            raise PermissionDenied(gettext("Only buyers send inquiries."), code="not_a_buyer")
        data = serializers.InquiryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        inquiry = services.inquiry_send(actor=request.user, buyer=buyer, **data.validated_data)
        return self._respond(inquiry, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Decline an inquiry",
        description="The enterprise asked says no, with a `reason` the buyer reads.",
        request=serializers.InquiryDeclineInputSerializer,
        responses={200: serializers.InquirySerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decline(self, request, pk=None):
        inquiry = self.get_object()
        data = serializers.InquiryDeclineInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.inquiry_decline(actor=request.user, inquiry=inquiry, **data.validated_data)
        return self._respond(inquiry)

    @extend_schema(
        summary="Withdraw an inquiry",
        description="The buyer no longer asks (optional `reason`); its open quotes lapse.",
        request=serializers.TradeReasonInputSerializer,
        responses={200: serializers.InquirySerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def withdraw(self, request, pk=None):
        inquiry = self.get_object()
        data = serializers.TradeReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.inquiry_withdraw(actor=request.user, inquiry=inquiry, **data.validated_data)
        return self._respond(inquiry)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: serializers.InquiryMessageSerializer(many=True)},
        summary="Read an inquiry's messages",
        description="The messages between the buyer and the enterprise, oldest first, paginated.",
    )
    @extend_schema(
        methods=["POST"],
        summary="Write on an inquiry",
        description=(
            "The buyer or the enterprise asked writes a message; the side follows the caller. "
            "A closed inquiry (declined, withdrawn) is a 409."
        ),
        request=serializers.InquiryMessageInputSerializer,
        responses={201: serializers.InquiryMessageSerializer},
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, ordering_fields=[])
    def messages(self, request, pk=None):
        inquiry = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            listed = inquiry.messages.select_related("author").order_by("created_at", "id")
            page = self.paginate_queryset(listed)
            data = serializers.InquiryMessageSerializer(page, many=True, context=context).data
            return self.get_paginated_response(data)
        data = serializers.InquiryMessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.inquiry_message_post(
            actor=request.user, inquiry=inquiry, **data.validated_data
        )
        return Response(
            serializers.InquiryMessageSerializer(message, context=context).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Quote an inquiry",
        description=(
            "The enterprise asked prices every item (one line per item: `unit_price`, and "
            "`quantity`/`unit` when they differ from the item's), with currency, Incoterm, "
            "validity and lead time. An earlier open quote is superseded. Answers 201 with the "
            "quote."
        ),
        request=serializers.QuoteInputSerializer,
        responses={201: serializers.QuoteSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def quotes(self, request, pk=None):
        inquiry = self.get_object()
        data = serializers.QuoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        quote = services.quote_send(actor=request.user, inquiry=inquiry, **data.validated_data)
        fresh = quotes_for(request.user).get(pk=quote.pk)
        return Response(
            serializers.QuoteSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(
        summary="List quotes",
        description=(
            "Quotes on the caller's inquiries (buyers) or on those sent to the caller's "
            "enterprises (members); staff all. Filter by status, inquiry and enterprise."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a quote",
        description="One quote with its lines and the actions the caller may take now.",
    ),
)
class QuoteViewSet(ApiReadOnlyViewSet):
    """Quotes: the buyer accepts or declines, the enterprise withdraws."""

    scope_prefix = "trade"
    serializer_class = serializers.QuoteSerializer
    filterset_class = QuoteFilter
    ordering_fields = ["created_at", "valid_until", "status"]

    def get_queryset(self):
        return quotes_for(self.request.user)

    def _respond(self, quote):
        fresh = self.get_queryset().get(pk=quote.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        summary="Accept a quote",
        description=(
            "The buyer takes the quote: the inquiry is accepted, other open quotes lapse and a "
            "shipment draft is opened for the enterprise, with the readiness check for the "
            "destination's country. An expired quote is a 409."
        ),
        request=None,
        responses={200: serializers.QuoteSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def accept(self, request, pk=None):
        quote = services.quote_accept(actor=request.user, quote=self.get_object())
        return self._respond(quote)

    @extend_schema(
        summary="Decline a quote",
        description="The buyer says no to this quote (optional `reason`); the enterprise may "
        "quote again.",
        request=serializers.TradeReasonInputSerializer,
        responses={200: serializers.QuoteSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def decline(self, request, pk=None):
        quote = self.get_object()
        data = serializers.TradeReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.quote_decline(actor=request.user, quote=quote, **data.validated_data)
        return self._respond(quote)

    @extend_schema(
        summary="Withdraw a quote",
        description="The enterprise takes back an open quote (optional `reason`).",
        request=serializers.TradeReasonInputSerializer,
        responses={200: serializers.QuoteSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def withdraw(self, request, pk=None):
        quote = self.get_object()
        data = serializers.TradeReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.quote_withdraw(actor=request.user, quote=quote, **data.validated_data)
        return self._respond(quote)


@extend_schema_view(
    list=extend_schema(
        summary="List blocked buyers",
        description="The buyers the caller's enterprises take no inquiries from.",
    ),
    retrieve=extend_schema(
        summary="Show a buyer block",
        description="One block of the caller's enterprises: the buyer, why and when.",
    ),
    destroy=extend_schema(
        summary="Unblock a buyer", description="The enterprise takes its inquiries again."
    ),
)
class BuyerBlockViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    """An enterprise's blocks. The buyer is never told: its inquiries are refused as if the
    enterprise took none."""

    serializer_class = serializers.BuyerBlockSerializer
    ordering_fields = ["created_at"]  # no scope: closed to API keys (buyers' keys never see it)

    def get_queryset(self):
        return blocks_for(self.request.user)

    @extend_schema(
        summary="Block a buyer",
        description=(
            "A member blocks a `buyer` that wrote to the enterprise (any other id is unknown). "
            "Answers 201 with the block; blocking twice is a 409."
        ),
        request=serializers.BuyerBlockInputSerializer,
        responses={201: serializers.BuyerBlockSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = serializers.BuyerBlockInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        enterprise = acting_enterprise(request, values.get("enterprise"))
        buyer = Buyer.objects.filter(pk=values["buyer"], inquiries__enterprise=enterprise).first()
        if buyer is None:
            raise unknown_id("buyer", values["buyer"])
        block = block_services.buyer_block(
            actor=request.user, enterprise=enterprise, buyer=buyer, reason=values["reason"]
        )
        fresh = self.get_queryset().get(pk=block.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        block_services.buyer_unblock(actor=self.request.user, block=instance)


router = SimpleRouter()
router.register("inquiries", InquiryViewSet, basename="inquiry")
router.register("quotes", QuoteViewSet, basename="quote")
router.register("buyer-blocks", BuyerBlockViewSet, basename="buyer-block")

urlpatterns = router.urls
