"""Unknown-field cases: promotions (see tests/security/test_unknown_fields.py)."""
