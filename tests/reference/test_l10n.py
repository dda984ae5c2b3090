"""Place names, figures and times as people read them (agri_platform.reference.l10n)."""

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from agri_platform.reference import l10n
from agri_platform.reference.loading import load_reference_data
from agri_platform.reference.models import Location

pytestmark = pytest.mark.django_db

ROUTE_LOCODES = ["CNCTU", "CNCKG", "CNMHN", "CNQZH", "LAVTE", "VNSGN", "MYPKG", "KZALA", "UZTAS"]
MOMENT = datetime(2026, 3, 1, 6, 5, tzinfo=UTC)


@pytest.fixture(autouse=True)
def reference_data():
    load_reference_data()


def test_countries_come_from_cldr_in_each_language():
    assert l10n.country_name("MY", "zh-hans") == "马来西亚"
    assert l10n.country_name("my", "en") == "Malaysia"
    assert l10n.country_name("KZ", "zh-hans") == "哈萨克斯坦"
    # ready for the languages of the main markets
    assert l10n.country_name("CN", "ms") == "China"
    assert l10n.country_name("CN", "th") == "จีน"
    assert l10n.country_name("", "en") == ""


def test_every_place_of_the_reference_routes_has_a_chinese_name():
    unnamed = Location.objects.filter(name_zh="").values_list("code", flat=True)
    assert not list(unnamed)
    for code in ROUTE_LOCODES:
        assert l10n.place_name(code, "zh-hans") != l10n.place_name(code, "en")
    assert l10n.place_name("CNCTU", "zh-hans") == "成都"
    assert l10n.place_label("LAVTE", "zh-hans") == "万象，老挝 (LAVTE)"
    assert l10n.place_label("cn ctu", "en") == "Chengdu, China (CNCTU)"


def test_an_unknown_place_keeps_its_code_and_names_its_country():
    assert l10n.place_label("MYZZZ", "zh-hans") == "MYZZZ (马来西亚)"


def test_prefectures_follow_the_language():
    assert l10n.prefecture_name("510100", "zh-hans") == "成都市"
    assert l10n.prefecture_name("510100", "en") == "Chengdu"


def test_large_numbers_read_in_wan_and_yi_in_chinese_and_grouped_in_english():
    assert l10n.format_number(Decimal("1975711.49"), "en") == "1,975,711.49"
    assert l10n.format_number(Decimal("1975711.49"), "zh-hans") == "197.57万"
    assert l10n.format_number(123456789, "zh-hans") == "1.23亿"
    assert l10n.format_number(Decimal("9999.5"), "zh-hans") == "9,999.5"
    assert l10n.format_number(None, "en") == ""


def test_money_carries_the_currency_symbol():
    assert l10n.format_money(Decimal("1975711.49"), "CNY", "zh-hans") == "¥197.57万"
    assert l10n.format_money(Decimal("1975711.49"), "CNY", "en") == "CN¥1,975,711.49"
    assert l10n.format_money(46800, "USD", "zh-hans") == "US$4.68万"
    assert l10n.format_money(2000, "MYR", "en") == "MYR\u00a02,000.00"


def test_times_are_shown_in_the_zone_and_name_it():
    shanghai = ZoneInfo("Asia/Shanghai")
    assert l10n.format_time(MOMENT, "zh-hans", shanghai) == "2026-03-01 14:05（中国（上海）时间）"
    assert l10n.format_time(MOMENT, "en", shanghai) == "2026-03-01 14:05 (China (Shanghai) Time)"
    assert l10n.format_time(MOMENT, "en", ZoneInfo("UTC")) == "2026-03-01 06:05 (UTC)"


def test_template_filters_follow_the_active_language():
    template = Template(
        "{% load reading %}{{ code|place_label }} {{ amount|money:'CNY' }} {{ moment|local_time }}"
    )
    context = Context({"code": "CNCKG", "amount": Decimal("46800"), "moment": MOMENT})
    with translation.override("zh-hans"):
        chinese = template.render(context)
    with translation.override("en"):
        english = template.render(context)
    assert chinese.startswith("重庆，中国 (CNCKG) ¥4.68万 2026-03-01")
    assert english.startswith("Chongqing, China (CNCKG) CN¥46,800.00 2026-03-01")
