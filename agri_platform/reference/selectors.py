"""Reads of reference data shared by views and other apps' services."""

from .models import ColdChainProfile, HSCode, SupplySeason


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


def supply_season_for(hs_code: str, category: str = "", seasons=None):
    """The northern supply season of a product with this HS code (longest prefix match), else the
    one given for its category without prefixes, or None. `seasons`: the rows already read, to
    match many products in one query."""
    code = "".join(ch for ch in hs_code if ch.isdigit())
    rows = list(SupplySeason.objects.all()) if seasons is None else seasons
    best, best_length = None, 0
    for season in rows:
        for prefix in season.hs_prefixes:
            if code.startswith(prefix) and len(prefix) > best_length:
                best, best_length = season, len(prefix)
    if best is None and category:
        best = next((s for s in rows if not s.hs_prefixes and s.category == category), None)
    return best
