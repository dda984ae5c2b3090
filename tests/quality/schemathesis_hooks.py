"""Schemathesis hooks for the fuzzing run (loaded through SCHEMATHESIS_HOOKS by tests/quality/fuzz.py).

Idempotency-Key: a client must send a new key for each new request; reusing one with another body
is answered 422 by design (tests/api/test_idempotency.py proves it). Schemathesis would send the
same few generated keys ("0", "00") with many different bodies, so every *valid* generated key is
replaced by a fresh UUID. Invalid keys (too long, non-printable) are left alone, so the 400 for a
malformed key is still fuzzed.
"""

import uuid

import schemathesis

# Imported here, once, in the main thread: schemathesis imports its ASGI transport (and anyio) lazily
# from its worker threads, and two threads importing it at once crash CPython 3.11's AST
# constructor ("AST constructor recursion depth mismatch"), reported as a runtime error of the run.
import schemathesis.transport.asgi

HEADER = "Idempotency-Key"


def _valid_key(value) -> bool:
    return (
        isinstance(value, str) and 0 < len(value) <= 255 and value.isprintable() and value.isascii()
    )


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    headers = case.headers or {}
    for name in list(headers):
        if name.lower() == HEADER.lower() and _valid_key(headers[name]):
            headers[name] = str(uuid.uuid4())
    return None
