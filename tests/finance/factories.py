import hashlib
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from agri_platform.accounts.choices import PartnerKind
from finance.choices import FinancingKind, OfferStatus, RequestStatus
from finance.models import FinancingDocument, FinancingOffer, FinancingRequest, FinancingRouting
from tests import factories

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF"


class BankFactory(factories.PartnerFactory):
    name = factory.Sequence(lambda n: f"Test Bank {n}")
    kind = PartnerKind.BANK


class InsurerFactory(factories.PartnerFactory):
    name = factory.Sequence(lambda n: f"Test Insurer {n}")
    kind = PartnerKind.INSURER


class FinancingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancingRequest

    enterprise = factory.SubFactory(factories.EnterpriseFactory)
    kind = FinancingKind.PRE_SHIPMENT_LOAN
    amount = Decimal("1000000.00")
    currency = factory.LazyFunction(lambda: factories.currency("CNY", 2))
    term_days = 90
    purpose = "Pre-shipment working capital"
    status = RequestStatus.DRAFT


def routed_request(*, partners, status=RequestStatus.ROUTED, **kwargs) -> FinancingRequest:
    request = FinancingRequestFactory(status=status, submitted_at=timezone.now(), **kwargs)
    for partner in partners:
        FinancingRouting.objects.create(request=request, partner=partner)
    return request


class FinancingOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancingOffer

    request = factory.SubFactory(FinancingRequestFactory, status=RequestStatus.OFFERED)
    partner = factory.SubFactory(BankFactory)
    amount = factory.LazyAttribute(lambda o: o.request.amount)
    currency = factory.LazyAttribute(lambda o: o.request.currency)
    rate_percent = Decimal("4.2500")
    term_days = 90
    fees = Decimal("500.00")
    valid_until = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    status = OfferStatus.PENDING


class FinancingDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancingDocument

    request = factory.SubFactory(FinancingRequestFactory)
    title = "invoice.pdf"
    file = factory.django.FileField(filename="invoice.pdf", data=PDF)
    content_type = "application/pdf"
    size = len(PDF)
    sha256 = hashlib.sha256(PDF).hexdigest()
