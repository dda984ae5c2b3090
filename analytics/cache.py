"""Cached dashboard results with one invalidation rule: any fact, FX-rate or target change.

Every cached figure is stored under a key that contains the current *data version*. A change
(`invalidate()`) sets a new version, so every older entry becomes unreachable at once and expires by
its TTL. `invalidate()` runs immediately (the writer's own next read is fresh) and again after
commit (a read between the write and the commit cannot leave a stale entry under the new version).

After the commit it also schedules a refill (`reports.analytics_warm`, debounced): a burst of
changes queues one task, `WARM_DELAY_SECONDS` after the first, which recomputes the shared default
figures under the version current when it runs. A value computed from older data can only ever be
stored under an older version (the version is read before computing), so the refill never serves
stale figures; a change committed while it runs queues another refill.
"""

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.core.cache import cache
from django.db import transaction

from agri_platform.queue import queue_now

VERSION_KEY = "analytics:data-version"
WARM_QUEUED_KEY = "analytics:warm-queued"
WARM_TASK = "reports.analytics_warm"
TTL_SECONDS = 600
WARM_DELAY_SECONDS = 5  # debounce: a burst of changes within this time is refilled once


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY) or version
    return version


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def invalidate() -> None:
    _new_version()
    transaction.on_commit(_new_version_and_warm, robust=True)


def _new_version_and_warm() -> None:
    _new_version()
    schedule_warm()


def warm_delay_seconds() -> float | None:
    """Seconds between a change and the refill; None: no refill (eager Celery, no worker)."""
    if current_app.conf.task_always_eager:
        return None
    return WARM_DELAY_SECONDS


def schedule_warm() -> bool:
    """Queue one refill unless one is already queued; True when this call queued it."""
    delay = warm_delay_seconds()
    if delay is None or not cache.add(WARM_QUEUED_KEY, "1", delay + TTL_SECONDS):
        return False
    # Called after the commit already, so it publishes at once (by name: the task calls back here).
    if not queue_now(WARM_TASK, countdown=delay):
        # Broker down (logged): readers compute on the cold path, which stays correct.
        cache.delete(WARM_QUEUED_KEY)
        return False
    return True


def warm_started() -> None:
    """Called first by the refill: a change from now on queues the next one."""
    cache.delete(WARM_QUEUED_KEY)


def cached(name: str, params: dict, compute: Callable[[], Any]) -> Any:
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()
    key = f"analytics:{data_version()}:{name}:{digest[:32]}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TTL_SECONDS)
    return value
