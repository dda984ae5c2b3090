"""Uploaded documents: type judged from the content (not the name), size limit, SHA-256.

Used by every app that takes documents (certification applications, shipments, finance, legal).
"""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status

from .errors import ApplicationError

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# Leading bytes of the formats we accept, and the content type each stands for.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
DOCUMENT_CONTENT_TYPES: tuple[str, ...] = tuple(content_type for _, content_type in SIGNATURES)


class PayloadTooLarge(ApplicationError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    code = "payload_too_large"
    title = _("Payload too large")


class UnsupportedMediaType(ApplicationError):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    code = "unsupported_media_type"
    title = _("Unsupported media type")


@dataclass(frozen=True)
class CheckedDocument:
    content_type: str
    size: int
    sha256: str


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def check_document(
    upload, *, max_bytes: int = MAX_DOCUMENT_BYTES, field: str = "file"
) -> CheckedDocument:
    """Validate an UploadedFile: PDF, JPEG or PNG by content, at most `max_bytes`.

    Raises 413 or 415 problem details naming the limit or the accepted types; rewinds the file.
    """
    if upload.size > max_bytes:
        raise PayloadTooLarge(
            gettext("The document is %(size)d bytes; the limit is %(limit)d bytes.")
            % {"size": upload.size, "limit": max_bytes},
            field=field,
            limit_bytes=max_bytes,
        )
    upload.seek(0)
    content_type = sniff_content_type(upload.read(16))
    if content_type is None:
        raise UnsupportedMediaType(
            gettext(
                "Only PDF, JPEG and PNG documents are accepted (judged from the content, not the "
                "name)."
            ),
            field=field,
            accepted=[content_type for _, content_type in SIGNATURES],
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedDocument(content_type=content_type, size=upload.size, sha256=digest.hexdigest())
