"""Credentials shown once and stored as a digest: bearer tokens and partner API keys.

A credential reads `<kind>_<prefix>_<secret>`. The prefix (8 characters) is stored in clear for lookup
and display; only the SHA-256 digest of the whole string is stored, and it is compared in constant time.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

PREFIX_LENGTH = 8


@dataclass(frozen=True)
class IssuedSecret:
    plaintext: str
    prefix: str
    digest: str


def digest_of(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def issue(kind: str) -> IssuedSecret:
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    plaintext = f"{kind}_{prefix}_{secrets.token_urlsafe(32)}"
    return IssuedSecret(plaintext=plaintext, prefix=prefix, digest=digest_of(plaintext))


def split_prefix(plaintext: str, kind: str) -> str | None:
    """The lookup prefix of a presented credential, or None when it is not of this kind."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != kind or len(parts[1]) != PREFIX_LENGTH:
        return None
    return parts[1]


def matches(plaintext: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest_of(plaintext), stored_digest)
