"""`allowed_actions` lists what the caller may do now (the state allows it AND the caller may), for
every kind of caller and every app (agri_platform/api/workflow.py)."""

import pytest

from agri_platform.accounts.choices import PartnerKind
from agri_platform.accounts.models import StaffRole
from tests import factories
from tests.certification.factories import CertificateFactory, SubmittedApplicationFactory
from tests.conftest import client_for, client_for_key
from tests.finance.factories import routed_request
from tests.legal.factories import LawFirmFactory, LegalRequestFactory
from tests.logistics.factories import ShipmentFactory

pytestmark = pytest.mark.django_db


def actions(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content)
    return sorted(response.json()["allowed_actions"])


@pytest.fixture
def people(enterprise):
    owner = factories.MembershipFactory(enterprise=enterprise, role="owner").user
    member = factories.MembershipFactory(enterprise=enterprise, role="member").user
    return {
        "owner": client_for(owner),
        "member": client_for(member),
        "reviewer": client_for(factories.StaffUserFactory(staff_role=StaffRole.REVIEWER)),
        "officer": client_for(factories.StaffUserFactory(staff_role=StaffRole.OFFICER)),
    }


def test_enterprise(enterprise, people):
    enterprise.status = "pending"
    enterprise.save()
    url = f"/api/v1/enterprises/{enterprise.pk}/"
    assert actions(people["owner"], url) == []  # the owner does not verify itself
    assert actions(people["reviewer"], url) == ["reject", "verify"]

    enterprise.status, enterprise.status_reason = "rejected", "blurred licence"
    enterprise.save()
    assert actions(people["owner"], url) == ["resubmit"]
    assert actions(people["member"], url) == []  # owners and admins resubmit
    assert actions(people["reviewer"], url) == []


def test_financing_request(enterprise, people):
    bank = factories.PartnerFactory(kind=PartnerKind.BANK)
    financing_request = routed_request(enterprise=enterprise, partners=[bank])
    url = f"/api/v1/finance/requests/{financing_request.pk}/"

    assert actions(client_for_key(bank, ["finance:write"]), url) == ["offer"]  # never `route`
    assert actions(client_for_key(bank, ["finance:read"]), url) == []  # a read-only key
    assert actions(client_for(factories.PartnerUserFactory(partner=bank)), url) == ["offer"]
    assert actions(people["officer"], url) == ["decline", "route"]
    assert actions(people["owner"], url) == ["add_document", "add_evidence", "withdraw"]


def test_financing_offer(enterprise, people):
    from tests.finance.factories import FinancingOfferFactory

    bank = factories.PartnerFactory(kind=PartnerKind.BANK)
    financing_request = routed_request(enterprise=enterprise, partners=[bank], status="offered")
    offer = FinancingOfferFactory(request=financing_request, partner=bank)
    url = f"/api/v1/finance/offers/{offer.pk}/"

    assert actions(people["owner"], url) == ["accept", "decline"]
    assert actions(people["member"], url) == ["decline"]  # owners and admins accept
    assert actions(client_for_key(bank, ["finance:write"]), url) == []


def test_legal_case(enterprise, people):
    firm = LawFirmFactory()
    case = LegalRequestFactory(enterprise=enterprise, status="assigned", assigned_firm=firm)
    url = f"/api/v1/legal/requests/{case.pk}/"

    firm_actions = ["add_document", "message", "start", "update_designation"]
    assert actions(client_for_key(firm, ["legal:write"]), url) == firm_actions
    assert actions(people["owner"], url) == ["add_document", "message", "withdraw"]
    assert actions(people["officer"], url) == ["assign"]


def test_shipment(enterprise, people):
    carrier = factories.PartnerFactory(kind=PartnerKind.CARRIER)
    shipment = ShipmentFactory(enterprise=enterprise, carrier=carrier)
    url = f"/api/v1/shipments/{shipment.pk}/"

    assert actions(client_for_key(carrier, ["logistics:write"]), url) == []
    assert actions(people["member"], url) == ["cancel", "dispatch"]
    assert actions(people["officer"], url) == ["cancel", "dispatch"]


def test_certification_application_and_certificate(enterprise, people):
    application = SubmittedApplicationFactory(enterprise=enterprise)
    url = f"/api/v1/certification/applications/{application.pk}/"

    assert actions(people["owner"], url) == ["withdraw"]
    assert actions(people["reviewer"], url) == ["claim"]
    assert actions(people["officer"], url) == ["assign", "claim"]

    certificate = CertificateFactory(enterprise=enterprise)
    url = f"/api/v1/certification/certificates/{certificate.pk}/"
    assert actions(people["owner"], url) == ["renew"]
    assert actions(people["reviewer"], url) == ["revoke", "suspend"]


def test_a_forbidden_transition_lists_what_the_caller_may_do(enterprise, people):
    bank = factories.PartnerFactory(kind=PartnerKind.BANK)
    financing_request = routed_request(enterprise=enterprise, partners=[bank])

    response = people["owner"].post(f"/api/v1/finance/requests/{financing_request.pk}/submit/")

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "transition_not_allowed"
    assert sorted(response.json()["allowed_actions"]) == [
        "add_document",
        "add_evidence",
        "withdraw",
    ]  # not `route`, `offer` or `decline`, which the status allows to others

    verified = f"/api/v1/enterprises/{enterprise.pk}/verify/"
    response = people["reviewer"].post(verified)
    assert response.status_code == 409
    assert response.json()["allowed_actions"] == ["suspend"]
