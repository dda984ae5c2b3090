"""The public directory lists valid certificates; the enterprise list filters on holding one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.certification.factories import CertificateFactory, SchemeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/directory/"


def test_directory_shows_only_valid_certificates_and_only_scheme_number_validity(api_client):
    enterprise = factories.EnterpriseFactory(name_en="Certified Citrus")
    today = timezone.localdate()
    valid = CertificateFactory(enterprise=enterprise, scheme=SchemeFactory(code="GLOBALGAP"))
    CertificateFactory(enterprise=enterprise, status="suspended", status_reason="audit")
    CertificateFactory(enterprise=enterprise, status="revoked", status_reason="fraud")
    CertificateFactory(enterprise=enterprise, expiry_date=today - timedelta(days=1))
    CertificateFactory(enterprise=enterprise, issue_date=today + timedelta(days=3))
    pending = factories.EnterpriseFactory(status="pending")
    CertificateFactory(enterprise=pending)

    rows = api_client.get(URL).json()["results"]
    assert [row["id"] for row in rows] == [enterprise.pk]
    assert rows[0]["certificates"] == [
        {
            "scheme": "GLOBALGAP",
            "number": valid.number,
            "valid_until": valid.expiry_date.isoformat(),
        }
    ]
    detail = api_client.get(f"{URL}{enterprise.pk}/").json()
    assert detail["certificates"] == rows[0]["certificates"]


def test_directory_and_enterprise_list_filter_on_has_valid_certificate(api_client, staff_client):
    holder = factories.EnterpriseFactory(name_en="Holder")
    CertificateFactory(enterprise=holder)
    lapsed = factories.EnterpriseFactory(name_en="Lapsed")
    CertificateFactory(enterprise=lapsed, status="expired")
    none = factories.EnterpriseFactory(name_en="None")

    def ids(client, url, value):
        body = client.get(url, {"has_valid_certificate": value}).json()
        return sorted(row["id"] for row in body["results"])

    for client, url in ((api_client, URL), (staff_client, "/api/v1/enterprises/")):
        assert ids(client, url, "true") == [holder.pk]
        assert ids(client, url, "false") == sorted([lapsed.pk, none.pk])


def test_directory_query_count_is_constant_with_certificates(api_client, django_assert_num_queries):
    def make(count):
        for _ in range(count):
            enterprise = factories.EnterpriseFactory()
            enterprise.export_markets.add(factories.country())
            factories.ProductFactory(enterprise=enterprise)
            CertificateFactory(enterprise=enterprise)
            CertificateFactory(enterprise=enterprise)

    make(2)
    with django_assert_num_queries(5) as first:
        assert len(api_client.get(URL).json()["results"]) == 2
    make(10)
    with django_assert_num_queries(len(first.captured_queries)):
        rows = api_client.get(URL).json()["results"]
    assert len(rows) == 12 and all(len(row["certificates"]) == 2 for row in rows)
