"""Overseas buyers and what passes between them and the exporters.

A buyer organisation is a partner of kind "buyer" (`accounts.Partner`): its people sign in like any
partner's, its systems use scoped API keys, it receives webhooks for what is routed to it. `Buyer`
holds what only buyers have (kind, website, verification). What a buyer sends an enterprise is an
`Inquiry` (one or more products); the enterprise answers with `Quote`s or declines; both sides write
`InquiryMessage`s; the buyer accepts one quote, which opens a `logistics.ShipmentDraft`.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agri_platform.accounts.fields import user_field
from agri_platform.reference.choices import Incoterm

from .choices import (
    BuyerKind,
    BuyerStatus,
    InquiryStatus,
    MessageSide,
    ParticipantStatus,
    PromotionKind,
    PromotionStatus,
    QuantityUnit,
    QuoteStatus,
)

# The badge colour of each state, through a word of agri_platform/portal/badges.py: an inquiry
# waiting for the exporter is amber (its code "sent" is green elsewhere: a delivered webhook), one
# being negotiated blue, a superseded quote grey.
INQUIRY_BADGE_STATE = {
    InquiryStatus.SENT: "pending",
    InquiryStatus.QUOTED: "in_progress",
    InquiryStatus.ACCEPTED: "accepted",
    InquiryStatus.DECLINED: "declined",
    InquiryStatus.WITHDRAWN: "withdrawn",
}
QUOTE_BADGE_STATE = {
    QuoteStatus.OPEN: "in_progress",
    QuoteStatus.ACCEPTED: "accepted",
    QuoteStatus.DECLINED: "declined",
    QuoteStatus.WITHDRAWN: "withdrawn",
    QuoteStatus.SUPERSEDED: "withdrawn",
    QuoteStatus.EXPIRED: "expired",
}


class Buyer(models.Model):
    """An overseas buyer organisation: the partner it is (name, country, people, keys) plus kind,
    website and the staff's light verification."""

    partner = models.OneToOneField(
        "accounts.Partner",
        on_delete=models.PROTECT,
        related_name="buyer",
        verbose_name=_("partner"),
    )
    kind = models.CharField(_("kind of buyer"), max_length=20, choices=BuyerKind.choices)
    website = models.URLField(_("website"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    description = models.TextField(
        _("about the buyer"), blank=True, help_text=_("What the buyer sells and to whom.")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=BuyerStatus.choices,
        default=BuyerStatus.PENDING,
        db_index=True,
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = user_field(_("status changed by"))
    created_by = user_field(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        ordering = ["partner__name"]

    def __str__(self):
        return self.partner.name

    @property
    def name(self) -> str:
        return self.partner.name

    @property
    def country_code(self) -> str:
        return self.partner.country


class Inquiry(models.Model):
    """A buyer's request to one enterprise for one or more of its products."""

    buyer = models.ForeignKey(
        Buyer, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("buyer")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="inquiries",
        verbose_name=_("enterprise"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InquiryStatus.choices,
        default=InquiryStatus.SENT,
        db_index=True,
    )
    status_reason = models.TextField(
        _("reason for the status"), blank=True, help_text=_("Why it was declined or withdrawn.")
    )
    destination = models.ForeignKey(
        "reference.Location",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("destination (UN/LOCODE)"),
    )
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    delivery_from = models.DateField(_("wanted delivery from"))
    delivery_to = models.DateField(_("wanted delivery until"))
    notes = models.TextField(_("notes"), blank=True)
    promotion = models.ForeignKey(
        "trade.PromotionEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
        verbose_name=_("sent from the promotion event"),
    )
    created_by = user_field(_("sent by"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    first_response_at = models.DateTimeField(
        _("first answered at"),
        null=True,
        blank=True,
        help_text=_("The enterprise's first quote, message or decline: response times use it."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["enterprise", "status", "created_at"]),
            models.Index(fields=["buyer", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery_to__gte=F("delivery_from")),
                name="inquiry_delivery_window_in_order",
                violation_error_message=_("The delivery window must not end before it starts."),
            ),
        ]

    def __str__(self):
        return gettext("Inquiry #%(id)s") % {"id": self.pk}

    @property
    def badge_state(self) -> str:
        """The word agri_platform/portal/badges.py colours this inquiry by, on both sides."""
        return INQUIRY_BADGE_STATE[self.status]


class InquiryItem(models.Model):
    """One product asked for, with the quantity."""

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="items", verbose_name=_("inquiry")
    )
    product = models.ForeignKey(
        "enterprises.Product",
        on_delete=models.PROTECT,
        related_name="inquiry_items",
        verbose_name=_("product"),
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=10, choices=QuantityUnit.choices)

    class Meta:
        verbose_name = _("inquiry item")
        verbose_name_plural = _("inquiry items")
        ordering = ["inquiry", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inquiry", "product"], name="inquiry_item_product_once"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="inquiry_item_quantity_positive",
                violation_error_message=_("The quantity must be more than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.quantity} {self.unit} × {self.product}"


class InquiryMessage(models.Model):
    """A message on an inquiry, written by the buyer's side or the enterprise's."""

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="messages", verbose_name=_("inquiry")
    )
    side = models.CharField(_("written by"), max_length=10, choices=MessageSide.choices)
    author = user_field(_("author"))
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inquiry message")
        verbose_name_plural = _("inquiry messages")
        ordering = ["created_at", "id"]

    def __str__(self):
        return gettext("Message #%(id)s") % {"id": self.pk}


class Quote(models.Model):
    """The enterprise's answer to an inquiry: a price per item, valid until a date."""

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("inquiry")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=QuoteStatus.choices,
        default=QuoteStatus.OPEN,
        db_index=True,
    )
    currency = models.ForeignKey(
        "reference.Currency", on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    valid_until = models.DateField(_("valid until"))
    lead_time_days = models.PositiveIntegerField(
        _("lead time (days)"), help_text=_("Days from acceptance to dispatch.")
    )
    conditions = models.TextField(
        _("conditions"), blank=True, help_text=_("Payment terms, packing, inspection and so on.")
    )
    created_by = user_field(pgettext_lazy("quote", "quoted by"))
    created_at = models.DateTimeField(pgettext_lazy("quote", "quoted at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = user_field(_("decided by"))
    status_reason = models.TextField(_("reason for the status"), blank=True)
    shipment_draft = models.OneToOneField(
        "logistics.ShipmentDraft",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quote",
        verbose_name=_("shipment draft"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inquiry"],
                condition=Q(status="accepted"),
                name="quote_one_accepted_per_inquiry",
                violation_error_message=_("An inquiry has at most one accepted quote."),
            ),
        ]

    def __str__(self):
        return gettext("Quote #%(id)s") % {"id": self.pk}

    @property
    def badge_state(self) -> str:
        """The word agri_platform/portal/badges.py colours this quote by, on both sides."""
        return QUOTE_BADGE_STATE[self.status]


class QuoteLine(models.Model):
    """The price of one inquiry item in a quote."""

    quote = models.ForeignKey(
        Quote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("quote")
    )
    item = models.ForeignKey(
        InquiryItem, on_delete=models.CASCADE, related_name="+", verbose_name=_("inquiry item")
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=10, choices=QuantityUnit.choices)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["quote", "id"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "item"], name="quote_line_item_once"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(unit_price__gt=0),
                name="quote_line_positive",
                violation_error_message=_("Quantity and unit price must be more than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.quantity} {self.unit} @ {self.unit_price}"


class BuyerBlock(models.Model):
    """An enterprise no longer takes inquiries from this buyer."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        related_name="buyer_blocks",
        verbose_name=_("enterprise"),
    )
    buyer = models.ForeignKey(
        Buyer, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("buyer")
    )
    reason = models.TextField(_("reason"), blank=True)
    created_by = user_field(_("blocked by"))
    created_at = models.DateTimeField(_("blocked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked buyer")
        verbose_name_plural = _("blocked buyers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "buyer"], name="buyer_block_once"),
        ]

    def __str__(self):
        return f"{self.enterprise} ⊘ {self.buyer}"


class PromotionEvent(models.Model):
    """An overseas promotion activity the platform's staff publish: a trade fair, a tasting, a
    buyer meeting. ("Promotion event", not "event": the API's events/ is the domain event log.)"""

    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200)
    kind = models.CharField(
        pgettext_lazy("promotion", "kind"), max_length=20, choices=PromotionKind.choices
    )
    description_zh = models.TextField(_("Chinese description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = models.ForeignKey(
        "reference.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    signup_closes_on = models.DateField(
        _("sign-up closes on"),
        null=True,
        blank=True,
        help_text=_("The last day enterprises may sign up; blank: until the event starts."),
    )
    markets = models.ManyToManyField(
        "reference.Country",
        blank=True,
        related_name="+",
        verbose_name=_("markets"),
        help_text=_("The countries whose buyers the event reaches."),
    )
    categories = models.JSONField(
        _("categories"),
        default=list,
        blank=True,
        help_text=_("Export categories the event is for (empty: all)."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PromotionStatus.choices,
        default=PromotionStatus.DRAFT,
        db_index=True,
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = user_field(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[markets])

    class Meta:
        verbose_name = _("promotion event")
        verbose_name_plural = _("promotion events")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="promotion_dates_in_order",
                violation_error_message=_("A promotion event must not end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title_en or self.title_zh


class PromotionParticipant(models.Model):
    """An enterprise taking part in a promotion event, with the products it will show."""

    event = models.ForeignKey(
        PromotionEvent,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("promotion event"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="promotion_participations",
        verbose_name=_("enterprise"),
    )
    products = models.ManyToManyField(
        "enterprises.Product", related_name="+", verbose_name=_("products shown")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.SIGNED_UP,
    )
    note = models.TextField(_("note"), blank=True)
    created_by = user_field(_("signed up by"))
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[products])

    class Meta:
        verbose_name = _("promotion participant")
        verbose_name_plural = _("promotion participants")
        ordering = ["event", "enterprise__name_en", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "enterprise"], name="promotion_participant_once"
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} @ {self.event}"
