"""Outbound HTTP for webhooks, safe against server-side request forgery.

- Only http and https URLs, no credentials in the URL.
- The host is resolved once; every address it resolves to must be public (not loopback, private,
  link-local, shared, multicast or reserved, IPv4-mapped IPv6 included) unless
  ``settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES`` is set (tests, local demos).
- The connection goes to the address that was checked (no second lookup that DNS rebinding could
  change), with TLS still verified against the host name.
- Redirects are never followed (http.client does not follow them; a 3xx is a failed attempt).
- Connect and read time out after ``settings.WEBHOOK_TIMEOUT_SECONDS``.
"""

import http.client
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class UnsafeDestination(Exception):
    """The URL may not be called (scheme, credentials, or a non-public address)."""


@dataclass(frozen=True)
class OutboundResponse:
    status_code: int
    body: str
    duration_ms: int


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast:
        return False
    if ip.is_reserved or ip.is_unspecified:
        return False
    return ip.is_global


def check_url(url: str) -> None:
    """Static checks (no DNS): scheme, host present, no user:password@, literal IPs public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeDestination(_("Only http and https URLs are allowed."))
    if not parts.hostname:
        raise UnsafeDestination(_("The URL has no host."))
    if parts.username or parts.password:
        raise UnsafeDestination(_("Credentials in the URL are not allowed."))
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return
    if not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES and not is_public_address(str(literal)):
        raise UnsafeDestination(_("%(host)s is not a public address.") % {"host": parts.hostname})


def resolve_public(host: str, port: int) -> str:
    """The first address `host` resolves to, after checking that every one of them is allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeDestination(f"Cannot resolve {host}: {exc}") from exc
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise UnsafeDestination(f"{host} resolves to no address.")
    if not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            if not is_public_address(address):
                raise UnsafeDestination(
                    f"{host} resolves to {address}, a loopback, private or link-local address."
                )
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, *, body: bytes, headers: dict[str, str]) -> OutboundResponse:
    """POST `body` to `url`. Raises UnsafeDestination before any byte is sent to a refused host;
    raises OSError/http.client.HTTPException for network failures and timeouts."""
    check_url(url)
    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    address = resolve_public(parts.hostname, port)
    connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = connection_class(
        parts.hostname, port, address=address, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.monotonic()
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        raw = response.read(settings.WEBHOOK_RESPONSE_MAX_CHARS * 4)
    finally:
        connection.close()
    duration_ms = int((time.monotonic() - started) * 1000)
    text = raw.decode("utf-8", errors="replace")[: settings.WEBHOOK_RESPONSE_MAX_CHARS]
    return OutboundResponse(status_code=response.status, body=text, duration_ms=duration_ms)
