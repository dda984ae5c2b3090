"""Cases of tests/security/test_unknown_fields.py for the trade API, one module per area: each
registers its builders with `@case("POST /api/v1/…")` (imported there at the end)."""

from . import buyers, inquiries, promotions  # noqa: F401
