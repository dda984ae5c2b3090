"""The document check: is an uploaded file exactly a PDF the platform issued (a certificate's PDF,
or, for whoever holds the tracking link, one of that shipment's documents)? The page
`/verify/document/` and the API's `POST documents/check/` both ask `check_document_upload`.

Only the file's SHA-256 is compared: even one changed byte makes a different digest. The upload is
read, never stored, and a miss never says which certificate is close."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext

from agri_platform.api.uploads import UnsupportedMediaType, check_document

from .models import CertificateDocument

# (tracking link, sha256) -> the shipment's document with that digest, or None. Logistics owns
# shipment documents and registers its lookup when it starts (logistics/apps.py), so the
# dependency runs one way: logistics -> certification.
ShipmentDocumentLookup = Callable[[str, str], object | None]
_shipment_document_with_digest: ShipmentDocumentLookup | None = None


def register_shipment_documents(lookup: ShipmentDocumentLookup) -> None:
    global _shipment_document_with_digest
    _shipment_document_with_digest = lookup


@dataclass(frozen=True)
class DocumentCheck:
    sha256: str
    certificate_document: CertificateDocument | None = None
    shipment_document: object | None = None  # a logistics ShipmentDocument

    @property
    def issued(self) -> bool:
        return self.certificate_document is not None or self.shipment_document is not None


def certificate_document_with_digest(sha256: str) -> CertificateDocument | None:
    return (
        CertificateDocument.objects.select_related(
            "certificate", "certificate__enterprise", "certificate__scheme"
        )
        .filter(sha256=sha256)
        .order_by("-issued_at", "-id")
        .first()
    )


def check_document_upload(upload, *, tracking_link: str = "", field: str = "file") -> DocumentCheck:
    """The answer for an uploaded PDF (413 over the upload limit, 415 when it is not a PDF)."""
    checked = check_document(upload, field=field)
    if checked.content_type != "application/pdf":
        raise UnsupportedMediaType(
            gettext("Only PDF documents can be checked (judged from the content, not the name)."),
            field=field,
            accepted=["application/pdf"],
        )
    lookup = _shipment_document_with_digest
    shipment_document = (
        lookup(tracking_link, checked.sha256) if tracking_link and lookup is not None else None
    )
    return DocumentCheck(
        sha256=checked.sha256,
        certificate_document=certificate_document_with_digest(checked.sha256),
        shipment_document=shipment_document,
    )
