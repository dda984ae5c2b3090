from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agri_platform.accounts.fields import user_field
from agri_platform.api.documents import TitledDocument, document_upload_path

from .choices import EvidenceKind, FinancingKind, OfferStatus, RequestStatus

# Where uploads are stored: the migrations name this `upload_to`.
financing_document_path = document_upload_path

MONEY = {"max_digits": 20, "decimal_places": 4}


def currency_field() -> models.ForeignKey:
    return models.ForeignKey(
        "reference.Currency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("currency"),
    )


class FinancingRequest(models.Model):
    """An enterprise asks once for credit, cover or settlement; officers route it to partners."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="financing_requests",
        verbose_name=_("enterprise"),
    )
    kind = models.CharField(_("financing kind"), max_length=30, choices=FinancingKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = currency_field()
    term_days = models.PositiveIntegerField(_("term (days)"))
    purpose = models.TextField(_("purpose"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RequestStatus.choices,
        default=RequestStatus.DRAFT,
        db_index=True,
    )
    status_reason = models.TextField(_("status reason"), blank=True)
    partners = models.ManyToManyField(
        "accounts.Partner",
        through="FinancingRouting",
        related_name="financing_requests",
        blank=True,
        verbose_name=_("routed partners"),
    )
    accepted_offer = models.OneToOneField(
        "FinancingOffer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("accepted offer"),
    )
    disbursement_reference = models.CharField(
        _("disbursement reference"), max_length=100, blank=True
    )
    created_by = user_field(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = user_field(_("submitted by"))
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    routed_by = user_field(_("routed by"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = user_field(_("accepted by"))
    disbursed_at = models.DateTimeField(_("disbursed at"), null=True, blank=True)
    disbursed_by = user_field(_("disbursed by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = user_field(_("closed by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("financing request")
        verbose_name_plural = _("financing requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "kind", "submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="financing_request_amount_positive",
                violation_error_message=_("The amount must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(term_days__gt=0),
                name="financing_request_term_positive",
                violation_error_message=_("The term must be at least one day."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "disbursed", "bound"])
                | Q(accepted_offer__isnull=False),
                name="financing_request_accepted_has_offer",
                violation_error_message=_("An accepted request names the accepted offer."),
            ),
        ]

    def __str__(self):
        return gettext("%(kind)s #%(id)s (%(status)s)") % {
            "kind": self.get_kind_display(),
            "id": self.pk,
            "status": self.get_status_display(),
        }


class FinancingRouting(models.Model):
    """The routing table: which partners a request was sent to (and so who may see it)."""

    request = models.ForeignKey(
        FinancingRequest,
        on_delete=models.CASCADE,
        related_name="routings",
        verbose_name=_("financing request"),
    )
    partner = models.ForeignKey(
        "accounts.Partner",
        on_delete=models.PROTECT,
        related_name="financing_routings",
        verbose_name=_("partner"),
    )
    routed_at = models.DateTimeField(_("routed at"), auto_now_add=True)
    routed_by = user_field(_("routed by"))

    class Meta:
        verbose_name = _("financing routing")
        verbose_name_plural = _("financing routings")
        ordering = ["routed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "partner"],
                name="financing_routing_unique",
                violation_error_message=_("The request is already routed to this partner."),
            ),
        ]

    def __str__(self):
        return gettext("request %(request)s → partner %(partner)s") % {
            "request": self.request_id,
            "partner": self.partner_id,
        }


class FinancingOffer(models.Model):
    """A partner's answer to a routed request, in the request's currency."""

    request = models.ForeignKey(
        FinancingRequest,
        on_delete=models.CASCADE,
        related_name="offers",
        verbose_name=_("financing request"),
    )
    partner = models.ForeignKey(
        "accounts.Partner",
        on_delete=models.PROTECT,
        related_name="financing_offers",
        verbose_name=_("partner"),
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = currency_field()
    rate_percent = models.DecimalField(
        _("rate (percent)"),
        max_digits=7,
        decimal_places=4,
        help_text=_(
            "Per annum for loans, factoring and LCs; premium rate for insurance; "
            "margin for FX settlement."
        ),
    )
    term_days = models.PositiveIntegerField(_("term (days)"))
    fees = models.DecimalField(_("fees"), **MONEY, default=0)
    conditions = models.TextField(_("conditions"), blank=True)
    valid_until = models.DateTimeField(_("valid until"))
    external_reference = models.CharField(
        _("external reference"),
        max_length=100,
        blank=True,
        help_text=_(
            "The partner's own reference; a replay with the same value returns this offer."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OfferStatus.choices,
        default=OfferStatus.PENDING,
        db_index=True,
    )
    created_by = user_field(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = user_field(_("decided by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("financing offer")
        verbose_name_plural = _("financing offers")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="financing_offer_amount_positive",
                violation_error_message=_("The offered amount must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(fees__gte=0) & Q(rate_percent__gte=0),
                name="financing_offer_costs_not_negative",
                violation_error_message=_("Rate and fees cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(term_days__gt=0),
                name="financing_offer_term_positive",
                violation_error_message=_("The term must be at least one day."),
            ),
            models.UniqueConstraint(
                fields=["request", "partner", "external_reference"],
                condition=~Q(external_reference=""),
                name="financing_offer_unique_external_reference",
                violation_error_message=_("An offer with this external reference already exists."),
            ),
            models.UniqueConstraint(
                fields=["request", "partner"],
                condition=Q(status="pending"),
                name="financing_offer_one_pending_per_partner",
                violation_error_message=_(
                    "This partner already has a pending offer on the request."
                ),
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="accepted"),
                name="financing_offer_one_accepted_per_request",
                violation_error_message=_("Only one offer per request can be accepted."),
            ),
        ]

    def __str__(self):
        return gettext(
            "offer #%(id)s by partner %(partner)s on request %(request)s (%(status)s)"
        ) % {
            "id": self.pk,
            "partner": self.partner_id,
            "request": self.request_id,
            "status": self.get_status_display(),
        }


class FinancingEvidence(models.Model):
    """A shipment or certificate of the enterprise linked as evidence; `summary` is a snapshot
    taken when it was linked (what the partner sees), resolved by finance/evidence.py."""

    request = models.ForeignKey(
        FinancingRequest,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("financing request"),
    )
    kind = models.CharField(_("evidence kind"), max_length=20, choices=EvidenceKind.choices)
    object_id = models.CharField(_("object id"), max_length=64)
    summary = models.JSONField(_("summary"), default=dict)
    added_by = user_field(_("added by"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("financing evidence")
        verbose_name_plural = _("financing evidence")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "object_id"],
                name="financing_evidence_unique",
                violation_error_message=_("This object is already linked as evidence."),
            ),
        ]

    def __str__(self):
        return gettext("%(kind)s %(object)s for request %(request)s") % {
            "kind": self.get_kind_display(),
            "object": self.object_id,
            "request": self.request_id,
        }


class FinancingDocument(TitledDocument):
    request = models.ForeignKey(
        FinancingRequest,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("financing request"),
    )

    storage_folder = "finance/{request_id}"

    class Meta(TitledDocument.Meta):
        verbose_name = _("financing document")
        verbose_name_plural = _("financing documents")
