"""Isolation builders: buyers (register with @tests.isolation.builder)."""

from tests.isolation import builder


@builder
def buyers(world):
    """Buyer A's people and keys see buyer A only; nobody else but staff sees either."""
    world.add(world.buyer_a, world.buyer_b)
