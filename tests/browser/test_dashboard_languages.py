"""Platform staff read the province dashboard in Chinese on a phone and in English on a desktop.

The screenshots are the ones in docs/screenshots/ (run with QUALITY_SCREENSHOT_DIR=docs/screenshots).
"""

import re
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import factories
from tests.browser.conftest import admin_login
from tests.browser.test_dashboard import CHART_FIT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

CJK = re.compile(r"[\u3400-\u9fff]")

# The page must never scroll sideways: wide tables scroll inside their card.
PAGE_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.mark.parametrize(
    ("language", "width", "title", "headings"),
    [
        (
            "zh-hans",
            390,
            "四川农产品出口——全省数据看板",
            ["目标", "月度出口额", "分品类", "分市场"],
        ),
        ("en", 1280, "province dashboard", ["Targets", "Monthly export value", "By category"]),
    ],
)
def test_staff_read_the_dashboard_in_their_language(
    live_server, browser, screenshot_dir, language, width, title, headings
):
    call_command("seed_demo", verbosity=0)
    staff = factories.StaffUserFactory(staff_role="officer", email=f"officer-{language}@b.example")
    page = browser.new_page(
        viewport={"width": width, "height": 900},
        extra_http_headers={"Accept-Language": language},
        timezone_id="Asia/Shanghai",
    )
    admin_login(page, live_server.url, staff.email, factories.DEFAULT_PASSWORD)

    # from here on the dashboard alone: no console error, no failed request
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))

    with timezone.override(ZoneInfo("Asia/Shanghai")):
        response = page.goto(f"{live_server.url}/dashboard/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert title in page.locator("h1").inner_text()
    shown = page.locator("h2").all_inner_texts()
    assert [heading for heading in headings if heading not in shown] == []
    body = page.locator("body").inner_text()
    if language == "en":
        assert not CJK.search(body), CJK.findall(body)[:20]
        assert "CN¥" in body
    else:
        assert "¥" in body and "万" in body
    page.screenshot(path=str(screenshot_dir / f"dashboard-{language[:2]}.png"), full_page=True)
    assert page.evaluate(PAGE_OVERFLOW) <= 0
    for chart in page.evaluate(CHART_FIT):
        assert chart["svg"] <= chart["inner"] + 0.5, f"{chart['title']} is wider than its card"
    assert errors == []
