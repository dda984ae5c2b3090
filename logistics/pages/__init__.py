"""The exporter's shipment pages: booking, documents and dispatch (`booking.py`), the list and
the shipment page (`shipment.py`)."""
