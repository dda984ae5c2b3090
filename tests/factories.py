"""Factories shared by every app's tests. App-specific factories live in tests/<app>/factories.py."""

import random

import factory
from django.utils import timezone

from agri_platform.accounts.choices import MembershipRole, PartnerKind
from agri_platform.accounts.models import Membership, Partner, User
from agri_platform.reference.choices import ExportCategory
from agri_platform.reference.models import Country, Currency, HSCode, Location, Prefecture
from enterprises import uscc
from enterprises.choices import VerificationStatus
from enterprises.models import Enterprise, Product, ProductionBase

USCC_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def sichuan_uscc() -> str:
    """A valid, random USCC of a Sichuan company (91 + 51xxxx + 9-char organisation code)."""
    region = "51" + "".join(random.choices("0123456789", k=4))
    org = "".join(random.choices(USCC_BODY, k=9))
    return uscc.make("91" + region + org)


DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    language = ""  # never chose: the request decides, as for a new account
    # Confirmed, so that a factory user may register an enterprise as before; pass
    # email_confirmed_at=None for someone who has not opened the confirmation link yet.
    email_confirmed_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        password = kwargs.pop("password", DEFAULT_PASSWORD)
        return model_class.objects.create_user(*args, password=password, **kwargs)


class StaffUserFactory(UserFactory):
    staff_role = "reviewer"
    is_staff = True


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = PartnerKind.CARRIER


class PartnerUserFactory(UserFactory):
    partner = factory.SubFactory(PartnerFactory)


def prefecture(
    code: str = "510100", name_en: str = "Chengdu", name_zh: str = "成都市"
) -> Prefecture:
    return Prefecture.objects.get_or_create(
        code=code, defaults={"name_en": name_en, "name_zh": name_zh}
    )[0]


def country(code: str = "MY", name_en: str = "Malaysia", groups=("ASEAN", "RCEP")) -> Country:
    return Country.objects.get_or_create(
        code=code, defaults={"name_en": name_en, "groups": list(groups)}
    )[0]


def currency(code: str = "CNY", minor_units: int = 2) -> Currency:
    return Currency.objects.get_or_create(
        code=code, defaults={"name": code, "minor_units": minor_units}
    )[0]


def location(code: str = "CNCTU", name: str = "Chengdu") -> Location:
    return Location.objects.get_or_create(
        code=code, defaults={"name": name, "country": country(code[:2], code[:2])}
    )[0]


def hs_code(code: str = "080521", description: str = "Mandarins") -> HSCode:
    return HSCode.objects.get_or_create(code=code, defaults={"description_en": description})[0]


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.LazyFunction(sichuan_uscc)
    name_zh = factory.Sequence(lambda n: f"四川测试企业{n}")
    name_en = factory.Sequence(lambda n: f"Sichuan Test Exporter {n}")
    prefecture = factory.LazyFunction(prefecture)
    county = "Xinjin"
    export_categories = [ExportCategory.FRUITS]
    status = VerificationStatus.VERIFIED
    status_changed_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    role = MembershipRole.OWNER


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    enterprise = factory.SubFactory(EnterpriseFactory)
    name_zh = "爱媛柑橘"
    name_en = "Ai Yuan mandarin"
    category = ExportCategory.FRUITS
    hs_code = factory.LazyFunction(hs_code)
    temp_min_c = 4
    temp_max_c = 8


class ProductionBaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductionBase

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"Orchard {n}")
    kind = "orchard"
    prefecture = factory.LazyFunction(prefecture)
    area_m2 = 66667
