"""Every state change of logistics, one module per kind of use case (shipments.py, ...)."""
