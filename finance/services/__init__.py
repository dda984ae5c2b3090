"""Every state change of trade finance, one module per kind of use case: requests.py (draft to
close), offers.py (a partner's offer and its expiry), attachments.py (evidence and documents);
workflows.py holds who may do what in which status.

Each function locks the request row (`select_for_update`), checks the transition table and the
actor, stamps who and when, saves with `update_fields` and records the domain event, all in one
transaction. Lock order is always request → offers, so accept/expire/withdraw cannot deadlock.
"""

from ._common import MAX_TERM_DAYS
from .attachments import document_add, evidence_add
from .offers import offer_accept, offer_create, offer_decline, offer_expire, offers_expire_due
from .requests import (
    request_close,
    request_create,
    request_decline,
    request_disburse,
    request_route,
    request_submit,
    request_update,
    request_withdraw,
)
from .workflows import OFFER_WORKFLOW, REQUEST_WORKFLOW

__all__ = [
    "MAX_TERM_DAYS",
    "OFFER_WORKFLOW",
    "REQUEST_WORKFLOW",
    "document_add",
    "evidence_add",
    "offer_accept",
    "offer_create",
    "offer_decline",
    "offer_expire",
    "offers_expire_due",
    "request_close",
    "request_create",
    "request_decline",
    "request_disburse",
    "request_route",
    "request_submit",
    "request_update",
    "request_withdraw",
]
