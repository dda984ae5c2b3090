"""Reads of reference data shared by views and other apps' services."""

from .models import ColdChainProfile, HSCode


def cold_chain_profile_for(hs_code: str) -> ColdChainProfile | None:
    """The profile whose HS prefix matches `hs_code` longest, or None.

    The profile table is small (tens of rows), so matching happens in Python.
    """
    code = "".join(ch for ch in hs_code if ch.isdigit())
    best, best_length = None, 0
    for profile in ColdChainProfile.objects.all():
        for prefix in profile.hs_prefixes:
            if code.startswith(prefix) and len(prefix) > best_length:
                best, best_length = profile, len(prefix)
    return best


def hs_code_lookup(value: str) -> HSCode | None:
    """The HS code row for `value`, accepting dots and spaces ('0805.21')."""
    code = "".join(ch for ch in value if not ch.isspace() and ch != ".")
    if not code.isdigit():
        return None
    return HSCode.objects.filter(code=code).first()
