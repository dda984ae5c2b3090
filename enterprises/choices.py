from django.db import models


class VerificationStatus(models.TextChoices):
    PENDING = "pending", "Pending verification"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"
    SUSPENDED = "suspended", "Suspended"


class BaseKind(models.TextChoices):
    ORCHARD = "orchard", "Orchard"
    AQUACULTURE_FARM = "aquaculture_farm", "Aquaculture farm"
    LIVESTOCK_FARM = "livestock_farm", "Livestock farm"
    PROCESSING_PLANT = "processing_plant", "Processing plant"
    PACKHOUSE = "packhouse", "Packhouse"
    COLD_STORE = "cold_store", "Cold store"
