import pytest
from django.conf import settings

from logistics.services import telemetry as services_telemetry

from .factories import ShipmentFactory

STORAGE_PATHS = ["copy", "orm"] if settings.USING_POSTGRES else ["orm"]


def pytest_generate_tests(metafunc):
    """Telemetry tests run once per storage path the database has: on PostgreSQL both the COPY
    path and the ORM path, on SQLite the ORM path."""
    if "store_path" in metafunc.fixturenames:
        metafunc.parametrize("store_path", STORAGE_PATHS, indirect=True)


@pytest.fixture
def store_path(request, monkeypatch):
    monkeypatch.setattr(services_telemetry, "storage_path", lambda: request.param)
    return request.param


@pytest.fixture
def carrier(partner):
    return partner


@pytest.fixture
def shipment(enterprise, carrier):
    return ShipmentFactory(enterprise=enterprise, carrier=carrier)


@pytest.fixture
def carrier_client(make_partner_client, carrier):
    return make_partner_client(carrier, ["logistics:write", "telemetry:write"])
