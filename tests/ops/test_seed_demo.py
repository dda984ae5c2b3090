"""`seed_demo` loads the demo data and is idempotent: a second run changes no table."""

import subprocess
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from agri_platform.accounts.choices import PartnerKind
from agri_platform.accounts.demo import (
    DEMO_PASSWORD,
    ENTERPRISE_USERS,
    PARTNERS,
    STAFF,
    partner_user_email,
)
from agri_platform.accounts.models import Partner, User
from trade.demo import BUYERS

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_twice_changes_no_row_count():
    before = row_counts()
    assert "Demo data loaded." in seed()
    first = row_counts()
    seed()
    second = row_counts()
    assert second == first, {k: (first[k], second[k]) for k in first if first[k] != second[k]}
    assert first != before
    assert first["accounts.User"] >= len(STAFF) + len(ENTERPRISE_USERS) + len(PARTNERS)
    assert first["accounts.Partner"] == len(PARTNERS) + len(BUYERS)


def test_demo_logins_work_and_staff_roles_are_set():
    seed()
    for email, _, role, superuser in STAFF:
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert user.staff_role == role and user.is_staff and user.is_superuser == superuser
    for email, _ in ENTERPRISE_USERS:
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert set(Partner.objects.values_list("kind", flat=True)) == {k for _, _, k in PARTNERS} | {
        PartnerKind.BUYER
    }


def test_demo_banner_prints_the_logins_and_where_to_look():
    out = StringIO()
    call_command("demo_banner", "--url", "http://127.0.0.1:8123", stdout=out)
    text = out.getvalue()
    first_lines = [line for line in text.splitlines() if line.strip()][1:3]
    assert "http://127.0.0.1:8123/portal/" in first_lines[0]
    assert ENTERPRISE_USERS[0][0] in first_lines[1] and DEMO_PASSWORD in first_lines[1]
    assert "http://127.0.0.1:8123/api/docs/" in text
    assert "http://127.0.0.1:8123/health/" in text
    assert "http://127.0.0.1:8123/desk/" in text and "http://127.0.0.1:8123/verify/" in text
    assert DEMO_PASSWORD in text
    for email, *_ in STAFF + ENTERPRISE_USERS:
        assert email in text
    for name, _, kind in PARTNERS:
        assert f"partner ({kind})" in text
        assert partner_user_email(name) in text


def test_make_run_sets_the_public_base_url_from_host_and_port():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    server_line = next(line for line in dry_run.splitlines() if "runserver" in line)
    assert "PUBLIC_BASE_URL=http://127.0.0.1:8123 " in server_line
    assert server_line.rstrip().endswith("runserver 127.0.0.1:8123")


def test_demo_banner_names_a_buyers_login_and_the_trade_pages():
    from trade.demo import BUYERS, buyer_person_email

    out = StringIO()
    call_command("demo_banner", "--url", "http://127.0.0.1:8123", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/catalogue/" in text
    assert "http://127.0.0.1:8123/promotions/" in text
    for name, *_ in BUYERS:
        assert buyer_person_email(name) in text


def test_the_demo_has_a_singapore_event_and_inquiries_and_quotes_in_every_state():
    from trade.choices import InquiryStatus, QuoteStatus
    from trade.models import Inquiry, PromotionEvent, Quote

    seed()
    event = PromotionEvent.objects.get(country="SG", status="published")
    assert set(event.markets.values_list("code", flat=True)) == {"SG", "MY"}
    assert event.participants.filter(status="signed_up").count() >= 4
    assert set(Inquiry.objects.values_list("status", flat=True)) == set(InquiryStatus.values)
    assert set(Quote.objects.values_list("status", flat=True)) == set(QuoteStatus.values)
    accepted = Quote.objects.get(status=QuoteStatus.ACCEPTED)
    assert accepted.shipment_draft is not None
