"""Caching of the read-only reference endpoints.

Every response of `reference/...` carries `Cache-Control: public, max-age=...` and an `ETag`; a request
with a matching `If-None-Match` gets 304 without touching the database, and a cached body is served
from the Django cache (Redis in production). All of it hangs off one version number, bumped whenever
reference data changes (admin edits through the model signals, bulk imports explicitly), so a change
is visible at once to every process that shares the cache.
"""

import hashlib
import time

from django.core.cache import cache
from django.utils import translation

VERSION_KEY = "reference:version"
BODY_TTL_SECONDS = 60 * 60
MAX_AGE_SECONDS = 300


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        current = str(time.time_ns())
        # add() so that two processes starting together agree on one version
        cache.add(VERSION_KEY, current, timeout=None)
        current = cache.get(VERSION_KEY, current)
    return str(current)


def bump(**_ignored) -> None:
    """Invalidate every cached reference response (signal receiver and explicit call)."""
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)


def key_for(full_path: str, accept: str) -> str:
    # The language is part of the key: labels in a body follow the request's language.
    language = translation.get_language() or ""
    digest = hashlib.sha256(f"{version()}|{full_path}|{accept}|{language}".encode()).hexdigest()[
        :32
    ]
    return f"reference:body:{digest}"


def etag_for(cache_key: str) -> str:
    return f'"{cache_key.rsplit(":", 1)[1]}"'
