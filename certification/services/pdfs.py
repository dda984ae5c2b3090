"""Certificate PDFs: issued with the certificate, kept with their SHA-256 (the registry anyone can
check a PDF against)."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from ..models import Certificate, CertificateDocument
from ..pdf import certificate_pdf_bytes


@transaction.atomic
def certificate_pdf_issue(certificate: Certificate) -> CertificateDocument:
    """The certificate's current PDF, written (file and row with its SHA-256) if it has none yet.

    Called when a certificate is issued and, for certificates issued before PDFs existed, the
    first time its PDF is asked for. The certificate row is locked, so two requests at once issue
    one PDF; asking again answers the same document."""
    Certificate.objects.select_for_update().filter(pk=certificate.pk).first()
    current = certificate.documents.order_by("-issued_at", "-id").first()
    if current is not None:
        return current
    content = certificate_pdf_bytes(certificate)
    document = CertificateDocument(
        certificate=certificate, sha256=hashlib.sha256(content).hexdigest(), size=len(content)
    )
    document.file.save(f"{certificate.number}.pdf", ContentFile(content), save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)  # nothing half-written: drop the stored file
        raise
    return document
