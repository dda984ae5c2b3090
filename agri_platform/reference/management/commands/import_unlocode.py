from django.core.management.base import BaseCommand, CommandError

from agri_platform.reference.importers import import_unlocode, read_text

from ._progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Import the official UNECE UN/LOCODE code list (the 'CodeListPart1/2/3.csv' files of the "
        "CSV download; a copy with a header row works too). Adds and updates places; prints a "
        "summary of rows added, updated and rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="CSV file(s) of the UNECE download")
        parser.add_argument(
            "--encoding", default="auto", help="File encoding (default: UTF-8, else ISO 8859-1)"
        )
        parser.add_argument(
            "--country",
            action="append",
            default=[],
            help="Only import this ISO 3166 alpha-2 country (repeatable)",
        )
        parser.add_argument("--dry-run", action="store_true", help="Validate and count only")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar")

    def handle(self, *args, **options):
        countries = {code.upper() for code in options["country"]} or None
        failed = False
        for path in options["files"]:
            try:
                text = read_text(path, options["encoding"])
            except (OSError, LookupError, UnicodeDecodeError) as exc:
                raise CommandError(f"Cannot read {path}: {exc}") from exc
            self.stdout.write(f"{path}:")
            progress = None if options["no_progress"] else ProgressBar(self.stderr, label="rows")
            summary = import_unlocode(
                text, countries=countries, progress=progress, dry_run=options["dry_run"]
            )
            for error in summary.errors:
                self.stdout.write(f"  rejected {error}")
            if summary.rejected > len(summary.errors):
                self.stdout.write(f"  ... and {summary.rejected - len(summary.errors)} more")
            style = self.style.WARNING if summary.rejected else self.style.SUCCESS
            prefix = "Dry run, nothing written: " if options["dry_run"] else ""
            self.stdout.write(style(f"  {prefix}{summary}"))
            failed = failed or (summary.total > 0 and summary.rejected == summary.total)
        if failed:
            raise CommandError("Every row of a file was rejected: is it a UN/LOCODE CSV?")
