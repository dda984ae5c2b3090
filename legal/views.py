"""Thin views for legal cases: parse, call a service or selector, serialize."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from agri_platform.api.documents import DocumentDownloadMixin, documents_action
from agri_platform.api.parsers import JSONParser
from agri_platform.api.tenancy import acting_enterprise
from agri_platform.api.views import ApiReadOnlyViewSet, ApiViewSet

from . import selectors, serializers, services
from .filters import LegalRequestFilter


@extend_schema_view(
    list=extend_schema(
        summary="List legal cases",
        description=(
            "Cases of the caller's enterprises, those assigned to the caller's law firm, or "
            "(platform staff) all. Filter by status, kind and deadline; `search` matches title, "
            "description, trademark and the enterprise's name. Partner keys need `legal:read`."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a legal case",
        description=(
            "One case with its status, law firm, deadline, resolution and the actions the caller "
            "may take now. One the caller may not see is a 404."
        ),
    ),
    create=extend_schema(
        summary="File a legal case",
        description=(
            "A member of an enterprise asks for legal help: contract review, a trade dispute, a "
            "trademark registration (with the `trademark` and its Madrid designations) and more, "
            "with a title, a description and an optional deadline. Answers 201 with the case, "
            "`submitted`; a platform officer assigns a law firm next. Name the `enterprise` when "
            "the caller belongs to more than one."
        ),
    ),
    assign=extend_schema(
        summary="Assign a law firm",
        description="A platform officer assigns (or reassigns) a partner law `firm` to the case.",
    ),
    start=extend_schema(
        summary="Start work on a legal case",
        description="The assigned law firm takes the case up: it becomes `in_progress`.",
    ),
    await_client=extend_schema(
        summary="Wait for the enterprise",
        description=(
            "The assigned law firm says it needs something from the enterprise (documents, a "
            "decision), with a `reason` the enterprise sees."
        ),
    ),
    resolve=extend_schema(
        summary="Resolve a legal case",
        description=(
            "The assigned law firm records how the case was resolved (`resolution`, required)."
        ),
    ),
    close=extend_schema(
        summary="Close a legal case",
        description=(
            "The enterprise's members (or a platform officer) close a resolved case; its thread "
            "becomes read-only."
        ),
    ),
    withdraw=extend_schema(
        summary="Withdraw a legal case",
        description="The enterprise's members withdraw an open case, with an optional `reason`.",
    ),
    designation=extend_schema(
        summary="Update a Madrid designation",
        description=(
            "For a trademark case, the assigned law firm records the status of the registration in "
            "one designated `country` (requested, filed, registered, refused...) with a note. "
            "Answers the designation."
        ),
    ),
)
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
        enterprise = acting_enterprise(request, values.pop("enterprise", None))
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

    documents = documents_action(
        owner_name="case",
        listed=selectors.documents_of,
        add=services.document_add,
        serializer=serializers.AttachmentSerializer,
        input_serializer=serializers.LegalDocumentInputSerializer,
        list_summary="List a legal case's documents",
        list_description="Files attached to the case (contracts, evidence, filings). The "
        "enterprise, its assigned law firm and platform staff.",
        upload_summary="Attach a document to a legal case",
        upload_description="The enterprise's members or the assigned law firm upload a file "
        "(multipart: `file`, optional `title`). Answers 201 with the document.",
    )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={200: serializers.MessageSerializer(many=True)},
        summary="Read a legal case's thread",
        description="The messages between the enterprise and its law firm, oldest first, "
        "paginated. Internal notes reach only their law firm and platform staff.",
    )
    @extend_schema(
        methods=["POST"],
        summary="Post a message on a legal case",
        description="The enterprise's members or the assigned law firm (API key with "
        "`legal:write`) write to the case thread (JSON, or multipart with attachments). The law "
        "firm may mark a message `is_internal`: a note the enterprise never sees. Answers 201 "
        "with the message; a case whose status takes no messages (closed) is a 409.",
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


class LegalAttachmentViewSet(DocumentDownloadMixin, ApiViewSet):
    """`GET requests/{request_pk}/documents/{pk}/download/`: the file, for whoever sees the request
    (its enterprise, the partners it reaches, staff); 404 for anyone else."""

    scope_prefix = "legal"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.attachments_for(self.request.user, self.kwargs.get("request_pk"))
