from django.db import models


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class StaffRole(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    OFFICER = "officer", "Officer"
    PLATFORM_ADMIN = "platform_admin", "Platform admin"


class MembershipRole(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"


class PartnerKind(models.TextChoices):
    BANK = "bank", "Bank"
    INSURER = "insurer", "Insurer"
    CARRIER = "carrier", "Carrier"
    CUSTOMS_BROKER = "customs_broker", "Customs broker"
    CERTIFICATION_BODY = "certification_body", "Certification body"
    LAW_FIRM = "law_firm", "Law firm"
