from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", _("Simplified Chinese")
    EN = "en", _("English")


class StaffRole(models.TextChoices):
    REVIEWER = "reviewer", _("Reviewer")
    OFFICER = "officer", _("Officer")
    PLATFORM_ADMIN = "platform_admin", _("Platform admin")


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    MEMBER = "member", _("Member")


class PartnerKind(models.TextChoices):
    BANK = "bank", _("Bank")
    INSURER = "insurer", _("Insurer")
    CARRIER = "carrier", _("Carrier")
    CUSTOMS_BROKER = "customs_broker", _("Customs broker")
    CERTIFICATION_BODY = "certification_body", _("Certification body")
    LAW_FIRM = "law_firm", _("Law firm")
    BUYER = "buyer", _("Overseas buyer")
