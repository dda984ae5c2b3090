"""The documents an enterprise attaches to its application while it may still edit it."""

from django.db import transaction

from agri_platform.api.documents import client_file_name, document_save
from agri_platform.api.uploads import check_document

from ..models import Application, ApplicationDocument
from ._common import lock_application
from .workflows import APPLICATION_WORKFLOW, EDIT_ACTION


def document_add(*, actor, application: Application, kind: str, upload) -> ApplicationDocument:
    checked = check_document(upload)  # 413/415 before any lock or write
    with transaction.atomic():
        application = lock_application(application)
        APPLICATION_WORKFLOW.check(EDIT_ACTION, actor=actor, obj=application)
        document = ApplicationDocument(
            application=application, kind=kind, original_name=client_file_name(upload)
        )
        return document_save(document, upload=upload, actor=actor, checked=checked)


@transaction.atomic
def document_remove(*, actor, document: ApplicationDocument) -> None:
    application = lock_application(document.application_id)
    APPLICATION_WORKFLOW.check(EDIT_ACTION, actor=actor, obj=application)
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name), robust=True)
