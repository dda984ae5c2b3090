# The PostgreSQL-only tests here carry the `integration` marker; this makes the marker's skip rule
# (tests/integration/conftest.py) apply even when only this folder is collected.
from tests.integration.conftest import pytest_collection_modifyitems  # noqa: F401
