import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from analytics import demo
from analytics.models import FxRate, Target
from tests import factories

pytestmark = pytest.mark.django_db


def session_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_renders_for_staff(world, staff_user):
    demo.seed(lambda message: None)
    response = session_client(staff_user).get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 6  # category, market, region, monthly line, two gauges
    assert "Aquatic products" in html and "Malaysia" in html
    assert "46,800.00" in html  # grouped digits
    assert "Unconverted shipments" in html and "MYR 2026-02" in html
    assert "200 enterprises on the platform" in html
    assert "<script" not in html and "http://" not in html and "https://" not in html


def test_dashboard_groups_figures_and_uses_wan_and_yi_in_chinese(world, staff_user):
    demo.seed(lambda message: None)
    client = session_client(staff_user)
    english = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "46,800.00" in english and "46800.00" not in english
    chinese = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<html lang="zh-hans">' in chinese
    assert "4.68万" in chinese and "46,800.00" not in chinese


def test_charts_scale_to_their_card(world, staff_user):
    demo.seed(lambda message: None)
    html = session_client(staff_user).get("/dashboard/").content.decode()
    charts = re.findall(r'<svg class="chart"[^>]*>', html)
    assert len(charts) == 4
    for tag in charts:
        assert 'width="100%"' in tag and "viewBox=" in tag and "height=" not in tag


@pytest.mark.parametrize(
    ("value", "language", "shown"),
    [
        (Decimal("0"), "en", "0"),
        (Decimal("0.0"), "en", "0.0"),  # 0 is a figure: the old default:"–" hid it
        (None, "en", "–"),
        (Decimal("1975711.49"), "en", "1,975,711.49"),
        (Decimal("1975711.49"), "zh-hans", "197.57万"),
        (Decimal("234567890.12"), "zh-hans", "2.35亿"),
        (Decimal("9999.5"), "zh-hans", "9,999.5"),
    ],
)
def test_figure_filter(value, language, shown):
    template = Template("{% load analytics_figures %}{{ value|figure }}")
    with translation.override(language):
        assert template.render(Context({"value": value})) == shown


def test_dashboard_escapes_names(places, fx, staff_user):
    from . import factories as af

    af.shipment(factories.EnterpriseFactory(name_en="<b>x</b>"), lines=[("fruits", "1", "1")])
    html = session_client(staff_user).get("/dashboard/").content.decode()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_dashboard_redirects_anonymous_to_admin_login(db):
    response = Client().get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/dashboard/"


def test_dashboard_refuses_enterprise_and_partner_users(enterprise_user):
    assert session_client(enterprise_user).get("/dashboard/").status_code == 403
    assert session_client(factories.PartnerUserFactory()).get("/dashboard/").status_code == 403


def test_dashboard_bad_dates_are_400(staff_user):
    assert session_client(staff_user).get("/dashboard/?from=nope").status_code == 400


def test_demo_seed_is_idempotent(db):
    demo.seed(lambda message: None)
    counts = (Target.objects.count(), FxRate.objects.count())
    demo.seed(lambda message: None)
    assert (Target.objects.count(), FxRate.objects.count()) == counts
    assert counts[0] == 2 and counts[1] == 13 * 24
    usd = FxRate.objects.get(currency="USD", month="2026-01-01").rate_to_cny
    assert 7 < usd < 7.4
    assert {t.metric for t in Target.objects.all()} == {
        "verified_enterprises",
        "export_value_cny_12m",
    }
