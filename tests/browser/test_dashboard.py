"""Platform staff open the province dashboard in a browser."""

import pytest
from django.core.management import call_command

from tests import factories
from tests.browser.conftest import admin_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


# Each chart's drawn width against its card's content width, and whether the card scrolls sideways.
CHART_FIT = """() => [...document.querySelectorAll('.card svg')].map(svg => {
  const card = svg.closest('.card');
  const style = getComputedStyle(card);
  const inner = card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {title: svg.getAttribute('aria-label'), svg: svg.getBoundingClientRect().width,
          inner: inner, scrolls: card.scrollWidth > card.clientWidth};
})"""


@pytest.mark.parametrize("width", [1280, 1920])
def test_staff_open_the_dashboard(live_server, browser, screenshot_dir, width):
    call_command("seed_demo", verbosity=0)  # the article's enterprises, shipments and targets
    staff = factories.StaffUserFactory(staff_role="officer", email="officer@browser.example")
    page = browser.new_page(viewport={"width": width, "height": 900})
    admin_login(page, live_server.url, staff.email, factories.DEFAULT_PASSWORD)

    response = page.goto(f"{live_server.url}/dashboard/")
    assert response.status == 200
    assert "province dashboard" in page.locator("h1").inner_text()
    headings = page.locator("h2").all_inner_texts()
    for heading in ("Targets", "Monthly export value", "By category", "By market"):
        assert heading in headings
    assert page.locator(".kpi").count() >= 5
    assert page.locator("svg").count() >= 4  # the inline charts rendered
    page.screenshot(path=str(screenshot_dir / f"dashboard-{width}.png"), full_page=True)
    fits = page.evaluate(CHART_FIT)
    assert len(fits) >= 4
    for chart in fits:
        assert chart["svg"] <= chart["inner"] + 0.5, f"{chart['title']} is wider than its card"
        assert not chart["scrolls"], f"the card of {chart['title']} scrolls sideways"

    # An enterprise user cannot get in: the admin login refuses non-staff, the page sends them back.
    other = browser.new_page()
    owner = factories.MembershipFactory().user
    other.goto(f"{live_server.url}/admin/login/?next=/dashboard/")
    other.fill("#id_username", owner.email)
    other.fill("#id_password", factories.DEFAULT_PASSWORD)
    other.click("input[type=submit]")
    other.goto(f"{live_server.url}/dashboard/")
    assert "/admin/login/" in other.url
    assert "province dashboard" not in other.content()
