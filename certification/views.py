from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound as DrfNotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response

from agri_platform.accounts.choices import PartnerKind
from agri_platform.accounts.models import User
from agri_platform.api.documents import DocumentDownloadMixin, DocumentUploadMixin
from agri_platform.api.errors import ValidationFailed
from agri_platform.api.permissions import staff_role_permission
from agri_platform.api.serializers import unknown_id
from agri_platform.api.tenancy import acting_enterprise
from agri_platform.api.throttling import PublicLookupThrottle
from agri_platform.api.views import ApiReadOnlyViewSet, ApiView, ApiViewSet
from enterprises.models import Product

from . import numbers, selectors, services
from .document_check import check_document_upload
from .filters import (
    ApplicationFilter,
    CertificateFilter,
    MarketRequirementFilter,
    ReviewQueueFilter,
)
from .models import Certificate
from .public_documents import pdf_response
from .serializers import (
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationDocumentSerializer,
    ApplicationSerializer,
    ApplicationUpdateSerializer,
    ApproveInputSerializer,
    AssignInputSerializer,
    CertificateSerializer,
    CertificateVerificationSerializer,
    ClaimInputSerializer,
    CommentInputSerializer,
    DocumentCheckInputSerializer,
    DocumentCheckSerializer,
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


class ReviewersOrCertificationBodies(BasePermission):
    """Staff reviewers and officers, or the people and keys of a certification body: the workflow
    then checks that the application is routed to that body."""

    def has_permission(self, request, view):
        user = request.user
        if user and user.is_authenticated and user.partner_id:
            return user.partner.kind == PartnerKind.CERTIFICATION_BODY
        return Reviewers().has_permission(request, view)

    @property
    def message(self):
        return Reviewers().message


# --- catalogue --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List certification schemes",
        description=(
            "The catalogue of certification schemes an enterprise can apply for with their level, "
            "required documents and review time. Any signed-in caller; partner keys need "
            "`certification:read`. Filter by `level`."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a certification scheme",
        description="One scheme by its code, with the documents an application must carry.",
    ),
)
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


