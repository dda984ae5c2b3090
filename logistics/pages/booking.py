"""Booking a shipment, its documents, the readiness gate and dispatch."""


def documents_and_dispatch(request, shipment) -> dict:
    """What the shipment page's documents and dispatch panel
    (`logistics/portal/_documents_and_dispatch.html`) needs, for `shipment` as `request`'s
    person sees it."""
    return {}
