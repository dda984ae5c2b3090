from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from logistics import partitions


class Command(BaseCommand):
    help = (
        "Bring the monthly partitions of the sensor readings in line with the settings: split the "
        "DEFAULT partition, create months ahead, detach or drop months past the retention "
        "(PostgreSQL; nothing elsewhere). Safe to run at any time, and while the beat task runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ahead", type=int, help="months ahead (TELEMETRY_PARTITIONS_AHEAD)")
        parser.add_argument(
            "--retention-months", type=int, help="months kept (TELEMETRY_RETENTION_MONTHS)"
        )
        parser.add_argument(
            "--action",
            choices=["detach", "drop"],
            help="past retention (TELEMETRY_RETENTION_ACTION)",
        )
        parser.add_argument("--dry-run", action="store_true", help="list, change nothing")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Not PostgreSQL: the readings table is not partitioned.")
            return
        lines = partitions.maintain(
            now=timezone.now(),
            ahead=options["ahead"],
            retention_months=options["retention_months"],
            action=options["action"],
            dry_run=options["dry_run"],
        )
        prefix = "would " if options["dry_run"] else ""
        for line in lines:
            self.stdout.write(prefix + line)
        if not lines:
            self.stdout.write("Nothing to do.")
