"""A committed write always answers its success, and its Idempotency-Key is never released.

These tests commit for real (transactional database), as production does: work queued with
`transaction.on_commit` runs after the commit, so an error there must not turn the answer into a 5xx.
"""

import ast
import logging
from pathlib import Path

import pytest
from django.conf import settings

from agri_platform.accounts import services as account_services
from agri_platform.accounts.models import Partner
from agri_platform.api.models import IdempotencyKey
from agri_platform.celery import app as celery_app
from agri_platform.events import outbox
from agri_platform.events import tasks as event_tasks
from agri_platform.events.models import Event
from tests import factories
from tests.conftest import client_for

PARTNERS = "/api/v1/partners/"
BODY = {"name": "After-commit Carrier", "kind": "carrier", "country": "CN"}


@pytest.fixture
def staff_client(transactional_db):
    return client_for(factories.StaffUserFactory(staff_role="platform_admin"))


def post(client, key="after-commit-1"):
    return client.post(PARTNERS, BODY, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_an_on_commit_failure_still_answers_201_and_a_retry_replays_it(
    staff_client, monkeypatch, caplog
):
    def dispatch_breaks(event_id):
        raise RuntimeError("event dispatch failed after the commit")

    monkeypatch.setattr(outbox, "queue_dispatch", dispatch_breaks)
    with caplog.at_level(logging.ERROR):
        first = post(staff_client)
    assert first.status_code == 201, first.content
    assert "event dispatch failed after the commit" in caplog.text  # logged, not swallowed
    assert Event.objects.filter(dispatched_at__isnull=True).exists()  # the sweep's to retry

    again = post(staff_client)
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Partner.objects.filter(name=BODY["name"]).count() == 1


def test_the_outbox_sweep_dispatches_what_failed_after_commit(staff_client, monkeypatch):
    real = outbox.queue_dispatch
    monkeypatch.setattr(outbox, "queue_dispatch", lambda event_id: 1 / 0)
    assert post(staff_client).status_code == 201
    monkeypatch.setattr(outbox, "queue_dispatch", real)
    Event.objects.update(
        occurred_at=Event.objects.first().occurred_at - settings.EVENTS_SWEEP_AFTER
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True  # no worker in this test, whatever REDIS_URL says
    try:
        event_tasks.sweep_outbox()
    finally:
        celery_app.conf.task_always_eager = eager
    assert not Event.objects.filter(dispatched_at__isnull=True).exists()


def test_an_error_after_the_commit_keeps_the_key(staff_client, monkeypatch):
    """Whatever fails after the write committed (here: building the answer), the key keeps the
    failure it answered; a retry replays it instead of creating a second partner."""
    real = account_services.partner_create

    def create_then_fail(**kwargs):
        real(**kwargs)  # commits (its own atomic block)
        raise RuntimeError("the answer could not be built")

    monkeypatch.setattr(account_services, "partner_create", create_then_fail)
    staff_client.raise_request_exception = False
    failed = post(staff_client)
    assert failed.status_code == 500
    assert IdempotencyKey.objects.get().state == IdempotencyKey.State.COMPLETED

    monkeypatch.setattr(account_services, "partner_create", real)
    retried = post(staff_client)
    assert retried["Idempotent-Replayed"] == "true"
    assert retried.json()["code"] == "committed_without_answer"
    assert Partner.objects.filter(name=BODY["name"]).count() == 1


def test_a_failure_before_any_commit_still_frees_the_key(staff_client, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("nothing was written")

    monkeypatch.setattr(account_services, "partner_create", fail)
    staff_client.raise_request_exception = False
    assert post(staff_client).status_code == 500
    assert not IdempotencyKey.objects.exists()


def _project_modules():
    root = Path(settings.BASE_DIR)
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if not {".venv", "tests", "migrations"} & set(relative.parts):
            yield relative, ast.parse(path.read_text(), filename=str(path))


def _called_name(node: ast.Call) -> str | None:
    return getattr(node.func, "attr", None) or getattr(node.func, "id", None)


def _on_commit_calls_without_robust(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        robust = any(
            keyword.arg == "robust" and getattr(keyword.value, "value", None) is True
            for keyword in node.keywords
        )
        if name == "on_commit" and not robust:
            lines.append(node.lineno)
    return lines


def test_every_on_commit_callback_is_robust():
    """An error in after-commit work is logged (the outbox sweep retries it); it never reaches the
    client of a write that committed."""
    offenders = [
        f"{path}:{line}"
        for path, tree in _project_modules()
        for line in _on_commit_calls_without_robust(tree)
    ]
    assert offenders == [], "use transaction.on_commit(func, robust=True): " + ", ".join(offenders)


# Modules that write (services, their packages, facts feeders, the outbox and webhooks): they queue
# tasks only through agri_platform/queue.py, after the commit and safe from a broker outage; only
# tasks.py (and beat entries) call a task directly.
WRITING_MODULES = {"services", "facts", "webhooks", "outbox"}


def _is_writing_module(path: Path) -> bool:
    return path.stem in WRITING_MODULES or bool(WRITING_MODULES & set(path.parts[:-1]))


def _direct_queueing(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node) in {"delay", "apply_async"}:
            found.append(f"{node.lineno} .{_called_name(node)}(")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = {alias.name for alias in node.names}
            if module.split(".")[-1] == "tasks" or "tasks" in names:
                found.append(f"{node.lineno} imports tasks")
    return found


def test_services_queue_tasks_only_through_the_helper():
    """A direct `.delay(` in a service either runs before the commit (a worker cannot see the rows
    yet) or, on_commit, lets a broker outage reach the client; and importing the app's tasks module
    ties services and tasks in an import circle. `queue_after_commit("app.task", ...)` does both."""
    offenders = [
        f"{path}:{found}"
        for path, tree in _project_modules()
        if _is_writing_module(path)
        for found in _direct_queueing(tree)
    ]
    assert offenders == [], "use agri_platform.queue.queue_after_commit: " + ", ".join(offenders)


def test_the_scan_sees_direct_queueing_and_task_imports():
    source = (
        "from .tasks import send\n"
        "from . import tasks\n"
        "def f():\n"
        "    send.delay(1)\n"
        "    send.apply_async((1,), countdown=5)\n"
    )
    assert _direct_queueing(ast.parse(source)) == [
        "1 imports tasks",
        "2 imports tasks",
        "4 .delay(",
        "5 .apply_async(",
    ]
    assert _is_writing_module(Path("logistics/services/shipments.py"))
    assert _is_writing_module(Path("certification/facts.py"))
    assert not _is_writing_module(Path("logistics/tasks.py"))
