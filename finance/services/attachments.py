"""Evidence (the enterprise's own shipments or certificates) and documents attached to a request."""

from django.db import transaction
from django.utils.translation import gettext as _

from agri_platform.api.documents import client_file_name, document_save
from agri_platform.api.errors import Conflict, ValidationFailed
from agri_platform.events import services as events

from .. import evidence as evidence_registry
from ..choices import RequestStatus
from ..models import FinancingDocument, FinancingEvidence, FinancingRequest
from ._common import request_lock, request_payload, routed_partners
from .workflows import REQUEST_WORKFLOW

S = RequestStatus


@transaction.atomic
def evidence_add(
    *, actor, financing_request: FinancingRequest, kind: str, object_id: str
) -> FinancingEvidence:
    """Link one of the enterprise's own shipments or certificates; its summary is snapshotted."""
    financing_request = request_lock(financing_request)
    REQUEST_WORKFLOW.check("add_evidence", actor=actor, obj=financing_request)
    object_id = str(object_id).strip()
    if not object_id:
        raise ValidationFailed(_("Name the object to link."), field="object_id")
    if financing_request.evidence.filter(kind=kind, object_id=object_id).exists():
        raise Conflict(_("This object is already linked as evidence."), code="evidence_exists")
    summary = evidence_registry.resolve(
        kind, enterprise=financing_request.enterprise, object_id=object_id
    )
    item = FinancingEvidence.objects.create(
        request=financing_request, kind=kind, object_id=object_id, summary=summary, added_by=actor
    )
    if financing_request.status != S.DRAFT:
        events.record(
            "finance.request.evidence_added",
            payload=request_payload(financing_request, evidence_kind=kind, object_id=object_id),
            enterprise=financing_request.enterprise,
            actor=actor,
            subject=financing_request,
            partners=routed_partners(financing_request),
        )
    return item


@transaction.atomic
def document_add(
    *, actor, financing_request: FinancingRequest, upload, title: str = ""
) -> FinancingDocument:
    financing_request = request_lock(financing_request)
    REQUEST_WORKFLOW.check("add_document", actor=actor, obj=financing_request)
    document = FinancingDocument(request=financing_request, title=title or client_file_name(upload))
    return document_save(document, upload=upload, actor=actor)
