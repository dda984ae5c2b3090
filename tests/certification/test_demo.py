"""The demo seed: finds the demo enterprises by name, skips gracefully without them, idempotent."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from certification.models import Application, Certificate, MarketRequirement, Scheme
from tests import factories

pytestmark = pytest.mark.django_db


def counts():
    return (
        Scheme.objects.count(),
        MarketRequirement.objects.count(),
        Application.objects.count(),
        Certificate.objects.count(),
    )


def test_seed_without_demo_enterprises_still_loads_the_catalogue():
    from certification import demo

    lines = []
    demo.seed(lines.append)
    assert Scheme.objects.filter(code="CITES-EXPORT", validity_days=180).exists()
    assert MarketRequirement.objects.exists()
    assert any("Runzhao" in line and "skipped" in line for line in lines)


def test_seed_demo_cases_and_idempotence(capsys):
    call_command("seed_demo")  # staff users (the reviewer) from accounts/demo.py
    fushun = factories.EnterpriseFactory(name_en="Fushun County Citrus Cooperative")
    factories.ProductFactory(enterprise=fushun)
    factories.ProductionBaseFactory(enterprise=fushun)
    runzhao = factories.EnterpriseFactory(name_en="Sichuan Runzhao Fisheries Co., Ltd.")
    factories.ProductFactory(
        enterprise=runzhao,
        category="aquatic_products",
        hs_code=factories.hs_code("160431", "Caviar"),
        temp_min_c=-2,
        temp_max_c=2,
    )
    baiyang = factories.EnterpriseFactory(name_en="Baiyang Village Cold-chain Packing Centre")

    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first

    application = Application.objects.get(enterprise=fushun)
    assert (application.scheme.code, application.status) == ("ISO9001", "under_review")
    assert application.reviewer.email == "reviewer@demo.agri-trade.example"
    assert application.documents.count() == len(application.scheme.required_documents)
    today = timezone.localdate()
    runzhao_schemes = set(
        Certificate.objects.filter(enterprise=runzhao).values_list("scheme__code", flat=True)
    )
    assert runzhao_schemes == {"ISO22000", "CITES-EXPORT"}
    assert all(c.is_valid_on(today) for c in Certificate.objects.filter(enterprise=runzhao))
    globalgap = Certificate.objects.get(enterprise=baiyang, scheme__code="GLOBALGAP")
    assert 0 < (globalgap.expiry_date - today).days <= 30
