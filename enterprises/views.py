"""Thin views: parse, call a service or selector, serialize."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from agri_platform.api.errors import ValidationFailed
from agri_platform.api.permissions import staff_role_permission
from agri_platform.api.tenancy import enterprise_ids_of
from agri_platform.api.views import ApiModelViewSet, ApiReadOnlyViewSet, ApiView, ApiViewSet

from . import filters, selectors, serializers, services

Reviewer = staff_role_permission(*services.REVIEWER_ROLES)


def _enterprise_or_default(user, validated: dict):
    """The enterprise named in the input, or the caller's only enterprise."""
    enterprise = validated.pop("enterprise", None)
    if enterprise is not None:
        return enterprise
    ids = enterprise_ids_of(user)
    if len(ids) != 1:
        raise ValidationFailed(
            "Say which enterprise this is for.", field="enterprise", code="required"
        )
    return selectors.enterprises_for(user).get(pk=ids[0])


@extend_schema_view(
    create=extend_schema(
        request=serializers.EnterpriseRegisterSerializer,
        responses={201: serializers.EnterpriseSerializer},
        summary="Register an enterprise; the caller becomes its owner (status pending)",
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


class EnterpriseNestedMixin:
    """Routes under enterprises/{enterprise_pk}/: another tenant's enterprise is a 404 throughout."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.enterprise = get_object_or_404(
            selectors.enterprises_for(request.user), pk=kwargs.get("enterprise_pk")
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
    create=extend_schema(
        request=serializers.InvitationCreateSerializer,
        responses={201: serializers.InvitationCreatedSerializer},
        summary="Invite an e-mail address with a role (owners and admins)",
    ),
    destroy=extend_schema(summary="Revoke an open invitation", responses={204: None}),
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
        enterprise = _enterprise_or_default(request.user, values)
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
        enterprise = _enterprise_or_default(request.user, values)
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
