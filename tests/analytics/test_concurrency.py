"""Concurrent fact writers on real PostgreSQL: the cube and presence masks stay exact.

Writers of different enterprises in one month update the same cube rows (the month's total,
its categories, countries); each applies its delta with one INSERT … ON CONFLICT DO UPDATE in a
fixed key order, so no update is lost and no two writers deadlock on the cube.
"""

import threading
from datetime import date

import pytest
from django.db import connection

from analytics import cube
from tests import factories

from . import factories as af
from .test_services import _cube_snapshot

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_concurrent_writers_of_one_month_keep_the_cube_exact():
    assert connection.vendor == "postgresql"
    for code in ("MY", "TH", "FR"):
        factories.country(code, code, ("ASEAN",) if code != "FR" else ("EU",))
    factories.prefecture()
    enterprises = [factories.EnterpriseFactory() for _ in range(5)]
    carrier = factories.PartnerFactory()
    writers, per_writer = 4, 10
    barrier = threading.Barrier(writers)
    errors = []

    def write(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            for n in range(per_writer):
                af.shipment(
                    enterprises[(index + n) % len(enterprises)],
                    shipment_id=1000 * (index + 1) + n % 7,  # some shipments are rewritten
                    destination=("MY", "TH", "FR")[n % 3],
                    departed_on=date(2026, 1 + n % 2, 10),  # some move between months
                    lines=[(("fruits", "tea")[n % 2], str(100 + n), "1")],
                    carrier_id=carrier.pk if n % 2 else None,
                    excursion_count=n % 3,
                    excursion_minutes=5 * (n % 3),
                )
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    incremental = _cube_snapshot()
    assert incremental[0]  # the writers wrote something
    cube.rebuild()
    assert _cube_snapshot() == incremental
