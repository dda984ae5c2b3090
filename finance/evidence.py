"""Evidence registry: how a linked shipment or certificate becomes the summary a partner sees.

Each evidence kind registers one resolver:

    from finance import evidence

    def resolve_shipment(enterprise, object_id: str) -> dict:
        shipment = Shipment.objects.filter(enterprise=enterprise, pk=object_id).first()
        if shipment is None:
            raise evidence.NotFound(...)   # also for another enterprise's shipment
        return {"reference": ..., "destination": ..., "cold_chain": {...}}

    evidence.register("shipment", resolve_shipment)

The resolver must look only at `enterprise`'s own data and return a JSON-serialisable dict; the
dict is stored as a snapshot on `FinancingEvidence.summary` when the evidence is linked. Kinds
without a resolver are refused (400, code `evidence_kind_unavailable`). Resolvers for "shipment"
and "certificate" are registered by the logistics and certification apps (wired on merge).
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from agri_platform.api.errors import NotFound, ValidationFailed
from agri_platform.api.serializers import unknown_id

from .choices import EvidenceKind

Resolver = Callable[..., dict]

_RESOLVERS: dict[str, Resolver] = {}
# kind -> current(enterprise_id, ids) -> the linked objects as they stand now (the partner's desk
# shows them live; the snapshot above is what was linked). Registered by the same apps.
_CURRENT: dict[str, Callable[..., list]] = {}

__all__ = [
    "NotFound",
    "Resolver",
    "current",
    "register",
    "register_current",
    "registered_kinds",
    "resolve",
    "unregister",
]


def register(kind: str, resolver: Resolver) -> Resolver:
    """Register `resolver(enterprise, object_id) -> dict` for evidence `kind`."""
    if kind not in EvidenceKind.values:
        raise ValueError(f"Unknown evidence kind {kind!r}; add it to EvidenceKind first.")
    _RESOLVERS[kind] = resolver
    return resolver


def register_current(kind: str, current: Callable[..., list]) -> None:
    """Register `current(enterprise_id, ids) -> list`: `enterprise_id`'s linked objects of `kind`
    as they stand now, for the partner's desk."""
    _CURRENT[kind] = current


def current(kind: str, *, enterprise_id: int, ids: list[int]) -> list:
    """The linked objects of `kind` as they stand now; nothing when no app registered the kind."""
    reader = _CURRENT.get(kind)
    return reader(enterprise_id, ids) if reader and ids else []


def unregister(kind: str) -> None:
    _RESOLVERS.pop(kind, None)


def registered_kinds() -> list[str]:
    return sorted(_RESOLVERS)


def resolve(kind: str, *, enterprise, object_id: str) -> dict:
    """The summary of `enterprise`'s object, or 400 naming the field when it cannot be linked."""
    resolver = _RESOLVERS.get(kind)
    if resolver is None:
        raise ValidationFailed(
            _("Evidence of kind “%(kind)s” cannot be linked yet.")
            % {"kind": EvidenceKind(kind).label if kind in EvidenceKind.values else kind},
            field="kind",
            code="evidence_kind_unavailable",
        )
    try:
        summary = resolver(enterprise, str(object_id))
    except NotFound as exc:
        raise unknown_id("object_id", object_id) from exc
    if not isinstance(summary, dict):
        raise TypeError(f"The {kind} resolver must return a dict, not {type(summary).__name__}.")
    return summary
