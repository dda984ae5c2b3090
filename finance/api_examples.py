"""API reference examples (financing requests and offers) for Swagger UI and ReDoc.

Attached to serializers with `extend_schema_serializer(examples=...)`; the values come from a run
against the demo data (`manage.py seed_demo`).
"""

from drf_spectacular.utils import OpenApiExample

REQUEST_INPUT = OpenApiExample(
    "Pre-shipment loan",
    summary="CNY 500,000 for 90 days",
    value={
        "kind": "pre_shipment_loan",
        "amount": "500000.00",
        "currency": "CNY",
        "term_days": 90,
        "purpose": "Packing and cold-chain costs of the 2027 mandarin season to Malaysia",
    },
    request_only=True,
)


REQUEST_UPDATE = OpenApiExample(
    "Change amount and term",
    summary="Only the fields sent change (drafts only)",
    value={"amount": "450000.00", "term_days": 120},
    request_only=True,
)


REQUEST_DRAFT = OpenApiExample(
    "Draft",
    summary="As created",
    value={
        "id": 4,
        "enterprise": 1,
        "enterprise_name": "Baiyang Village Fruit and Vegetable Cold-Chain Sorting and "
        "Packaging Centre",
        "kind": "pre_shipment_loan",
        "amount": "500000.00",
        "currency": "CNY",
        "term_days": 90,
        "purpose": "Packing and cold-chain costs of the 2027 mandarin season to Malaysia",
        "status": "draft",
        "status_reason": "",
        "allowed_actions": ["add_document", "add_evidence", "submit", "update", "withdraw"],
        "routed_partners": [],
        "evidence": [],
        "accepted_offer": None,
        "disbursement_reference": "",
        "created_at": "2026-12-06T01:15:37Z",
        "submitted_at": None,
        "routed_at": None,
        "accepted_at": None,
        "disbursed_at": None,
        "closed_at": None,
    },
    response_only=True,
)


REQUEST_ROUTED = OpenApiExample(
    "Routed",
    summary="Routed to a bank, which may now offer",
    value={
        "id": 4,
        "enterprise": 1,
        "enterprise_name": "Baiyang Village Fruit and Vegetable Cold-Chain Sorting and "
        "Packaging Centre",
        "kind": "pre_shipment_loan",
        "amount": "500000.00",
        "currency": "CNY",
        "term_days": 90,
        "purpose": "Packing and cold-chain costs of the 2027 mandarin season to Malaysia",
        "status": "routed",
        "status_reason": "",
        "allowed_actions": [
            "add_document",
            "add_evidence",
            "decline",
            "offer",
            "route",
            "withdraw",
        ],
        "routed_partners": [
            {
                "id": 1,
                "name": "Bank of Chengdu Trade Finance",
                "name_zh": "成都银行国际业务部",
                "kind": "bank",
            }
        ],
        "evidence": [],
        "accepted_offer": None,
        "disbursement_reference": "",
        "created_at": "2026-12-06T01:15:37Z",
        "submitted_at": "2026-12-06T01:15:37Z",
        "routed_at": "2026-12-06T01:15:39Z",
        "accepted_at": None,
        "disbursed_at": None,
        "closed_at": None,
    },
    response_only=True,
)


OFFER_INPUT = OpenApiExample(
    "A bank's offer",
    summary="Rate, fees and validity; `external_reference` makes it retry-safe",
    value={
        "amount": "500000.00",
        "rate_percent": "3.850",
        "term_days": 90,
        "fees": "1500.00",
        "conditions": "Assignment of the export proceeds; cargo insured for 110% of CIF value",
        "valid_until": "2027-01-05T18:00:00+08:00",
        "external_reference": "BOCD-TF-2026-00418",
    },
    request_only=True,
)


OFFER_PENDING = OpenApiExample(
    "Pending offer",
    summary="As made, with its total cost",
    value={
        "id": 4,
        "request": 4,
        "partner": {
            "id": 1,
            "name": "Bank of Chengdu Trade Finance",
            "name_zh": "成都银行国际业务部",
            "kind": "bank",
        },
        "status": "pending",
        "amount": "500000.00",
        "currency": "CNY",
        "rate_percent": "3.8500",
        "term_days": 90,
        "fees": "1500.00",
        "total_cost": "6246.58",
        "conditions": "Assignment of the export proceeds; cargo insured for 110% of CIF value",
        "valid_until": "2027-01-05T10:00:00Z",
        "external_reference": "BOCD-TF-2026-00418",
        "created_at": "2026-12-06T01:15:40Z",
        "decided_at": None,
        "allowed_actions": ["accept", "decline"],
    },
    response_only=True,
)


OFFER_ACCEPTED = OpenApiExample(
    "Accepted offer",
    summary="After accept",
    value={
        "id": 4,
        "request": 4,
        "partner": {
            "id": 1,
            "name": "Bank of Chengdu Trade Finance",
            "name_zh": "成都银行国际业务部",
            "kind": "bank",
        },
        "status": "accepted",
        "amount": "500000.00",
        "currency": "CNY",
        "rate_percent": "3.8500",
        "term_days": 90,
        "fees": "1500.00",
        "total_cost": "6246.58",
        "conditions": "Assignment of the export proceeds; cargo insured for 110% of CIF value",
        "valid_until": "2027-01-05T10:00:00Z",
        "external_reference": "BOCD-TF-2026-00418",
        "created_at": "2026-12-06T01:15:40Z",
        "decided_at": "2026-12-06T01:15:40Z",
        "allowed_actions": [],
    },
    response_only=True,
)
