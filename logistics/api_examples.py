"""API reference examples (shipments and telemetry) for Swagger UI and ReDoc.

Attached to serializers with `extend_schema_serializer(examples=...)`; the values come from a run
against the demo data (`manage.py seed_demo`).
"""

from drf_spectacular.utils import OpenApiExample

SHIPMENT_INPUT = OpenApiExample(
    "Book a reefer truck to Kuala Lumpur",
    summary="Mandarins from Chengdu by road through Mohan",
    value={
        "reference": "BY-MY-2026-002",
        "consignee_name": "Pasar Borong Selayang Fruit Wholesale",
        "consignee_country": "MY",
        "origin": "CNCTU",
        "destination": "MYKUL",
        "transport_mode": "reefer_truck",
        "route": "Chengdu - Mohan - Boten - Bangkok - Kuala Lumpur",
        "incoterm": "CIF",
        "carrier": 4,
        "planned_departure": "2027-01-12T08:00:00+08:00",
        "planned_arrival": "2027-01-17T18:00:00+08:00",
        "items": [
            {
                "product": 1,
                "net_kg": "9600.000",
                "packages": 960,
                "declared_value": "14400.00",
                "currency": "USD",
            }
        ],
    },
    request_only=True,
)


_BOOKED_SHIPMENT = {
    "id": 5,
    "enterprise": 1,
    "reference": "BY-MY-2026-002",
    "status": "booked",
    "allowed_actions": ["dispatch", "cancel"],
    "consignee_name": "Pasar Borong Selayang Fruit Wholesale",
    "consignee_country": "MY",
    "origin": "CNCTU",
    "destination": "MYKUL",
    "transport_mode": "reefer_truck",
    "route": "Chengdu - Mohan - Boten - Bangkok - Kuala Lumpur",
    "incoterm": "CIF",
    "carrier": {"id": 4, "name": "Shudao Cold Chain Logistics", "name_zh": "蜀道冷链物流"},
    "planned_departure": "2027-01-12T00:00:00Z",
    "planned_arrival": "2027-01-17T10:00:00Z",
    "loaded_at": None,
    "temp_min_c": "4.0",
    "temp_max_c": "8.0",
    "excursion_delay_minutes": 15,
    "excursion_mode": "consecutive",
    "ignore_minutes_after_loading": 0,
    "items": [
        {
            "id": 5,
            "product": 1,
            "product_name": "Ai Yuan mandarin",
            "net_kg": "9600.000",
            "packages": 960,
            "declared_value": "14400.00",
            "currency": "USD",
        }
    ],
    "telemetry_summary": {
        "reading_count": 0,
        "temp_min_c": None,
        "temp_max_c": None,
        "temp_mean_c": None,
        "mean_kinetic_temperature_c": None,
        "time_in_band_pct": None,
        "excursion_count": 0,
        "excursion_minutes": 0.0,
        "first_reading_at": None,
        "last_reading_at": None,
        "last_temp_c": None,
    },
    "tracking_token": "K9NZV_naeyxanwYF8_ecFWmViwBlXkSh",
    "created_at": "2026-12-06T01:14:45Z",
    "dispatched_at": None,
    "delivered_at": None,
    "cancelled_at": None,
    "cancel_reason": "",
}


SHIPMENT_BOOKED = OpenApiExample(
    "Booked",
    summary="As booked: the band comes from the product",
    value=_BOOKED_SHIPMENT,
    response_only=True,
)


SHIPMENT_DISPATCHED = OpenApiExample(
    "Dispatched",
    summary="After dispatch: in transit",
    value={
        **_BOOKED_SHIPMENT,
        "status": "in_transit",
        "allowed_actions": [],
        "dispatched_at": "2026-12-06T01:14:46Z",
    },
    response_only=True,
)


READING_BATCH = OpenApiExample(
    "Three readings",
    summary="One sensor, five minutes apart",
    value={
        "readings": [
            {
                "sensor_id": "TRK-SC-A12-T1",
                "time": "2026-12-06T08:00:00+08:00",
                "temp_c": 4.2,
                "humidity": 91.0,
                "latitude": 30.5728,
                "longitude": 104.0668,
            },
            {
                "sensor_id": "TRK-SC-A12-T1",
                "time": "2026-12-06T08:05:00+08:00",
                "temp_c": 4.4,
                "humidity": 90.5,
                "latitude": 30.5412,
                "longitude": 104.0523,
            },
            {
                "sensor_id": "TRK-SC-A12-T1",
                "time": "2026-12-06T08:10:00+08:00",
                "temp_c": 4.6,
                "humidity": 90.2,
                "latitude": 30.5101,
                "longitude": 104.0399,
            },
        ]
    },
    request_only=True,
)


INGEST_RESULT = OpenApiExample(
    "Stored",
    summary="Every reading stored (201)",
    value={
        "received": 3,
        "accepted": 3,
        "duplicate": 0,
        "rejected": 0,
        "rejected_rows": [],
        "telemetry_summary": {
            "reading_count": 3,
            "temp_min_c": 4.2,
            "temp_max_c": 4.6,
            "temp_mean_c": 4.4,
            "mean_kinetic_temperature_c": 4.401,
            "time_in_band_pct": 100.0,
            "excursion_count": 0,
            "excursion_minutes": 0.0,
            "first_reading_at": "2026-12-06T00:00:00Z",
            "last_reading_at": "2026-12-06T00:10:00Z",
            "last_temp_c": 4.6,
        },
    },
    response_only=True,
    status_codes=[201],
)


INGEST_REPLAY = OpenApiExample(
    "Sent again",
    summary="The same batch again: nothing new (200)",
    value={
        "received": 3,
        "accepted": 0,
        "duplicate": 3,
        "rejected": 0,
        "rejected_rows": [],
        "telemetry_summary": {
            "reading_count": 3,
            "temp_min_c": 4.2,
            "temp_max_c": 4.6,
            "temp_mean_c": 4.4,
            "mean_kinetic_temperature_c": 4.401,
            "time_in_band_pct": 100.0,
            "excursion_count": 0,
            "excursion_minutes": 0.0,
            "first_reading_at": "2026-12-06T00:00:00Z",
            "last_reading_at": "2026-12-06T00:10:00Z",
            "last_temp_c": 4.6,
        },
    },
    response_only=True,
    status_codes=[200],
)


READING_CSV = OpenApiExample(
    "Three readings as CSV",
    summary="A header line, then one reading a line",
    value=(
        "sensor_id,time,temp_c,humidity,latitude,longitude\n"
        "TRK-SC-A12-T1,2026-12-06T08:00:00+08:00,4.2,91.0,30.5728,104.0668\n"
        "TRK-SC-A12-T1,2026-12-06T08:05:00+08:00,4.4,90.5,30.5412,104.0523\n"
        "TRK-SC-A12-T1,2026-12-06T08:10:00+08:00,4.6,90.2,30.5101,104.0399\n"
    ),
    media_type="text/csv",
    request_only=True,
)
