"""API reference examples (certification applications) for Swagger UI and ReDoc.

Attached to serializers with `extend_schema_serializer(examples=...)`; the values come from a run
against the demo data (`manage.py seed_demo`).
"""

from drf_spectacular.utils import OpenApiExample

APPLICATION_CREATE = OpenApiExample(
    "Apply for GLOBALG.A.P.",
    summary="Two products in scope",
    value={
        "scheme": "GLOBALGAP",
        "scope_products": [1, 2],
        "scope_bases": [],
        "scope_note": "Ai Yuan and Bu Zhi Huo mandarins from the Pujiang orchards",
    },
    request_only=True,
)


APPLICATION_DRAFT = OpenApiExample(
    "Draft",
    summary="As created: upload the documents, then submit",
    value={
        "id": 2,
        "enterprise": 1,
        "enterprise_name": "新津区安西镇白杨村果蔬冷链分选包装中心",
        "prefecture": "510100",
        "scheme": "GLOBALGAP",
        "scheme_name": "GlobalG.A.P. Integrated Farm Assurance",
        "status": "draft",
        "allowed_actions": ["edit", "submit", "withdraw"],
        "scope_products": [2, 1],
        "scope_bases": [],
        "scope_note": "Ai Yuan and Bu Zhi Huo mandarins from the Pujiang orchards",
        "reviewer": None,
        "submitted_at": None,
        "last_submitted_at": None,
        "sla_due_at": None,
        "sla_breached": False,
        "decided_at": None,
        "decision_reason": "",
        "renewal_of": None,
        "certificate": None,
        "documents": [],
        "created_at": "2026-12-06T01:14:45Z",
        "updated_at": "2026-12-06T01:14:45Z",
        "timeline": [
            {
                "id": 4,
                "action": "create",
                "actor": {"id": 4, "name": "Zhang Exporter"},
                "from_status": "",
                "to_status": "draft",
                "comment": "",
                "internal": False,
                "created_at": "2026-12-06T01:14:45Z",
            }
        ],
    },
    response_only=True,
)


APPLICATION_SUBMITTED = OpenApiExample(
    "Submitted",
    summary="After submit: waiting for a reviewer, with its deadline",
    value={
        "id": 2,
        "enterprise": 1,
        "enterprise_name": "新津区安西镇白杨村果蔬冷链分选包装中心",
        "prefecture": "510100",
        "scheme": "GLOBALGAP",
        "scheme_name": "GlobalG.A.P. Integrated Farm Assurance",
        "status": "submitted",
        "allowed_actions": ["claim", "assign", "withdraw"],
        "scope_products": [2, 1],
        "scope_bases": [],
        "scope_note": "Ai Yuan and Bu Zhi Huo mandarins from the Pujiang orchards",
        "reviewer": None,
        "submitted_at": "2026-12-06T01:14:45Z",
        "last_submitted_at": "2026-12-06T01:14:45Z",
        "sla_due_at": "2026-12-26T01:14:45Z",
        "sla_breached": False,
        "decided_at": None,
        "decision_reason": "",
        "renewal_of": None,
        "certificate": None,
        "documents": [
            {
                "id": 4,
                "application": 2,
                "kind": "business_licence",
                "original_name": "business_licence.pdf",
                "download_url": "https://agri-trade.example/api/v1/certification/applications/2/documents/4/download/",
                "content_type": "application/pdf",
                "size": 38,
                "sha256": "a02b7612fbbda160e833d38b9135719e884dc954db8e8fd2e2ecd3fe6f89e9d4",
                "uploaded_at": "2026-12-06T01:14:45Z",
            },
            {
                "id": 5,
                "application": 2,
                "kind": "site_plan",
                "original_name": "site_plan.pdf",
                "download_url": "https://agri-trade.example/api/v1/certification/applications/2/documents/5/download/",
                "content_type": "application/pdf",
                "size": 38,
                "sha256": "a02b7612fbbda160e833d38b9135719e884dc954db8e8fd2e2ecd3fe6f89e9d4",
                "uploaded_at": "2026-12-06T01:14:45Z",
            },
            {
                "id": 6,
                "application": 2,
                "kind": "traceability",
                "original_name": "traceability.pdf",
                "download_url": "https://agri-trade.example/api/v1/certification/applications/2/documents/6/download/",
                "content_type": "application/pdf",
                "size": 38,
                "sha256": "a02b7612fbbda160e833d38b9135719e884dc954db8e8fd2e2ecd3fe6f89e9d4",
                "uploaded_at": "2026-12-06T01:14:45Z",
            },
        ],
        "created_at": "2026-12-06T01:14:45Z",
        "updated_at": "2026-12-06T01:14:45Z",
        "timeline": [
            {
                "id": 4,
                "action": "create",
                "actor": {"id": 4, "name": "Zhang Exporter"},
                "from_status": "",
                "to_status": "draft",
                "comment": "",
                "internal": False,
                "created_at": "2026-12-06T01:14:45Z",
            },
            {
                "id": 5,
                "action": "submit",
                "actor": {"id": 4, "name": "Zhang Exporter"},
                "from_status": "draft",
                "to_status": "submitted",
                "comment": "",
                "internal": False,
                "created_at": "2026-12-06T01:14:45Z",
            },
        ],
    },
    response_only=True,
)
