"""Extract every marked string into each app's own catalogue, then compile the catalogues.

One catalogue per local app (``<app>/locale/<locale>/LC_MESSAGES/django.po``), so that work on one
app never touches another's file. Needs GNU gettext (``xgettext``, ``msgmerge``, ``msgfmt``), as
Django's makemessages does; the compiled ``.mo`` files are committed, so running the platform does
not. See docs/localisation.md.
"""

import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import to_locale

IGNORED = ["migrations/*", "tests/*", "static/*", "locale/*"]


def local_app_paths() -> list[Path]:
    """The folders of the project's own apps, in INSTALLED_APPS order."""
    base = Path(settings.BASE_DIR).resolve()
    paths = [Path(config.path).resolve() for config in apps.get_app_configs()]
    return [path for path in paths if path.is_relative_to(base) and ".venv" not in path.parts]


def translated_locales() -> list[str]:
    """Every language of LANGUAGES but the source language (English) as a gettext locale."""
    return [to_locale(code) for code, _ in settings.LANGUAGES if code != "en"]


class Command(BaseCommand):
    help = "Extract marked strings into each app's .po files and compile them (needs GNU gettext)."

    def add_arguments(self, parser):
        parser.add_argument("--app", action="append", help="only this app folder name (repeatable)")
        parser.add_argument("--no-compile", action="store_true", help="extract only")

    def handle(self, *args, app=None, no_compile=False, **options):
        start = os.getcwd()
        locales = translated_locales()
        try:
            for path in local_app_paths():
                if app and path.name not in app:
                    continue
                (path / "locale").mkdir(exist_ok=True)
                # makemessages reads the current folder; the app's own locale/ receives its strings.
                os.chdir(path)
                call_command(
                    "makemessages",
                    locale=locales,
                    no_obsolete=True,
                    add_location="file",
                    ignore_patterns=IGNORED,
                    verbosity=0,
                )
                if not no_compile:
                    call_command("compilemessages", locale=locales, verbosity=0)
                self.stdout.write(f"{path.relative_to(settings.BASE_DIR)}: {', '.join(locales)}")
        finally:
            os.chdir(start)
