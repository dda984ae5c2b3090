"""The cache refill after a change: queued once after the commit, never serving stale figures."""

from datetime import date
from decimal import Decimal as D

import pytest

from analytics import cache, services, tasks
from analytics.selectors import windows
from analytics.selectors.exports import Viewer, exports
from analytics.selectors.overview import province_overview
from analytics.selectors.suppression import province_table
from analytics.selectors.windows import Window
from tests import factories

from . import factories as af

pytestmark = pytest.mark.django_db
STAFF = Viewer(is_staff=True, enterprise_ids=())
WINDOW = Window(date(2025, 4, 1), date(2026, 3, 31))


@pytest.fixture
def queued(monkeypatch):
    """A worker is configured (not eager): record the refills instead of sending them."""
    calls = []
    monkeypatch.setattr(cache, "warm_delay_seconds", lambda: 5)
    monkeypatch.setattr(tasks.warm, "apply_async", lambda *args, **options: calls.append(options))
    return calls


def staff_total():
    return exports(viewer=STAFF, group_by="category", window=WINDOW)["province"]["total"]


def test_a_burst_of_changes_queues_one_refill_after_the_commit(
    places, fx, queued, django_capture_on_commit_callbacks
):
    enterprise = factories.EnterpriseFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        af.shipment(enterprise)
    assert queued == []  # nothing before the commit (a rollback queues nothing)
    for callback in callbacks:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        af.shipment(enterprise)
        services.fx_rate_set(currency="THB", month=date(2026, 1, 1), rate_to_cny=D("0.2"))
    assert queued == [{"countdown": 5}]  # debounced: one refill for the burst
    tasks.warm()  # the refill starts: the next change queues another one
    with django_capture_on_commit_callbacks(execute=True):
        af.shipment(enterprise)
    assert queued == [{"countdown": 5}, {"countdown": 5}]


@pytest.fixture
def eager_celery():
    """Embedded mode: tasks run in the caller, no worker."""
    conf = tasks.warm.app.conf
    before = conf.task_always_eager
    conf.task_always_eager = True
    yield
    conf.task_always_eager = before


def test_no_refill_is_queued_without_a_worker(
    places, fx, eager_celery, django_capture_on_commit_callbacks
):
    assert cache.warm_delay_seconds() is None
    with django_capture_on_commit_callbacks(execute=True):
        af.shipment(factories.EnterpriseFactory())
    assert not cache.schedule_warm()


def test_refilled_figures_are_cached_and_follow_facts_and_rates(
    world, queued, monkeypatch, django_capture_on_commit_callbacks, django_assert_num_queries
):
    monkeypatch.setattr(windows, "today", lambda: date(2026, 3, 15))
    assert tasks.warm() == 14
    with django_assert_num_queries(0):  # every shared default answer is ready
        assert staff_total()["value_cny"] == D("46800.00")
        province_table("region", WINDOW)
        province_overview(WINDOW, date(2026, 3, 15))

    with django_capture_on_commit_callbacks(execute=True):
        af.shipment(world["e3"], destination="FR", lines=[("fruits", "200", "1")])
    assert len(queued) == 1
    assert staff_total()["value_cny"] == D("47000.00")  # before the refill: computed, fresh
    tasks.warm()
    with django_assert_num_queries(0):
        assert staff_total()["value_cny"] == D("47000.00")  # after it: cached, fresh

    with django_capture_on_commit_callbacks(execute=True):  # the missing MYR rate arrives
        services.fx_rate_set(currency="MYR", month=date(2026, 2, 1), rate_to_cny=D("1.5"))
    tasks.warm()
    with django_assert_num_queries(0):
        total = staff_total()
    assert total["value_cny"] == D("54500.00")  # + S4: MYR 5000 × 1.5
    assert total["unconverted_shipments"] == 0


def test_a_figure_computed_before_a_change_is_never_served_after_it(
    places, fx, django_capture_on_commit_callbacks
):
    """A refill (or reader) that read the old data while a change committed stores it under the
    old data version, which nobody reads any more."""
    enterprise = factories.EnterpriseFactory()

    def compute_then_change():
        old = staff_total()["value_cny"]
        with django_capture_on_commit_callbacks(execute=True):
            af.shipment(enterprise, lines=[("fruits", "100", "1")])
        return old

    assert cache.cached("probe", {}, compute_then_change) == D("0.00")
    assert cache.cached("probe", {}, lambda: "recomputed") == "recomputed"
    assert staff_total()["value_cny"] == D("100.00")


def test_beat_refills_the_dashboard_within_the_cache_lifetime(settings):
    from datetime import timedelta

    from agri_platform.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["analytics.warm"]
    assert entry["task"] == tasks.warm.name and entry["task"] in app.tasks
    assert entry["schedule"] < timedelta(seconds=cache.TTL_SECONDS)
