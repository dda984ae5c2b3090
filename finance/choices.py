from django.db import models

from agri_platform.accounts.choices import PartnerKind


class FinancingKind(models.TextChoices):
    PRE_SHIPMENT_LOAN = "pre_shipment_loan", "Pre-shipment loan"
    EXPORT_CREDIT_INSURANCE = "export_credit_insurance", "Export credit insurance"
    INVOICE_FACTORING = "invoice_factoring", "Invoice factoring"
    LETTER_OF_CREDIT = "letter_of_credit", "Letter of credit"
    FX_SETTLEMENT = "fx_settlement", "FX settlement"


# Which kind of partner answers which kind of request.
PARTNER_KIND_FOR = {
    FinancingKind.PRE_SHIPMENT_LOAN: PartnerKind.BANK,
    FinancingKind.EXPORT_CREDIT_INSURANCE: PartnerKind.INSURER,
    FinancingKind.INVOICE_FACTORING: PartnerKind.BANK,
    FinancingKind.LETTER_OF_CREDIT: PartnerKind.BANK,
    FinancingKind.FX_SETTLEMENT: PartnerKind.BANK,
}


class RequestStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ROUTED = "routed", "Routed to partners"
    OFFERED = "offered", "Offers received"
    ACCEPTED = "accepted", "Offer accepted"
    DISBURSED = "disbursed", "Disbursed"
    BOUND = "bound", "Cover bound"
    CLOSED = "closed", "Closed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


class OfferStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"


class EvidenceKind(models.TextChoices):
    SHIPMENT = "shipment", "Shipment"
    CERTIFICATE = "certificate", "Certificate"
