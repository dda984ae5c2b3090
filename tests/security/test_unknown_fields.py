"""Every write operation of the schema refuses an unknown field by name and writes nothing.

For each POST, PUT and PATCH operation in the OpenAPI schema (found from the schema, not a list),
a caller that may perform it sends an otherwise valid body with one unknown field added
(`isInternal`, the typo that made a law firm's internal note client-visible). The answer must be a
400 problem+json naming that field, and no row of any table may change. Then the same body without
the unknown field must succeed: the body was valid and the caller allowed, so the 400 came from the
unknown field and nothing else. An operation with no case below fails the test until one is added.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from agri_platform.accounts.choices import MembershipRole, PartnerKind, StaffRole
from agri_platform.accounts.tokens import (
    email_confirmation_tokens,
    password_reset_tokens,
    uid_of,
)
from agri_platform.api.exceptions import PROBLEM_CONTENT_TYPE
from agri_platform.api.permissions import SCOPES
from logistics.models import ShipmentDraft
from tests import factories
from tests.certification.factories import (
    PDF,
    ApplicationDocumentFactory,
    ApplicationFactory,
    CertificateFactory,
    SchemeFactory,
    SubmittedApplicationFactory,
)
from tests.conftest import client_for, client_for_key
from tests.enterprises.factories import invitation
from tests.events.factories import (
    NotificationFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
)
from tests.finance.factories import FinancingOfferFactory, FinancingRequestFactory, routed_request
from tests.legal.factories import LegalRequestFactory
from tests.logistics.factories import ExcursionFactory, ShipmentFactory, booking, booking_places
from tests.trade.factories import BuyerFactory

UNKNOWN = "isInternal"
WRITE_METHODS = ("post", "put", "patch")


def write_operations() -> list[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in WRITE_METHODS
    )


OPERATIONS = write_operations()

# Operations this test cannot reach, with the reason. Keep it empty or near-empty.
UNREACHED: dict[str, str] = {}


@dataclass
class Case:
    client: APIClient
    path: str
    body: dict = field(default_factory=dict)
    format: str = "json"

    def send(self, method: str, body: dict):
        for value in body.values():
            if hasattr(value, "seek"):
                value.seek(0)  # the same upload is sent twice
        return getattr(self.client, method.lower())(self.path, body, format=self.format)


class Kit:
    """A verified enterprise with its owner, staff of each role, partners of each kind with API
    keys carrying every scope, and a verified buyer with one of its people."""

    def __init__(self):
        self.enterprise = factories.EnterpriseFactory()
        self.owner = factories.MembershipFactory(
            enterprise=self.enterprise, role=MembershipRole.OWNER
        ).user
        self.owner_client = client_for(self.owner)
        self.admin = factories.StaffUserFactory(staff_role=StaffRole.PLATFORM_ADMIN)
        self.admin_client = client_for(self.admin)
        self.reviewer = factories.StaffUserFactory(staff_role=StaffRole.REVIEWER)
        self.reviewer_client = client_for(self.reviewer)
        self.officer_client = client_for(factories.StaffUserFactory(staff_role=StaffRole.OFFICER))
        self.carrier = factories.PartnerFactory(kind=PartnerKind.CARRIER)
        self.bank = factories.PartnerFactory(kind=PartnerKind.BANK)
        self.firm = factories.PartnerFactory(kind=PartnerKind.LAW_FIRM)
        self.buyer = (
            BuyerFactory()
        )  # a verified overseas buyer (trade.Buyer; its partner: .partner)
        self.buyer_person = factories.PartnerUserFactory(partner=self.buyer.partner)

    def key_client(self, partner) -> APIClient:
        return client_for_key(partner, scopes=sorted(SCOPES))

    def pdf(self, name="scan.pdf") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, PDF, content_type="application/pdf")


CASES: dict[str, Callable[[Kit], Case]] = {}


def case(*operations: str):
    def register(build: Callable[[Kit], Case]) -> Callable[[Kit], Case]:
        for operation in operations:
            CASES[operation] = build
        return build

    return register


def later(days: int = 7) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


# --- accounts -----------------------------------------------------------------------------------


@case("POST /api/v1/auth/logout/")
def _logout(kit):
    return Case(kit.owner_client, "/api/v1/auth/logout/")


@case("POST /api/v1/auth/register/")
def _register(kit):
    body = {"email": "newcomer@example.com", "password": "Correct-Horse-Battery-9"}
    return Case(APIClient(), "/api/v1/auth/register/", body)


@case("POST /api/v1/auth/token/")
def _token(kit):
    body = {"email": kit.owner.email, "password": factories.DEFAULT_PASSWORD}
    return Case(APIClient(), "/api/v1/auth/token/", body)


@case("POST /api/v1/auth/logout-everywhere/")
def _logout_everywhere(kit):
    return Case(kit.owner_client, "/api/v1/auth/logout-everywhere/")


@case("POST /api/v1/me/password/")
def _password_change(kit):
    body = {"current_password": factories.DEFAULT_PASSWORD, "new_password": "Peppercorn-2027-x"}
    return Case(kit.owner_client, "/api/v1/me/password/", body)


@case("POST /api/v1/auth/password-reset/")
def _password_reset(kit):
    return Case(APIClient(), "/api/v1/auth/password-reset/", {"email": kit.owner.email})


@case("POST /api/v1/auth/password-reset/confirm/")
def _password_reset_confirm(kit):
    body = {
        "uid": uid_of(kit.owner),
        "token": password_reset_tokens.make_token(kit.owner),
        "new_password": "Peppercorn-2027-x",
    }
    return Case(APIClient(), "/api/v1/auth/password-reset/confirm/", body)


@case("POST /api/v1/auth/email-confirmation/")
def _email_confirmation(kit):
    person = factories.UserFactory(email_confirmed_at=None)
    body = {"uid": uid_of(person), "token": email_confirmation_tokens.make_token(person)}
    return Case(APIClient(), "/api/v1/auth/email-confirmation/", body)


@case("POST /api/v1/auth/email-confirmation/resend/")
def _email_confirmation_resend(kit):
    person = factories.UserFactory(email_confirmed_at=None)
    return Case(client_for(person), "/api/v1/auth/email-confirmation/resend/")


@case("PATCH /api/v1/me/")
def _me(kit):
    return Case(kit.owner_client, "/api/v1/me/", {"full_name": "Li Wei"})


@case("POST /api/v1/partners/")
def _partner_create(kit):
    return Case(kit.admin_client, "/api/v1/partners/", {"name": "New Bank", "kind": "bank"})


@case("PATCH /api/v1/partners/{id}/")
def _partner_update(kit):
    return Case(kit.admin_client, f"/api/v1/partners/{kit.bank.pk}/", {"name": "Renamed Bank"})


@case("POST /api/v1/partners/{partner_pk}/api-keys/")
def _api_key_create(kit):
    body = {"name": "erp", "scopes": ["logistics:read"]}
    return Case(kit.admin_client, f"/api/v1/partners/{kit.carrier.pk}/api-keys/", body)


@case("PATCH /api/v1/partners/{partner_pk}/api-keys/{id}/")
def _api_key_update(kit):
    key = kit.key_client(kit.carrier).api_key
    path = f"/api/v1/partners/{kit.carrier.pk}/api-keys/{key.pk}/"
    return Case(kit.admin_client, path, {"language": "en"})


@case("POST /api/v1/partners/{partner_pk}/api-keys/{id}/revoke/")
def _api_key_revoke(kit):
    key = kit.key_client(kit.carrier).api_key
    path = f"/api/v1/partners/{kit.carrier.pk}/api-keys/{key.pk}/revoke/"
    return Case(kit.admin_client, path)


@case("POST /api/v1/partners/{partner_pk}/users/")
def _partner_user_create(kit):
    body = {"email": "desk@bank.example.com", "password": "Correct-Horse-Battery-9"}
    return Case(kit.admin_client, f"/api/v1/partners/{kit.bank.pk}/users/", body)


@case("PATCH /api/v1/partners/{partner_pk}/users/{id}/")
def _partner_user_update(kit):
    person = factories.PartnerUserFactory(partner=kit.bank)
    path = f"/api/v1/partners/{kit.bank.pk}/users/{person.pk}/"
    return Case(kit.admin_client, path, {"full_name": "Zhang Min"})


# --- enterprises --------------------------------------------------------------------------------


@case("POST /api/v1/enterprises/")
def _enterprise_register(kit):
    body = {
        "uscc": factories.sichuan_uscc(),
        "name_zh": "新出口企业",
        "prefecture": factories.prefecture().code,
    }
    return Case(client_for(factories.UserFactory()), "/api/v1/enterprises/", body)


@case("PATCH /api/v1/enterprises/{id}/")
def _enterprise_update(kit):
    path = f"/api/v1/enterprises/{kit.enterprise.pk}/"
    return Case(kit.owner_client, path, {"contact_name": "Chen Jing"})


@case("POST /api/v1/enterprises/{id}/documents/")
def _enterprise_document(kit):
    path = f"/api/v1/enterprises/{kit.enterprise.pk}/documents/"
    body = {"file": kit.pdf("licence.pdf"), "kind": "business_licence"}
    return Case(kit.owner_client, path, body, format="multipart")


def _enterprise_in(status: str):
    return factories.EnterpriseFactory(status=status)


@case("POST /api/v1/enterprises/{id}/verify/")
def _enterprise_verify(kit):
    enterprise = _enterprise_in("pending")
    return Case(kit.reviewer_client, f"/api/v1/enterprises/{enterprise.pk}/verify/")


@case("POST /api/v1/enterprises/{id}/reject/")
def _enterprise_reject(kit):
    enterprise = _enterprise_in("pending")
    path = f"/api/v1/enterprises/{enterprise.pk}/reject/"
    return Case(kit.reviewer_client, path, {"reason": "The licence scan is unreadable."})


@case("POST /api/v1/enterprises/{id}/suspend/")
def _enterprise_suspend(kit):
    path = f"/api/v1/enterprises/{kit.enterprise.pk}/suspend/"
    return Case(kit.reviewer_client, path, {"reason": "Licence expired."})


@case("POST /api/v1/enterprises/{id}/reinstate/")
def _enterprise_reinstate(kit):
    enterprise = _enterprise_in("suspended")
    path = f"/api/v1/enterprises/{enterprise.pk}/reinstate/"
    return Case(kit.reviewer_client, path, {"reason": "Licence renewed."})


@case("POST /api/v1/enterprises/{id}/resubmit/")
def _enterprise_resubmit(kit):
    enterprise = factories.EnterpriseFactory(status="rejected", status_reason="Blurry licence.")
    owner = factories.MembershipFactory(enterprise=enterprise, role=MembershipRole.OWNER).user
    return Case(client_for(owner), f"/api/v1/enterprises/{enterprise.pk}/resubmit/")


@case("POST /api/v1/enterprises/{enterprise_pk}/invitations/")
def _invite(kit):
    path = f"/api/v1/enterprises/{kit.enterprise.pk}/invitations/"
    return Case(kit.owner_client, path, {"email": "colleague@example.com"})


@case("PATCH /api/v1/enterprises/{enterprise_pk}/members/{id}/")
def _member_role(kit):
    member = factories.MembershipFactory(enterprise=kit.enterprise, role=MembershipRole.MEMBER)
    path = f"/api/v1/enterprises/{kit.enterprise.pk}/members/{member.pk}/"
    return Case(kit.owner_client, path, {"role": "admin"})


@case("POST /api/v1/invitations/accept/")
def _invitation_accept(kit):
    invited = invitation(kit.enterprise, kit.owner, email="invitee@example.com")
    person = factories.UserFactory(email="invitee@example.com")
    return Case(client_for(person), "/api/v1/invitations/accept/", {"token": invited.token})


@case("POST /api/v1/production-bases/")
def _base_create(kit):
    body = {"name": "Pujiang orchard", "kind": "orchard", "prefecture": factories.prefecture().code}
    return Case(kit.owner_client, "/api/v1/production-bases/", body)


@case("PATCH /api/v1/production-bases/{id}/")
def _base_update(kit):
    base = factories.ProductionBaseFactory(enterprise=kit.enterprise)
    return Case(kit.owner_client, f"/api/v1/production-bases/{base.pk}/", {"name": "Renamed"})


@case("POST /api/v1/products/")
def _product_create(kit):
    body = {"name_zh": "爱媛柑橘", "category": "fruits", "hs_code": factories.hs_code().code}
    return Case(kit.owner_client, "/api/v1/products/", body)


@case("PATCH /api/v1/products/{id}/")
def _product_update(kit):
    product = factories.ProductFactory(enterprise=kit.enterprise)
    return Case(kit.owner_client, f"/api/v1/products/{product.pk}/", {"name_en": "Mandarin"})


# --- certification ------------------------------------------------------------------------------

APPLICATIONS = "/api/v1/certification/applications"


@case("POST /api/v1/certification/applications/")
def _application_create(kit):
    scheme = SchemeFactory()
    return Case(kit.owner_client, f"{APPLICATIONS}/", {"scheme": scheme.code})


@case("PATCH /api/v1/certification/applications/{id}/")
def _application_update(kit):
    application = ApplicationFactory(enterprise=kit.enterprise)
    path = f"{APPLICATIONS}/{application.pk}/"
    return Case(kit.owner_client, path, {"scope_note": "Whole orchard"})


@case("POST /api/v1/certification/applications/{application_pk}/documents/")
def _application_document(kit):
    application = ApplicationFactory(enterprise=kit.enterprise)
    path = f"{APPLICATIONS}/{application.pk}/documents/"
    body = {"kind": "business_licence", "file": kit.pdf()}
    return Case(kit.owner_client, path, body, format="multipart")


@case("POST /api/v1/certification/applications/{id}/submit/")
def _application_submit(kit):
    application = ApplicationFactory(enterprise=kit.enterprise)
    application.scope_products.add(factories.ProductFactory(enterprise=kit.enterprise))
    ApplicationDocumentFactory(application=application)
    return Case(kit.owner_client, f"{APPLICATIONS}/{application.pk}/submit/")


@case("POST /api/v1/certification/applications/{id}/withdraw/")
def _application_withdraw(kit):
    application = SubmittedApplicationFactory(enterprise=kit.enterprise)
    return Case(kit.owner_client, f"{APPLICATIONS}/{application.pk}/withdraw/", {})


@case("POST /api/v1/certification/applications/{id}/claim/")
def _application_claim(kit):
    application = SubmittedApplicationFactory(enterprise=kit.enterprise)
    return Case(kit.reviewer_client, f"{APPLICATIONS}/{application.pk}/claim/", {})


@case("POST /api/v1/certification/applications/{id}/assign/")
def _application_assign(kit):
    application = SubmittedApplicationFactory(enterprise=kit.enterprise)
    path = f"{APPLICATIONS}/{application.pk}/assign/"
    return Case(kit.officer_client, path, {"reviewer": kit.reviewer.pk})


def _under_review(kit):
    application = SubmittedApplicationFactory(enterprise=kit.enterprise)
    ApplicationDocumentFactory(application=application)
    response = kit.reviewer_client.post(f"{APPLICATIONS}/{application.pk}/claim/", {})
    assert response.status_code == 200, response.content
    return application


@case("POST /api/v1/certification/applications/{id}/approve/")
def _application_approve(kit):
    application = _under_review(kit)
    return Case(kit.reviewer_client, f"{APPLICATIONS}/{application.pk}/approve/", {})


@case("POST /api/v1/certification/applications/{id}/reject/")
def _application_reject(kit):
    application = _under_review(kit)
    path = f"{APPLICATIONS}/{application.pk}/reject/"
    return Case(kit.reviewer_client, path, {"reason": "Out of scope."})


@case("POST /api/v1/certification/applications/{id}/request-changes/")
def _application_request_changes(kit):
    application = _under_review(kit)
    path = f"{APPLICATIONS}/{application.pk}/request-changes/"
    return Case(kit.reviewer_client, path, {"comment": "Add the quality manual."})


@case("POST /api/v1/certification/applications/{id}/notes/")
def _application_note(kit):
    application = SubmittedApplicationFactory(enterprise=kit.enterprise)
    path = f"{APPLICATIONS}/{application.pk}/notes/"
    return Case(kit.reviewer_client, path, {"comment": "Called the applicant."})


CERTIFICATES = "/api/v1/certification/certificates"


@case("POST /api/v1/certification/certificates/{id}/suspend/")
def _certificate_suspend(kit):
    certificate = CertificateFactory(enterprise=kit.enterprise)
    path = f"{CERTIFICATES}/{certificate.pk}/suspend/"
    return Case(kit.reviewer_client, path, {"reason": "Audit found a gap."})


@case("POST /api/v1/certification/certificates/{id}/revoke/")
def _certificate_revoke(kit):
    certificate = CertificateFactory(enterprise=kit.enterprise)
    path = f"{CERTIFICATES}/{certificate.pk}/revoke/"
    return Case(kit.reviewer_client, path, {"reason": "Fraudulent documents."})


@case("POST /api/v1/certification/certificates/{id}/reinstate/")
def _certificate_reinstate(kit):
    certificate = CertificateFactory(
        enterprise=kit.enterprise, status="suspended", status_reason="Audit found a gap."
    )
    path = f"{CERTIFICATES}/{certificate.pk}/reinstate/"
    return Case(kit.reviewer_client, path, {"reason": "Audit passed."})


@case("POST /api/v1/certification/certificates/{id}/renew/")
def _certificate_renew(kit):
    certificate = CertificateFactory(enterprise=kit.enterprise)
    return Case(kit.owner_client, f"{CERTIFICATES}/{certificate.pk}/renew/")


@case("POST /api/v1/certification/documents/check/")
def _document_check(kit):
    body = {"file": kit.pdf(), "tracking_token": ""}
    return Case(APIClient(), "/api/v1/certification/documents/check/", body, format="multipart")


# --- logistics ----------------------------------------------------------------------------------


def _shipment(kit, **extra):
    return ShipmentFactory(enterprise=kit.enterprise, carrier=kit.carrier, **extra)


@case("POST /api/v1/shipments/")
def _shipment_create(kit):
    """Booked from an open shipment draft: the optional `draft` is part of the body."""
    booking_places()
    product = factories.ProductFactory(enterprise=kit.enterprise)
    body = booking(kit.enterprise, kit.carrier, product, draft=_shipment_draft(kit, product).pk)
    return Case(kit.owner_client, "/api/v1/shipments/", body)


def _shipment_draft(kit, product=None):
    booking_places()
    product = product or factories.ProductFactory(enterprise=kit.enterprise)
    return ShipmentDraft.objects.create(
        enterprise=kit.enterprise,
        source="Quote #1",
        consignee_name="Kedai Buah Segar Sdn Bhd",
        consignee_country_id="MY",
        destination_id="MYKUL",
        incoterm="CIF",
    )


@case("POST /api/v1/shipments/drafts/{id}/discard/")
def _shipment_draft_discard(kit):
    draft = _shipment_draft(kit)
    return Case(kit.owner_client, f"/api/v1/shipments/drafts/{draft.pk}/discard/")


@case("POST /api/v1/shipments/{id}/cancel/")
def _shipment_cancel(kit):
    shipment = _shipment(kit)
    return Case(kit.owner_client, f"/api/v1/shipments/{shipment.pk}/cancel/", {"reason": "Late"})


@case("POST /api/v1/shipments/{id}/dispatch/")
def _shipment_dispatch(kit):
    shipment = _shipment(kit)
    return Case(kit.owner_client, f"/api/v1/shipments/{shipment.pk}/dispatch/")


@case("POST /api/v1/shipments/{id}/rotate-tracking-token/")
def _shipment_rotate_token(kit):
    shipment = _shipment(kit)
    return Case(kit.owner_client, f"/api/v1/shipments/{shipment.pk}/rotate-tracking-token/")


@case("POST /api/v1/shipments/{shipment_pk}/documents/")
def _shipment_document(kit):
    shipment = _shipment(kit)
    body = {"doc_type": "phytosanitary", "file": kit.pdf("phyto.pdf")}
    path = f"/api/v1/shipments/{shipment.pk}/documents/"
    return Case(kit.owner_client, path, body, format="multipart")


@case("POST /api/v1/shipments/{shipment_pk}/events/")
def _shipment_event(kit):
    shipment = _shipment(kit, status="in_transit")
    body = {"milestone": "arrived_at_border", "occurred_at": timezone.now().isoformat()}
    return Case(kit.key_client(kit.carrier), f"/api/v1/shipments/{shipment.pk}/events/", body)


@case("POST /api/v1/shipments/{shipment_pk}/telemetry/")
def _shipment_telemetry(kit):
    shipment = _shipment(kit, status="in_transit")
    reading = {"sensor_id": "T1", "time": timezone.now().isoformat(), "temp_c": 5.0}
    path = f"/api/v1/shipments/{shipment.pk}/telemetry/"
    return Case(kit.key_client(kit.carrier), path, {"readings": [reading]})


@case("POST /api/v1/shipments/{shipment_pk}/excursions/{id}/acknowledge/")
def _excursion_acknowledge(kit):
    excursion = ExcursionFactory(shipment=_shipment(kit, status="in_transit"))
    path = f"/api/v1/shipments/{excursion.shipment_id}/excursions/{excursion.pk}/acknowledge/"
    return Case(kit.owner_client, path, {"comment": "Door opened at the border."})


# --- finance ------------------------------------------------------------------------------------

REQUESTS = "/api/v1/finance/requests"


@case("POST /api/v1/finance/requests/")
def _finance_create(kit):
    factories.currency("CNY")
    body = {
        "kind": "pre_shipment_loan",
        "amount": "500000.00",
        "currency": "CNY",
        "term_days": 90,
        "purpose": "Working capital for the mandarin season",
    }
    return Case(kit.owner_client, f"{REQUESTS}/", body)


def _draft(kit):
    return FinancingRequestFactory(enterprise=kit.enterprise)


@case("PATCH /api/v1/finance/requests/{id}/")
def _finance_update(kit):
    return Case(kit.owner_client, f"{REQUESTS}/{_draft(kit).pk}/", {"purpose": "Packaging"})


@case("POST /api/v1/finance/requests/{id}/submit/")
def _finance_submit(kit):
    return Case(kit.owner_client, f"{REQUESTS}/{_draft(kit).pk}/submit/")


@case("POST /api/v1/finance/requests/{id}/withdraw/")
def _finance_withdraw(kit):
    return Case(kit.owner_client, f"{REQUESTS}/{_draft(kit).pk}/withdraw/", {"reason": "Paid"})


@case("POST /api/v1/finance/requests/{id}/documents/")
def _finance_document(kit):
    body = {"file": kit.pdf("invoice.pdf"), "title": "Invoice"}
    return Case(kit.owner_client, f"{REQUESTS}/{_draft(kit).pk}/documents/", body, "multipart")


@case("POST /api/v1/finance/requests/{id}/evidence/")
def _finance_evidence(kit):
    shipment = _shipment(kit)
    body = {"kind": "shipment", "object_id": str(shipment.pk)}
    return Case(kit.owner_client, f"{REQUESTS}/{_draft(kit).pk}/evidence/", body)


def _submitted(kit):
    return FinancingRequestFactory(
        enterprise=kit.enterprise, status="submitted", submitted_at=timezone.now()
    )


@case("POST /api/v1/finance/requests/{id}/route/")
def _finance_route(kit):
    path = f"{REQUESTS}/{_submitted(kit).pk}/route/"
    return Case(kit.officer_client, path, {"partners": [kit.bank.pk]})


@case("POST /api/v1/finance/requests/{id}/decline/")
def _finance_decline(kit):
    path = f"{REQUESTS}/{_submitted(kit).pk}/decline/"
    return Case(kit.officer_client, path, {"reason": "Not eligible."})


@case("POST /api/v1/finance/requests/{id}/offers/")
def _finance_offer(kit):
    financing_request = routed_request(enterprise=kit.enterprise, partners=[kit.bank])
    body = {"amount": "500000.00", "rate_percent": "4.10", "term_days": 90, "valid_until": later()}
    path = f"{REQUESTS}/{financing_request.pk}/offers/"
    return Case(kit.key_client(kit.bank), path, body)


def _offer(kit):
    financing_request = routed_request(
        enterprise=kit.enterprise, partners=[kit.bank], status="offered"
    )
    return FinancingOfferFactory(request=financing_request, partner=kit.bank)


@case("POST /api/v1/finance/offers/{id}/accept/")
def _offer_accept(kit):
    return Case(kit.owner_client, f"/api/v1/finance/offers/{_offer(kit).pk}/accept/")


@case("POST /api/v1/finance/offers/{id}/decline/")
def _offer_decline(kit):
    path = f"/api/v1/finance/offers/{_offer(kit).pk}/decline/"
    return Case(kit.owner_client, path, {"reason": "Rate too high."})


def _accepted(kit, status="accepted"):
    offer = _offer(kit)
    offer.status = "accepted"
    offer.save(update_fields=["status"])
    financing_request = offer.request
    financing_request.status = status
    financing_request.accepted_offer = offer
    financing_request.save(update_fields=["status", "accepted_offer"])
    return financing_request


@case("POST /api/v1/finance/requests/{id}/disburse/")
def _finance_disburse(kit):
    path = f"{REQUESTS}/{_accepted(kit).pk}/disburse/"
    return Case(kit.key_client(kit.bank), path, {"reference": "LN-2026-001"})


@case("POST /api/v1/finance/requests/{id}/close/")
def _finance_close(kit):
    path = f"{REQUESTS}/{_accepted(kit, status='disbursed').pk}/close/"
    return Case(kit.key_client(kit.bank), path)


# --- legal --------------------------------------------------------------------------------------

LEGAL = "/api/v1/legal/requests"


@case("POST /api/v1/legal/requests/")
def _legal_create(kit):
    body = {
        "kind": "contract_review",
        "title": "Distribution contract",
        "description": "Please review the contract with our importer.",
    }
    return Case(kit.owner_client, f"{LEGAL}/", body)


def _case_in(kit, status: str, **extra):
    firm = {} if status == "submitted" else {"assigned_firm": kit.firm}
    return LegalRequestFactory(enterprise=kit.enterprise, status=status, **firm, **extra)


@case("POST /api/v1/legal/requests/{id}/assign/")
def _legal_assign(kit):
    path = f"{LEGAL}/{_case_in(kit, 'submitted').pk}/assign/"
    return Case(kit.officer_client, path, {"firm": kit.firm.pk})


@case("POST /api/v1/legal/requests/{id}/start/")
def _legal_start(kit):
    return Case(kit.key_client(kit.firm), f"{LEGAL}/{_case_in(kit, 'assigned').pk}/start/")


@case("POST /api/v1/legal/requests/{id}/await-client/")
def _legal_await(kit):
    path = f"{LEGAL}/{_case_in(kit, 'in_progress').pk}/await-client/"
    return Case(kit.key_client(kit.firm), path, {"reason": "Send the signed contract."})


@case("POST /api/v1/legal/requests/{id}/resolve/")
def _legal_resolve(kit):
    path = f"{LEGAL}/{_case_in(kit, 'in_progress').pk}/resolve/"
    return Case(kit.key_client(kit.firm), path, {"resolution": "Contract amended."})


@case("POST /api/v1/legal/requests/{id}/close/")
def _legal_close(kit):
    legal_case = _case_in(kit, "resolved", resolution="Contract amended.")
    return Case(kit.owner_client, f"{LEGAL}/{legal_case.pk}/close/")


@case("POST /api/v1/legal/requests/{id}/withdraw/")
def _legal_withdraw(kit):
    path = f"{LEGAL}/{_case_in(kit, 'submitted').pk}/withdraw/"
    return Case(kit.owner_client, path, {"reason": "Settled."})


@case("POST /api/v1/legal/requests/{id}/messages/")
def _legal_message(kit):
    path = f"{LEGAL}/{_case_in(kit, 'in_progress').pk}/messages/"
    return Case(kit.key_client(kit.firm), path, {"body": "Clause 7 needs a change."})


@case("POST /api/v1/legal/requests/{id}/documents/")
def _legal_document(kit):
    path = f"{LEGAL}/{_case_in(kit, 'in_progress').pk}/documents/"
    body = {"file": kit.pdf("contract.pdf"), "title": "Contract"}
    return Case(kit.owner_client, path, body, format="multipart")


@case("POST /api/v1/legal/requests/{id}/designation/")
def _legal_designation(kit):
    malaysia = factories.country("MY", "Malaysia")
    legal_case = _case_in(kit, "in_progress", kind="trademark_madrid", trademark="天府柑")
    legal_case.designations.create(country=malaysia, nice_classes=[31])
    path = f"{LEGAL}/{legal_case.pk}/designation/"
    body = {"country": "MY", "status": "filed"}
    return Case(kit.key_client(kit.firm), path, body)


# --- events -------------------------------------------------------------------------------------


@case("POST /api/v1/notifications/{id}/mark-read/")
def _notification_read(kit):
    notification = NotificationFactory(user=kit.owner)
    return Case(kit.owner_client, f"/api/v1/notifications/{notification.pk}/mark-read/")


@case("POST /api/v1/notifications/mark-all-read/")
def _notifications_all_read(kit):
    NotificationFactory(user=kit.owner)
    return Case(kit.owner_client, "/api/v1/notifications/mark-all-read/")


@case("PUT /api/v1/notifications/preferences/")
def _notification_preferences(kit):
    body = {"email_muted_kinds": ["shipment.*"]}
    return Case(kit.owner_client, "/api/v1/notifications/preferences/", body)


ENDPOINTS = "/api/v1/webhooks/endpoints"


@case("POST /api/v1/webhooks/endpoints/")
def _endpoint_create(kit):
    body = {"url": "https://hooks.example.com/agri", "event_kinds": ["shipment.*"]}
    return Case(kit.key_client(kit.carrier), f"{ENDPOINTS}/", body)


@case("PUT /api/v1/webhooks/endpoints/{id}/", "PATCH /api/v1/webhooks/endpoints/{id}/")
def _endpoint_update(kit):
    endpoint = WebhookEndpointFactory(partner=kit.carrier)
    body = {"url": "https://hooks.example.com/other", "event_kinds": ["*"]}
    return Case(kit.key_client(kit.carrier), f"{ENDPOINTS}/{endpoint.pk}/", body)


@case("POST /api/v1/webhooks/endpoints/{id}/rotate-secret/")
def _endpoint_rotate(kit):
    endpoint = WebhookEndpointFactory(partner=kit.carrier)
    return Case(kit.key_client(kit.carrier), f"{ENDPOINTS}/{endpoint.pk}/rotate-secret/")


@case("POST /api/v1/webhooks/endpoints/{id}/ping/")
def _endpoint_ping(kit):
    endpoint = WebhookEndpointFactory(partner=kit.carrier)
    return Case(kit.key_client(kit.carrier), f"{ENDPOINTS}/{endpoint.pk}/ping/")


@case("POST /api/v1/webhooks/deliveries/{id}/redeliver/")
def _delivery_redeliver(kit):
    delivery = WebhookDeliveryFactory(
        endpoint=WebhookEndpointFactory(partner=kit.carrier), status="failed"
    )
    path = f"/api/v1/webhooks/deliveries/{delivery.pk}/redeliver/"
    return Case(kit.key_client(kit.carrier), path)


# --- trade (buyers, inquiries, promotion events): tests/trade/unknown_fields/ -----------------

import tests.trade.unknown_fields  # noqa: E402, F401  (registers its cases with @case)

# --- the test -----------------------------------------------------------------------------------

# Columns that a refused request may still touch: when a credential was last used.
VOLATILE = {"last_used_at"}


def snapshot() -> dict:
    state = {}
    for model in apps.get_models():
        rows = model._default_manager.order_by("pk").values()
        state[model._meta.label] = [
            {k: v for k, v in row.items() if k not in VOLATILE} for row in rows
        ]
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


@pytest.fixture
def kit(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Kit()


def test_every_write_operation_has_a_case():
    missing = [op for op in OPERATIONS if op not in CASES and op not in UNREACHED]
    assert not missing, f"add a case to {__name__} for: {missing}"
    stale = sorted(set(CASES) - set(OPERATIONS))
    assert not stale, f"cases for operations the schema no longer has: {stale}"
    assert len(UNREACHED) <= 2, UNREACHED


@pytest.mark.parametrize("operation", [op for op in OPERATIONS if op in CASES])
def test_write_refuses_an_unknown_field_and_writes_nothing(operation, kit):
    method = operation.split(" ", 1)[0]
    write = CASES[operation](kit)
    before = snapshot()

    refused = write.send(method, {**write.body, UNKNOWN: True})

    assert refused.status_code == 400, (operation, refused.status_code, refused.content)
    assert refused["Content-Type"].startswith(PROBLEM_CONTENT_TYPE)
    errors = refused.json()["errors"]
    assert {"field": UNKNOWN, "code": "unknown_field"} in [
        {"field": e["field"], "code": e["code"]} for e in errors
    ], errors
    assert changed_tables(before, snapshot()) == []

    accepted = write.send(method, write.body)
    assert accepted.status_code < 300, (operation, accepted.status_code, accepted.content)


def test_an_unknown_field_inside_a_nested_item_is_named_with_its_path(kit):
    write = _shipment_create(kit)
    body = {**write.body, "items": [{**write.body["items"][0], "declaredValueUsd": "1"}]}
    before = snapshot()

    refused = write.send("POST", body)

    errors = refused.json()["errors"]
    assert refused.status_code == 400
    assert [(e["field"], e["code"]) for e in errors] == [
        ("items[0].declaredValueUsd", "unknown_field")
    ]
    assert changed_tables(before, snapshot()) == []


def test_a_law_firm_message_with_a_mistyped_flag_is_refused(kit):
    """The outside review's example: `isInternal` for `is_internal` made a client-visible note."""
    write = _legal_message(kit)

    refused = write.send("POST", {"body": "Internal: fee estimate", "isInternal": True})

    assert refused.status_code == 400
    assert [e["field"] for e in refused.json()["errors"]] == ["isInternal"]
    assert not apps.get_model("legal", "LegalMessage").objects.exists()
