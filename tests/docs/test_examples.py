"""Every example request in docs/ runs against a live server with the demo data and answers what
the docs say (2xx unless a `# → NNN` comment says otherwise). See tests/docs/examples.py."""

import os
import shutil
import subprocess

import pytest
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
from agri_platform.accounts.services import api_key_create, token_issue
from agri_platform.api.permissions import SCOPES
from tests.docs.examples import CREDENTIALS, example_files, script_for
from trade.demo import BUYERS

pytestmark = pytest.mark.django_db(transaction=True)

KEY_SCOPES = {
    "CARRIER_KEY": ("carrier", ["logistics:write", "telemetry:write", "events:read"]),
    "BANK_KEY": ("bank", ["finance:write", "enterprises:read", "events:read", "webhooks:manage"]),
    "LAW_FIRM_KEY": ("law_firm", ["legal:write", "events:read"]),
    "CERT_BODY_KEY": ("certification_body", ["certification:read", "certification:write"]),
    "BUYER_KEY": ("buyer", ["trade:write", "events:read", "webhooks:manage"]),
}


# Files the examples upload (`-F file=@licence.pdf`), as small files of their type.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082"
)
SAMPLE_FILES = {"licence.pdf": PDF, "manual.pdf": PDF, "process.pdf": PDF, "logo.png": PNG}


def _token(email: str) -> str:
    return token_issue(user=User.objects.get(email=email), name="docs examples")[1]


def _partner(kind: str) -> Partner:
    names = [name for name, _, partner_kind in PARTNERS if partner_kind == kind]
    names += [name for name, *_ in BUYERS if kind == PartnerKind.BUYER]
    return Partner.objects.get(name=names[0])


def credentials() -> dict[str, str]:
    staff = {role: email for email, _, role, _ in STAFF}
    values = {
        "TOKEN": _token(ENTERPRISE_USERS[0][0]),
        "STAFF": _token(staff["platform_admin"]),
        "REVIEWER": _token(staff["reviewer"]),
        "OFFICER": _token(staff["officer"]),
        "PARTNER_PERSON": _token(partner_user_email(_partner("carrier").name)),
        "BUYER_PERSON": _token(partner_user_email(_partner("buyer").name)),
    }
    for name, (kind, scopes) in KEY_SCOPES.items():
        assert set(scopes) <= set(SCOPES)
        values[name] = api_key_create(partner=_partner(kind), name=name, scopes=scopes)[1]
    assert set(values) == set(CREDENTIALS)
    return values


def test_the_docs_have_examples():
    names = {path.name for path in example_files()}
    assert {"getting-started.md", "logistics.md", "finance.md", "certification.md"} <= names


@pytest.fixture
def mail_dir(settings, tmp_path, eager_tasks):
    """E-mails as files the examples can read (`email_link`), sent in-process even when REDIS_URL
    points at a broker."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    return settings.EMAIL_FILE_PATH


@pytest.mark.parametrize("path", example_files(), ids=lambda path: path.name)
def test_docs_examples_run(path, live_server, tmp_path, mail_dir):
    for tool in ("bash", "curl", "jq"):
        if shutil.which(tool) is None:
            pytest.fail(
                f"the docs examples need {tool}: apt-get install -y {tool} (.ci/run does it)"
            )
    call_command("seed_demo", verbosity=0)
    script = script_for(path, live_server.url, credentials())
    (tmp_path / "script.sh").write_text(script)
    for name, content in SAMPLE_FILES.items():
        (tmp_path / name).write_bytes(content)
    env = {**os.environ, "DEMO_PASSWORD": DEMO_PASSWORD, "MAIL_DIR": str(mail_dir)}
    result = subprocess.run(
        ["bash", str(tmp_path / "script.sh")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (
        f"an example of docs/{path.name} failed (script: {tmp_path / 'script.sh'}):\n"
        f"{result.stderr[-3000:]}"
    )
