"""Journey 3 in a browser: a member adds an orchard with its area in mu, then a product whose HS
code is searched as they type, the cold-chain band proposed from the code's profile, and its
harvest months ticked."""

from decimal import Decimal

import pytest

from agri_platform.reference.loading import load_reference_data
from enterprises.models import Product, ProductionBase
from tests import factories
from tests.factories import DEFAULT_PASSWORD

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_member_adds_an_orchard_and_a_product_with_its_proposed_band(
    person, live_server, browser, screenshot_dir
):
    load_reference_data()
    membership = factories.MembershipFactory(
        user__language=person.language,
        enterprise__name_zh="丹棱晚熟柑橘出口有限公司",
        enterprise__name_en="Danling Late Citrus Export Co., Ltd.",
        enterprise__prefecture_id="511400",
    )
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page
    visit.sign_in(membership.user.email, DEFAULT_PASSWORD)

    visit.go("/portal/bases/new/")
    visit.check()
    page.fill("#id_name", visit.text("丹棱柑橘园", "Danling orchard"))
    page.select_option("#id_kind", "orchard")
    page.fill("#id_area", "300")
    page.get_by_label(visit.text("亩", "mu")).first.check()
    page.get_by_role("button", name=visit.text("添加基地", "Add the base")).click()
    page.wait_for_url("**/portal/bases/")
    base = ProductionBase.objects.get()
    assert base.area_m2 == Decimal("200000.00")
    visit.check()

    visit.go("/portal/products/new/")
    page.fill("#id_name_zh", "丹棱不知火")
    page.fill("#id_name_en", "Danling dekopon")
    page.select_option("#id_category", "fruits")
    page.locator("#id_hs_code").press_sequentially("080521", delay=60)
    hint = page.locator("#hs-code-hint")
    hint.get_by_text(visit.text("建议的储运温区", "Proposed storage band")).wait_for()
    assert "4" in hint.inner_text() and "8" in hint.inner_text()
    visit.check()
    page.get_by_label(visit.text("丹棱柑橘园", "Danling orchard")).check()
    harvest = page.get_by_role("group", name=visit.text("采收月份", "Harvest months"))
    for month in (visit.text("11月", "Nov"), visit.text("12月", "Dec"), visit.text("1月", "Jan")):
        harvest.get_by_label(month, exact=True).check()
    page.get_by_role("button", name=visit.text("添加产品", "Add the product")).click()
    page.wait_for_url("**/portal/products/")
    product = Product.objects.get()
    assert product.cold_chain_profile is not None
    assert product.production_bases.get() == base
    assert product.harvest_months == [1, 11, 12]
    assert page.get_by_text(visit.text("1月、11月、12月", "Jan, Nov, Dec")).is_visible()
    assert page.get_by_role("link", name=visit.text("丹棱不知火", "Danling dekopon")).is_visible()
    visit.check()
    visit.screenshot(screenshot_dir, "products")
    visit.finish()
