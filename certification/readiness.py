"""Market readiness: what a destination requires of an enterprise's products, and what is met.

This module is the contract between certification and logistics: `shipments/{id}/dispatch/` calls
`check_readiness` with the shipment's enterprise, products, destination, date and the document types
it holds, and refuses to dispatch while any item is missing. The certification issue implements it
over the market-requirement table and the enterprise's certificates.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RequirementCheck:
    kind: str  # "scheme" (an enterprise certificate) or "document" (a shipment document)
    code: str  # the scheme code, or a DocumentType value
    name: str
    status: str  # "met", "expiring" (valid now, expires before on_date) or "missing"
    certificate_id: int | None = None
    valid_until: date | None = None
    note: str = ""
    requirement_id: int | None = None

    @property
    def is_met(self) -> bool:
        return self.status == "met"


def check_readiness(
    *,
    enterprise,
    products: Iterable,
    destination,
    on_date: date,
    documents_on_hand: Iterable[str] | None = None,
) -> list[RequirementCheck]:
    """Each requirement for shipping `products` of `enterprise` to `destination` (a Country) on
    `on_date`. Document requirements are met by `documents_on_hand` (DocumentType values); when it is
    None, document requirements are listed as missing (informational readiness query)."""
    return []
