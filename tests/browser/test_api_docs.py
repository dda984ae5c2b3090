"""A partner's developer opens the API docs: Swagger UI and ReDoc render under the
Content-Security-Policy, and the browser reports no violation."""

import pytest

# ReDoc's template asks Google Fonts for its typeface and shows Redocly's logo from their CDN; the
# policy blocks both (the docs work offline and behind firewalls) and ReDoc falls back to local
# fonts. Nothing else may be blocked.
COSMETIC_HOSTS = ("fonts.googleapis.com", "cdn.redoc.ly")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


def open_collecting_violations(browser, url: str, ready: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    response = page.goto(url)
    assert "content-security-policy" in response.all_headers()
    # ReDoc parses the whole schema (160+ operations) in the page: slow on a busy CI machine.
    page.wait_for_selector(ready, timeout=120_000)
    violations = [
        m
        for m in messages
        if "Content Security Policy" in m and not any(host in m for host in COSMETIC_HOSTS)
    ]
    return page, violations


def test_swagger_ui_renders_the_operations(browser, live_server):
    page, violations = open_collecting_violations(
        browser, f"{live_server.url}/api/docs/", ".opblock-summary"
    )
    assert "/api/v1/auth/password-reset/" in page.content()
    assert violations == []


def test_redoc_renders_the_operations(browser, live_server):
    page, violations = open_collecting_violations(
        browser, f"{live_server.url}/api/redoc/", "[data-section-id]"
    )
    assert "Sichuan Agri-Trade" in page.content()
    assert violations == []
