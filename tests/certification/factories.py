import hashlib
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from certification.choices import (
    ApplicationDocumentKind,
    ApplicationStatus,
    CertificateStatus,
    DestinationGroup,
    SchemeLevel,
)
from certification.models import (
    Application,
    ApplicationDocument,
    Certificate,
    MarketRequirement,
    Scheme,
)
from certification.numbers import check_character
from tests.factories import EnterpriseFactory

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TEST{n}")
    name_en = factory.Sequence(lambda n: f"Test scheme {n}")
    name_zh = "测试认证"
    level = SchemeLevel.ENTERPRISE
    certificate_prefix = factory.Sequence(lambda n: f"T{n % 100000}")
    validity_months = 12
    required_documents = [ApplicationDocumentKind.BUSINESS_LICENCE]
    review_sla_days = 10
    product_categories: list = []


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    enterprise = factory.SubFactory(EnterpriseFactory)
    scheme = factory.SubFactory(SchemeFactory)
    status = ApplicationStatus.DRAFT


class SubmittedApplicationFactory(ApplicationFactory):
    status = ApplicationStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    last_submitted_at = factory.SelfAttribute("submitted_at")
    sla_due_at = factory.LazyAttribute(lambda o: o.submitted_at + timedelta(days=10))


class ApplicationDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationDocument

    application = factory.SubFactory(ApplicationFactory)
    kind = ApplicationDocumentKind.BUSINESS_LICENCE
    file = factory.LazyFunction(lambda: ContentFile(PDF, name="licence.pdf"))
    original_name = "licence.pdf"
    content_type = "application/pdf"
    size = len(PDF)
    sha256 = hashlib.sha256(PDF).hexdigest()


def malformed_number(n: int) -> str:
    """A certificate number whose check character is wrong, so that the public check never finds
    a factory's certificate (a fixed "X" was right for 1 sequence in 36)."""
    check = "X" if check_character(f"TST2026{n:06d}") != "X" else "Y"
    return f"TST-2026-{n:06d}-{check}"


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    number = factory.Sequence(lambda n: malformed_number(n))
    enterprise = factory.SubFactory(EnterpriseFactory)
    scheme = factory.SubFactory(SchemeFactory)
    scope_summary = "Whole enterprise"
    issue_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    expiry_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=300))
    status = CertificateStatus.ACTIVE


class MarketRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketRequirement

    destination_group = DestinationGroup.ANY
    product_category = ""
    hs_prefix = ""
    scheme = factory.SubFactory(SchemeFactory)
    document_type = ""
    note = "test rule"


def caviar_product(enterprise):
    """Sturgeon caviar (HS 160431, aquatic products, -2..2 °C): CITES and veterinary rules apply."""
    from tests import factories

    return factories.ProductFactory(
        enterprise=enterprise,
        name_en="Sturgeon caviar",
        category="aquatic_products",
        hs_code=factories.hs_code("160431", "Caviar"),
        temp_min_c=-2,
        temp_max_c=2,
    )
