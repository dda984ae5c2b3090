"""Public exporter directory: verified only, products and markets, contact only when published."""

from tests import factories

URL = "/api/v1/directory/"


def test_anonymous_sees_verified_exporters_with_products_and_markets(api_client, db):
    verified = factories.EnterpriseFactory(
        name_en="Verified Citrus", contact_email="hidden@example.com", contact_phone="+86 1"
    )
    verified.export_markets.add(factories.country("MY", "Malaysia"))
    factories.ProductFactory(enterprise=verified, name_en="Ai Yuan mandarin")
    factories.EnterpriseFactory(status="pending", status_changed_at=None)
    factories.EnterpriseFactory(status="suspended")

    response = api_client.get(URL)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [verified.pk]
    row = rows[0]
    assert row["export_markets"] == [
        {"code": "MY", "name": "马来西亚", "name_en": "Malaysia", "name_zh": ""}
    ]
    assert [product["name_en"] for product in row["products"]] == ["Ai Yuan mandarin"]
    assert row["contact"] is None
    text = response.content.decode()
    assert "hidden@example.com" not in text
    assert "+86 1" not in text
    assert "legal_representative" not in row
    assert api_client.get(f"{URL}{verified.pk}/").status_code == 200


def test_contact_appears_only_when_published(api_client, db):
    factories.EnterpriseFactory(
        publish_contact=True, contact_name="Export desk", contact_email="sales@example.com"
    )

    row = api_client.get(URL).json()["results"][0]

    assert row["contact"] == {"name": "Export desk", "email": "sales@example.com"}


def test_pending_enterprise_detail_is_404(api_client, db):
    pending = factories.EnterpriseFactory(status="pending", status_changed_at=None)

    assert api_client.get(f"{URL}{pending.pk}/").status_code == 404


def test_filters_search_and_ordering(api_client, db):
    a = factories.EnterpriseFactory(name_en="Alpha", export_categories=["fruits"])
    a.export_markets.add(factories.country("TH", "Thailand"))
    b = factories.EnterpriseFactory(name_en="Beta", export_categories=["aquatic_products"])
    factories.ProductFactory(enterprise=b, hs_code=factories.hs_code("160431", "Caviar"))

    def ids(**params):
        return [row["id"] for row in api_client.get(URL, params).json()["results"]]

    assert ids(market="th") == [a.pk]
    assert ids(category="aquatic_products") == [b.pk]
    assert ids(hs_code="1604") == [b.pk]
    assert ids(search="Beta") == [b.pk]
    assert ids(ordering="-name_en") == [b.pk, a.pk]


def test_query_count_does_not_grow_with_the_page(api_client, db, django_assert_max_num_queries):
    def make(count):
        for _ in range(count):
            enterprise = factories.EnterpriseFactory()
            enterprise.export_markets.add(factories.country())
            factories.ProductFactory(enterprise=enterprise)

    make(2)
    with django_assert_max_num_queries(5):
        assert len(api_client.get(URL).json()["results"]) == 2
    make(10)
    with django_assert_max_num_queries(5):
        assert len(api_client.get(URL).json()["results"]) == 12
