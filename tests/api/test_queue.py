"""agri_platform/queue.py: a task queued by name runs after the commit, never for a rollback, and a
broker outage never breaks the write. These tests commit for real (transactional database)."""

import logging

import pytest
from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError

from agri_platform.accounts.models import Partner
from agri_platform.celery import app
from agri_platform.queue import queue_after_commit, queue_now, registered_task
from tests import factories

PROBE = "tests.queue_probe"
calls: list[tuple] = []


@shared_task(name=PROBE)
def queue_probe(*args, **kwargs) -> None:
    calls.append((args, kwargs))


@pytest.fixture(autouse=True)
def _fresh_calls(transactional_db, eager_tasks):
    calls.clear()
    yield
    calls.clear()


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    app.conf.task_always_eager = False  # the eager_tasks fixture puts it back
    monkeypatch.setattr(registered_task(PROBE), "delay", refuse)
    monkeypatch.setattr(registered_task(PROBE), "apply_async", refuse)


def test_queued_after_the_commit_not_before():
    with transaction.atomic():
        factories.PartnerFactory()
        queue_after_commit(PROBE, 7, kind="x")
        assert calls == []
    assert calls == [((7,), {"kind": "x"})]


def test_nothing_is_queued_for_a_rollback():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_after_commit(PROBE, 7)
        raise RuntimeError("the write failed")
    assert calls == []


def test_nothing_is_queued_for_a_rolled_back_savepoint():
    with transaction.atomic():
        queue_after_commit(PROBE, "kept")
        with pytest.raises(RuntimeError), transaction.atomic():
            queue_after_commit(PROBE, "dropped")
            raise RuntimeError("the inner write failed")
    assert calls == [(("kept",), {})]


def test_once_publishes_a_task_queued_again_in_the_same_commit_once():
    with transaction.atomic():
        queue_after_commit(PROBE, 7, once=True)
        with transaction.atomic():  # an inner savepoint: the outer hook covers it
            queue_after_commit(PROBE, 7, once=True)
        queue_after_commit(PROBE, 7, once=True)
        queue_after_commit(PROBE, 8, once=True)  # other arguments: their own message
        queue_after_commit(PROBE, 7)  # without once: as before
    assert calls == [((7,), {}), ((8,), {}), ((7,), {})]


def test_once_is_not_fooled_by_a_task_queued_in_a_savepoint_that_is_rolled_back():
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            queue_after_commit(PROBE, 7, once=True)
            raise RuntimeError
        with transaction.atomic():
            queue_after_commit(PROBE, 9, once=True)  # queued inside a savepoint
        queue_after_commit(PROBE, 7, once=True)  # the first was dropped: this one stands
        queue_after_commit(PROBE, 9, once=True)  # an inner hook does not cover the outer level
    assert calls == [((9,), {}), ((7,), {}), ((9,), {})]


def test_once_outside_a_transaction_publishes_every_time():
    queue_after_commit(PROBE, 7, once=True)
    queue_after_commit(PROBE, 7, once=True)
    assert calls == [((7,), {}), ((7,), {})]


def test_queued_at_once_when_no_transaction_is_open():
    queue_after_commit(PROBE, 1)
    assert calls == [((1,), {})]


def test_a_broker_outage_is_logged_and_the_write_commits(broker_down, caplog):
    with caplog.at_level(logging.WARNING), transaction.atomic():
        partner = factories.PartnerFactory()
        queue_after_commit(PROBE, partner.pk)
    assert Partner.objects.filter(pk=partner.pk).exists()
    assert f"could not queue {PROBE}({partner.pk},)" in caplog.text
    assert "a periodic task will pick it up" in caplog.text


def test_queue_now_answers_false_while_the_broker_is_down(broker_down, caplog):
    with caplog.at_level(logging.WARNING):
        assert queue_now(PROBE, 3) is False
    assert f"could not queue {PROBE}" in caplog.text
    assert calls == []


def test_eager_mode_runs_the_task_in_process():
    assert queue_now(PROBE, 3, day="2026-01-01") is True
    assert calls == [((3,), {"day": "2026-01-01"})]


def test_an_error_of_an_eager_task_is_logged_after_the_commit_not_raised(monkeypatch, caplog):
    def task_fails(*args, **kwargs):
        raise ValueError("the task itself failed")

    monkeypatch.setattr(registered_task(PROBE), "delay", task_fails)
    with caplog.at_level(logging.ERROR), transaction.atomic():
        partner = factories.PartnerFactory()
        queue_after_commit(PROBE, partner.pk)
    assert Partner.objects.filter(pk=partner.pk).exists()
    assert "the task itself failed" in caplog.text


def test_an_unknown_task_name_fails_where_it_is_queued():
    with pytest.raises(LookupError, match=r"no\.such_task"), transaction.atomic():
        factories.PartnerFactory()
        queue_after_commit("no.such_task", 1)
    assert not Partner.objects.exists()  # a programming error: the write does not go through


def test_countdown_and_queue_are_publishing_options(monkeypatch):
    published = []
    app.conf.task_always_eager = False  # the eager_tasks fixture puts it back
    monkeypatch.setattr(
        registered_task(PROBE),
        "apply_async",
        lambda args, kwargs, **options: published.append((args, kwargs, options)),
    )
    queue_after_commit(PROBE, 5, countdown=30, queue="reports", kind="x")
    assert published == [((5,), {"kind": "x"}, {"countdown": 30, "queue": "reports"})]


def test_tasks_are_found_by_the_names_they_are_registered_under():
    from agri_platform.events import tasks

    assert registered_task("events.dispatch_event") is tasks.dispatch_event._get_current_object()
