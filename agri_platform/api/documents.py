"""Serving uploaded documents: one stored-name rule, one download link, one download response.

Every app that keeps documents (certification applications, shipments, financing and legal requests)
stores them under a name chosen here from the sniffed content type (never the client's extension),
shows `download_url` in its API representation, and serves that URL with `DocumentDownloadMixin`
on a viewset whose queryset is already scoped to the caller: whoever may see the document gets the
file, anyone else a 404. Nothing is served from /media/.
"""

import logging
import re
import secrets
from pathlib import PurePosixPath

from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action

from .uploads import DOCUMENT_CONTENT_TYPES

logger = logging.getLogger(__name__)

EXTENSIONS: dict[str, str] = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
UNSAFE_NAME_CHARACTERS = re.compile(r"[^\w.\- ]+")
MAX_NAME_LENGTH = 100


def extension_for(content_type: str) -> str:
    return EXTENSIONS.get(content_type, ".bin")


def stored_name(folder: str, content_type: str) -> str:
    """Storage path for a new document: a random name with the extension of the sniffed type."""
    return f"{folder}/{secrets.token_hex(12)}{extension_for(content_type)}"


def download_name(name: str, content_type: str) -> str:
    """The file name offered to the browser: the client's stem, made safe, with the sniffed type's
    extension ("poly.html" holding a PDF downloads as "poly.pdf")."""
    stem = PurePosixPath(name.replace("\\", "/")).stem
    stem = UNSAFE_NAME_CHARACTERS.sub("_", stem).strip(" ._") or "document"
    return f"{stem[:MAX_NAME_LENGTH]}{extension_for(content_type)}"


def document_label(document) -> str:
    """What a person calls the document: the uploaded name, its title, or its type and number."""
    for attribute in ("original_name", "title"):
        if getattr(document, attribute, ""):
            return getattr(document, attribute)
    parts = [getattr(document, "doc_type", ""), getattr(document, "number", "")]
    return "-".join(part for part in parts if part) or "document"


def document_response(document, *, name: str) -> FileResponse:
    """Stream `document.file` as an attachment of its sniffed type, never rendered by a browser.

    A row whose file is gone from storage (a lost volume, a restore without media) is a 404 for
    the caller and an error in the log for the operators."""
    try:
        stream = document.file.open("rb")
    except FileNotFoundError:
        logger.error(
            "document %s %s: file %s is missing from storage",
            type(document).__name__,
            document.pk,
            document.file.name,
        )
        raise Http404("The file of this document is missing.") from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=download_name(name, document.content_type),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@extend_schema_field(OpenApiTypes.URI)
class DownloadUrlField(serializers.Field):
    """Read-only absolute URL of a document's download route.

    `route` is the URL name; `owner` the keyword of the owning object in that route
    (e.g. "shipment" for shipments/<shipment_pk>/documents/<pk>/download/).
    """

    def __init__(self, *, route: str, owner: str, **kwargs):
        self.route = route
        self.owner = owner
        kwargs.setdefault("help_text", "Authenticated download of the file (same credentials).")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, document):
        path = reverse(
            self.route,
            kwargs={f"{self.owner}_pk": getattr(document, f"{self.owner}_id"), "pk": document.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class DocumentDownloadMixin:
    """Adds `GET …/{pk}/download/` to a viewset whose `get_queryset` is scoped to the caller."""

    @extend_schema(
        responses={
            (200, content_type): OpenApiTypes.BINARY for content_type in DOCUMENT_CONTENT_TYPES
        },
        summary="Download the document",
        description="The file itself, as an attachment of the type sniffed at upload. "
        "A document the caller may not see answers 404.",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def download(self, request, *args, **kwargs):
        document = self.get_object()
        return document_response(document, name=document_label(document))
