from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    """Overseas buyers: the catalogue, buyer accounts, inquiries and quotes, promotion events."""

    name = "trade"
    verbose_name = _("Overseas trade")
