"""Load the demo data: users, partners and the cases of the source article. Idempotent.

Each app that has demo data provides `<app>/demo.py` with `seed(log)`; they run in INSTALLED_APPS
order inside one transaction, so a failure leaves nothing half-loaded.
"""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo users, partners and article cases (safe to run again: changes nothing)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{app_config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name == f"{app_config.name}.demo":
                        continue
                    raise
                module.seed(self.log)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def log(self, message: str) -> None:
        self.stdout.write(f"  {message}")
