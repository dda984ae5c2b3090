"""Thin views: parse, call a service or selector, serialize."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from agri_platform.api.documents import DocumentDownloadMixin, documents_action
from agri_platform.api.permissions import staff_role_permission
from agri_platform.api.tenancy import acting_enterprise
from agri_platform.api.views import ApiModelViewSet, ApiReadOnlyViewSet, ApiView, ApiViewSet

from . import filters, selectors, serializers, services

Reviewer = staff_role_permission(*services.REVIEWER_ROLES)


@extend_schema_view(
    list=extend_schema(
        summary="List enterprises",
        description=(
            "Platform staff see every enterprise; anyone else the enterprises they belong to. "
            "Filter by status, category and prefecture; `search` matches names and the USCC."
        ),
    ),
    retrieve=extend_schema(
        summary="Show an enterprise",
        description=(
            "One enterprise the caller may see (another tenant's is a 404): profile, verification "
            "status and history fields."
        ),
    ),
    create=extend_schema(
        summary="Register an enterprise",
        description=(
            "Any signed-in person registers an exporting enterprise by its USCC (unified social "
            "credit code); the caller becomes its owner and the enterprise starts `pending` until "
            "platform reviewers verify it. Answers 201 with the enterprise. A USCC already "
            "registered is a 409."
        ),
    ),
    partial_update=extend_schema(
        summary="Update an enterprise profile",
        description=(
            "The enterprise's owners and admins change its profile; the USCC is fixed at "
            "registration (sending it is a 400). Answers the enterprise."
        ),
    ),
    verify=extend_schema(
        summary="Verify an enterprise",
        description=(
            "Platform reviewers and officers verify a `pending` enterprise; it may then apply for "
            "certificates, book shipments and ask for finance. Another status is a 409."
        ),
    ),
    reject=extend_schema(
        summary="Reject an enterprise",
        description=(
            "Platform reviewers and officers reject a `pending` enterprise with a `reason` the "
            "enterprise sees. Another status is a 409."
        ),
    ),
    suspend=extend_schema(
        summary="Suspend an enterprise",
        description=(
            "Platform reviewers and officers suspend a `verified` enterprise with a `reason`; it "
            "can no longer start new applications, shipments or financing. Another status is a 409."
        ),
    ),
    reinstate=extend_schema(
        summary="Reinstate an enterprise",
        description=(
            "Platform reviewers and officers make a `suspended` enterprise `verified` again. "
            "Another status is a 409."
        ),
    ),
    resubmit=extend_schema(
        summary="Resubmit an enterprise for verification",
        description=(
            "The owners and admins of a `rejected` enterprise, having fixed its profile, send it "
            "back to `pending`. Another status is a 409."
        ),
    ),
)
@extend_schema_view(
    create=extend_schema(
        request=serializers.EnterpriseRegisterSerializer,
        responses={201: serializers.EnterpriseSerializer},
    ),
    partial_update=extend_schema(
        request=serializers.EnterpriseUpdateSerializer,
        responses={200: serializers.EnterpriseSerializer},
    ),
)
class EnterpriseViewSet(ApiModelViewSet):
    """Enterprises: staff see all, members see theirs. Verification is a workflow of actions."""

    serializer_class = serializers.EnterpriseSerializer
    filterset_class = filters.EnterpriseFilter
    search_fields = ["name_zh", "name_en", "uscc"]
    ordering_fields = ["name_zh", "name_en", "created_at"]
    ordering = ["name_zh", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.enterprises_for(self.request.user)

    def create(self, request, *args, **kwargs):
        data = serializers.EnterpriseRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enterprise = services.enterprise_register(user=request.user, **data.validated_data)
        enterprise = self.get_queryset().get(pk=enterprise.pk)
        return Response(self.get_serializer(enterprise).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        enterprise = self.get_object()
        data = serializers.EnterpriseUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.enterprise_update(enterprise=enterprise, user=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=enterprise.pk)).data)

    def _act(self, service, **arguments):
        enterprise = self.get_object()
        service(enterprise=enterprise, **arguments)
        return Response(self.get_serializer(self.get_queryset().get(pk=enterprise.pk)).data)

    def _reason(self) -> str:
        data = serializers.ReasonSerializer(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data.get("reason", "")

    @extend_schema(request=None, responses={200: serializers.EnterpriseSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, Reviewer])
    def verify(self, request, pk=None):
        """pending → verified (reviewers and officers)."""
        return self._act(services.enterprise_verify, reviewer=request.user)

    @extend_schema(
        request=serializers.ReasonSerializer, responses={200: serializers.EnterpriseSerializer}
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, Reviewer])
    def reject(self, request, pk=None):
        """pending → rejected, with a reason (reviewers and officers)."""
        return self._act(services.enterprise_reject, reviewer=request.user, reason=self._reason())

    @extend_schema(
        request=serializers.ReasonSerializer, responses={200: serializers.EnterpriseSerializer}
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, Reviewer])
    def suspend(self, request, pk=None):
        """verified → suspended, with a reason (reviewers and officers)."""
        return self._act(services.enterprise_suspend, reviewer=request.user, reason=self._reason())

    @extend_schema(
        request=serializers.ReasonSerializer, responses={200: serializers.EnterpriseSerializer}
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, Reviewer])
    def reinstate(self, request, pk=None):
        """suspended → verified (reviewers and officers)."""
        return self._act(
            services.enterprise_reinstate, reviewer=request.user, reason=self._reason()
        )

    @extend_schema(request=None, responses={200: serializers.EnterpriseSerializer})
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """rejected → pending, after the owner or an admin has fixed the profile."""
        return self._act(services.enterprise_resubmit, user=request.user)

    documents = documents_action(
        owner_name="enterprise",
        listed=selectors.documents_of,
        add=services.enterprise_document_add,
        serializer=serializers.EnterpriseDocumentSerializer,
        input_serializer=serializers.EnterpriseDocumentUploadSerializer,
        list_summary="List an enterprise's documents",
        list_description="The enterprise's own documents (its business licence), newest first. "
        "Its members and platform staff.",
        upload_summary="Upload an enterprise document",
        upload_description="An owner or admin uploads the business licence (multipart: `file`, "
        "optional `kind`, `business_licence` by default). PDF, JPEG or PNG, judged from the "
        "content. Answers 201 with the document; another member is a 403.",
    )


class EnterpriseDocumentViewSet(DocumentDownloadMixin, ApiViewSet):
    """`GET enterprises/{enterprise_pk}/documents/{pk}/download/`: the file, for the enterprise's
    members and staff; 404 for anyone else."""

    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.enterprise_documents_for(self.request.user).filter(
            enterprise_id=self.kwargs.get("enterprise_pk")
        )


class EnterpriseNestedMixin:
    """Routes under enterprises/{enterprise_pk}/: another tenant's enterprise is a 404 throughout."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.enterprise = get_object_or_404(
            selectors.enterprises_for(request.user), pk=kwargs.get("enterprise_pk")
        )


