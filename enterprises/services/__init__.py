"""State changes for enterprises, one module per use-case family:

- `registration`: register an enterprise, edit its profile (identity fields lock once verified).
- `verification`: the verification workflow and `require_verified`, the gate later services call
  before acting (apply, book, finance).
- `members`: invitations and members (invite, revoke, accept, change a role, remove).
- `bases_products`: production bases and products.
- `documents`: the enterprise's own documents (its business licence).
- `_common`: the event payload and who may act for an enterprise, shared by the modules above.

Every function takes keyword-only arguments, runs in one transaction, checks the actor and (for the
workflow) the transition, and records its domain event with `agri_platform.events.services.record`.
The use cases callers name are re-exported here (`from enterprises import services`).
"""

from .bases_products import (
    product_create,
    product_delete,
    product_update,
    production_base_create,
    production_base_delete,
    production_base_update,
)
from .documents import enterprise_document_add
from .members import (
    invitation_revoke,
    member_accept,
    member_change_role,
    member_invite,
    member_remove,
)
from .registration import enterprise_register, enterprise_update
from .verification import (
    REVIEWER_ROLES,
    VERIFICATION_WORKFLOW,
    enterprise_reinstate,
    enterprise_reject,
    enterprise_resubmit,
    enterprise_suspend,
    enterprise_verify,
    require_verified,
)

__all__ = [
    "REVIEWER_ROLES",
    "VERIFICATION_WORKFLOW",
    "enterprise_document_add",
    "enterprise_register",
    "enterprise_reinstate",
    "enterprise_reject",
    "enterprise_resubmit",
    "enterprise_suspend",
    "enterprise_update",
    "enterprise_verify",
    "invitation_revoke",
    "member_accept",
    "member_change_role",
    "member_invite",
    "member_remove",
    "product_create",
    "product_delete",
    "product_update",
    "production_base_create",
    "production_base_delete",
    "production_base_update",
    "require_verified",
]
