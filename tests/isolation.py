"""The world that the route-walking isolation test (tests/security/test_isolation.py) runs in.

Two verified enterprises, A and B, each with an owner; two partners, P_A and P_B; two verified
overseas buyers, B_A and B_B (each a partner of kind "buyer": `world.buyer_a.partner`); platform
staff.
Every app registers a builder in `tests/<app>/isolation.py`:

    from tests.isolation import builder

    @builder
    def shipments(world):
        world.add(ShipmentFactory(enterprise=world.enterprise_a, carrier=world.partner_a),
                  ShipmentFactory(enterprise=world.enterprise_b, carrier=world.partner_b))

`world.add(mine, theirs)` registers one object that A (or P_A) may see and one of the same model that
it must never see. A route whose model has no registered pair fails the test: new routes cannot slip
through uncovered.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models

BUILDERS: list[Callable[["World"], None]] = []


def builder(func: Callable[["World"], None]) -> Callable[["World"], None]:
    BUILDERS.append(func)
    return func


@dataclass
class World:
    enterprise_a: models.Model
    enterprise_b: models.Model
    user_a: models.Model
    user_b: models.Model
    partner_a: models.Model
    partner_b: models.Model
    staff: models.Model
    buyer_a: models.Model | None = None  # trade.Buyer; its people and keys act for buyer_a.partner
    buyer_b: models.Model | None = None
    pairs: dict[type[models.Model], tuple[models.Model, models.Model]] = field(default_factory=dict)

    def add(self, mine: models.Model, theirs: models.Model) -> None:
        assert type(mine) is type(theirs), "add() takes two objects of the same model"
        self.pairs[type(mine)] = (mine, theirs)

    def pair_for(self, model: type[models.Model]) -> tuple[models.Model, models.Model] | None:
        for candidate in (model, *model.__mro__):
            if candidate in self.pairs:
                return self.pairs[candidate]
        return None
