"""The staff admin's "age" filter: finance requests by submission, legal requests by filing."""

from datetime import timedelta

from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import timezone

from finance.admin import AgeFilter as FinanceAgeFilter
from finance.models import FinancingRequest
from legal.admin import AgeFilter as LegalAgeFilter
from legal.models import LegalRequest
from tests.finance.factories import FinancingRequestFactory
from tests.legal.factories import LegalRequestFactory


def filtered(filter_class, model, age: str):
    request = RequestFactory().get("/", {"age": age})
    chosen = filter_class(request, {"age": [age]}, model, site._registry[model])
    return set(chosen.queryset(request, model.objects.all()))


def test_finance_age_counts_from_submission(db):
    now = timezone.now()
    old = FinancingRequestFactory(submitted_at=now - timedelta(days=8))
    recent = FinancingRequestFactory(submitted_at=now - timedelta(days=2))
    FinancingRequestFactory(submitted_at=None)  # a draft never waits

    assert filtered(FinanceAgeFilter, FinancingRequest, "7") == {old}
    assert filtered(FinanceAgeFilter, FinancingRequest, "1") == {old, recent}


def test_legal_age_counts_from_filing(db):
    old = LegalRequestFactory()
    LegalRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    LegalRequestFactory()

    assert filtered(LegalAgeFilter, LegalRequest, "30") == {old}


def test_an_unknown_age_filters_nothing(db):
    FinancingRequestFactory(submitted_at=timezone.now())

    assert len(filtered(FinanceAgeFilter, FinancingRequest, "bogus")) == 1
