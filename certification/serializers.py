from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from agri_platform.api.documents import (
    DOCUMENT_FIELDS,
    DownloadUrlField,
    UploadedDocumentSerializer,
)
from agri_platform.api.serializers import RejectUnknownFieldsMixin, render_nested
from agri_platform.reference.choices import ExportCategory

from . import api_examples, selectors, services
from .choices import (
    AWAITING_STAFF_STATUSES,
    ApplicationDocumentKind,
    ApplicationStatus,
    CertificateStatus,
    DestinationGroup,
    DocumentType,
    RequirementCheckStatus,
    RequirementEffect,
    RequirementKind,
    SchemeLevel,
)
from .models import (
    Application,
    ApplicationDocument,
    Certificate,
    MarketRequirement,
    Scheme,
    TimelineEntry,
)

# --- catalogue --------------------------------------------------------------------------------


class SchemeSerializer(serializers.ModelSerializer):
    level = serializers.ChoiceField(choices=SchemeLevel.choices)
    required_documents = serializers.ListField(
        child=serializers.ChoiceField(choices=ApplicationDocumentKind.choices)
    )
    product_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=ExportCategory.choices),
        help_text="Empty: applies to every category",
    )

    class Meta:
        model = Scheme
        fields = [
            "id",
            "code",
            "name_en",
            "name_zh",
            "level",
            "issuer",
            "certificate_prefix",
            "validity_months",
            "validity_days",
            "required_documents",
            "review_sla_days",
            "product_categories",
            "description",
            "is_active",
        ]
        read_only_fields = fields


class MarketRequirementSerializer(serializers.ModelSerializer):
    destination_country = serializers.CharField(
        source="destination_country_id", allow_null=True, read_only=True
    )
    destination_group = serializers.ChoiceField(choices=DestinationGroup.choices, allow_blank=True)
    product_category = serializers.ChoiceField(choices=ExportCategory.choices, allow_blank=True)
    requirement_kind = serializers.ChoiceField(choices=RequirementKind.choices, read_only=True)
    # null for a document rule (schemathesis found the schema said string).
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    document_type = serializers.ChoiceField(choices=DocumentType.choices, allow_blank=True)

    class Meta:
        model = MarketRequirement
        fields = [
            "id",
            "destination_country",
            "destination_group",
            "product_category",
            "hs_prefix",
            "requirement_kind",
            "scheme",
            "document_type",
            "alternative_group",
            "effect",
            "note",
            "source",
            "is_active",
            "updated_at",
        ]
        read_only_fields = fields


# --- applications -----------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.full_name or user.email.split("@")[0]}


class ApplicationDocumentSerializer(UploadedDocumentSerializer):
    kind = serializers.ChoiceField(choices=ApplicationDocumentKind.choices)
    download_url = DownloadUrlField(route="cert-application-document-download", owner="application")

    class Meta:
        model = ApplicationDocument
        fields = ["id", "application", "kind", "original_name", *DOCUMENT_FIELDS]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicationDocumentKind.choices)
    file = serializers.FileField(
        help_text="PDF, JPEG or PNG (judged from the content), at most 20 MB", use_url=False
    )


class TimelineEntrySerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    # "" for entries that change no status (notes, creation): DRF drops allow_blank from read-only
    # model fields, so the schema said a status was always there (found by schemathesis).
    from_status = serializers.ChoiceField(
        choices=ApplicationStatus.choices, allow_blank=True, read_only=True
    )
    to_status = serializers.ChoiceField(
        choices=ApplicationStatus.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = TimelineEntry
        fields = [
            "id",
            "action",
            "actor",
            "from_status",
            "to_status",
            "comment",
            "internal",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_actor(self, entry):
        return person(entry.actor)


class CertificateRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class ApplicationSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name_zh", read_only=True)
    prefecture = serializers.CharField(source="enterprise.prefecture_id", read_only=True)
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    scheme_name = serializers.CharField(
        source="scheme.name", read_only=True, help_text="The scheme's name in the reader's language"
    )
    allowed_actions = serializers.SerializerMethodField()
    reviewer = serializers.SerializerMethodField()
    sla_breached = serializers.SerializerMethodField()
    certificate = serializers.SerializerMethodField()
    documents = ApplicationDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "prefecture",
            "scheme",
            "scheme_name",
            "status",
            "allowed_actions",
            "scope_products",
            "scope_bases",
            "scope_note",
            "reviewer",
            "submitted_at",
            "last_submitted_at",
            "sla_due_at",
            "sla_breached",
            "decided_at",
            "decision_reason",
            "renewal_of",
            "certificate",
            "documents",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, application):
        return services.APPLICATION_WORKFLOW.actions_for(application, context=self.context)

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_reviewer(self, application):
        return person(application.reviewer)

    @extend_schema_field(serializers.BooleanField())
    def get_sla_breached(self, application):
        return bool(
            application.status in AWAITING_STAFF_STATUSES
            and application.sla_due_at
            and application.sla_due_at < timezone.now()
        )

    @extend_schema_field(CertificateRefSerializer(allow_null=True))
    def get_certificate(self, application):
        certificate = getattr(application, "certificate", None)
        return None if certificate is None else {"id": certificate.pk, "number": certificate.number}


@extend_schema_serializer(
    examples=[api_examples.APPLICATION_DRAFT, api_examples.APPLICATION_SUBMITTED]
)
class ApplicationDetailSerializer(ApplicationSerializer):
    timeline = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "timeline"]
        read_only_fields = fields

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, application):
        from .selectors import timeline_for

        user = self.context["request"].user
        return render_nested(
            self, TimelineEntrySerializer, timeline_for(application, user), many=True
        )


