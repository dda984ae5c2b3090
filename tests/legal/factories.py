import hashlib

import factory

from agri_platform.accounts.choices import PartnerKind
from legal.choices import LegalKind, LegalStatus
from legal.models import LegalAttachment, LegalRequest
from tests import factories

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF"


class LawFirmFactory(factories.PartnerFactory):
    name = factory.Sequence(lambda n: f"Test Law Firm {n}")
    kind = PartnerKind.LAW_FIRM


class LegalRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalRequest

    enterprise = factory.SubFactory(factories.EnterpriseFactory)
    kind = LegalKind.CONTRACT_REVIEW
    title = factory.Sequence(lambda n: f"Distribution contract review {n}")
    description = "Please review the distribution contract with our Malaysian importer."
    status = LegalStatus.SUBMITTED


class LegalAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalAttachment

    request = factory.SubFactory(LegalRequestFactory)
    title = "contract.pdf"
    file = factory.django.FileField(filename="contract.pdf", data=PDF)
    content_type = "application/pdf"
    size = len(PDF)
    sha256 = hashlib.sha256(PDF).hexdigest()
