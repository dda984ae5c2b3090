from django.core.management.base import BaseCommand, CommandError

from agri_platform.reference.importers import import_hs_codes, read_text

from ._progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Import HS codes from a CSV with the header code,description_en[,description_zh]. Codes "
        "may contain dots or spaces ('0805.21' → 080521) and have 2, 4, 6, 8, 10 or 13 digits."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--encoding", default="auto")
        parser.add_argument("--dry-run", action="store_true", help="Validate and count only")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar")

    def handle(self, *args, **options):
        try:
            text = read_text(options["file"], options["encoding"])
        except (OSError, LookupError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        progress = None if options["no_progress"] else ProgressBar(self.stderr, label="codes")
        try:
            summary = import_hs_codes(text, progress=progress, dry_run=options["dry_run"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for error in summary.errors:
            self.stdout.write(f"  rejected {error}")
        if summary.rejected > len(summary.errors):
            self.stdout.write(f"  ... and {summary.rejected - len(summary.errors)} more")
        style = self.style.WARNING if summary.rejected else self.style.SUCCESS
        prefix = "Dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(style(f"{prefix}{summary}"))
