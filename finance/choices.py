from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agri_platform.accounts.choices import PartnerKind


class FinancingKind(models.TextChoices):
    PRE_SHIPMENT_LOAN = "pre_shipment_loan", _("Pre-shipment loan")
    EXPORT_CREDIT_INSURANCE = "export_credit_insurance", _("Export credit insurance")
    INVOICE_FACTORING = "invoice_factoring", _("Invoice factoring")
    LETTER_OF_CREDIT = "letter_of_credit", _("Letter of credit")
    FX_SETTLEMENT = "fx_settlement", _("FX settlement")


# Which kind of partner answers which kind of request.
PARTNER_KIND_FOR = {
    FinancingKind.PRE_SHIPMENT_LOAN: PartnerKind.BANK,
    FinancingKind.EXPORT_CREDIT_INSURANCE: PartnerKind.INSURER,
    FinancingKind.INVOICE_FACTORING: PartnerKind.BANK,
    FinancingKind.LETTER_OF_CREDIT: PartnerKind.BANK,
    FinancingKind.FX_SETTLEMENT: PartnerKind.BANK,
}


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ROUTED = "routed", _("Routed to partners")
    OFFERED = "offered", _("Offers received")
    ACCEPTED = "accepted", _("Offer accepted")
    DISBURSED = "disbursed", _("Disbursed")
    BOUND = "bound", _("Cover bound")
    CLOSED = "closed", pgettext_lazy("finance", "Closed")
    DECLINED = "declined", pgettext_lazy("finance", "Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", pgettext_lazy("finance", "Expired")


class OfferStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("offer status", "Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", pgettext_lazy("finance", "Declined")
    EXPIRED = "expired", pgettext_lazy("finance", "Expired")


class EvidenceKind(models.TextChoices):
    SHIPMENT = "shipment", _("Shipment")
    CERTIFICATE = "certificate", _("Certificate")
