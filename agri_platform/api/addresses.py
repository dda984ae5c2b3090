"""The client's address: one function for throttles, the admin login lockout and anything else.

Behind `NUM_PROXIES` trusted proxies, each appends the address it received the request from to
X-Forwarded-For, so the client's address is that many hops from the right; whatever a client
writes into the header itself sits further left and is never read. With `NUM_PROXIES = 0` (the
default outside production) the header is ignored and REMOTE_ADDR is the client.
"""

import ipaddress

from django.conf import settings


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_address(request) -> str:
    meta = request.META
    remote = meta.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    candidate = hops[-min(proxies, len(hops))]
    return candidate if _is_ip(candidate) else remote
