from django.core.management.base import BaseCommand

from agri_platform.reference.loading import load_reference_data


class Command(BaseCommand):
    help = (
        "Load the shipped reference subsets (countries, currencies, UN/LOCODE places, HS codes, "
        "Sichuan prefectures, cold-chain profiles, northern supply seasons). Safe to run again: changes nothing."
    )

    def handle(self, *args, **options):
        load_reference_data(lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
