"""API reference examples (sign-up, tokens, API keys) for Swagger UI and ReDoc.

Attached to serializers with `extend_schema_serializer(examples=...)`; the values come from a run
against the demo data (`manage.py seed_demo`).
"""

from drf_spectacular.utils import OpenApiExample

REGISTER = OpenApiExample(
    "Sign up",
    summary="A person signs up",
    value={
        "email": "li.wei@mengding-tea.example",
        "password": "Ya'an-green-tea-2026",
        "full_name": "Li Wei",
        "language": "zh-hans",
        "timezone": "Asia/Shanghai",
    },
    request_only=True,
)


TOKEN_REQUEST = OpenApiExample(
    "Get a token",
    summary="E-mail, password and a name for the token",
    value={
        "email": "li.wei@mengding-tea.example",
        "password": "Ya'an-green-tea-2026",
        "name": "ERP integration",
    },
    request_only=True,
)


TOKEN = OpenApiExample(
    "Token",
    summary="The token, shown once",
    value={
        "token": "agt_5cfe707c_y7PIX_BGscx2imutbRlyMqtxBYROCmOiFaPSzo7VUF0",
        "prefix": "5cfe707c",
        "expires_at": "2027-01-05T01:13:53Z",
    },
    response_only=True,
)


API_KEY_UPDATE = OpenApiExample(
    "Rename a key and choose its language",
    summary="Answers to this key in English unless a request says otherwise",
    value={"name": "TMS prod (Chengdu hub)", "language": "en"},
    request_only=True,
)
