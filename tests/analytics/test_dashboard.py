import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from agri_platform.reference.models import Location
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
    response = session_client(staff_user).get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 6  # category, market, region, monthly line, two gauges
    assert "Aquatic products" in html and "Malaysia" in html
    assert "CN¥46,800.00" in html  # grouped digits, the currency's symbol
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
    assert "¥4.68万" in chinese and "46,800.00" not in chinese


def test_charts_scale_to_their_card(world, staff_user):
    demo.seed(lambda message: None)
    html = session_client(staff_user).get("/dashboard/").content.decode()
    charts = re.findall(r'<svg class="chart"[^>]*>', html)
    assert len(charts) == 5  # category, market, region, monthly; the inquiry pipeline (issue 17)
    for tag in charts:
        assert 'width="100%"' in tag and "viewBox=" in tag and "height=" not in tag


@pytest.mark.parametrize(
    ("value", "language", "shown"),
    [
        (Decimal("0"), "en", "0"),
        (Decimal("0.0"), "en", "0"),  # 0 is a figure: the old default:"–" hid it
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

    enterprise = factories.EnterpriseFactory(name_en="<b>x</b>", name_zh="<i>y</i>")
    af.shipment(enterprise, lines=[("fruits", "1", "1")])
    client = session_client(staff_user)
    english = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<b>x</b>" not in english and "&lt;b&gt;x&lt;/b&gt;" in english
    chinese = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<i>y</i>" not in chinese and "&lt;i&gt;y&lt;/i&gt;" in chinese


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


@pytest.fixture
def named_route(world):
    """The world's route CNCTU-MYPKG with the reference data's Chinese place names."""
    for code, name, name_zh in (("CNCTU", "Chengdu", "成都"), ("MYPKG", "Port Klang", "巴生港")):
        Location.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_zh": name_zh,
                "country": factories.country(code[:2], code[:2]),
            },
        )
    return world


CHINESE_PAGE = [
    '<html lang="zh-hans">',
    "<title>四川农产品出口数据看板</title>",
    "分品类",
    "分市场",
    "分市（州）",
    "冷链质量",
    "马来西亚",  # markets from CLDR
    "法国",
    "成都市",  # prefectures from the reference data
    "雅安市",
    "东盟",  # trade blocs
    "成都，中国 (CNCTU) → 巴生港，马来西亚 (MYPKG)",  # routes by place_label
    "¥4.68万",  # money: symbol and 万
    "（中国（上海）时间）",  # a time names its zone
    "Shudao Cold Chain",
]
ENGLISH_PAGE = [
    '<html lang="en">',
    "By category",
    "By market",
    "By prefecture",
    "Cold-chain quality",
    "Malaysia",
    "France",
    "Chengdu",
    "Ya&#x27;an",
    "European Union",
    "Chengdu, China (CNCTU) → Port Klang, Malaysia (MYPKG)",
    "CN¥46,800.00",
    "(China (Shanghai) Time)",
]


@pytest.mark.parametrize(
    ("language", "expected", "foreign"),
    [
        ("zh-hans", CHINESE_PAGE, ["By category", "Malaysia", "Chengdu, China"]),
        ("en", ENGLISH_PAGE, ["分品类", "马来西亚", "成都市"]),
    ],
)
def test_dashboard_reads_in_the_readers_language(
    named_route, staff_user, language, expected, foreign
):
    client = session_client(staff_user)
    with timezone.override(ZoneInfo("Asia/Shanghai")):  # the reader's zone (a staff member's)
        html = client.get(
            "/dashboard/", {"from": "2026-01-01", "to": "2026-02-28"}, HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
    assert [text for text in expected if text not in html] == []
    assert [text for text in foreign if text in html] == []
