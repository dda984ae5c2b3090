"""Uploaded documents, one stack for every app that keeps them (certification applications,
shipments, financing and legal requests):

- `UploadedDocument`, the abstract model: the file (stored in the model's `storage_folder`), its
  facts (sniffed type, size, SHA-256), who uploaded it and when; each app's model adds its owner
  and its own labels (`TitledDocument`: a title);
- `document_save`, the one way to store an upload: type and size checked (413/415), a random
  stored name from the sniffed type (never the client's extension), no file left behind when the
  row cannot be saved;
- `UploadedDocumentSerializer` (the base of each app's representation) and
  `TitledDocumentInputSerializer` (an upload with an optional title);
- `documents_action` (list and upload on the owner's viewset), `DocumentUploadMixin` (upload on a
  nested documents viewset) and `DocumentDownloadMixin` (the download route).

Downloads are served on a viewset whose queryset is already scoped to the caller: whoever may see
the document gets the file, anyone else a 404. Nothing is served from /media/.
"""

import logging
import re
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from .uploads import DOCUMENT_CONTENT_TYPES, CheckedDocument, check_document

logger = logging.getLogger(__name__)

EXTENSIONS: dict[str, str] = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
UNSAFE_NAME_CHARACTERS = re.compile(r"[^\w.\- ]+")
MAX_NAME_LENGTH = 100
MAX_TITLE_LENGTH = 200


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


def document_upload_path(document, filename: str) -> str:
    """`upload_to` of every document's `file`: a random name in the model's `storage_folder`
    (formatted with the row's attributes, e.g. "shipments/{shipment_id}")."""
    return stored_name(document.storage_folder.format_map(vars(document)), document.content_type)


class UploadedDocument(models.Model):
    """What every stored document keeps besides its owner and labels: the file, its facts (sniffed
    type, size, SHA-256), who uploaded it and when."""

    storage_folder: str
    file = models.FileField(_("file"), upload_to=document_upload_path, max_length=300)

    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True


class TitledDocument(UploadedDocument):
    """A document its uploader may name (finance and legal): the name, else the file's."""

    title = models.CharField(_("title"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=50)

    class Meta(UploadedDocument.Meta):
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.title or self.file.name


def client_file_name(upload, *, limit: int = MAX_TITLE_LENGTH) -> str:
    """The name the client gave the upload, its end kept (the extension) when it is too long."""
    return (upload.name or "document").rsplit("/", 1)[-1][-limit:]


def document_save(
    document: UploadedDocument,
    *,
    upload,
    actor,
    checked: CheckedDocument | None = None,
    field: str = "file",
) -> UploadedDocument:
    """Store `upload` as the file of the unsaved `document` (its owner and labels already set).

    The upload is checked here (413/415 naming `field`) unless the caller checked it before taking
    its locks; a row that cannot be saved takes its stored file with it."""
    checked = checked or check_document(upload, field=field)
    document.content_type = checked.content_type
    document.size = checked.size
    document.sha256 = checked.sha256
    document.uploaded_by = actor
    document.file.save(client_file_name(upload, limit=MAX_NAME_LENGTH), upload, save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)  # nothing half-written: drop the stored file
        raise
    return document


def document_label(document) -> str:
    """What a person calls the document: the uploaded name, its title, or its type and number."""
    for attribute in ("original_name", "title"):
        if getattr(document, attribute, ""):
            return getattr(document, attribute)
    parts = [getattr(document, "doc_type", ""), getattr(document, "number", "")]
    return "-".join(part for part in parts if part) or gettext("document")


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
        raise Http404(gettext("The file of this document is missing.")) from None
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
        kwargs.setdefault("help_text", _("Authenticated download of the file (same credentials)."))
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, document):
        path = reverse(
            self.route,
            kwargs={f"{self.owner}_pk": getattr(document, f"{self.owner}_id"), "pk": document.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


DOCUMENT_FIELDS = ["download_url", "content_type", "size", "sha256", "uploaded_at"]
TITLED_DOCUMENT_FIELDS = ["id", "title", *DOCUMENT_FIELDS]


class UploadedDocumentSerializer(serializers.ModelSerializer):
    """Base of a document's representation: subclasses set `download_url` (a DownloadUrlField)
    and `Meta.model`, and list their own fields before `DOCUMENT_FIELDS`."""

    class Meta:
        fields = DOCUMENT_FIELDS
        read_only_fields = fields


class TitledDocumentSerializer(UploadedDocumentSerializer):
    """A document its uploader may name: subclasses set `download_url` and `Meta.model`."""

    class Meta:
        fields = TITLED_DOCUMENT_FIELDS
        read_only_fields = fields


class TitledDocumentInputSerializer(serializers.Serializer):
    """The multipart input of an upload that its uploader may name (finance and legal)."""

    file = serializers.FileField()
    title = serializers.CharField(
        max_length=MAX_TITLE_LENGTH, required=False, allow_blank=True, default=""
    )


def _documents_answer(view, request, *, owner_name, listed, add, serializer, input_serializer):
    owner = view.get_object()
    context = view.get_serializer_context()
    if request.method == "GET":
        return Response(serializer(listed(owner), many=True, context=context).data)
    data = input_serializer(data=request.data)
    data.is_valid(raise_exception=True)
    fields = dict(data.validated_data)
    document = add(actor=request.user, upload=fields.pop("file"), **{owner_name: owner}, **fields)
    return Response(serializer(document, context=context).data, status=status.HTTP_201_CREATED)


def documents_action(
    *,
    owner_name: str,
    listed,
    add,
    serializer,
    input_serializer,
    list_summary: str,
    list_description: str,
    upload_summary: str,
    upload_description: str,
):
    """`GET/POST {owner}/{pk}/documents/` on the owner's viewset: the documents of the owner the
    caller may see (`listed(owner)`), and an upload stored by `add(actor=, upload=, <owner_name>=,
    **labels)` answering 201 with the document."""

    def documents(self, request, pk=None):
        return _documents_answer(
            self,
            request,
            owner_name=owner_name,
            listed=listed,
            add=add,
            serializer=serializer,
            input_serializer=input_serializer,
        )

    documents = action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        filterset_class=None,
        parser_classes=[MultiPartParser],
    )(documents)
    documents = extend_schema(
        methods=["POST"],
        summary=upload_summary,
        description=upload_description,
        request={"multipart/form-data": input_serializer},
        responses={201: serializer},
    )(documents)
    return extend_schema(
        methods=["GET"],
        request=None,
        responses={200: serializer(many=True)},
        summary=list_summary,
        description=list_description,
    )(documents)


class DocumentUploadMixin:
    """`POST` on a nested documents viewset: the owner from `get_document_owner()` (a 404 when the
    caller may not see it), the labels from `upload_serializer_class`, stored by `add_document`."""

    upload_serializer_class: type[serializers.Serializer]

    def get_document_owner(self):
        raise NotImplementedError

    def add_document(self, *, owner, upload, **labels):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        owner = self.get_document_owner()
        data = self.upload_serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        document = self.add_document(owner=owner, upload=fields.pop("file"), **fields)
        return Response(self.get_serializer(document).data, status=status.HTTP_201_CREATED)


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
