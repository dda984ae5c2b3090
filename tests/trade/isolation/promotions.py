"""Isolation builders: promotion events (a published one anyone may open, a draft no one but
staff may) and sign-ups (enterprise A's, and B's that A may not withdraw)."""

from tests.isolation import builder
from tests.trade.factories import PromotionEventFactory, PromotionParticipantFactory


@builder
def promotion_events(world):
    world.add(PromotionEventFactory(), PromotionEventFactory(status="draft", published_at=None))


@builder
def promotion_participants(world):
    event = PromotionEventFactory()
    world.add(
        PromotionParticipantFactory(event=event, enterprise=world.enterprise_a),
        PromotionParticipantFactory(event=event, enterprise=world.enterprise_b),
    )
