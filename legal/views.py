"""Thin views for legal cases: parse, call a service or selector, serialize."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from agri_platform.api.views import ApiReadOnlyViewSet
from enterprises.selectors import enterprise_for_caller

from . import selectors, serializers, services
from .filters import LegalRequestFilter


class LegalRequestViewSet(mixins.CreateModelMixin, ApiReadOnlyViewSet):
    """Legal service cases. Enterprises file; officers assign a law firm; the firm works the case."""

    scope_prefix = "legal"
    serializer_class = serializers.LegalRequestSerializer
    filterset_class = LegalRequestFilter
    search_fields = ["title", "description", "trademark", "enterprise__name_en"]
    ordering_fields = ["created_at", "deadline", "status", "kind"]

    def get_queryset(self):
        return selectors.legal_requests_for(self.request.user)

    def _respond(self, case, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=case.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    @extend_schema(
        request=serializers.LegalRequestInputSerializer,
        responses={201: serializers.LegalRequestSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = serializers.LegalRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enterprise = enterprise_for_caller(request.user, values.pop("enterprise", None))
        case = services.request_create(actor=request.user, enterprise=enterprise, **values)
        return self._respond(case, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.LegalAssignInputSerializer,
        responses={200: serializers.LegalRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        case = self.get_object()
        data = serializers.LegalAssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_assign(actor=request.user, case=case, firm=data.validated_data["firm"])
        return self._respond(case)

    @extend_schema(request=None, responses={200: serializers.LegalRequestSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        case = self.get_object()
        services.request_start(actor=request.user, case=case)
        return self._respond(case)

    @extend_schema(
        request=serializers.AwaitClientInputSerializer,
        responses={200: serializers.LegalRequestSerializer},
    )
    @action(detail=True, methods=["post"], url_path="await-client")
    def await_client(self, request, pk=None):
        case = self.get_object()
        data = serializers.AwaitClientInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_await_client(
            actor=request.user, case=case, reason=data.validated_data["reason"]
        )
        return self._respond(case)

    @extend_schema(
        request=serializers.ResolveInputSerializer,
        responses={200: serializers.LegalRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        case = self.get_object()
        data = serializers.ResolveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_resolve(
            actor=request.user, case=case, resolution=data.validated_data["resolution"]
        )
        return self._respond(case)

    @extend_schema(request=None, responses={200: serializers.LegalRequestSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self.get_object()
        services.request_close(actor=request.user, case=case)
        return self._respond(case)

    @extend_schema(
        request=serializers.LegalReasonInputSerializer,
        responses={200: serializers.LegalRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        case = self.get_object()
        data = serializers.LegalReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_withdraw(
            actor=request.user, case=case, reason=data.validated_data["reason"]
        )
        return self._respond(case)

    @extend_schema(
        request=serializers.DesignationUpdateInputSerializer,
        responses={200: serializers.DesignationSerializer},
    )
    @action(detail=True, methods=["post"])
    def designation(self, request, pk=None):
        case = self.get_object()
        data = serializers.DesignationUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        designation = services.designation_update(
            actor=request.user,
            case=case,
            country_code=data.validated_data["country"],
            status=data.validated_data["status"],
            note=data.validated_data["note"],
        )
        return Response(serializers.DesignationSerializer(designation).data)

    @extend_schema(
        methods=["GET"], request=None, responses={200: serializers.AttachmentSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": serializers.LegalDocumentInputSerializer},
        responses={201: serializers.AttachmentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        filterset_class=None,
        parser_classes=[MultiPartParser],
    )
    def documents(self, request, pk=None):
        case = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            return Response(
                serializers.AttachmentSerializer(
                    selectors.documents_of(case), many=True, context=context
                ).data
            )
        data = serializers.LegalDocumentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.document_add(
            actor=request.user,
            case=case,
            upload=data.validated_data["file"],
            title=data.validated_data["title"],
        )
        return Response(
            serializers.AttachmentSerializer(document, context=context).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: serializers.MessageSerializer(many=True)},
        description="The case thread, oldest first. Internal notes reach only their law firm "
        "and platform staff.",
    )
    @extend_schema(
        methods=["POST"],
        request={
            "application/json": serializers.MessageInputSerializer,
            "multipart/form-data": serializers.MessageInputSerializer,
        },
        responses={201: serializers.MessageSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filterset_class=None,
        parser_classes=[JSONParser, MultiPartParser],
    )
    def messages(self, request, pk=None):
        case = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            messages = selectors.messages_of(case, request.user)
            page = self.paginate_queryset(messages)
            data = serializers.MessageSerializer(page, many=True, context=context).data
            return self.get_paginated_response(data)
        data = serializers.MessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.message_post(actor=request.user, case=case, **data.validated_data)
        fresh = selectors.messages_of(case, request.user).get(pk=message.pk)
        return Response(
            serializers.MessageSerializer(fresh, context=context).data,
            status=status.HTTP_201_CREATED,
        )
