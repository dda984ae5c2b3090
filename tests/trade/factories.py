"""Factories for overseas buyers, inquiries, quotes and promotion events."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from agri_platform.accounts.choices import PartnerKind
from agri_platform.reference.choices import ExportCategory
from tests import factories
from trade.choices import BuyerKind, BuyerStatus, PromotionKind, PromotionStatus, QuantityUnit
from trade.models import (
    Buyer,
    BuyerBlock,
    Inquiry,
    InquiryItem,
    InquiryMessage,
    PromotionEvent,
    PromotionParticipant,
    Quote,
    QuoteLine,
)


class BuyerPartnerFactory(factories.PartnerFactory):
    name = factory.Sequence(lambda n: f"Kedai Buah Segar {n} Sdn Bhd")
    kind = PartnerKind.BUYER
    country = "MY"


class BuyerFactory(factory.django.DjangoModelFactory):
    """A verified buyer organisation (a partner of kind "buyer" with its profile)."""

    class Meta:
        model = Buyer

    partner = factory.SubFactory(BuyerPartnerFactory)
    kind = BuyerKind.IMPORTER
    website = "https://buyer.example.my"
    city = "Kuala Lumpur"
    status = BuyerStatus.VERIFIED
    status_changed_at = factory.LazyFunction(timezone.now)


def buyer_person(buyer: Buyer, **kwargs):
    """A person who signs in for `buyer`."""
    return factories.PartnerUserFactory(partner=buyer.partner, **kwargs)


class InquiryFactory(factory.django.DjangoModelFactory):
    """An inquiry with one item (a product of its enterprise, 500 kg) to Port Klang, CIF."""

    class Meta:
        model = Inquiry
        skip_postgeneration_save = True

    buyer = factory.SubFactory(BuyerFactory)
    enterprise = factory.SubFactory(factories.EnterpriseFactory)
    destination = factory.LazyFunction(lambda: factories.location("MYPKG", "Port Klang"))
    incoterm = "CIF"
    delivery_from = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    delivery_to = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    notes = "Weekly supply for our stores."

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted is not None:  # InquiryFactory(items=[]) for none
            for item in extracted:
                InquiryItem.objects.create(inquiry=self, **item)
            return
        InquiryItem.objects.create(
            inquiry=self,
            product=factories.ProductFactory(enterprise=self.enterprise),
            quantity=Decimal("500"),
            unit=QuantityUnit.KG,
        )


class InquiryMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InquiryMessage

    inquiry = factory.SubFactory(InquiryFactory)
    side = "buyer"
    body = "Can you pack in 5 kg cartons?"


class QuoteFactory(factory.django.DjangoModelFactory):
    """An open quote pricing every item of its inquiry at 18.50 USD per unit."""

    class Meta:
        model = Quote
        skip_postgeneration_save = True

    inquiry = factory.SubFactory(InquiryFactory)
    currency = factory.LazyFunction(lambda: factories.currency("USD"))
    incoterm = "CIF"
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    lead_time_days = 10
    conditions = "30% deposit, balance against documents."

    @factory.post_generation
    def lines(self, create, extracted, **kwargs):
        if not create:
            return
        for item in self.inquiry.items.all():
            QuoteLine.objects.create(
                quote=self,
                item=item,
                quantity=item.quantity,
                unit=item.unit,
                unit_price=Decimal("18.50"),
            )


class BuyerBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyerBlock

    enterprise = factory.SubFactory(factories.EnterpriseFactory)
    buyer = factory.SubFactory(BuyerFactory)
    reason = "Repeated inquiries we cannot serve."


class PromotionEventFactory(factory.django.DjangoModelFactory):
    """A published tasting in Singapore a month from now."""

    class Meta:
        model = PromotionEvent
        skip_postgeneration_save = True

    title_zh = "新加坡四川农产品品鉴会"
    title_en = "Sichuan produce tasting, Singapore"
    kind = PromotionKind.TASTING
    city = "Singapore"
    country = factory.LazyFunction(lambda: factories.country("SG", "Singapore"))
    venue = "Marina Bay Sands Expo"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=31))
    categories = [ExportCategory.FRUITS]
    status = PromotionStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def markets(self, create, extracted, **kwargs):
        if create:
            self.markets.set(extracted or [factories.country("SG", "Singapore")])


class PromotionParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromotionParticipant
        skip_postgeneration_save = True

    event = factory.SubFactory(PromotionEventFactory)
    enterprise = factory.SubFactory(factories.EnterpriseFactory)

    @factory.post_generation
    def products(self, create, extracted, **kwargs):
        if create:
            self.products.set(extracted or [factories.ProductFactory(enterprise=self.enterprise)])