@extend_schema_view(
    list=extend_schema(
        summary="List an enterprise's members",
        description=(
            "The people of the enterprise and their roles (owner, admin, member). Any member, and "
            "platform staff; another enterprise is a 404."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a member",
        description="One membership of the enterprise. Same callers as the list.",
    ),
    partial_update=extend_schema(
        summary="Change a member's role",
        description=(
            "Owners and admins change a member's role; only an owner grants or takes the owner "
            "role. Answers the membership."
        ),
    ),
    destroy=extend_schema(
        summary="Remove a member",
        description=(
            "Owners and admins remove a member; any member may remove themselves (leave). The last "
            "owner cannot leave (409). Answers 204."
        ),
    ),
)
@extend_schema_view(
    partial_update=extend_schema(
        request=serializers.MemberRoleSerializer, responses={200: serializers.MemberSerializer}
    ),
)
class MemberViewSet(
    EnterpriseNestedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    """Members of an enterprise. Owners and admins change roles and remove; anyone may leave."""

    serializer_class = serializers.MemberSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]
    search_fields = ["user__email", "user__full_name"]
    ordering_fields = ["created_at", "role"]
    filterset_fields = ["role"]

    def get_queryset(self):
        return selectors.memberships_for(self.request.user, self.kwargs.get("enterprise_pk"))

    def partial_update(self, request, *args, **kwargs):
        membership = self.get_object()
        data = serializers.MemberRoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.member_change_role(
            membership=membership, actor=request.user, role=data.validated_data["role"]
        )
        return Response(self.get_serializer(membership).data)

    def perform_destroy(self, instance):
        services.member_remove(membership=instance, actor=self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List an enterprise's invitations",
        description=(
            "Open, accepted, expired and revoked invitations of the enterprise. Its owners and "
            "admins."
        ),
    ),
    retrieve=extend_schema(
        summary="Show an invitation",
        description="One invitation of the enterprise (never its token). Its owners and admins.",
    ),
    create=extend_schema(
        summary="Invite someone to an enterprise",
        description=(
            "Owners and admins invite an e-mail address with a role. Answers 201 with the "
            "invitation and its `token`, shown this once; the invited person accepts with `POST "
            "/api/v1/invitations/accept/`."
        ),
    ),
    destroy=extend_schema(
        summary="Revoke an invitation",
        description=(
            "Owners and admins revoke an open invitation; its token stops working. Answers 204."
        ),
    ),
)
@extend_schema_view(
    create=extend_schema(
        request=serializers.InvitationCreateSerializer,
        responses={201: serializers.InvitationCreatedSerializer},
    ),
    destroy=extend_schema(responses={204: None}),
)
class InvitationViewSet(
    EnterpriseNestedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    """Invitations of an enterprise, for its owners and admins."""

    serializer_class = serializers.InvitationSerializer
    shown_once_fields = ("token",)  # the invitation token never waits in the idempotency store
    http_method_names = ["get", "post", "delete", "head", "options"]
    search_fields = ["email"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return selectors.invitations_for(self.request.user, self.kwargs.get("enterprise_pk"))

    def create(self, request, *args, **kwargs):
        data = serializers.InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation, token = services.member_invite(
            enterprise=self.enterprise, inviter=request.user, **data.validated_data
        )
        invitation.token = token
        return Response(
            serializers.InvitationCreatedSerializer(invitation).data,
            status=status.HTTP_201_CREATED,
        )

    def perform_destroy(self, instance):
        services.invitation_revoke(invitation=instance, actor=self.request.user)


@extend_schema_view(
    post=extend_schema(
        summary="Accept an invitation",
        description=(
            "The invited person, signed in with the invited e-mail address, posts the invitation "
            "token and becomes a member with the invited role (201). No open invitation for this "
            "account and token is a 404; an expired or used one, or an existing membership, a 409."
        ),
    )
)
class InvitationAcceptView(ApiView):
    """Accept an invitation: sign in with the invited address and post the token."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=serializers.InvitationAcceptSerializer,
        responses={
            201: serializers.MemberSerializer,
            404: OpenApiResponse(description="No open invitation for this account and token"),
            409: OpenApiResponse(description="Expired, already used, or already a member"),
        },
    )
    def post(self, request):
        data = serializers.InvitationAcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.member_accept(token=data.validated_data["token"], user=request.user)
        return Response(
            serializers.MemberSerializer(membership).data, status=status.HTTP_201_CREATED
        )


class _EnterpriseDataViewSet(ApiModelViewSet):
    """Shared by production bases and products: create/update/delete through services."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _write_response(self, obj, status_code=status.HTTP_200_OK):
        return Response(
            self.get_serializer(self.get_queryset().get(pk=obj.pk)).data, status=status_code
        )


@extend_schema_view(
    list=extend_schema(
        summary="List production bases",
        description=(
            "Orchards, farms, processing plants, packhouses and cold stores of the caller's "
            "enterprises (platform staff: all). Area is stored in m²."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a production base",
        description="One production base of the caller's enterprises; another tenant's is a 404.",
    ),
    create=extend_schema(
        summary="Add a production base",
        description=(
            "Any member of the enterprise adds a base. Give the area in m² (`area_m2`) or in mu "
            "(`area_mu`, 1 mu = 666.67 m²). Name the `enterprise` when the caller belongs to more "
            "than one. Answers 201 with the base."
        ),
    ),
    partial_update=extend_schema(
        summary="Update a production base",
        description="Any member of the enterprise changes the fields sent. Answers the base.",
    ),
    destroy=extend_schema(
        summary="Delete a production base",
        description=(
            "Any member of the enterprise deletes a base; one that other records still refer to "
            "is a 409. Answers 204."
        ),
    ),
)
@extend_schema_view(
    create=extend_schema(
        request=serializers.ProductionBaseInputSerializer,
        responses={201: serializers.ProductionBaseSerializer},
    ),
    partial_update=extend_schema(
        request=serializers.ProductionBaseUpdateSerializer,
        responses={200: serializers.ProductionBaseSerializer},
    ),
)
class ProductionBaseViewSet(_EnterpriseDataViewSet):
    """Orchards, farms, plants, packhouses and cold stores. Area in mu or m² (stored m²)."""

    serializer_class = serializers.ProductionBaseSerializer
    filterset_class = filters.ProductionBaseFilter
    search_fields = ["name", "county"]
    ordering_fields = ["name", "created_at", "area_m2", "annual_capacity_t"]
    ordering = ["enterprise_id", "name", "id"]

    def get_queryset(self):
        return selectors.production_bases_for(self.request.user)

    def create(self, request, *args, **kwargs):
        data = serializers.ProductionBaseInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        named = values.pop("enterprise", None)
        enterprise = acting_enterprise(request, named.pk if named else None)
        base = services.production_base_create(enterprise=enterprise, user=request.user, **values)
        return self._write_response(base, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        base = self.get_object()
        data = serializers.ProductionBaseUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        base = services.production_base_update(base=base, user=request.user, **data.validated_data)
        return self._write_response(base)

    def perform_destroy(self, instance):
        services.production_base_delete(base=instance, user=self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List products",
        description=(
            "Products of the caller's enterprises (platform staff: all) with their HS code and "
            "storage band. `search` matches names, variety and HS code."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a product",
        description="One product of the caller's enterprises; another tenant's is a 404.",
    ),
    create=extend_schema(
        summary="Add a product",
        description=(
            "Any member of the enterprise adds a product with its HS code. The storage band "
            "(temperature, humidity) defaults from the product family's cold-chain profile unless "
            "given. Name the `enterprise` when the caller belongs to more than one. Answers 201 "
            "with the product."
        ),
    ),
    partial_update=extend_schema(
        summary="Update a product",
        description="Any member of the enterprise changes the fields sent. Answers the product.",
    ),
    destroy=extend_schema(
        summary="Delete a product",
        description=(
            "Any member of the enterprise deletes a product nothing refers to (a shipment or "
            "application that does is a 409). Answers 204."
        ),
    ),
)
@extend_schema_view(
    create=extend_schema(
        request=serializers.ProductInputSerializer, responses={201: serializers.ProductSerializer}
    ),
    partial_update=extend_schema(
        request=serializers.ProductUpdateSerializer, responses={200: serializers.ProductSerializer}
    ),
)
class ProductViewSet(_EnterpriseDataViewSet):
    """Products with HS code and storage band (defaulted from the family's cold-chain profile)."""

    serializer_class = serializers.ProductSerializer
    filterset_class = filters.ProductFilter
    search_fields = ["name_zh", "name_en", "variety", "hs_code__code"]
    ordering_fields = ["name_zh", "name_en", "created_at"]
    ordering = ["enterprise_id", "name_zh", "id"]

    def get_queryset(self):
        return selectors.products_for(self.request.user)

    def create(self, request, *args, **kwargs):
        data = serializers.ProductInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        named = values.pop("enterprise", None)
        enterprise = acting_enterprise(request, named.pk if named else None)
        product = services.product_create(enterprise=enterprise, user=request.user, **values)
        return self._write_response(product, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        product = self.get_object()
        data = serializers.ProductUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        product = services.product_update(product=product, user=request.user, **data.validated_data)
        return self._write_response(product)

    def perform_destroy(self, instance):
        services.product_delete(product=instance, user=self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="Search the exporter directory",
        description=(
            "Public, no login: verified enterprises with their products, certificates in force and "
            "export markets. Contact data appears only where the enterprise chose to publish it. "
            "Filter by category, prefecture, export `market`, `hs_code` prefix and "
            "`has_valid_certificate`; `search` matches names and the USCC."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a directory entry",
        description=(
            "Public, no login: one verified enterprise's directory entry; an enterprise not in the "
            "directory is a 404."
        ),
    ),
)
class DirectoryViewSet(ApiReadOnlyViewSet):
    """Public exporter directory: verified enterprises, their products and export markets.

    No login. Contact data appears only when the enterprise chose to publish it.
    """

    permission_classes = [AllowAny]
    serializer_class = serializers.DirectoryEnterpriseSerializer
    filterset_class = filters.DirectoryFilter
    search_fields = ["name_zh", "name_en", "uscc"]
    ordering_fields = ["name_zh", "name_en", "status_changed_at"]
    ordering = ["name_zh", "id"]

    def get_queryset(self):
        return selectors.directory()
