"""The portal's frame, as every journey meets it: sign in, the navigation (a drawer on a phone),
the language switch, sign out. The journeys themselves are in tests/browser/test_portal_*.py."""

import pytest

from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_an_exporter_signs_in_finds_the_menu_switches_language_and_signs_out(
    person, live_server, browser
):
    member = factories.MembershipFactory(
        enterprise__name_zh="新津柑橘合作社", enterprise__name_en="Xinjin Citrus Cooperative"
    ).user
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page

    visit.go("/portal/shipments/", status=200)  # the sign-in page, remembering where to return
    assert "/portal/login/" in page.url
    visit.check()
    page.fill("#id_username", member.email)
    page.fill("#id_password", "wrong password")
    page.get_by_role("button", name=visit.text("登录", "Sign in")).click()
    assert page.locator(".error-summary").is_visible()
    visit.check()

    page.fill("#id_password", DEFAULT_PASSWORD)
    page.get_by_role("button", name=visit.text("登录", "Sign in")).click()
    page.wait_for_url("**/portal/shipments/")
    assert page.locator("html").get_attribute("lang") == visit.text("zh-Hans", "en")

    navigation = page.locator("#sidenav")
    if person.width < 900:
        assert not navigation.is_visible()
        page.get_by_role("button", name=visit.text("菜单", "Menu")).click()
    assert navigation.is_visible()
    assert navigation.get_by_text(
        visit.text("新津柑橘合作社", "Xinjin Citrus Cooperative")
    ).is_visible()
    visit.check()

    other = visit.text("English", "中文")
    page.get_by_role("button", name=other).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == visit.text("en", "zh-Hans")
    member.refresh_from_db()
    assert member.language == visit.text("en", "zh-hans")

    page.get_by_role("button", name=visit.text("Sign out", "退出")).click()
    page.wait_for_url("**/portal/login/")
    visit.finish()
