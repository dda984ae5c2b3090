"""API reference examples (webhook endpoints) for Swagger UI and ReDoc.

Attached to serializers with `extend_schema_serializer(examples=...)`; the values come from a run
against the demo data (`manage.py seed_demo`).
"""

from drf_spectacular.utils import OpenApiExample

ENDPOINT_INPUT = OpenApiExample(
    "A bank's ERP",
    summary="Finance events and dispatches",
    value={
        "url": "https://erp.bocd-tradefinance.example/hooks/agri-trade",
        "description": "Trade finance ERP",
        "event_kinds": ["finance.*", "shipment.dispatched"],
    },
    request_only=True,
)


ENDPOINT_WITH_SECRET = OpenApiExample(
    "Endpoint with its secret",
    summary="The secret is shown only here and on rotate-secret",
    value={
        "id": 1,
        "partner": 1,
        "url": "https://erp.bocd-tradefinance.example/hooks/agri-trade",
        "description": "Trade finance ERP",
        "event_kinds": ["finance.*", "shipment.dispatched"],
        "is_active": True,
        "consecutive_failures": 0,
        "disabled_at": None,
        "disabled_reason": "",
        "secret_rotation_ends_at": None,
        "created_at": "2026-12-06T01:15:41Z",
        "updated_at": "2026-12-06T01:15:41Z",
        "archived_at": None,
        "secret": "whsec_F18v0U4HvS9A+52a+YNS6bkdik0b8dPEfPmCKFmd2Gk=",
    },
    response_only=True,
)
