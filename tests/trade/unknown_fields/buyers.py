"""Unknown-field cases: buyers (see tests/security/test_unknown_fields.py)."""
