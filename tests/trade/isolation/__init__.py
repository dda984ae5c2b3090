"""Isolation builders of the trade app (tests/isolation.py), one module per area."""

from . import buyers, inbox, inquiries, promotions  # noqa: F401  (each registers its @builder)
