import factory

from agri_platform.accounts.choices import PartnerKind
from legal.choices import LegalKind, LegalStatus
from legal.models import LegalRequest
from tests import factories


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
