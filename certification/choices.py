from django.db import models


class DocumentType(models.TextChoices):
    """Shipment-level documents. Shared by certification (market requirements) and logistics."""

    PHYTOSANITARY = "phytosanitary", "Phytosanitary certificate"
    VETERINARY_HEALTH = "veterinary_health", "Veterinary health certificate"
    ORIGIN_FORM_E = "origin_form_e", "Certificate of origin (ACFTA Form E)"
    ORIGIN_RCEP = "origin_rcep", "Certificate of origin (RCEP)"
    CITES_PERMIT = "cites_permit", "CITES export permit"
    COMMERCIAL_INVOICE = "commercial_invoice", "Commercial invoice"
    PACKING_LIST = "packing_list", "Packing list"
