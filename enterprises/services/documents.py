"""The enterprise's own documents (its business licence): owners and admins upload them."""

from django.db import transaction
from django.utils.translation import gettext as _

from agri_platform.accounts.models import User
from agri_platform.api.documents import client_file_name, document_save
from agri_platform.api.errors import ValidationFailed
from agri_platform.api.uploads import check_document

from ..choices import EnterpriseDocumentKind
from ..models import Enterprise, EnterpriseDocument
from ._common import require_administrator


def enterprise_document_add(
    *, actor: User, enterprise: Enterprise, kind: str, upload
) -> EnterpriseDocument:
    require_administrator(actor, enterprise)
    if kind not in EnterpriseDocumentKind.values:
        raise ValidationFailed(
            _("The document kind must be one of %(kinds)s.")
            % {"kinds": ", ".join(EnterpriseDocumentKind.values)},
            field="kind",
        )
    checked = check_document(upload)  # 413/415 before any write
    with transaction.atomic():
        document = EnterpriseDocument(
            enterprise=enterprise, kind=kind, original_name=client_file_name(upload)
        )
        return document_save(document, upload=upload, actor=actor, checked=checked)
