from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = _("Cold-chain logistics")

    def ready(self):
        from certification import document_check
        from enterprises import markets
        from finance import evidence

        from .document_check import shipment_document_with_digest
        from .evidence import resolve_shipment, shipments_now
        from .selectors import markets_served

        evidence.register("shipment", resolve_shipment)
        evidence.register_current("shipment", shipments_now)
        markets.register(markets_served)
        document_check.register_shipment_documents(shipment_document_with_digest)
