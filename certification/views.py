from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound as DrfNotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from agri_platform.accounts.models import User
from agri_platform.api.errors import ValidationFailed
from agri_platform.api.permissions import staff_role_permission
from agri_platform.api.serializers import unknown_id
from agri_platform.api.throttling import PublicLookupThrottle
from agri_platform.api.uploads import DOCUMENT_CONTENT_TYPES
from agri_platform.api.views import ApiReadOnlyViewSet, ApiView, ApiViewSet
from agri_platform.reference.models import Country
from enterprises.models import Product
from enterprises.selectors import enterprise_for_caller, enterprises_for

from . import numbers, selectors, services
from .filters import (
    ApplicationFilter,
    CertificateFilter,
    MarketRequirementFilter,
    ReviewQueueFilter,
)
from .models import ApplicationDocument, Certificate
from .readiness import check_readiness
from .serializers import (
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationDocumentSerializer,
    ApplicationSerializer,
    ApplicationUpdateSerializer,
    AssignInputSerializer,
    CertificateSerializer,
    CertificateVerificationSerializer,
    ClaimInputSerializer,
    CommentInputSerializer,
    DocumentUploadSerializer,
    MarketRequirementSerializer,
    NoteInputSerializer,
    ReadinessQuerySerializer,
    ReadinessSerializer,
    ReasonInputSerializer,
    RejectInputSerializer,
    RequestChangesInputSerializer,
    SchemeSerializer,
    TimelineEntrySerializer,
)

Reviewers = staff_role_permission("reviewer", "officer")
Officers = staff_role_permission("officer")

DISCLAIMER = (
    "Market requirements are platform data kept current by staff, not legal advice: confirm with "
    "the importing country's authority or your customs broker before shipping."
)


def _enterprise_for_caller(user, enterprise_id: int | None, *, field: str = "enterprise"):
    """The enterprise a request is about: the given id if the caller may see it (staff: any), else
    the caller's only enterprise. Another tenant's id reads like an unknown one."""
    return enterprise_for_caller(user, enterprise_id, field=field, scope=enterprises_for)


# --- catalogue --------------------------------------------------------------------------------


class SchemeViewSet(ApiReadOnlyViewSet):
    """The certification scheme catalogue (the API map's `reference/schemes/`)."""

    serializer_class = SchemeSerializer
    scope_prefix = "certification"
    lookup_field = "code"
    lookup_value_regex = r"[-A-Za-z0-9_]+"
    search_fields = ["code", "name_en", "name_zh"]
    ordering_fields = ["code", "review_sla_days"]
    filterset_fields = ["level"]

    def get_queryset(self):
        return selectors.schemes_for(self.request.user)


class MarketRequirementViewSet(ApiReadOnlyViewSet):
    """Market requirements: destination × product → scheme or shipment document. Edited by staff
    in the admin. Data to keep current, not legal advice."""

    serializer_class = MarketRequirementSerializer
    scope_prefix = "certification"
    filterset_class = MarketRequirementFilter
    search_fields = ["note", "source", "hs_prefix"]
    ordering_fields = ["id", "destination_country", "destination_group"]

    def get_queryset(self):
        return selectors.requirements_for(self.request.user)


