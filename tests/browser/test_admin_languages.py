"""Platform staff reads the Django admin in its language: English on a desktop (1280 px), Chinese on
a phone (390 px), chosen by the browser's Accept-Language.

Django's own words (site administration, log out, the changelist's search) and this app's (the
idempotency keys' names, states and fields; the API plumbing app) are asserted; the other apps'
model names are their owners' catalogues (tests/i18n/test_catalogues.py checks them). Screenshots go
to the test's screenshot folder, and to docs/screenshots/admin-<language>.png when
UPDATE_DOCS_SCREENSHOTS is set.
"""

import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from agri_platform.api.models import IdempotencyKey
from tests import factories
from tests.browser.conftest import admin_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

DOCS_SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"

LANGUAGES = {
    # language: (viewport width, Accept-Language, words on the index, words on the changelist)
    "en": (
        1280,
        "en",
        ["Site administration", "API plumbing", "Idempotency keys", "Log out"],
        ["Select idempotency key to view", "In flight", "Caller"],
    ),
    "zh": (
        390,
        "zh-Hans,zh;q=0.9",
        ["站点管理", "API 基础设施", "幂等键", "注销"],
        ["处理中", "调用方"],
    ),
}


@pytest.fixture
def staff(db):
    return factories.StaffUserFactory(
        staff_role="platform_admin",
        is_superuser=True,
        email="admin-languages@browser.example",
    )


@pytest.fixture
def idempotency_key(db):
    return IdempotencyKey.objects.create(
        owner="user:1",
        key="browser-key",
        method="POST",
        path="/api/v1/shipments/",
        fingerprint="0" * 64,
        expires_at=timezone.now() + timedelta(days=1),
    )


def _shot(page, screenshot_dir: Path, name: str) -> None:
    page.screenshot(path=str(screenshot_dir / name), full_page=True)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_admin_reads_in_the_browsers_language(
    language, live_server, browser, screenshot_dir, staff, idempotency_key
):
    width, accept_language, index_words, changelist_words = LANGUAGES[language]
    # Whichever the platform asks first, the saved choice or the header, both say the language.
    staff.language = "zh-hans" if language == "zh" else "en"
    staff.save(update_fields=["language"])
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        extra_http_headers={"Accept-Language": accept_language},
    )
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    failed: list[str] = []  # the browser asks for /favicon.ico on its own; the admin has none
    page.on(
        "response",
        lambda r: (
            failed.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )

    admin_login(page, live_server.url, staff.email, factories.DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/admin/")
    assert page.locator("html").get_attribute("lang") == ("zh-hans" if language == "zh" else "en")
    index = page.locator("body").text_content()
    assert all(word in index for word in index_words), (index_words, index[:2000])
    _shot(page, screenshot_dir, f"admin-index-{language}.png")

    page.goto(f"{live_server.url}/admin/api/idempotencykey/")
    changelist = page.locator("body").text_content()
    assert all(word in changelist for word in changelist_words), (changelist_words, changelist)
    _shot(page, screenshot_dir, f"admin-changelist-{language}.png")

    page.goto(f"{live_server.url}/admin/enterprises/enterprise/")
    assert page.locator("#changelist").count() == 1
    _shot(page, screenshot_dir, f"admin-{language}.png")
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS"):
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(screenshot_dir / f"admin-{language}.png", DOCS_SCREENSHOTS)

    assert failed == []
    assert [m for m in console_errors if not m.startswith("Failed to load resource")] == []
    context.close()
