"""The staff's pages for the trade app, one module per area (Django imports this package)."""

from . import buyers, inquiries, promotions  # noqa: F401  (each registers its ModelAdmins)