# --- applications -----------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(
        request=ApplicationCreateSerializer, responses={201: ApplicationDetailSerializer}
    ),
    partial_update=extend_schema(
        request=ApplicationUpdateSerializer, responses=ApplicationDetailSerializer
    ),
)
class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    ApiViewSet,
):
    """Certification applications. Enterprise members draft, edit, submit and withdraw their own;
    reviewers and officers claim, assign, request changes, approve and reject."""

    scope_prefix = "certification"
    filterset_class = ApplicationFilter
    search_fields = ["enterprise__name_zh", "enterprise__name_en", "scheme__code"]
    ordering_fields = ["id", "created_at", "submitted_at", "sla_due_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    staff_actions = {
        "claim": Reviewers,
        "request_changes": Reviewers,
        "approve": Reviewers,
        "reject": Reviewers,
        "notes": Reviewers,
        "assign": Officers,
    }

    def get_queryset(self):
        return selectors.applications_for(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return ApplicationSerializer
        return ApplicationDetailSerializer

    def get_permissions(self):
        if self.action in self.staff_actions:
            self.permission_classes = [IsAuthenticated, self.staff_actions[self.action]]
        return super().get_permissions()

    def _detail(self, application, status_code=status.HTTP_200_OK):
        application = self.get_queryset().get(pk=application.pk)
        return Response(self.get_serializer(application).data, status=status_code)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def create(self, request, *args, **kwargs):
        data = self._input(ApplicationCreateSerializer)
        enterprise = _enterprise_for_caller(request.user, data.get("enterprise"))
        scheme = selectors.schemes_for(request.user).filter(code=data["scheme"]).first()
        if scheme is None:
            raise ValidationFailed(f"Unknown scheme {data['scheme']}.", field="scheme")
        application = services.application_create(
            actor=request.user,
            enterprise=enterprise,
            scheme=scheme,
            product_ids=data["scope_products"],
            base_ids=data["scope_bases"],
            scope_note=data["scope_note"],
        )
        return self._detail(application, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        data = self._input(ApplicationUpdateSerializer)
        application = services.application_update(
            actor=request.user,
            application=self.get_object(),
            product_ids=data.get("scope_products"),
            base_ids=data.get("scope_bases"),
            scope_note=data.get("scope_note"),
        )
        return self._detail(application)

    @extend_schema(request=None, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit (or resubmit after changes were requested). Checks the scheme's required
        documents and that the enterprise is verified."""
        application = services.application_submit(actor=request.user, application=self.get_object())
        return self._detail(application)

    @extend_schema(request=CommentInputSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        data = self._input(CommentInputSerializer)
        application = services.application_withdraw(
            actor=request.user, application=self.get_object(), comment=data["comment"]
        )
        return self._detail(application)

    @extend_schema(request=ClaimInputSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        data = self._input(ClaimInputSerializer)
        application = services.application_claim(
            actor=request.user, application=self.get_object(), note=data["note"]
        )
        return self._detail(application)

    @extend_schema(request=AssignInputSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        data = self._input(AssignInputSerializer)
        reviewer = User.objects.filter(pk=data["reviewer"], is_active=True).first()
        if reviewer is None:
            raise unknown_id("reviewer", data["reviewer"])
        application = services.application_assign(
            actor=request.user, application=self.get_object(), reviewer=reviewer, note=data["note"]
        )
        return self._detail(application)

    @extend_schema(request=RequestChangesInputSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        data = self._input(RequestChangesInputSerializer)
        application = services.application_request_changes(
            actor=request.user,
            application=self.get_object(),
            comment=data["comment"],
            note=data["note"],
        )
        return self._detail(application)

    @extend_schema(request=CommentInputSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve and issue the certificate (its number is in `certificate`)."""
        data = self._input(CommentInputSerializer)
        certificate = services.application_approve(
            actor=request.user,
            application=self.get_object(),
            comment=data["comment"],
            note=data["note"],
        )
        return self._detail(certificate.application)

    @extend_schema(request=RejectInputSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = self._input(RejectInputSerializer)
        application = services.application_reject(
            actor=request.user,
            application=self.get_object(),
            reason=data["reason"],
            note=data["note"],
        )
        return self._detail(application)

    @extend_schema(request=NoteInputSerializer, responses={201: TimelineEntrySerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        """Add an internal reviewer note (never shown to the enterprise)."""
        data = self._input(NoteInputSerializer)
        entry = services.application_add_note(
            actor=request.user, application=self.get_object(), comment=data["comment"]
        )
        return Response(TimelineEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=TimelineEntrySerializer(many=True))
    # A plain list, neither paginated nor filtered (the schema said both: found by schemathesis).
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request, pk=None):
        """Every step: who, when, from, to, comment. Internal notes only for staff."""
        entries = selectors.timeline_for(self.get_object(), request.user)
        return Response(TimelineEntrySerializer(entries, many=True).data)


class ReviewQueueViewSet(mixins.ListModelMixin, ApiViewSet):
    """Staff's review queue, oldest submission first. Without `status` it shows the applications
    waiting for staff (submitted, under review)."""

    serializer_class = ApplicationSerializer
    permission_classes = [IsAuthenticated, Reviewers]
    filterset_class = ReviewQueueFilter
    search_fields = ["enterprise__name_zh", "enterprise__name_en", "scheme__code"]
    ordering_fields = ["submitted_at", "sla_due_at", "last_submitted_at", "id"]
    ordering = ["submitted_at", "id"]

    def get_queryset(self):
        return selectors.review_queue_for(self.request.user)


@extend_schema_view(
    create=extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: ApplicationDocumentSerializer},
    ),
)
class ApplicationDocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    """Documents of an application: PDF, JPEG or PNG judged from the content, at most 20 MB,
    SHA-256 kept. Added and removed while the application is a draft or changes are requested."""

    serializer_class = ApplicationDocumentSerializer
    scope_prefix = "certification"
    parser_classes = [MultiPartParser, FormParser]
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return selectors.documents_for(self.request.user, self.kwargs.get("application_pk"))

    def _application(self):
        return get_object_or_404(
            selectors.applications_for(self.request.user), pk=self.kwargs["application_pk"]
        )

    def list(self, request, *args, **kwargs):
        self._application()
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        application = self._application()
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.document_add(
            actor=request.user,
            application=application,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
        )
        return Response(
            ApplicationDocumentSerializer(document).data, status=status.HTTP_201_CREATED
        )

    def destroy(self, request, *args, **kwargs):
        services.document_remove(actor=request.user, document=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    # The stored type, sniffed at upload (schemathesis: application/pdf was undocumented).
    @extend_schema(
        responses={
            (200, content_type): OpenApiTypes.BINARY for content_type in DOCUMENT_CONTENT_TYPES
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, application_pk=None, pk=None):
        document: ApplicationDocument = self.get_object()
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )


# --- certificates -----------------------------------------------------------------------------


class CertificateViewSet(ApiReadOnlyViewSet):
    """Certificates of the caller's enterprise (staff: all). Staff suspend, reinstate and revoke
    with a reason; the enterprise starts a renewal."""

    serializer_class = CertificateSerializer
    scope_prefix = "certification"
    filterset_class = CertificateFilter
    search_fields = ["number", "enterprise__name_zh", "enterprise__name_en"]
    ordering_fields = ["issue_date", "expiry_date", "number"]
    lookup_value_regex = r"\d+"
    staff_actions = ("suspend", "reinstate", "revoke")

    def get_queryset(self):
        return selectors.certificates_for(self.request.user)

    def get_permissions(self):
        if self.action in self.staff_actions:
            self.permission_classes = [IsAuthenticated, Reviewers]
        return super().get_permissions()

    def _transition(self, service):
        serializer = ReasonInputSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        certificate = service(
            actor=self.request.user,
            certificate=self.get_object(),
            reason=serializer.validated_data["reason"],
        )
        certificate = self.get_queryset().get(pk=certificate.pk)
        return Response(CertificateSerializer(certificate).data)

    @extend_schema(request=ReasonInputSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._transition(services.certificate_suspend)

    @extend_schema(request=ReasonInputSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        return self._transition(services.certificate_reinstate)

    @extend_schema(request=ReasonInputSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return self._transition(services.certificate_revoke)

    @extend_schema(request=None, responses={201: ApplicationDetailSerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        """Start a renewal: a draft application for the same scheme and scope, linked to this
        certificate. Upload the documents and submit it as usual."""
        application = services.certificate_renew(actor=request.user, certificate=self.get_object())
        application = selectors.applications_for(request.user).get(pk=application.pk)
        return Response(
            ApplicationDetailSerializer(application, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class CertificateVerifyView(ApiView):
    """Public verification of a certificate number: holder, scheme, scope, validity, status and
    nothing else. Throttled per client address against enumeration."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicLookupThrottle]
    serializer_class = CertificateVerificationSerializer
    isolation_model = Certificate

    @extend_schema(responses=CertificateVerificationSerializer, auth=[])
    def get(self, request, number: str):
        number = numbers.normalise(number)
        certificate = (
            selectors.certificate_by_number(number) if numbers.is_well_formed(number) else None
        )
        if certificate is None:
            raise DrfNotFound("No certificate with this number.")
        data = CertificateVerificationSerializer.from_certificate(certificate)
        return Response(CertificateVerificationSerializer(data).data)


# --- readiness --------------------------------------------------------------------------------


class ReadinessView(ApiView):
    """Which certificates and shipment documents a destination requires of the products, and which
    are met (by which certificate, valid through the date), expiring before the date, or missing.
    Shipment documents are listed as missing here: they are judged per shipment at dispatch."""

    scope_prefix = "certification"
    serializer_class = ReadinessSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("enterprise", int, required=False),
            OpenApiParameter("product", int, many=True, required=True, description="Product id(s)"),
            OpenApiParameter(
                "destination",
                {"type": "string", "pattern": "^[A-Za-z]{2}$"},
                required=True,
                description="ISO alpha-2",
            ),
            OpenApiParameter("date", OpenApiTypes.DATE, required=False),
        ],
        responses=ReadinessSerializer,
    )
    def get(self, request):
        params = request.query_params
        products = [
            part.strip() for value in params.getlist("product") for part in value.split(",")
        ]
        query = ReadinessQuerySerializer(
            data={
                key: value
                for key, value in {
                    "enterprise": params.get("enterprise"),
                    "product": [p for p in products if p],
                    "destination": params.get("destination"),
                    "date": params.get("date"),
                }.items()
                if value not in (None, "")
            }
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        product_ids = sorted(set(data["product"]))
        enterprise_id = data.get("enterprise")
        if enterprise_id is None and request.user.is_platform_staff:
            first = Product.objects.filter(pk=product_ids[0]).values("enterprise_id").first()
            enterprise_id = first["enterprise_id"] if first else None
        enterprise = _enterprise_for_caller(request.user, enterprise_id)
        products = list(
            Product.objects.filter(enterprise=enterprise, pk__in=product_ids).select_related(
                "hs_code"
            )
        )
        unknown = sorted(set(product_ids) - {p.pk for p in products})
        if unknown:
            raise unknown_id("product", unknown[0])
        destination = Country.objects.filter(code=data["destination"].upper()).first()
        if destination is None:
            raise ValidationFailed(
                f"Unknown country code {data['destination']!r} (ISO 3166-1 alpha-2).",
                field="destination",
            )
        on_date = data.get("date") or timezone.localdate()
        checks = check_readiness(
            enterprise=enterprise, products=products, destination=destination, on_date=on_date
        )
        numbers_by_id = dict(
            Certificate.objects.filter(
                pk__in=[c.certificate_id for c in checks if c.certificate_id]
            ).values_list("pk", "number")
        )
        body = {
            "enterprise": enterprise.pk,
            "products": [p.pk for p in products],
            "destination": {
                "code": destination.code,
                "name_en": destination.name_en,
                "groups": destination.groups or [],
            },
            "date": on_date,
            "ready": all(check.is_met for check in checks),
            "checks": [
                {
                    "requirement_id": check.requirement_id,
                    "kind": check.kind,
                    "code": check.code,
                    "name": check.name,
                    "status": check.status,
                    "certificate": (
                        {
                            "id": check.certificate_id,
                            "number": numbers_by_id.get(check.certificate_id, ""),
                            "valid_until": check.valid_until,
                        }
                        if check.certificate_id
                        else None
                    ),
                    "valid_until": check.valid_until,
                    "alternatives": list(check.alternatives),
                    "product_ids": list(check.product_ids),
                    "note": check.note,
                }
                for check in checks
            ],
            "disclaimer": DISCLAIMER,
        }
        return Response(ReadinessSerializer(body).data)
