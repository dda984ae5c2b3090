"""How source apps queue a fact refresh: after their commit, by id, on the `reports` queue.

Logistics and certification own the mapping from their rows to the plain inputs of `services`
(`logistics/facts.py`, `certification/facts.py`) and the thin `reports.*` tasks that apply it; their
services call `refresh_on_commit(task, pk)` wherever the object changes. Analytics itself never
imports them. See docs/analytics.md ("Feeding the facts").
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def _delay(task, *args) -> None:
    if task.app.conf.task_always_eager:
        task.delay(*args)  # embedded and tests: errors propagate
        return
    try:
        task.delay(*args)
    except Exception:  # broker down: the nightly reconciliation catches up
        logger.warning("could not queue %s%r; the nightly refresh will catch up", task.name, args)


def refresh_on_commit(task, *args) -> None:
    """Queue `task(*args)` once the surrounding transaction commits (never for a rollback)."""
    transaction.on_commit(lambda: _delay(task, *args), robust=True)
