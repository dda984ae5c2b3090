"""The tracking link read in Chinese on a phone and in English on a desk screen.

The browser's language (Accept-Language) chooses the page's; place names, statuses and times follow
it; on the first visit, before the device's zone is known (agri_platform/portal/zone.py), times are
in China's time for a Chinese reader and in UTC for an English one, the zone named. The docs'
screenshots of the page come from tests/browser/test_public_profile.py.
"""

import pytest

from tests import factories

from .test_tracking_page import PHONE, travelled_shipment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

DESK = {"width": 1280, "height": 900}
CHINESE_NAMES = {"CNCTU": "成都", "CNMHN": "磨憨", "MYKUL": "吉隆坡"}


def chinese_place_names():
    for code, name_zh in CHINESE_NAMES.items():
        location = factories.location(code, code)
        location.name_zh = name_zh
        location.save()


def open_tracking(browser, url, *, viewport, locale, **options):
    """The page as a reader with this browser language sees it, and what the console reported."""
    context = browser.new_context(viewport=viewport, locale=locale, **options)
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(url)
    assert response.status == 200
    return context, page, problems


def assert_fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("svg#chart").bounding_box()["width"] <= width


def test_a_chinese_reader_on_a_phone(live_server, browser):
    shipment = travelled_shipment()
    chinese_place_names()
    context, page, problems = open_tracking(
        browser,
        f"{live_server.url}/track/{shipment.tracking_token}/",
        viewport=PHONE,
        locale="zh-CN",
        device_scale_factor=2,
        is_mobile=True,
    )
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text().startswith("货物追踪")
    assert page.locator("#status").inner_text() == "已清关"
    assert (
        page.locator("#route")
        .inner_text()
        .startswith("成都，中国 (CNCTU) → 吉隆坡，马来西亚 (MYKUL)")
    )
    timeline = page.locator("#timeline").inner_text()
    assert "已提货" in timeline and "磨憨，中国 (CNMHN)" in timeline
    assert "2026-01-12 08:00（中国（上海）时间）" in timeline  # 00:00 UTC, in China's time
    assert "峰值9.6 °C" in page.locator("#timeline [data-excursion]").inner_text()
    assert_fits(page, PHONE["width"])
    assert not problems, problems
    context.close()


def test_an_english_reader_on_a_desk_screen(live_server, browser):
    shipment = travelled_shipment()
    chinese_place_names()
    context, page, problems = open_tracking(
        browser,
        f"{live_server.url}/track/{shipment.tracking_token}/",
        viewport=DESK,
        locale="en-GB",
    )
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Shipment tracking")
    assert page.locator("#status").inner_text() == "Cleared"
    assert (
        page.locator("#route")
        .inner_text()
        .startswith("Chengdu, China (CNCTU) → Kuala Lumpur, Malaysia (MYKUL)")
    )
    timeline = page.locator("#timeline").inner_text()
    assert "Picked up" in timeline and "Mohan, China (CNMHN)" in timeline
    assert "2026-01-12 00:00 (UTC)" in timeline
    assert "peak 9.6 °C" in page.locator("#timeline [data-excursion]").inner_text()
    assert_fits(page, DESK["width"])

    page.click("text=中文")  # the language switch on the page
    assert page.locator("h1").inner_text().startswith("货物追踪")
    assert not problems, problems
    context.close()
