"""Where an exporter's public profile reads the markets it serves.

Logistics owns shipments and registers its count of them per destination when it starts
(`logistics/apps.py`), so the dependency runs one way: logistics → enterprises.
"""

from collections.abc import Callable

MarketsServed = Callable[[int], list[dict]]

_source: MarketsServed | None = None


def register(markets_served: MarketsServed) -> None:
    """Install `markets_served(enterprise_id)`: `[{"country": "MY", "shipments": 3}, …]`."""
    global _source
    _source = markets_served


def served_by(enterprise_id: int) -> list[dict]:
    """The destination countries of the enterprise's shipments, counted; none without logistics."""
    return list(_source(enterprise_id)) if _source is not None else []
