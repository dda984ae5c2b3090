"""Isolation builders: quotes and buyer blocks (the exporter's inquiry pages; the API's quotes and
buyer-blocks routes share them). A's are enterprise A's with A's buyer; B's enterprise B's."""

from tests.isolation import builder
from tests.trade.factories import BuyerBlockFactory, InquiryFactory, QuoteFactory


@builder
def quotes(world):
    mine = QuoteFactory(inquiry=InquiryFactory(buyer=world.buyer_a, enterprise=world.enterprise_a))
    theirs = QuoteFactory(
        inquiry=InquiryFactory(buyer=world.buyer_b, enterprise=world.enterprise_b)
    )
    world.add(mine, theirs)


@builder
def buyer_blocks(world):
    world.add(
        BuyerBlockFactory(enterprise=world.enterprise_a, buyer=world.buyer_b),
        BuyerBlockFactory(enterprise=world.enterprise_b, buyer=world.buyer_a),
    )
