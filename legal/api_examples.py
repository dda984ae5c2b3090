"""API reference examples (legal cases and their thread) for Swagger UI and ReDoc.

Attached to serializers with `extend_schema_serializer(examples=...)`; the values come from a run
against the demo data (`manage.py seed_demo`).
"""

from drf_spectacular.utils import OpenApiExample

REQUEST_INPUT = OpenApiExample(
    "Madrid trademark filing",
    summary="A citrus brand designated in Malaysia and Thailand",
    value={
        "kind": "trademark_registration",
        "title": "Register the 蒲江柑橘 mark in Malaysia and Thailand",
        "description": "Madrid Protocol filing for our citrus brand (word and device, class "
        "31), based on our Chinese registration.",
        "trademark": "蒲江柑橘 PUJIANG CITRUS",
        "designations": [{"country": "MY"}, {"country": "TH"}],
        "deadline": "2027-03-31",
    },
    request_only=True,
)


REQUEST = OpenApiExample(
    "Submitted case",
    summary="As filed: an officer assigns a law firm next",
    value={
        "id": 2,
        "enterprise": 1,
        "enterprise_name": "Baiyang Village Fruit and Vegetable Cold-Chain Sorting and "
        "Packaging Centre",
        "kind": "trademark_registration",
        "title": "Register the 蒲江柑橘 mark in Malaysia and Thailand",
        "description": "Madrid Protocol filing for our citrus brand (word and device, class "
        "31), based on our Chinese registration.",
        "trademark": "蒲江柑橘 PUJIANG CITRUS",
        "countries": ["MY", "TH"],
        "designations": [
            {
                "country": "MY",
                "nice_classes": [],
                "status": "requested",
                "note": "",
                "updated_at": "2026-12-06T01:15:40Z",
            },
            {
                "country": "TH",
                "nice_classes": [],
                "status": "requested",
                "note": "",
                "updated_at": "2026-12-06T01:15:40Z",
            },
        ],
        "deadline": "2027-03-31",
        "status": "submitted",
        "status_reason": "",
        "allowed_actions": ["add_document", "assign", "message", "withdraw"],
        "assigned_firm": None,
        "resolution": "",
        "created_at": "2026-12-06T01:15:40Z",
        "assigned_at": None,
        "started_at": None,
        "resolved_at": None,
        "closed_at": None,
    },
    response_only=True,
)


MESSAGE_INPUT = OpenApiExample(
    "A message",
    summary="The enterprise writes to its law firm",
    value={
        "body": "The Chinese registration certificate (No. 45123456) is attached to the case "
        "documents."
    },
    request_only=True,
)


MESSAGE = OpenApiExample(
    "Message",
    summary="As posted",
    value={
        "id": 1,
        "author_side": "enterprise",
        "author_name": "Zhang Exporter",
        "body": "The Chinese registration certificate (No. 45123456) is attached to the case "
        "documents.",
        "is_internal": False,
        "attachments": [],
        "created_at": "2026-12-06T01:15:41Z",
    },
    response_only=True,
)
