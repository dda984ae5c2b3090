"""Queueing a Celery task by its registered name, once the surrounding transaction commits.

Services, facts and webhooks queue work with `queue_after_commit("events.dispatch_event", event.pk)`
instead of importing their app's tasks module: tasks import services, never the other way round, so
there are no import circles between them.

Guarantees (docs/events.md, "Queuing after the commit"):
- nothing is queued for a rolled-back change, and nothing before the commit (a worker could not see
  the rows yet); with no transaction open the task is queued at once;
- a broker that is down never breaks the write: the failure is logged and the periodic tasks that
  read the database (outbox sweep, due e-mails and webhooks, nightly fact reconciliation) recover it;
- in eager mode (embedded, tests) the task runs in-process and its errors propagate to the caller of
  the commit hook, which logs them (`robust=True`); `send_task` would ignore eager mode, so the task
  is looked up in the app's registry and published with `delay` / `apply_async`;
- an unknown task name raises at once, where the service calls this: a typo is a programming error,
  not work that silently never happens.
"""

import logging
import threading

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)
# One thread loads the tasks modules while the others wait: in a threaded server, concurrent first
# lookups raced while those modules were still being imported and missed the name (the event then
# waited for the outbox sweep; tests/ops/test_embedded_concurrency.py caught it).
_loading_tasks = threading.Lock()


def queue_after_commit(
    task_name: str,
    *args,
    countdown: float | None = None,
    queue: str | None = None,
    once: bool = False,
    **kwargs,
) -> None:
    """Queue the task registered as `task_name` with `args`/`kwargs` after the current commit.

    `countdown` and `queue` are Celery's publishing options (not the task's arguments). `once`:
    not again when this commit already publishes the same task with the same arguments and options,
    queued at this level or in an enclosing savepoint (so that a rollback dropping that one drops
    this one too) — a refresh asked for by every change of a transaction goes out once."""
    task = registered_task(task_name)
    options = _publish_options(countdown=countdown, queue=queue)
    key = (task_name, args, sorted(kwargs.items()), sorted(options.items()))
    connection = transaction.get_connection()
    if once and connection.in_atomic_block and _queued_for_this_commit(connection, key):
        return

    def publish():
        return _publish(task, args, kwargs, options)

    publish.queued = key
    transaction.on_commit(publish, robust=True)


def _queued_for_this_commit(connection, key) -> bool:
    """A hook publishing `key` stands that every rollback from here would drop as well: it was
    queued inside no savepoint that the current position is not inside too."""
    here = set(connection.savepoint_ids)
    return any(
        getattr(hook, "queued", None) == key and savepoints <= here
        for savepoints, hook, _robust in connection.run_on_commit
    )


def queue_now(
    task_name: str,
    *args,
    countdown: float | None = None,
    queue: str | None = None,
    **kwargs,
) -> bool:
    """Publish at once, for work that is already outside any write (periodic sweeps, admin
    actions). False when the broker could not be reached (logged), so a sweep can stop early."""
    options = _publish_options(countdown=countdown, queue=queue)
    return _publish(registered_task(task_name), args, kwargs, options)


def registered_task(task_name: str):
    """The app's task named `task_name`; LookupError for a name no tasks module registers."""
    tasks = current_app.tasks
    if task_name not in tasks:
        # A web process imports no tasks module by itself: load them (INSTALLED_APPS' tasks.py).
        with _loading_tasks:
            if task_name not in tasks:
                current_app.loader.import_default_modules()
    try:
        return tasks[task_name]
    except KeyError:
        raise LookupError(f"no Celery task is registered as {task_name!r}") from None


def _publish_options(**options) -> dict:
    return {name: value for name, value in options.items() if value is not None}


def _publish(task, args: tuple, kwargs: dict, options: dict) -> bool:
    if task.app.conf.task_always_eager:
        _send(task, args, kwargs, options)  # in-process: its errors are the task's own
        return True
    try:
        _send(task, args, kwargs, options)
        return True
    except Exception:
        logger.warning("could not queue %s%r; a periodic task will pick it up", task.name, args)
        return False


def _send(task, args: tuple, kwargs: dict, options: dict) -> None:
    if options:
        task.apply_async(args, kwargs, **options)
    else:
        task.delay(*args, **kwargs)