@extend_schema_serializer(examples=[api_examples.APPLICATION_CREATE])
class ApplicationCreateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(
        required=False, help_text="Needed only when the caller belongs to several enterprises"
    )
    scheme = serializers.SlugField(help_text="Scheme code, e.g. ISO9001")
    scope_products = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    scope_bases = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    scope_note = serializers.CharField(required=False, allow_blank=True, default="")


class ApplicationUpdateSerializer(serializers.Serializer):
    scope_products = serializers.ListField(child=serializers.IntegerField(), required=False)
    scope_bases = serializers.ListField(child=serializers.IntegerField(), required=False)
    scope_note = serializers.CharField(required=False, allow_blank=True)


class CommentInputSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Shown to the enterprise"
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Internal note: staff and the certification body only",
    )


class ApproveInputSerializer(CommentInputSerializer):
    issue_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The certificate's issue date: today or earlier, not before the last submission. "
        "Default: today",
    )


class RequestChangesInputSerializer(CommentInputSerializer):
    comment = serializers.CharField(help_text="What must change; shown to the enterprise")


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Shown to the enterprise")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssignInputSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(help_text="User id of a reviewer or officer")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoteInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(help_text="Internal note, never shown to the enterprise")


class ClaimInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- certificates -----------------------------------------------------------------------------


class CertificateSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name_zh", read_only=True)
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    scheme_name = serializers.CharField(
        source="scheme.name", read_only=True, help_text="The scheme's name in the reader's language"
    )
    allowed_actions = serializers.SerializerMethodField()
    days_to_expiry = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField(
        help_text="The certificate's PDF (GET, same credentials)."
    )
    pdf_sha256 = serializers.SerializerMethodField(
        help_text="SHA-256 of the current PDF; null until its PDF is first issued or asked for."
    )

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "enterprise",
            "enterprise_name",
            "scheme",
            "scheme_name",
            "application",
            "scope_products",
            "scope_bases",
            "scope_summary",
            "issue_date",
            "expiry_date",
            "days_to_expiry",
            "status",
            "status_reason",
            "allowed_actions",
            "pdf_url",
            "pdf_sha256",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_pdf_url(self, certificate):
        path = reverse("cert-certificate-pdf", kwargs={"pk": certificate.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pdf_sha256(self, certificate):
        document = certificate.current_document
        return document.sha256 if document else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, certificate):
        return services.CERTIFICATE_WORKFLOW.actions_for(certificate, context=self.context)

    @extend_schema_field(serializers.IntegerField())
    def get_days_to_expiry(self, certificate):
        return (certificate.expiry_date - timezone.localdate()).days


@extend_schema_serializer(component_name="CertificateReason")
class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


def public_pdf_url(certificate: Certificate) -> str:
    path = reverse("public:certificate-pdf", kwargs={"number": certificate.number})
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


class SchemeRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()


@extend_schema_serializer(
    description=(
        "All anyone may learn from a certificate number: holder, scheme, scope, validity and "
        "status."
    )
)
class CertificateVerificationSerializer(serializers.Serializer):
    """What the public may know about a certificate: nothing more."""

    number = serializers.CharField()
    holder_name = serializers.CharField()
    holder_name_en = serializers.CharField()
    scheme = SchemeRefSerializer()
    scope_summary = serializers.CharField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    status = serializers.ChoiceField(choices=CertificateStatus.choices)
    pdf_url = serializers.URLField(help_text="The certificate's PDF, public (no login).")
    pdf_sha256 = serializers.CharField(
        help_text="SHA-256 of the PDF the platform issued: a PDF with this digest is exactly it."
    )

    @staticmethod
    def from_certificate(certificate: Certificate) -> dict:
        document = services.certificate_pdf_issue(certificate)
        return {
            "number": certificate.number,
            "holder_name": certificate.enterprise.name_zh,
            "holder_name_en": certificate.enterprise.name_en,
            "scheme": {
                "code": certificate.scheme.code,
                "name_en": certificate.scheme.name_en,
                "name_zh": certificate.scheme.name_zh,
            },
            "scope_summary": certificate.scope_summary,
            "valid_from": certificate.issue_date,
            "valid_until": certificate.expiry_date,
            "status": selectors.live_status(certificate),
            "pdf_url": public_pdf_url(certificate),
            "pdf_sha256": document.sha256,
        }


class DocumentCheckInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    file = serializers.FileField(help_text="The PDF to check (at most 20 MB); it is not stored.")
    tracking_token = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=300,
        help_text="A shipment's tracking link (or its token), to check that shipment's documents.",
    )


