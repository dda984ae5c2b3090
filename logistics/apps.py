from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = _("Cold-chain logistics")

    def ready(self):
        from finance import evidence

        from .evidence import resolve_shipment

        evidence.register("shipment", resolve_shipment)
