from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from simple_history.models import HistoricalRecords

from agri_platform.accounts.choices import MembershipRole
from agri_platform.api.documents import UploadedDocument
from agri_platform.reference.choices import ExportCategory, QuantityUnit

from .choices import (
    BaseKind,
    EnterpriseDocumentKind,
    InvitationStatus,
    Month,
    VerificationStatus,
)

# 1 mu = 1/15 hectare = 10000/15 m² (666.67 m²)
M2_PER_MU_NUMERATOR = 10000
M2_PER_MU_DENOMINATOR = 15


class Enterprise(models.Model):
    """An exporting enterprise: the platform's tenant."""

    uscc = models.CharField(
        _("Unified Social Credit Code"),
        max_length=18,
        unique=True,
        help_text=_("GB 32100-2015, 18 characters"),
    )
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    prefecture = models.ForeignKey(
        "reference.Prefecture",
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("prefecture"),
    )
    county = models.CharField(_("county"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    customs_code = models.CharField(
        _("China Customs registration code"),
        max_length=10,
        blank=True,
        help_text=_("10 characters"),
    )
    export_categories = models.JSONField(
        _("export categories"), default=list, blank=True, help_text=_("Export category values")
    )
    export_markets = models.ManyToManyField(
        "reference.Country", blank=True, related_name="+", verbose_name=_("export markets")
    )
    registered_outside_sichuan = models.BooleanField(
        _("registered outside Sichuan"),
        default=False,
        help_text=_("USCC region digits are not 51…: staff should look twice."),
    )
    publish_contact = models.BooleanField(
        _("publish contact"),
        default=False,
        help_text=_("Show the contact e-mail in the public exporter directory."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name_zh"]
        indexes = [models.Index(fields=["status", "prefecture"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=VerificationStatus.REJECTED) | ~Q(status_reason=""),
                name="enterprise_rejected_has_reason",
                violation_error_message=_("A rejection needs a reason."),
            ),
        ]

    def __str__(self):
        return self.name_en or self.name_zh

    @property
    def is_verified(self) -> bool:
        return self.status == VerificationStatus.VERIFIED


class Product(models.Model):
    """A product an enterprise exports, with its cold-chain storage band."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="products", verbose_name=_("enterprise")
    )
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    variety = models.CharField(pgettext_lazy("product", "variety"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=30, choices=ExportCategory.choices)
    hs_code = models.ForeignKey(
        "reference.HSCode",
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("HS code"),
    )
    temp_min_c = models.DecimalField(
        _("minimum temperature (°C)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    temp_max_c = models.DecimalField(
        _("maximum temperature (°C)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    humidity_max_pct = models.DecimalField(
        _("maximum humidity (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    harvest_months = models.JSONField(
        _("harvest months"),
        default=list,
        blank=True,
        help_text=_(
            "Month numbers 1–12 in which the product is harvested, sorted; empty if not given."
        ),
    )
    packaging = models.CharField(
        _("packaging"),
        max_length=200,
        blank=True,
        help_text=_("How it is packed for export, e.g. 10 kg cartons, 20 per pallet"),
    )
    min_order_quantity = models.DecimalField(
        _("minimum order"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    min_order_unit = models.CharField(
        _("minimum order unit"), max_length=20, choices=QuantityUnit.choices, blank=True
    )
    incoterms = models.JSONField(
        _("Incoterms offered"),
        default=list,
        blank=True,
        help_text=_("Incoterms 2020 codes the exporter quotes on, e.g. FOB, CIF"),
    )
    listed_in_catalogue = models.BooleanField(
        _("listed in the catalogue"),
        default=True,
        help_text=_(
            "Shown to overseas buyers in the public catalogue (once the enterprise is verified)"
        ),
    )
    cold_chain_profile = models.ForeignKey(
        "reference.ColdChainProfile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
        verbose_name=_("cold-chain profile"),
        help_text=_("The profile whose band this product took as its default, if any."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["enterprise_id", "name_zh"]
        constraints = [
            models.CheckConstraint(
                condition=Q(temp_min_c__isnull=True)
                | Q(temp_max_c__isnull=True)
                | Q(temp_min_c__lt=F("temp_max_c")),
                name="product_temp_band_ordered",
                violation_error_message=_("The minimum temperature must be below the maximum."),
            ),
            models.CheckConstraint(
                condition=(Q(min_order_quantity__isnull=True) & Q(min_order_unit=""))
                | (Q(min_order_quantity__gt=0) & ~Q(min_order_unit="")),
                name="product_minimum_order_complete",
                violation_error_message=_(
                    "A minimum order needs both a quantity above zero and a unit."
                ),
            ),
        ]

    def __str__(self):
        return self.name_en or self.name_zh

    @property
    def harvest_months_label(self) -> str:
        """The harvest months named in the reader's language, e.g. "Jan, Feb, Dec" (empty if none)."""
        separator = pgettext("list separator", ", ")
        return separator.join(str(Month(month).label) for month in self.harvest_months or [])


class ProductionBase(models.Model):
    """An orchard, farm, plant, packhouse or cold store of an enterprise. Area is stored in m²."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="production_bases",
        verbose_name=_("enterprise"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=BaseKind.choices)
    prefecture = models.ForeignKey(
        "reference.Prefecture",
        on_delete=models.PROTECT,
        related_name="production_bases",
        verbose_name=_("prefecture"),
    )
    county = models.CharField(_("county"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    annual_capacity_t = models.DecimalField(
        _("annual capacity (t)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    products = models.ManyToManyField(
        Product, blank=True, related_name="production_bases", verbose_name=_("products")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[products])

    class Meta:
        verbose_name = _("production base")
        verbose_name_plural = _("production bases")
        ordering = ["enterprise_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area_m2__isnull=True) | Q(area_m2__gte=0),
                name="base_area_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(annual_capacity_t__isnull=True) | Q(annual_capacity_t__gte=0),
                name="base_capacity_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def area_mu(self):
        if self.area_m2 is None:
            return None
        from decimal import Decimal

        return (self.area_m2 * M2_PER_MU_DENOMINATOR / M2_PER_MU_NUMERATOR).quantize(
            Decimal("0.01")
        )


class Invitation(models.Model):
    """An invitation to join an enterprise with a role. Only the token's digest is stored."""

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("enterprise"),
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    prefix = models.CharField(_("token prefix"), max_length=8, unique=True)
    digest = models.CharField(_("token digest"), max_length=64)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["digest"])

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
                violation_error_message=_("This address already has an open invitation."),
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
                violation_error_message=_("An invitation is either accepted or revoked."),
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.enterprise} ({self.get_role_display()})"

    @property
    def status(self) -> InvitationStatus:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING


class EnterpriseDocument(UploadedDocument):
    """A document about the enterprise itself (its business licence): type checked from the
    content, SHA-256 kept."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(
        verbose_name=_("document kind"), max_length=30, choices=EnterpriseDocumentKind.choices
    )
    original_name = models.CharField(verbose_name=_("original file name"), max_length=200)

    storage_folder = "enterprises/{enterprise_id}"

    class Meta:
        verbose_name = _("enterprise document")
        verbose_name_plural = _("enterprise documents")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"
