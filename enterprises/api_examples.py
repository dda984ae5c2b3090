"""API reference examples (enterprise registration and products) for Swagger UI and ReDoc.

Attached to serializers with `extend_schema_serializer(examples=...)`; the values come from a run
against the demo data (`manage.py seed_demo`).
"""

from drf_spectacular.utils import OpenApiExample

ENTERPRISE_REGISTER = OpenApiExample(
    "Register a tea exporter",
    summary="An exporter in Ya'an registers its enterprise",
    value={
        "uscc": "915118007MA6ABCD1Q",
        "name_zh": "雅安蒙顶山茶业出口有限公司",
        "name_en": "Ya'an Mengdingshan Tea Export Co., Ltd.",
        "prefecture": "511800",
        "county": "Mingshan District",
        "address": "8 Mengding Road, Mingshan District, Ya'an",
        "legal_representative": "Li Wei",
        "contact_name": "Export desk",
        "contact_phone": "+86 835 322 0000",
        "contact_email": "export@mengding-tea.example",
        "customs_code": "5118960123",
        "export_categories": ["tea"],
        "export_markets": ["MY", "SG"],
    },
    request_only=True,
)


ENTERPRISE_UPDATE = OpenApiExample(
    "Publish the contact",
    summary="Change the contact and show it in the directory",
    value={"contact_email": "sales@mengding-tea.example", "publish_contact": True},
    request_only=True,
)


ENTERPRISE = OpenApiExample(
    "Pending enterprise",
    summary="Registered, waiting for verification",
    value={
        "id": 11,
        "uscc": "915118007MA6ABCD1Q",
        "name_zh": "雅安蒙顶山茶业出口有限公司",
        "name_en": "Ya'an Mengdingshan Tea Export Co., Ltd.",
        "prefecture": "511800",
        "prefecture_name": "雅安市",
        "prefecture_name_en": "Ya'an",
        "prefecture_name_zh": "雅安市",
        "county": "Mingshan District",
        "address": "8 Mengding Road, Mingshan District, Ya'an",
        "legal_representative": "Li Wei",
        "contact_name": "Export desk",
        "contact_phone": "+86 835 322 0000",
        "contact_email": "export@mengding-tea.example",
        "customs_code": "5118960123",
        "export_categories": ["tea"],
        "export_markets": ["MY", "SG"],
        "publish_contact": False,
        "registered_outside_sichuan": False,
        "status": "pending",
        "status_reason": "",
        "status_changed_at": None,
        "allowed_actions": ["verify", "reject"],
        "created_at": "2026-12-06T01:13:53Z",
        "updated_at": "2026-12-06T01:13:53Z",
    },
    response_only=True,
)


PRODUCT_INPUT = OpenApiExample(
    "Add a product",
    summary="A mandarin, banded from the mandarins cold-chain profile",
    value={
        "name_zh": "晚熟柑橘（不知火）",
        "name_en": "Late-season mandarin (Shiranui)",
        "variety": "Shiranui",
        "category": "fruits",
        "hs_code": "0805210000",
        "shelf_life_days": 60,
        "harvest_months": [12, 1, 2],
    },
    request_only=True,
)


PRODUCT_UPDATE = OpenApiExample(
    "Change shelf life and band",
    summary="Only the fields sent change",
    value={"shelf_life_days": 75, "temp_min_c": "5.0", "temp_max_c": "8.0"},
    request_only=True,
)


PRODUCT = OpenApiExample(
    "Product",
    summary="The storage band came from the HS code's profile",
    value={
        "id": 13,
        "enterprise": 1,
        "name_zh": "晚熟柑橘（不知火）",
        "name_en": "Late-season mandarin (Shiranui)",
        "variety": "Shiranui",
        "category": "fruits",
        "hs_code": "0805210000",
        "hs_description": "鲜或干的柑橘（包括小蜜橘及萨摩蜜柑橘）",
        "hs_description_en": "Mandarins (including tangerines and satsumas), fresh or dried",
        "temp_min_c": "4.0",
        "temp_max_c": "8.0",
        "humidity_max_pct": None,
        "cold_chain_profile": "mandarins",
        "shelf_life_days": 60,
        "harvest_months": [1, 2, 12],
        "packaging": "10 kg cartons",
        "min_order_quantity": "2.000",
        "min_order_unit": "t",
        "incoterms": ["FOB", "CIF"],
        "listed_in_catalogue": True,
        "production_bases": [],
        "created_at": "2026-12-06T01:14:44Z",
        "updated_at": "2026-12-06T01:14:44Z",
    },
    response_only=True,
)


ENTERPRISE_DOCUMENT = OpenApiExample(
    "Business licence",
    summary="The scanned licence, its type judged from the content",
    value={
        "id": 3,
        "enterprise": 1,
        "kind": "business_licence",
        "original_name": "营业执照.pdf",
        "download_url": "https://agri.example.cn/api/v1/enterprises/1/documents/3/download/",
        "content_type": "application/pdf",
        "size": 183402,
        "sha256": "9f2c4e0b8d1a7c3e5f6a0b2d4c6e8f1a3b5c7d9e0f2a4b6c8d0e1f3a5b7c9d1e",
        "uploaded_at": "2026-12-06T02:10:00Z",
    },
    response_only=True,
)