@extend_schema_view(
    list=extend_schema(
        summary="List market requirements",
        description=(
            "What a destination asks of a product: a certification scheme or a shipment document, "
            "by destination country or group and HS prefix, with its source. Kept by platform "
            "staff; data to keep current, not legal advice. Any signed-in caller; partner keys need"
            " `certification:read`."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a market requirement",
        description="One market requirement with its note and source.",
    ),
)
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
    list=extend_schema(
        summary="List certification applications",
        description=(
            "Applications of the caller's enterprises (platform staff: all; a certification body: "
            "the submitted applications of the schemes it certifies, never drafts; partner keys "
            "need `certification:read`), newest first. Filter "
            "by status, scheme, enterprise, reviewer and dates; `search` matches the enterprise's "
            "name and the scheme code."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a certification application",
        description=(
            "One application with its scope, documents, status, the actions the caller may take now"
            " (`allowed_actions`) and, once approved, its certificate. Another tenant's is a 404."
        ),
    ),
    create=extend_schema(
        summary="Start a certification application",
        description=(
            "A member of a verified enterprise drafts an application for a scheme, with the "
            "products and production bases in scope. Answers 201 with the draft (status `draft`); "
            "upload the scheme's documents next, then submit. Name the `enterprise` when the caller"
            " belongs to more than one."
        ),
    ),
    partial_update=extend_schema(
        summary="Update a draft application",
        description=(
            "The enterprise's members change the scope of a `draft` or `changes_requested` "
            "application. Another status is a 409."
        ),
    ),
    submit=extend_schema(
        summary="Submit an application for review",
        description=(
            "Sends a `draft` application to the platform's reviewers (or resubmits one after "
            "changes were requested). Checks that the enterprise is verified and that every "
            "document the scheme requires is uploaded: a missing one is a 400 naming it. Answers "
            "the application, now `submitted`, with its review deadline. Members of the enterprise."
        ),
    ),
    withdraw=extend_schema(
        summary="Withdraw an application",
        description=(
            "The enterprise's members withdraw an application not yet decided, with an optional "
            "comment. A decided one is a 409."
        ),
    ),
    claim=extend_schema(
        summary="Claim an application for review",
        description=(
            "A platform reviewer or officer, or the certification body the scheme is routed to "
            "(its people; keys need `certification:write`), takes a submitted application: it "
            "becomes `under_review` with the caller as reviewer."
        ),
    ),
    assign=extend_schema(
        summary="Assign an application to a reviewer",
        description=(
            "A platform officer hands a submitted or under-review application to the `reviewer` "
            "named (a user id)."
        ),
    ),
    request_changes=extend_schema(
        summary="Ask the enterprise for changes",
        description=(
            "The reviewer sends the application back with a `comment` the enterprise sees; it "
            "becomes `changes_requested` until the enterprise resubmits. Platform reviewers and "
            "officers, or the certification body the scheme is routed to."
        ),
    ),
    approve=extend_schema(
        summary="Approve an application",
        description=(
            "The reviewer approves and the platform issues the certificate; its number is in "
            "`certificate`. `issue_date` (optional, default today) may be earlier, not before the "
            "last submission. Platform reviewers and officers, or the certification body the "
            "scheme is routed to (the certificate records the person as `issued_by`)."
        ),
    ),
    reject=extend_schema(
        summary="Reject an application",
        description=(
            "The reviewer rejects with a `reason` the enterprise sees. Platform reviewers and "
            "officers, or the certification body the scheme is routed to."
        ),
    ),
    notes=extend_schema(
        summary="Add an internal review note",
        description=(
            "Platform reviewers and officers, or the certification body the scheme is routed to, "
            "add a note to the timeline that the enterprise never sees. Answers 201 with the "
            "timeline entry."
        ),
    ),
    timeline=extend_schema(
        summary="Show an application's timeline",
        description=(
            "Every step, oldest first: who, when, from which status to which, and the comment. "
            "Internal notes only for platform staff and the certification body."
        ),
    ),
)
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
        "claim": ReviewersOrCertificationBodies,
        "request_changes": ReviewersOrCertificationBodies,
        "approve": ReviewersOrCertificationBodies,
        "reject": ReviewersOrCertificationBodies,
        "notes": ReviewersOrCertificationBodies,
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
        enterprise = acting_enterprise(request, data.get("enterprise"))
        scheme = selectors.schemes_for(request.user).filter(code=data["scheme"]).first()
        if scheme is None:
            raise ValidationFailed(
                _("Unknown scheme %(code)s.") % {"code": data["scheme"]}, field="scheme"
            )
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

    @extend_schema(request=ApproveInputSerializer, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve and issue the certificate (its number is in `certificate`)."""
        data = self._input(ApproveInputSerializer)
        certificate = services.application_approve(
            actor=request.user,
            application=self.get_object(),
            comment=data["comment"],
            note=data["note"],
            issue_date=data["issue_date"],
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


@extend_schema_view(
    list=extend_schema(
        summary="List the review queue",
        description=(
            "Platform reviewers and officers: applications waiting for staff (submitted, under "
            "review), oldest submission first, with their review deadline. `status` shows another "
            "stage; `search` matches the enterprise's name and the scheme code."
        ),
    ),
)
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
    list=extend_schema(
        summary="List an application's documents",
        description=(
            "The documents uploaded to the application: kind, file name, size, type and SHA-256. "
            "Whoever may see the application."
        ),
    ),
    retrieve=extend_schema(
        summary="Show an application document",
        description="One document's details; `download` returns the file itself.",
    ),
    create=extend_schema(
        summary="Upload an application document",
        description=(
            "Members of the enterprise upload a file (multipart, field `file`) of a `kind` while "
            "the application is a draft or changes are requested. PDF, JPEG or PNG judged from the "
            "content, at most 20 MB: another type is a 415, a larger file a 413. Answers 201 with "
            "the document."
        ),
    ),
    destroy=extend_schema(
        summary="Remove an application document",
        description=(
            "Members of the enterprise remove a document while the application is a draft or "
            "changes are requested (else 409). Answers 204."
        ),
    ),
    download=extend_schema(
        summary="Download an application document",
        description=(
            "The file as uploaded, with its stored content type, as an attachment. Whoever may see "
            "the application."
        ),
    ),
)
@extend_schema_view(
    create=extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: ApplicationDocumentSerializer},
    ),
)
class ApplicationDocumentViewSet(
    DocumentDownloadMixin,
    DocumentUploadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    ApiViewSet,
):
    """Documents of an application: PDF, JPEG or PNG judged from the content, at most 20 MB,
    SHA-256 kept. Added and removed while the application is a draft or changes are requested."""

    serializer_class = ApplicationDocumentSerializer
    upload_serializer_class = DocumentUploadSerializer
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

    def get_document_owner(self):
        return self._application()

    def add_document(self, *, owner, upload, **labels):
        return services.document_add(
            actor=self.request.user, application=owner, upload=upload, **labels
        )

    def destroy(self, request, *args, **kwargs):
        services.document_remove(actor=request.user, document=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- certificates -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List certificates",
        description=(
            "Certificates of the caller's enterprises (platform staff: all; a certification body: "
            "those of the schemes it certifies): number, scheme, scope,"
            " validity and status. Filter by status, scheme and expiry; `search` matches the number"
            " and the enterprise's name."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a certificate",
        description="One certificate; another tenant's is a 404.",
    ),
    suspend=extend_schema(
        summary="Suspend a certificate",
        description=(
            "Platform reviewers and officers suspend an active certificate with a `reason`; it "
            "stops counting as valid until reinstated."
        ),
    ),
    reinstate=extend_schema(
        summary="Reinstate a certificate",
        description=(
            "Platform reviewers and officers make a suspended certificate active again, with a "
            "`reason`."
        ),
    ),
    revoke=extend_schema(
        summary="Revoke a certificate",
        description=(
            "Platform reviewers and officers revoke a certificate for good, with a `reason`."
        ),
    ),
    renew=extend_schema(
        summary="Start a certificate renewal",
        description=(
            "Members of the enterprise start a renewal: a draft application for the same scheme and"
            " scope, linked to this certificate (201). Upload the documents and submit it as usual."
        ),
    ),
)
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
        return Response(CertificateSerializer(certificate, context={"request": self.request}).data)

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

    @extend_schema(
        request=None,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        summary="Download the certificate's PDF",
        description=(
            "The current bilingual PDF (issued with the certificate; for an older certificate, "
            "issued now). Its SHA-256 is `pdf_sha256`. The certificate's readers only."
        ),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def pdf(self, request, pk=None):
        certificate = self.get_object()
        return pdf_response(certificate, services.certificate_pdf_issue(certificate))

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


@extend_schema_view(
    get=extend_schema(
        summary="Verify a certificate number",
        description=(
            "Public, no login: checks a certificate number and answers holder, scheme, scope, "
            "validity and status, nothing else. An unknown number is a 404. Throttled per client "
            "address."
        ),
    )
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
            raise DrfNotFound(_("No certificate with this number."))
        data = CertificateVerificationSerializer.from_certificate(certificate)
        return Response(CertificateVerificationSerializer(data).data)


@extend_schema_view(
    post=extend_schema(
        summary="Check a document against the platform's registry",
        description=(
            "Public, no login: upload a PDF (multipart `file`, at most 20 MB) and learn whether it "
            "is exactly a certificate PDF the platform issued (with the certificate's public facts "
            "and its status now) or, given the shipment's `tracking_token` (or tracking link), one "
            "of that shipment's documents. Only the SHA-256 is compared; the file is not stored. A "
            "wrong tracking token answers like a file that is not found. 415 for anything but a "
            "PDF. Throttled per client address."
        ),
    )
)
class DocumentCheckView(ApiView):
    """The document check of `/verify/document/`, for partners' engineers."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicLookupThrottle]
    parser_classes = [MultiPartParser]
    serializer_class = DocumentCheckSerializer

    @extend_schema(
        request={"multipart/form-data": DocumentCheckInputSerializer},
        responses=DocumentCheckSerializer,
        auth=[],
    )
    def post(self, request):
        data = DocumentCheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        check = check_document_upload(
            data.validated_data["file"], tracking_link=data.validated_data["tracking_token"]
        )
        return Response(DocumentCheckSerializer(DocumentCheckSerializer.from_check(check)).data)


# --- readiness --------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="Check export readiness",
        description=(
            "For the `product` ids and a `destination` country: which certificates and shipment "
            "documents the market requires, and for each whether it is met (by which certificate, "
            "valid through `date`), expiring before it, or missing. Shipment documents show as "
            "missing here: they are judged per shipment at dispatch. Members of the enterprise and "
            "platform staff; partner keys need `certification:read`."
        ),
    )
)
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
        enterprise = acting_enterprise(request, enterprise_id)
        readiness = selectors.readiness_for(
            enterprise=enterprise,
            product_ids=product_ids,
            destination_code=data["destination"],
            on_date=data.get("date") or timezone.localdate(),
        )
        return Response(ReadinessSerializer(readiness).data)
