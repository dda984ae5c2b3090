"""The demo seed: finds the demo enterprises by name, skips gracefully without them, idempotent."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from certification.models import Application, Certificate, MarketRequirement, Scheme
from enterprises.models import Enterprise

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
    call_command("seed_demo")  # users, the demo enterprises (enterprises/demo.py), then ours
    fushun = Enterprise.objects.get(name_en__icontains="Fushun")
    runzhao = Enterprise.objects.get(name_en__icontains="Runzhao")
    baiyang = Enterprise.objects.get(name_en__icontains="Baiyang")

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
    # the demo certification body certifies ISO 22000: Runzhao's certificate is on its desk
    body = Scheme.objects.get(code="ISO22000").certification_body
    assert body is not None and body.kind == "certification_body"
    assert set(Scheme.objects.filter(certification_body=body).values_list("code", flat=True)) == {
        "ISO22000"
    }
