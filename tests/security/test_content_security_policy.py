"""Every HTML page sends a Content-Security-Policy that its own scripts and styles fit."""

import re

import pytest
from django.test import Client

from tests import factories
from tests.logistics.factories import ShipmentFactory

pytestmark = pytest.mark.django_db


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def assert_page_fits_policy(response):
    assert response.status_code == 200, response.status_code
    policy = policy_of(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    html = response.content.decode()
    # No inline script and no script from elsewhere: only <script src="/..."> of our own.
    for tag in re.findall(r"<script\b[^>]*>", html):
        source = re.search(r'src="([^"]+)"', tag)
        assert source, f"inline script on the page: {tag}"
        assert source[1].startswith("/"), f"script from another origin: {tag}"
    assert not re.search(r"\son[a-z]+=\"", html), "inline event handler on the page"


@pytest.fixture
def staff_browser():
    client = Client()
    client.force_login(factories.StaffUserFactory(is_superuser=True, staff_role="platform_admin"))
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/partner/add/",
        "/dashboard/",
        "/api/docs/",
        "/api/redoc/",
    ],
)
def test_staff_pages_send_the_policy(staff_browser, path):
    assert_page_fits_policy(staff_browser.get(path))


def test_admin_login_and_public_pages_send_the_policy(client, enterprise, partner):
    assert_page_fits_policy(client.get("/admin/login/"))
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    assert_page_fits_policy(client.get(f"/track/{shipment.tracking_token}/"))
    assert_page_fits_policy(client.get("/api/docs/"))
    assert_page_fits_policy(client.get("/api/redoc/"))


def test_swagger_ui_loads_its_start_up_script_from_our_origin(client):
    page = client.get("/api/docs/").content.decode()
    script = re.findall(r'<script src="([^"]+\?[^"]*script[^"]*)"', page)
    assert script, "Swagger UI's start-up script is not a separate URL"
    response = client.get(script[0].replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def test_redoc_may_run_its_worker_and_styles(client):
    policy = policy_of(client.get("/api/redoc/"))
    assert "blob:" in policy["worker-src"]
    assert "'unsafe-inline'" in policy["style-src"]
