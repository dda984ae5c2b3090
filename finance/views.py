"""Thin views: parse, call a service or selector, serialize. Transitions are POST actions."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from agri_platform.api.documents import DocumentDownloadMixin, documents_action
from agri_platform.api.tenancy import acting_enterprise
from agri_platform.api.views import ApiReadOnlyViewSet, ApiViewSet

from . import selectors, serializers, services
from .filters import FinancingOfferFilter, FinancingRequestFilter
from .selectors import sort_by_total_cost


@extend_schema_view(
    list=extend_schema(
        summary="List financing requests",
        description=(
            "Requests of the caller's enterprises, those routed to the caller's partner, or "
            "(platform staff) all. Filter by status and kind; `search` matches the purpose and the "
            "enterprise's name. Partner keys need `finance:read`."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a financing request",
        description=(
            "One request with its evidence, status and the actions the caller may take now. One the"
            " caller may not see is a 404."
        ),
    ),
    create=extend_schema(
        summary="Draft a financing request",
        description=(
            "A member of a verified enterprise asks for a pre-shipment loan, export credit "
            "insurance or another kind of financing: amount, currency, term and purpose. Answers "
            "201 with the request as a `draft`; add evidence, then submit. Name the `enterprise` "
            "when the caller belongs to more than one."
        ),
    ),
    partial_update=extend_schema(
        summary="Update a draft financing request",
        description=(
            "The enterprise's members change a draft's kind, amount, currency, term or purpose. "
            "Another status is a 409."
        ),
    ),
    submit=extend_schema(
        summary="Submit a financing request",
        description=(
            "The enterprise's members send a draft to the platform's officers, who route it to "
            "partners. Answers the request, now `submitted`."
        ),
    ),
    route=extend_schema(
        summary="Route a financing request to partners",
        description=(
            "A platform officer sends a submitted request to the named bank or insurer `partners` "
            "(or `all_partners` of the right kind); they may then make offers."
        ),
    ),
    withdraw=extend_schema(
        summary="Withdraw a financing request",
        description=(
            "The enterprise's members withdraw a request before an offer is accepted, with a "
            "`reason`."
        ),
    ),
    decline=extend_schema(
        summary="Decline a financing request",
        description=(
            "A platform officer turns a request down (not eligible, or no partner will take it) "
            "with a `reason` the enterprise sees."
        ),
    ),
    disburse=extend_schema(
        summary="Record a disbursement",
        description=(
            "The partner whose offer was accepted (or a platform officer) records that the funds "
            "were paid out or the cover bound, with its `reference`."
        ),
    ),
    close=extend_schema(
        summary="Close a financing request",
        description=(
            "The partner whose offer was accepted (or a platform officer) closes a disbursed "
            "request: repaid, settled, or the policy ran its term."
        ),
    ),
    evidence=extend_schema(
        summary="Add evidence to a financing request",
        description=(
            "The enterprise's members link one of their shipments or certificates; its summary at "
            "this moment is kept with the request for the partners. Answers 201 with the evidence."
        ),
    ),
)
class FinancingRequestViewSet(mixins.CreateModelMixin, ApiReadOnlyViewSet):
    """Financing requests. Enterprises create and submit; officers route; routed partners offer."""

    scope_prefix = "finance"
    serializer_class = serializers.FinancingRequestSerializer
    filterset_class = FinancingRequestFilter
    search_fields = ["purpose", "enterprise__name_en", "enterprise__name_zh"]
    ordering_fields = ["created_at", "submitted_at", "status", "kind"]

    def get_queryset(self):
        return selectors.financing_requests_for(self.request.user)

    def _respond(self, financing_request, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=financing_request.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    @extend_schema(
        request=serializers.FinancingRequestInputSerializer,
        responses={201: serializers.FinancingRequestSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = serializers.FinancingRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enterprise = acting_enterprise(request, values.pop("enterprise", None))
        financing_request = services.request_create(
            actor=request.user, enterprise=enterprise, **values
        )
        return self._respond(financing_request, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.FinancingRequestUpdateSerializer,
        responses={200: serializers.FinancingRequestSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        financing_request = self.get_object()
        data = serializers.FinancingRequestUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.request_update(
            actor=request.user, financing_request=financing_request, **data.validated_data
        )
        return self._respond(financing_request)

    @extend_schema(request=None, responses={200: serializers.FinancingRequestSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        financing_request = services.request_submit(
            actor=request.user, financing_request=self.get_object()
        )
        return self._respond(financing_request)

    @extend_schema(
        request=serializers.RouteInputSerializer,
        responses={200: serializers.FinancingRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        financing_request = self.get_object()
        data = serializers.RouteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_route(
            actor=request.user,
            financing_request=financing_request,
            partners=data.validated_data.get("partners"),
            all_partners=data.validated_data["all_partners"],
        )
        return self._respond(financing_request)

    @extend_schema(
        request=serializers.FinanceReasonInputSerializer,
        responses={200: serializers.FinancingRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        financing_request = self.get_object()
        data = serializers.FinanceReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_withdraw(
            actor=request.user,
            financing_request=financing_request,
            reason=data.validated_data["reason"],
        )
        return self._respond(financing_request)

    @extend_schema(
        request=serializers.DeclineRequestInputSerializer,
        responses={200: serializers.FinancingRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        financing_request = self.get_object()
        data = serializers.DeclineRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_decline(
            actor=request.user,
            financing_request=financing_request,
            reason=data.validated_data["reason"],
        )
        return self._respond(financing_request)

    @extend_schema(
        request=serializers.DisburseInputSerializer,
        responses={200: serializers.FinancingRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def disburse(self, request, pk=None):
        financing_request = self.get_object()
        data = serializers.DisburseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_disburse(
            actor=request.user,
            financing_request=financing_request,
            reference=data.validated_data["reference"],
        )
        return self._respond(financing_request)

    @extend_schema(request=None, responses={200: serializers.FinancingRequestSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        services.request_close(actor=request.user, financing_request=self.get_object())
        return self._respond(self.get_object())

    @extend_schema(
        request=serializers.EvidenceInputSerializer,
        responses={201: serializers.EvidenceSerializer},
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        financing_request = self.get_object()
        data = serializers.EvidenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.evidence_add(
            actor=request.user, financing_request=financing_request, **data.validated_data
        )
        return Response(serializers.EvidenceSerializer(item).data, status=status.HTTP_201_CREATED)

    documents = documents_action(
        owner_name="financing_request",
        listed=selectors.documents_of,
        add=services.document_add,
        serializer=serializers.DocumentSerializer,
        input_serializer=serializers.DocumentInputSerializer,
        list_summary="List a financing request's documents",
        list_description="Files attached to the request (invoices, contracts, statements). "
        "Whoever may see the request.",
        upload_summary="Attach a document to a financing request",
        upload_description="The enterprise's members upload a file (multipart: `file`, "
        "`title`). Answers 201 with the document.",
    )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: serializers.OfferSerializer(many=True)},
        summary="Compare the offers on a financing request",
        description="The offers side by side, cheapest total cost first (docs/finance.md has the "
        "formula). The enterprise and platform staff see all of them, a partner only its own; "
        "partner keys need `finance:read`.",
    )
    @extend_schema(
        methods=["POST"],
        summary="Make an offer on a financing request",
        description="A bank or insurer the request was routed to (API key with `finance:write`) "
        "makes an offer: amount, rate, fees, term and validity. Answers 201 with the offer; "
        "posting the same `external_reference` again answers 200 with the stored offer instead "
        "of a second one (safe to retry). A request not open for offers is a 409.",
        request=serializers.OfferInputSerializer,
        responses={
            201: serializers.OfferSerializer,
            200: OpenApiResponse(
                serializers.OfferSerializer,
                description="Replay: an offer with this external_reference already exists.",
            ),
        },
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def offers(self, request, pk=None):
        financing_request = self.get_object()
        if request.method == "GET":
            offers = selectors.offers_for(request.user).filter(request=financing_request)
            return Response(serializers.OfferSerializer(sort_by_total_cost(offers), many=True).data)
        data = serializers.OfferInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offer, created = services.offer_create(
            actor=request.user, financing_request=financing_request, **data.validated_data
        )
        fresh = selectors.offers_for(request.user).get(pk=offer.pk)
        return Response(
            serializers.OfferSerializer(fresh).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema_view(
    list=extend_schema(
        summary="List financing offers",
        description=(
            "Offers the caller may see: a partner its own, an enterprise those on its requests, "
            "platform staff all. Filter by status and request. Partner keys need `finance:read`."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a financing offer",
        description="One offer with its terms, validity and status.",
    ),
    accept=extend_schema(
        summary="Accept a financing offer",
        description=(
            "An owner or admin of the enterprise accepts a pending offer; every other pending offer"
            " on the request is declined at the same moment. An offer past its validity, or a "
            "request that already accepted one, is a 409. Answers the offer, now `accepted`."
        ),
    ),
    decline=extend_schema(
        summary="Decline a financing offer",
        description=(
            "The enterprise's members decline a pending offer, with an optional `reason` the "
            "partner sees."
        ),
    ),
)
class FinancingOfferViewSet(ApiReadOnlyViewSet):
    """Offers: a partner sees its own, an enterprise those on its requests, staff all."""

    scope_prefix = "finance"
    serializer_class = serializers.OfferSerializer
    filterset_class = FinancingOfferFilter
    ordering_fields = ["created_at", "valid_until", "status"]

    def get_queryset(self):
        return selectors.offers_for(self.request.user)

    @extend_schema(request=None, responses={200: serializers.OfferSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        offer = services.offer_accept(actor=request.user, offer=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=offer.pk)).data)

    @extend_schema(
        request=serializers.FinanceReasonInputSerializer,
        responses={200: serializers.OfferSerializer},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        offer = self.get_object()
        data = serializers.FinanceReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.offer_decline(
            actor=request.user, offer=offer, reason=data.validated_data["reason"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=offer.pk)).data)


class FinancingDocumentViewSet(DocumentDownloadMixin, ApiViewSet):
    """`GET requests/{request_pk}/documents/{pk}/download/`: the file, for whoever sees the request
    (its enterprise, the partners it reaches, staff); 404 for anyone else."""

    scope_prefix = "finance"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.documents_for(self.request.user, self.kwargs.get("request_pk"))
