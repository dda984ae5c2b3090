"""Cached dashboard results with one invalidation rule: any fact, FX-rate or target change.

Every cached figure is stored under a key that contains the current *data version*. A change
(`invalidate()`) sets a new version, so every older entry becomes unreachable at once and expires by
its TTL. `invalidate()` runs immediately (the writer's own next read is fresh) and again after
commit (a read between the write and the commit cannot leave a stale entry under the new version).
"""

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "analytics:data-version"
TTL_SECONDS = 600


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
    transaction.on_commit(_new_version)


def cached(name: str, params: dict, compute: Callable[[], Any]) -> Any:
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()
    key = f"analytics:{data_version()}:{name}:{digest[:32]}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TTL_SECONDS)
    return value
