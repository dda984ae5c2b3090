"""Isolation builders: inquiries, quotes, messages and buyer blocks (mine: buyer A wrote to
enterprise A; theirs: buyer B to enterprise B)."""

from tests.isolation import builder
from tests.trade.factories import (
    BuyerBlockFactory,
    InquiryFactory,
    InquiryMessageFactory,
    QuoteFactory,
)


@builder
def inquiries(world):
    mine = InquiryFactory(buyer=world.buyer_a, enterprise=world.enterprise_a)
    theirs = InquiryFactory(buyer=world.buyer_b, enterprise=world.enterprise_b)
    world.add(mine, theirs)
    world.add(QuoteFactory(inquiry=mine), QuoteFactory(inquiry=theirs))
    world.add(InquiryMessageFactory(inquiry=mine), InquiryMessageFactory(inquiry=theirs))
    world.add(
        BuyerBlockFactory(buyer=world.buyer_a, enterprise=world.enterprise_a),
        BuyerBlockFactory(buyer=world.buyer_b, enterprise=world.enterprise_b),
    )
