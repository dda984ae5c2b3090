"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

They run in CI's PostgreSQL pass (marked `integration`, so they need DATABASE_URL and REDIS_URL) and
again in `.ci/quality` (`-m browser`). Chromium comes from Debian (`apt-get install chromium`, done by
`.ci/quality`); `playwright install` (a browser download) cannot work here. Screenshots go to
QUALITY_SCREENSHOT_DIR when set, otherwise to the test's tmp_path.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch):
    # Playwright's sync API keeps an asyncio loop in the test's thread; Django then refuses ORM
    # calls from that thread unless told the code is really synchronous (it is).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Debian's chromium is needed: apt-get install -y chromium (.ci/quality does it)"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    path = Path(os.environ.get("QUALITY_SCREENSHOT_DIR") or tmp_path / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def admin_login(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert "/admin/login/" not in page.url, page.content()[:2000]
