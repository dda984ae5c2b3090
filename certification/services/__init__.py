"""Every state change of certification, one module per use-case family: applications.py (the
enterprise side), documents.py, reviews.py (the staff side), certificates.py, expiry.py (expiry and
reminders), pdfs.py (the certificate PDFs and their digests), with the two state machines in workflows.py.

The API views, the Django admin and the Celery tasks call these as `services.<use case>(...)`."""

from .applications import (
    application_create,
    application_submit,
    application_update,
    application_withdraw,
)
from .certificates import (
    certificate_record,
    certificate_reinstate,
    certificate_renew,
    certificate_revoke,
    certificate_suspend,
    expiry_for,
    next_certificate_number,
)
from .documents import document_add, document_remove
from .expiry import certificates_expire, expiry_reminders_send, reminder_threshold
from .pdfs import certificate_pdf_issue
from .reviews import (
    application_add_note,
    application_approve,
    application_assign,
    application_claim,
    application_reject,
    application_request_changes,
)
from .workflows import APPLICATION_WORKFLOW, CERTIFICATE_WORKFLOW, REVIEW_ROLES

__all__ = [
    "APPLICATION_WORKFLOW",
    "CERTIFICATE_WORKFLOW",
    "REVIEW_ROLES",
    "application_add_note",
    "application_approve",
    "application_assign",
    "application_claim",
    "application_create",
    "application_reject",
    "application_request_changes",
    "application_submit",
    "application_update",
    "application_withdraw",
    "certificate_pdf_issue",
    "certificate_record",
    "certificate_reinstate",
    "certificate_renew",
    "certificate_revoke",
    "certificate_suspend",
    "certificates_expire",
    "document_add",
    "document_remove",
    "expiry_for",
    "expiry_reminders_send",
    "next_certificate_number",
    "reminder_threshold",
]
