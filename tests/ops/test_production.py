"""Production settings, loaded in a fresh interpreter as a server would load them."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = "agri_platform.settings.production"
# Variables that would change what the production settings read; each test sets its own.
INHERITED = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "EMAIL_BACKEND",
    "DEFAULT_FILE_STORAGE",
    "NUM_PROXIES",
)


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in INHERITED}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": PRODUCTION, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def good_key() -> str:
    return secrets.token_urlsafe(64)


def test_refuses_to_start_without_secret_key():
    result = run(["manage.py", "check"], ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_refuses_a_short_secret_key():
    result = run(["manage.py", "check"], SECRET_KEY="short", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "at least 50 random characters" in result.stderr


def test_refuses_the_repositorys_development_key():
    from agri_platform.settings.base import DEVELOPMENT_SECRET_KEY

    result = run(
        ["manage.py", "check"], SECRET_KEY=DEVELOPMENT_SECRET_KEY, ALLOWED_HOSTS="a.example"
    )
    assert result.returncode != 0
    assert "development key" in result.stderr


@pytest.mark.parametrize(
    "key", ["a" * 64, "abcdefghij" * 6, "0123456789" * 5, "django-insecure-" + "xy" * 20]
)
def test_refuses_a_long_but_low_entropy_key(key):
    result = run(["manage.py", "check"], SECRET_KEY=key, ALLOWED_HOSTS="a.example")
    assert result.returncode != 0
    assert "at least 50 random characters" in result.stderr


@pytest.mark.parametrize("hosts", ["*", "api.agri-trade.example,*"])
def test_refuses_allowed_hosts_star(hosts):
    result = run(["manage.py", "check"], SECRET_KEY=good_key(), ALLOWED_HOSTS=hosts)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS=*" in result.stderr


def test_accepts_keys_made_the_usual_ways():
    from django.core.management.utils import get_random_secret_key

    for key in (get_random_secret_key(), secrets.token_hex(32), good_key()):
        result = run(["manage.py", "check"], SECRET_KEY=key, ALLOWED_HOSTS="a.example")
        assert result.returncode == 0, result.stderr


def test_a_key_starting_with_a_dollar_is_taken_as_it_is():
    """django-environ would read `$…` as the name of another variable and fall back to the
    default: production refused to start, and the embedded settings used the development key."""
    key = "$" + good_key()[1:]
    code = (
        "import django; django.setup(); from django.conf import settings as s; print(s.SECRET_KEY)"
    )
    result = run(["-c", code], SECRET_KEY=key, ALLOWED_HOSTS="a.example")
    assert result.stdout.strip() == key, result.stderr
    embedded = run(["-c", code], SECRET_KEY=key, DJANGO_SETTINGS_MODULE="agri_platform.settings")
    assert embedded.stdout.strip() == key, embedded.stderr


def test_one_trusted_proxy_by_default_and_drf_agrees():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from rest_framework.settings import api_settings as a; "
        "print(s.NUM_PROXIES, a.NUM_PROXIES)"
    )
    result = run(["-c", code], SECRET_KEY=good_key(), ALLOWED_HOSTS="a.example")
    assert result.stdout.split() == ["1", "1"], result.stderr
    result = run(["-c", code], SECRET_KEY=good_key(), ALLOWED_HOSTS="a.example", NUM_PROXIES="2")
    assert result.stdout.split() == ["2", "2"], result.stderr


def test_refuses_to_start_without_allowed_hosts():
    result = run(["manage.py", "check"], SECRET_KEY=good_key())
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_check_deploy_prints_no_warning():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=good_key(),
        ALLOWED_HOSTS="example.org",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output.upper()
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_email_storage_and_hosts_come_from_the_environment():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, "
        "'csrf': s.CSRF_TRUSTED_ORIGINS, 'email': [s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, "
        "s.EMAIL_HOST_USER, s.EMAIL_USE_TLS], 'storage': s.STORAGES['default'], "
        "'static': s.STORAGES['staticfiles']['BACKEND']}))"
    )
    result = run(
        ["-c", code],
        SECRET_KEY=good_key(),
        ALLOWED_HOSTS="api.agri-trade.example,admin.agri-trade.example",
        DEBUG="true",
        EMAIL_HOST="smtp.agri-trade.example",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="mailer",
        EMAIL_USE_TLS="true",
        DEFAULT_FILE_STORAGE="storages.backends.s3.S3Storage",
        DEFAULT_FILE_STORAGE_OPTIONS='{"bucket_name": "agri-documents"}',
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["debug"] is False  # DEBUG from the environment is ignored in production
    assert shown["hosts"] == ["api.agri-trade.example", "admin.agri-trade.example"]
    assert shown["csrf"] == ["https://api.agri-trade.example", "https://admin.agri-trade.example"]
    assert shown["email"] == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.agri-trade.example",
        587,
        "mailer",
        True,
    ]
    assert shown["storage"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "agri-documents"},
    }
    assert shown["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
