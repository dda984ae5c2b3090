"""Throttles per user and per API key; 429 carries Retry-After (set by the exception handler).

Anonymous callers are counted per client address, as `client_address` tells it (X-Forwarded-For
only behind `NUM_PROXIES` trusted proxies, so rotating the header picks no new bucket).
"""

from rest_framework.throttling import SimpleRateThrottle

from .addresses import client_address

SLOTS = 60  # slots a throttle's window is counted in


class SlottedRateThrottle(SimpleRateThrottle):
    """DRF's sliding window, its history counted in slots instead of kept request by request.

    DRF stores the time of every request of the window (up to 6,000 for a partner's key) and reads,
    edits and writes that whole list in the cache on each request. Here a slot opens with a request
    and counts those of the next `duration / SLOTS` seconds; it stays in the window until its newest
    request leaves it. So the cached history is at most SLOTS + 1 `(opened, newest, count)` triples
    whatever the rate, and the limit is never looser than DRF's: a request is counted for at most
    one slot's width longer, never less.
    """

    cache_format = "throttle_slots_%(scope)s_%(ident)s"  # not DRF's list of times

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1][1] <= self.now - self.duration:
            self.history.pop()
        self.counted = sum(count for _opened, _newest, count in self.history)
        if self.counted >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def throttle_success(self):
        slot_width = self.duration / SLOTS
        if self.history and self.now < self.history[0][0] + slot_width:
            opened, _newest, count = self.history[0]
            self.history[0] = (opened, self.now, count + 1)
        else:
            self.history.insert(0, (self.now, self.now, 1))
        self.cache.set(self.key, self.history, self.duration)
        return True

    def wait(self):
        """Seconds until enough of the oldest slots have left the window to let one request in."""
        still_counted = self.counted
        for _opened, newest, count in reversed(self.history):
            still_counted -= count
            if still_counted < self.num_requests:
                return max(self.duration - (self.now - newest), 0)
        return self.duration


class AddressedThrottle(SlottedRateThrottle):
    def get_ident(self, request):
        return client_address(request)


class CallerRateThrottle(AddressedThrottle):
    """One bucket per API key, per user, or per client address for anonymous callers."""

    scope = "caller"

    def get_cache_key(self, request, view):
        key = getattr(request, "auth", None)
        if key is not None and getattr(key, "is_api_key", False):
            ident = f"key:{key.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            self.rate = self.THROTTLE_RATES["anon"]
            self.num_requests, self.duration = self.parse_rate(self.rate)
            ident = f"anon:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class LoginRateThrottle(AddressedThrottle):
    """Credential endpoints (token issue, registration): per client address."""

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PublicLookupThrottle(AddressedThrottle):
    """Public lookups that could be enumerated (certificate verification, tracking links)."""

    scope = "public_lookup"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
