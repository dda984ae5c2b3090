"""Thin views: parse, call a service or selector, serialize. Transitions are POST actions."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from agri_platform.api.views import ApiReadOnlyViewSet
from enterprises.selectors import enterprise_for_caller

from . import selectors, serializers, services
from .filters import FinancingOfferFilter, FinancingRequestFilter
from .money import offer_total_cost


def sort_by_total_cost(offers) -> list:
    return sorted(offers, key=lambda o: (offer_total_cost(o), o.rate_percent, o.created_at, o.pk))


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
        enterprise = enterprise_for_caller(request.user, values.pop("enterprise", None))
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

    @extend_schema(
        methods=["GET"], request=None, responses={200: serializers.DocumentSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": serializers.DocumentInputSerializer},
        responses={201: serializers.DocumentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        filterset_class=None,
        parser_classes=[MultiPartParser],
    )
    def documents(self, request, pk=None):
        financing_request = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            documents = selectors.documents_of(financing_request)
            return Response(
                serializers.DocumentSerializer(documents, many=True, context=context).data
            )
        data = serializers.DocumentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.document_add(
            actor=request.user,
            financing_request=financing_request,
            upload=data.validated_data["file"],
            title=data.validated_data["title"],
        )
        return Response(
            serializers.DocumentSerializer(document, context=context).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: serializers.OfferSerializer(many=True)},
        description="Offers side by side, cheapest total cost first (docs/finance.md has the "
        "formula). A partner sees only its own offers.",
    )
    @extend_schema(
        methods=["POST"],
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
