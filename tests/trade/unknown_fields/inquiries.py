"""Unknown-field cases: inquiries (see tests/security/test_unknown_fields.py)."""
