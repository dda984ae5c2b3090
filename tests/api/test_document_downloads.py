"""Every uploaded document, in every app, is served by its authenticated `download_url`: the file as
an attachment to whoever may see it, 404 to anyone else; stored under the sniffed type's extension."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from agri_platform.api.documents import document_save, download_name
from certification.models import ApplicationDocument
from finance.models import FinancingDocument
from legal.choices import LegalStatus
from legal.models import LegalAttachment, LegalMessage
from logistics.models import ShipmentDocument
from tests import factories
from tests.certification.factories import ApplicationDocumentFactory, ApplicationFactory
from tests.conftest import client_for, client_for_key
from tests.finance.factories import BankFactory, routed_request
from tests.legal.factories import LawFirmFactory, LegalAttachmentFactory, LegalRequestFactory
from tests.logistics.factories import ShipmentFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Case:
    upload_url: str
    fields: dict
    model: type
    partner: object  # the partner the object is routed to
    partner_sees: bool
    partner_scope: str
    expected_name: str  # what the download offers for a PDF uploaded as "poly.html"
    owner_field: str  # the document's foreign key to the object the admin shows it on


def _certification(enterprise, partner):
    application = ApplicationFactory(enterprise=enterprise)
    return Case(
        f"/api/v1/certification/applications/{application.pk}/documents/",
        {"kind": "business_licence"},
        ApplicationDocument,
        partner,
        False,
        "certification:write",
        "poly.pdf",
        "application",
    )


def _logistics(enterprise, partner):
    shipment = ShipmentFactory(enterprise=enterprise, carrier=partner)
    return Case(
        f"/api/v1/shipments/{shipment.pk}/documents/",
        {"doc_type": "phytosanitary", "number": "PH-1"},
        ShipmentDocument,
        partner,
        False,  # carriers never see shipment documents (docs/logistics.md)
        "logistics:write",
        "phytosanitary-PH-1.pdf",
        "shipment",
    )


def _finance(enterprise, partner):
    financing_request = routed_request(enterprise=enterprise, partners=[partner])
    return Case(
        f"/api/v1/finance/requests/{financing_request.pk}/documents/",
        {},
        FinancingDocument,
        partner,
        True,
        "finance:write",
        "poly.pdf",
        "request",
    )


def _legal(enterprise, partner):
    case = LegalRequestFactory(
        enterprise=enterprise, assigned_firm=partner, status=LegalStatus.ASSIGNED
    )
    return Case(
        f"/api/v1/legal/requests/{case.pk}/documents/",
        {},
        LegalAttachment,
        partner,
        True,
        "legal:write",
        "poly.pdf",
        "request",
    )


SETUPS = {
    "certification": (_certification, factories.PartnerFactory),
    "logistics": (_logistics, factories.PartnerFactory),
    "finance": (_finance, BankFactory),
    "legal": (_legal, LawFirmFactory),
}


@pytest.fixture(params=sorted(SETUPS))
def uploaded(request, enterprise, enterprise_client):
    """A PDF uploaded through the API under the name poly.html, and the case it belongs to."""
    setup, partner_factory = SETUPS[request.param]
    case = setup(enterprise, partner_factory())
    upload = SimpleUploadedFile("poly.html", PDF, content_type="text/html")
    response = enterprise_client.post(
        case.upload_url, {**case.fields, "file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.content
    return case, response.json()


def test_the_owner_downloads_an_attachment_of_the_sniffed_type(uploaded, enterprise_client):
    case, document = uploaded
    assert "file" not in document  # no /media/ link that nothing serves
    response = enterprise_client.get(document["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="{case.expected_name}"'


def test_the_upload_answers_the_document_as_the_list_shows_it(uploaded, enterprise_client):
    case, document = uploaded
    assert document["download_url"].startswith("http://")
    assert document in enterprise_client.get(case.upload_url).json()


@pytest.mark.parametrize("app", ["finance", "legal"])
def test_a_long_file_name_titles_the_document_by_its_end(app, enterprise, enterprise_client):
    setup, partner_factory = SETUPS[app]
    case = setup(enterprise, partner_factory())
    name = f"{'x' * 240}-contract.pdf"
    upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    response = enterprise_client.post(case.upload_url, {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["title"] == name[-200:]


def test_a_document_whose_row_cannot_be_saved_leaves_no_file(settings, enterprise_user):
    upload = SimpleUploadedFile("contract.pdf", PDF, content_type="application/pdf")
    with pytest.raises(IntegrityError):
        document_save(FinancingDocument(title="no request"), upload=upload, actor=enterprise_user)
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_the_stored_name_follows_the_sniffed_type(uploaded):
    case, document = uploaded
    stored = case.model.objects.get(pk=document["id"]).file.name
    assert stored.endswith(".pdf")
    assert "html" not in stored and "poly" not in stored


def test_a_document_whose_file_is_gone_is_a_404_and_an_error_in_the_log(
    uploaded, enterprise_client, caplog
):
    case, document = uploaded
    stored = case.model.objects.get(pk=document["id"])
    stored.file.storage.delete(stored.file.name)
    response = enterprise_client.get(document["download_url"])
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert any("missing from storage" in record.getMessage() for record in caplog.records)


def test_staff_download(uploaded, staff_client):
    _, document = uploaded
    assert staff_client.get(document["download_url"]).status_code == 200


def test_another_tenant_gets_404(uploaded, other_enterprise_client):
    _, document = uploaded
    response = other_enterprise_client.get(document["download_url"])
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_the_routed_partner_downloads_and_an_unrelated_one_cannot(uploaded):
    """A partner outside the object answers as for a missing document; where partners never see
    documents (shipments: closed to keys) the routed partner answers the same."""
    case, document = uploaded
    missing_url = document["download_url"].replace(
        f"/documents/{document['id']}/", "/documents/987654321/"
    )
    stranger = client_for_key(factories.PartnerFactory(), [case.partner_scope])
    not_found = stranger.get(missing_url).status_code
    assert not_found in (403, 404)
    assert stranger.get(document["download_url"]).status_code == not_found
    routed = client_for_key(case.partner, [case.partner_scope])
    expected = 200 if case.partner_sees else not_found
    assert routed.get(document["download_url"]).status_code == expected
    routed_person = client_for(factories.PartnerUserFactory(partner=case.partner))
    assert routed_person.get(document["download_url"]).status_code == (
        200 if case.partner_sees else 404
    )


def test_an_internal_notes_attachment_reaches_only_its_firm(enterprise, enterprise_client):
    firm = LawFirmFactory()
    case = LegalRequestFactory(
        enterprise=enterprise, assigned_firm=firm, status=LegalStatus.IN_PROGRESS
    )
    note = LegalMessage.objects.create(
        request=case,
        author_side="law_firm",
        author_partner=firm,
        body="Our view on the risk",
        is_internal=True,
    )
    attachment = LegalAttachmentFactory(request=case, message=note)
    path = f"/api/v1/legal/requests/{case.pk}/documents/{attachment.pk}/download/"
    assert enterprise_client.get(path).status_code == 404
    assert client_for_key(firm, ["legal:read"]).get(path).status_code == 200
    firm_person = factories.PartnerUserFactory(partner=firm)
    assert client_for(firm_person).get(path).status_code == 200


@pytest.mark.parametrize(
    ("name", "content_type", "offered"),
    [
        ("poly.html", "application/pdf", "poly.pdf"),
        ("../../etc/passwd", "image/png", "passwd.png"),
        ('a"b;\r\nc.jpg', "image/jpeg", "a_b_c.jpg"),
        ("", "application/pdf", "document.pdf"),
        ("C:\\scans\\营业执照.PDF", "application/pdf", "营业执照.pdf"),
    ],
)
def test_download_names_are_safe_and_typed(name, content_type, offered):
    assert download_name(name, content_type) == offered


def test_the_admin_change_page_links_each_document_to_a_staff_download(
    uploaded, enterprise_user, client
):
    """A superuser: each app's admin has its own rules of who sees it; the link follows them."""
    case, document = uploaded
    admin_user = factories.StaffUserFactory(staff_role="platform_admin", is_superuser=True)
    stored = case.model.objects.get(pk=document["id"])
    owner = getattr(stored, case.owner_field)
    meta = owner._meta
    client.force_login(admin_user)
    page = client.get(f"/admin/{meta.app_label}/{meta.model_name}/{owner.pk}/change/")
    assert page.status_code == 200
    link = f"/admin/{meta.app_label}/{meta.model_name}/{owner.pk}/documents/{stored.pk}/download/"
    assert link.encode() in page.content
    assert b"/media/" not in page.content
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(enterprise_user)  # not staff: the admin sends them to its login
    assert client.get(link).status_code == 302


def test_the_review_page_links_each_document(client, reviewer):
    document = ApplicationDocumentFactory()
    client.force_login(reviewer)
    page = client.get(f"/admin/certification/application/{document.application_id}/review/")
    assert page.status_code == 200
    link = (
        f"/admin/certification/application/{document.application_id}/documents/"
        f"{document.pk}/download/"
    )
    assert link.encode() in page.content
    assert client.get(link).status_code == 200
