"""The Redis cache, failing open: when Redis is unreachable a read is a miss and a write is dropped.

Everything the platform keeps in the cache can be recomputed: throttle counters (fairness, not a
security boundary: docs/api-conventions.md), cached reference lists, dashboard figures. Without
this, a stopped Redis turned every API request into a 500 at the throttle check, although the
database, and so the request itself, was fine (tests/faults: "Redis stopped while requests commit
changes"). `/health/` still reports the cache as failing: its write cannot be read back.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _fail_open(operation: str, fallback, call, *args):
    """`call(*args)`, or `fallback` (with a warning) when Redis cannot be reached."""
    try:
        return call(*args)
    except RedisError as exc:
        logger.warning("cache unavailable (%s): %s", operation, exc)
        return fallback


class FailOpenRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        return _fail_open("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return _fail_open("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return _fail_open("has_key", False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return _fail_open("add", False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return _fail_open("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return _fail_open("set_many", list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return _fail_open("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return _fail_open("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return _fail_open("delete_many", None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as exc:
            logger.warning("cache unavailable (%s): %s", "incr", exc)
            raise ValueError(f"Key {key!r} not found (cache unavailable).") from exc
