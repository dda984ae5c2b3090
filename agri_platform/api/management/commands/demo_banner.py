import importlib

from django.conf import settings
from django.core.management.base import BaseCommand

from agri_platform.accounts.demo import (
    DEMO_PASSWORD,
    ENTERPRISE_USERS,
    PARTNERS,
    STAFF,
    partner_user_email,
)

TRADE_DEMO = "trade.demo"  # a domain app: named by dotted string (agri_platform imports none)


def trade_logins() -> list[tuple[str, str]]:
    """The demo buyers' people and the export desks that answer their inquiries."""
    demo = importlib.import_module(TRADE_DEMO)
    logins = [
        (f"buyer ({country})", demo.buyer_person_email(name)) for name, country, *_ in demo.BUYERS
    ]
    logins += [(f"export desk ({key})", demo.export_desk_email(key)) for key in demo.EXPORT_DESKS]
    return logins


class Command(BaseCommand):
    help = "Print where to look and how to log in to the local demo (used by `make run`)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default=None, help="the server's address (default: PUBLIC_BASE_URL)"
        )

    def handle(self, *args, url, **options):
        url = (url or settings.PUBLIC_BASE_URL).rstrip("/")
        exporter = ENTERPRISE_USERS[0][0]
        lines = [
            "",
            "Sichuan Agri-Trade Service Platform, local demo (embedded: SQLite, eager Celery, console e-mail)",
            "",
            f"  Exporter portal  {url}/portal/",
            f"  Sign in as       {exporter}  password {DEMO_PASSWORD}",
            f"  Partner desks    {url}/desk/  (sign in as a partner's person below)",
            f"  Check a certificate  {url}/verify/    Exporters  {url}/exporters/",
            f"  Overseas buyers  {url}/catalogue/    Promotion events  {url}/promotions/",
            f"  Buyer desk       {url}/desk/inquiries/  (sign in as a buyer below)",
            "",
            f"  API index     {url}/api/v1/",
            f"  Swagger UI    {url}/api/docs/",
            f"  ReDoc         {url}/api/redoc/",
            f"  Admin         {url}/admin/",
            f"  Dashboard     {url}/dashboard/",
            f"  Health        {url}/health/",
            f"  Public URL    {settings.PUBLIC_BASE_URL} (links in e-mails, EPCIS ids, tracking links)",
            "",
            f"Demo logins (local use only), password for all: {DEMO_PASSWORD}",
        ]
        logins = [(f"staff ({role})", email) for email, _, role, _ in STAFF]
        logins += [("enterprise user", email) for email, _ in ENTERPRISE_USERS]
        logins += [(f"partner ({kind})", partner_user_email(name)) for name, _, kind in PARTNERS]
        logins += trade_logins()
        lines += [f"  {who:<29} {email}" for who, email in logins]
        lines += [
            "",
            "Get a bearer token:",
            f"  curl -s -X POST {url}/api/v1/auth/token/ -H 'Content-Type: application/json' \\",
            f'       -d \'{{"email": "{ENTERPRISE_USERS[0][0]}", "password": "{DEMO_PASSWORD}"}}\'',
            "",
        ]
        self.stdout.write("\n".join(lines))
