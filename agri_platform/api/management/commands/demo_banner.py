from django.core.management.base import BaseCommand

from agri_platform.accounts.demo import DEMO_PASSWORD, ENTERPRISE_USERS, STAFF


class Command(BaseCommand):
    help = "Print where to look and how to log in to the local demo (used by `make run`)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args, url, **options):
        lines = [
            "",
            "Sichuan Agri-Trade Service Platform, local demo (embedded: SQLite, eager Celery, console e-mail)",
            f"  API root      {url}/api/v1/",
            f"  Swagger UI    {url}/api/docs/",
            f"  ReDoc         {url}/api/redoc/",
            f"  Admin         {url}/admin/",
            f"  Health        {url}/health/",
            "",
            f"Demo logins (local use only), password for all: {DEMO_PASSWORD}",
        ]
        lines += [f"  staff ({role:<14}) {email}" for email, _, role, _ in STAFF]
        lines += [f"  enterprise user        {email}" for email, _ in ENTERPRISE_USERS]
        lines += [
            "",
            "Get a bearer token:",
            f"  curl -s -X POST {url}/api/v1/auth/token/ -H 'Content-Type: application/json' \\",
            f'       -d \'{{"email": "{ENTERPRISE_USERS[0][0]}", "password": "{DEMO_PASSWORD}"}}\'',
            "",
        ]
        self.stdout.write("\n".join(lines))