class CheckedShipmentDocumentSerializer(serializers.Serializer):
    doc_type = serializers.ChoiceField(choices=DocumentType.choices)
    doc_type_label = serializers.CharField(source="get_doc_type_display")
    shipment_reference = serializers.CharField(source="shipment.reference")
    uploaded_at = serializers.DateTimeField()


@extend_schema_serializer(
    description=(
        "Whether the uploaded file is exactly a PDF the platform issued: a certificate's (with what "
        "the public may know of it) or, with the shipment's tracking link, one of its documents."
    )
)
class DocumentCheckSerializer(serializers.Serializer):
    issued = serializers.BooleanField()
    sha256 = serializers.CharField(help_text="SHA-256 of the uploaded file.")
    certificate = CertificateVerificationSerializer(allow_null=True)
    shipment_document = CheckedShipmentDocumentSerializer(allow_null=True)

    @staticmethod
    def from_check(check) -> dict:
        document = check.certificate_document
        return {
            "issued": check.issued,
            "sha256": check.sha256,
            "certificate": CertificateVerificationSerializer.from_certificate(document.certificate)
            if document
            else None,
            "shipment_document": check.shipment_document,
        }


# --- readiness --------------------------------------------------------------------------------


class ReadinessQuerySerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(
        required=False, help_text="Needed only when the caller belongs to several enterprises"
    )
    product = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=False,
        help_text="Product id(s): repeat the parameter or separate with commas",
    )
    destination = serializers.CharField(
        min_length=2, max_length=2, help_text="ISO 3166-1 alpha-2 country"
    )
    date = serializers.DateField(required=False, help_text="Shipping date; default today")


class ReadinessCertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    valid_until = serializers.DateField()


class RequirementCheckSerializer(serializers.Serializer):
    requirement_id = serializers.IntegerField(allow_null=True)
    kind = serializers.ChoiceField(choices=RequirementKind.choices)
    code = serializers.CharField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=RequirementCheckStatus.choices)
    effect = serializers.ChoiceField(
        choices=RequirementEffect.choices,
        help_text="required: dispatch waits for it; tariff_preference: only claims a lower tariff",
    )
    blocks_dispatch = serializers.BooleanField(
        help_text="True when this check is required and not met: dispatch is refused until it is"
    )
    certificate = ReadinessCertificateSerializer(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    alternatives = serializers.ListField(child=serializers.CharField())
    product_ids = serializers.ListField(child=serializers.IntegerField())
    note = serializers.CharField()
    explanation = serializers.CharField(
        help_text="What is held, expiring or missing, in the reader's language"
    )


class ReadinessDestinationSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="The country's name in the reader's language")
    name_en = serializers.CharField()
    groups = serializers.ListField(child=serializers.CharField())


class ReadinessSerializer(serializers.Serializer):
    """The answer of `selectors.readiness_for` (a `readiness.Readiness`)."""

    enterprise = serializers.IntegerField(source="enterprise_id")
    products = serializers.ListField(child=serializers.IntegerField(), source="product_ids")
    destination = ReadinessDestinationSerializer()
    date = serializers.DateField(source="on_date")
    ready = serializers.BooleanField(
        help_text="No check blocks dispatch (unmet tariff-preference checks are warnings)"
    )
    warnings = serializers.IntegerField(
        help_text="How many tariff-preference checks are not met (a lower tariff not claimed)"
    )
    checks = RequirementCheckSerializer(many=True)
    disclaimer = serializers.CharField(help_text="In the reader's language")
