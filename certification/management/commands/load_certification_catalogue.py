from django.core.management.base import BaseCommand
from django.db import transaction

from certification import catalogue


class Command(BaseCommand):
    help = "Create the seed certification schemes and market requirements that are missing."

    def handle(self, *args, **options):
        with transaction.atomic():
            catalogue.load(lambda line: self.stdout.write(line))
