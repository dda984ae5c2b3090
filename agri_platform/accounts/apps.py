from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "agri_platform.accounts"
    label = "accounts"
    verbose_name = "Accounts, partners and access"
