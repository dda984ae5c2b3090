"""The document check's shipment side: is an uploaded file exactly one of the documents of the
shipment whose tracking link the visitor holds? (certification.document_check asks.)

Whoever holds the tracking link may learn this much and no more: a wrong link and a file that is not
one of the shipment's documents look the same to the caller."""

import re

from .models import ShipmentDocument
from .selectors import shipment_by_token

# A token as the tracking link carries it (secrets.token_urlsafe), alone or at the end of the link.
TRACKING_LINK = re.compile(r"(?:/track/)?([A-Za-z0-9_-]{1,64})/?(?:[?#].*)?$")


def tracking_token_from(link: str) -> str:
    """The token of a tracking link as a person pastes it (the whole address or the token)."""
    match = TRACKING_LINK.search((link or "").strip())
    return match.group(1) if match else ""


def shipment_document_with_digest(link: str, sha256: str) -> ShipmentDocument | None:
    """The document of the linked shipment whose SHA-256 is `sha256`, else None (also for a link
    that leads to no shipment)."""
    shipment = shipment_by_token(tracking_token_from(link))
    if shipment is None:
        return None
    return (
        ShipmentDocument.objects.select_related("shipment")
        .filter(shipment=shipment, sha256=sha256)
        .order_by("uploaded_at", "id")
        .first()
    )
