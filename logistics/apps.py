from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "logistics"

    def ready(self):
        from finance import evidence

        from .evidence import resolve_shipment

        evidence.register("shipment", resolve_shipment)
