from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "agri_platform.accounts"
    label = "accounts"
    verbose_name = _("Accounts, partners and access")
