"""Throttles per user and per API key; 429 carries Retry-After (set by the exception handler).

Anonymous callers are counted per client address, as `client_address` tells it (X-Forwarded-For
only behind `NUM_PROXIES` trusted proxies, so rotating the header picks no new bucket).
"""

from rest_framework.throttling import SimpleRateThrottle

from .addresses import client_address


class AddressedThrottle(SimpleRateThrottle):
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
