"""The staff review queue: filters, oldest first, constant query count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.certification.factories import (
    ApplicationDocumentFactory,
    ApplicationFactory,
    SchemeFactory,
    SubmittedApplicationFactory,
)
from tests.certification.helpers import API

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def submitted(days_ago, **kwargs):
    at = timezone.now() - timedelta(days=days_ago)
    return SubmittedApplicationFactory(
        submitted_at=at, last_submitted_at=at, sla_due_at=at + timedelta(days=10), **kwargs
    )


def test_queue_is_oldest_first_and_shows_waiting_applications(reviewer_client, reviewer):
    newer = submitted(1)
    older = submitted(5)
    reviewing = submitted(3, status="under_review", reviewer=reviewer)
    ApplicationFactory()  # a draft: not for staff yet
    assert ids(reviewer_client.get(f"{API}/review-queue/")) == [older.pk, reviewing.pk, newer.pk]


def test_queue_filters(reviewer_client, reviewer):
    zigong = factories.prefecture("510300", "Zigong", "自贡市")
    iso = SchemeFactory(code="ISO9001Q")
    fushun = factories.EnterpriseFactory(prefecture=zigong)
    late = submitted(20, enterprise=fushun, scheme=iso)
    mine = submitted(2, status="under_review", reviewer=reviewer)
    fresh = submitted(1)
    url = f"{API}/review-queue/"
    assert ids(reviewer_client.get(url, {"sla_breached": "true"})) == [late.pk]
    assert ids(reviewer_client.get(url, {"sla_breached": "false"})) == [mine.pk, fresh.pk]
    assert ids(reviewer_client.get(url, {"scheme": "ISO9001Q"})) == [late.pk]
    assert ids(reviewer_client.get(url, {"prefecture": "510300"})) == [late.pk]
    assert ids(reviewer_client.get(url, {"reviewer": reviewer.pk})) == [mine.pk]
    assert ids(reviewer_client.get(url, {"unassigned": "true"})) == [late.pk, fresh.pk]
    assert ids(reviewer_client.get(url, {"min_age_days": 2})) == [late.pk, mine.pk]
    assert ids(reviewer_client.get(url, {"status": "under_review"})) == [mine.pk]
    assert ids(reviewer_client.get(url, {"ordering": "-submitted_at"})) == [
        fresh.pk,
        mine.pk,
        late.pk,
    ]
    body = reviewer_client.get(url, {"sla_breached": "true"}).json()["results"][0]
    assert body["sla_breached"] is True
    assert body["prefecture"] == "510300"


def test_queue_query_count_does_not_grow_with_the_page(
    reviewer_client, django_assert_max_num_queries
):
    def make(n):
        for _ in range(n):
            application = submitted(3)
            application.scope_products.add(
                factories.ProductFactory(enterprise=application.enterprise)
            )
            ApplicationDocumentFactory(application=application)

    make(2)
    with django_assert_max_num_queries(12) as small:
        assert len(ids(reviewer_client.get(f"{API}/review-queue/"))) == 2
    make(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(ids(reviewer_client.get(f"{API}/review-queue/"))) == 22


def test_application_list_query_count_is_constant(
    enterprise, enterprise_client, django_assert_max_num_queries
):
    for _ in range(2):
        ApplicationDocumentFactory(application=ApplicationFactory(enterprise=enterprise))
    with django_assert_max_num_queries(12) as small:
        enterprise_client.get(f"{API}/applications/")
    for _ in range(15):
        ApplicationDocumentFactory(application=ApplicationFactory(enterprise=enterprise))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(ids(enterprise_client.get(f"{API}/applications/"))) == 17
