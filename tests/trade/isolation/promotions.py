"""Isolation builders: promotion events (a published one anyone may open, a draft no one but
staff may)."""

from tests.isolation import builder
from tests.trade.factories import PromotionEventFactory


@builder
def promotion_events(world):
    world.add(PromotionEventFactory(), PromotionEventFactory(status="draft", published_at=None))
