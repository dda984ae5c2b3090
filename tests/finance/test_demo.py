import pytest
from django.core.management import call_command

from agri_platform.accounts import demo as accounts_demo
from enterprises.models import Enterprise
from finance import demo as finance_demo
from finance.models import FinancingOffer, FinancingRequest
from legal import demo as legal_demo
from legal.models import LegalRequest
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_builds_the_article_cases():
    runzhao = factories.EnterpriseFactory(name_en="Sichuan Runzhao Fisheries Co., Ltd.")
    chengben = factories.EnterpriseFactory(name_en="Sichuan Chengben Agricultural Development")
    lines = []
    accounts_demo.seed(lines.append)
    for _ in range(2):
        finance_demo.seed(lines.append)
        legal_demo.seed(lines.append)
    loan = FinancingRequest.objects.get(enterprise=runzhao)
    assert loan.kind == "pre_shipment_loan"
    assert loan.partners.count() == 2
    assert FinancingOffer.objects.filter(request=loan).count() == 2
    insurance = FinancingRequest.objects.get(enterprise=chengben)
    assert insurance.kind == "export_credit_insurance"
    assert insurance.partners.get().kind == "insurer"
    case = LegalRequest.objects.get()
    assert sorted(case.designations.values_list("country_id", flat=True)) == ["MX", "MY", "VN"]
    assert case.assigned_firm.kind == "law_firm"
    assert FinancingRequest.objects.count() == 2


def test_demo_skips_missing_enterprises_with_a_log_line():
    assert not Enterprise.objects.exists()
    lines = []
    finance_demo.seed(lines.append)
    legal_demo.seed(lines.append)
    assert any("Runzhao" in line for line in lines)
    assert any("Chengben" in line for line in lines)
    assert not FinancingRequest.objects.exists()


def test_seed_demo_command_runs_twice():
    call_command("seed_demo")
    call_command("seed_demo")
