"""Staff downloads of uploaded documents in the Django admin.

The admin of an object that holds documents (an application, a shipment, a financing or legal
request) mixes in `DocumentDownloadAdminMixin` and names its documents inline; the inline extends
`ReadOnlyDocumentInline` (, `DocumentInlineMixin`) and shows a "download" link instead of the
storage path. The link is served by
the parent admin (`<object_id>/documents/<document_id>/download/`) to those who may view both the
object and its documents inline, with the same response as the API's download route.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.forms.models import inlineformset_factory
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .documents import document_label, document_response


def download_route_name(parent_model) -> str:
    return f"{parent_model._meta.app_label}_{parent_model._meta.model_name}_document_download"


def admin_download_url(parent_model, parent_id, document_id) -> str:
    return reverse(f"admin:{download_route_name(parent_model)}", args=[parent_id, document_id])


class DocumentInlineMixin:
    """A read-only documents inline: list "download" among `fields` and `readonly_fields`."""

    @property
    def _owner_field(self):
        formset = inlineformset_factory(
            self.parent_model, self.model, fk_name=self.fk_name, fields=()
        )
        return formset.fk  # the foreign key to the parent, as the admin's own formset finds it

    def download(self, document):
        if document is None or document.pk is None:
            return "-"
        parent_id = getattr(document, self._owner_field.attname)
        url = admin_download_url(self.parent_model, parent_id, document.pk)
        return format_html('<a href="{}">{}</a>', url, document_label(document))

    download.short_description = _("File")


DOCUMENT_INLINE_FIELDS = ["download", "content_type", "size", "sha256", "uploaded_at"]


class ReadOnlyDocumentInline(DocumentInlineMixin, admin.TabularInline):
    """The documents of an object, read-only: they come through the API, where their type is judged
    from the content. Subclasses set `model` and list their labels before DOCUMENT_INLINE_FIELDS."""

    extra = 0
    can_delete = False
    fields = DOCUMENT_INLINE_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DocumentDownloadAdminMixin:
    """Serves the documents of `document_inline` (a DocumentInlineMixin inline) to staff."""

    document_inline: type

    def get_urls(self):
        return [
            path(
                "<int:object_id>/documents/<int:document_id>/download/",
                self.admin_site.admin_view(self.document_download_view),
                name=download_route_name(self.model),
            ),
            *super().get_urls(),
        ]

    def document_download_view(self, request, object_id: int, document_id: int):
        owner = get_object_or_404(self.get_queryset(request), pk=object_id)
        inline = self.document_inline(self.model, self.admin_site)
        if not (
            self.has_view_permission(request, owner) and inline.has_view_permission(request, owner)
        ):
            raise PermissionDenied
        documents = inline.model._default_manager.filter(**{inline._owner_field.name: owner})
        document = get_object_or_404(documents, pk=document_id)
        return document_response(document, name=document_label(document))
