"""Isolation builders: inquiries (A's buyer wrote to enterprise A; B's buyer to enterprise B)."""

from tests.isolation import builder
from tests.trade.factories import InquiryFactory


@builder
def inquiries(world):
    mine = InquiryFactory(buyer=world.buyer_a, enterprise=world.enterprise_a)
    theirs = InquiryFactory(buyer=world.buyer_b, enterprise=world.enterprise_b)
    world.add(mine, theirs)
