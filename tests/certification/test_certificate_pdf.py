"""Certificate PDFs: issued with the certificate (and lazily for older ones), kept with their
SHA-256, served at /verify/<number>/pdf/ and by the API; the document check (page and API) says
whether an uploaded PDF is exactly one the platform issued, or one of a shipment's documents."""

import hashlib
import shutil
import subprocess
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from rest_framework.test import APIClient

from agri_platform.api.throttling import PublicLookupThrottle
from certification import numbers, services
from certification.choices import ApplicationStatus
from certification.models import CertificateDocument
from certification.pdf import verify_url
from tests import factories
from tests.certification.factories import (
    PNG,
    CertificateFactory,
    SchemeFactory,
    SubmittedApplicationFactory,
)
from tests.logistics.factories import ShipmentDocumentFactory, ShipmentFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/certification"
CHECK_PAGE = "/verify/document/"
ISSUED = "This is exactly a PDF the platform issued"
NOT_ISSUED = "Not a document the platform issued"


@pytest.fixture
def certificate(enterprise):
    scheme = factories_scheme()
    product = factories.ProductFactory(enterprise=enterprise, name_zh="猕猴桃", name_en="Kiwifruit")
    certificate = CertificateFactory(
        number=numbers.format_number(scheme.certificate_prefix, 2026, 7),
        enterprise=enterprise,
        scheme=scheme,
        scope_summary="Products: Kiwifruit (HS 081050)",
        issue_date=date(2026, 3, 1),
        expiry_date=date(2029, 2, 28),
    )
    certificate.scope_products.add(product)
    return certificate


def factories_scheme():
    return SchemeFactory(
        code="GAPPDF",
        name_en="China Good Agricultural Practice",
        name_zh="良好农业规范认证",
        certificate_prefix="GAP",
        issuer="CNCA-accredited bodies",
    )


def pdf_url(certificate) -> str:
    return reverse("public:certificate-pdf", kwargs={"number": certificate.number})


def served(client, certificate) -> bytes:
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def as_upload(content: bytes, name="certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def check_page(client, content: bytes, tracking: str = "") -> str:
    response = client.post(
        CHECK_PAGE,
        {"file": as_upload(content), "tracking": tracking},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    return response.content.decode()


def changed(content: bytes) -> bytes:
    middle = len(content) // 2
    return content[:middle] + bytes([content[middle] ^ 0x01]) + content[middle + 1 :]


# --- issue ---------------------------------------------------------------------------------------


def test_approval_issues_the_certificate_with_its_pdf_and_digest(enterprise, reviewer):
    application = SubmittedApplicationFactory(
        enterprise=enterprise, status=ApplicationStatus.UNDER_REVIEW, reviewer=reviewer
    )
    certificate = services.application_approve(actor=reviewer, application=application)

    document = certificate.documents.get()
    content = document.file.read()
    assert content.startswith(b"%PDF-")
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()


def test_a_certificate_without_a_pdf_gets_one_when_asked_once_only(client, certificate):
    assert not certificate.documents.exists()

    response = client.get(pdf_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{certificate.number}.pdf"'
    first = b"".join(response.streaming_content)
    second = served(client, certificate)

    document = certificate.documents.get()  # asking twice did not issue twice
    assert first == second
    assert document.sha256 == hashlib.sha256(first).hexdigest()
    assert services.certificate_pdf_issue(certificate) == document


def test_the_number_may_be_typed_in_lower_case_and_a_wrong_one_is_the_same_404(client, certificate):
    assert client.get(pdf_url(certificate).lower()).status_code == 200
    wrong_check = certificate.number[:-1] + ("0" if certificate.number[-1] != "0" else "1")
    unknown = numbers.format_number("GAP", 2026, 999)
    for number in (wrong_check, unknown, "not-a-number"):
        response = client.get(reverse("public:certificate-pdf", kwargs={"number": number}))
        assert response.status_code == 404
        assert CertificateDocument.objects.count() == 1  # the one issued for the good number


def test_the_pdf_and_the_check_are_throttled_per_address(client, certificate, monkeypatch):
    monkeypatch.setattr(PublicLookupThrottle, "THROTTLE_RATES", {"public_lookup": "3/min"})
    codes = [client.get(pdf_url(certificate)).status_code for _ in range(2)]
    codes += [client.get(CHECK_PAGE).status_code for _ in range(2)]
    assert codes == [200, 200, 200, 429]


# --- what the PDF says (poppler and a QR decoder) -------------------------------------------------


@pytest.mark.integration
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_the_pdf_is_bilingual_and_its_qr_code_opens_the_certificate_page(
    client, certificate, tmp_path
):
    content = served(client, certificate)
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert certificate.enterprise.name_zh in text
    assert certificate.enterprise.name_en in text
    assert "China Good Agricultural Practice" in text
    assert "良好农业规范认证" in text
    assert "证书" in text and "Certificate" in text
    assert certificate.number in text
    product = certificate.scope_products.get()
    assert "猕猴桃" in text and f"HS {product.hs_code_id}" in text
    url = verify_url(certificate)
    assert url.endswith(f"/verify/{certificate.number}/")
    assert url in text

    import zxingcpp
    from PIL import Image

    (tmp_path / "certificate.pdf").write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", "certificate.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    codes = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert [code.text for code in codes] == [url]


# --- the document check page ----------------------------------------------------------------------


def test_the_issued_pdf_is_recognised_with_its_status_now(client, certificate, reviewer):
    content = served(client, certificate)

    html = check_page(client, content)
    assert ISSUED in html
    assert certificate.number in html
    assert certificate.enterprise.name_en in html
    assert 'badge badge--success">Active' in html
    assert reverse("public:certificate", kwargs={"number": certificate.number}) in html

    services.certificate_suspend(actor=reviewer, certificate=certificate, reason="Audit pending")
    html = check_page(client, content)
    assert ISSUED in html
    assert ">Suspended<" in html
    assert "Audit pending" not in html  # the reason stays private


def test_a_pdf_with_one_byte_changed_is_not_issued_and_names_no_certificate(client, certificate):
    content = served(client, certificate)

    html = check_page(client, changed(content))
    assert NOT_ISSUED in html
    assert ISSUED not in html
    assert certificate.number not in html
    assert hashlib.sha256(changed(content)).hexdigest() in html


def test_the_uploaded_file_is_never_stored(client, certificate, settings):
    content = served(client, certificate)
    before = sorted(p.name for p in (settings.MEDIA_ROOT).rglob("*") if p.is_file())
    check_page(client, changed(content))
    check_page(client, content)
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == before


def test_a_shipment_document_is_recognised_with_its_tracking_link_only(client, enterprise):
    content = b"%PDF-1.7\nphytosanitary certificate 42\n%%EOF"
    shipment = ShipmentFactory(enterprise=enterprise, reference="KIWI-0042")
    ShipmentDocumentFactory(
        shipment=shipment,
        doc_type="phytosanitary",
        sha256=hashlib.sha256(content).hexdigest(),
    )
    link = f"https://agri.example.org/track/{shipment.tracking_token}/"

    html = check_page(client, content, tracking=link)
    assert "This is exactly the" in html and "of shipment KIWI-0042 uploaded on" in html
    assert NOT_ISSUED not in html
    assert "This is exactly the" in check_page(client, content, tracking=shipment.tracking_token)

    for wrong in (link.replace(shipment.tracking_token, "nosuchtoken"), ""):
        html = check_page(client, content, tracking=wrong)
        assert NOT_ISSUED in html
        assert "KIWI-0042" not in html
    other = ShipmentFactory(enterprise=enterprise)
    assert NOT_ISSUED in check_page(client, content, tracking=other.tracking_token)


def test_the_tracking_link_is_prefilled_and_bad_input_shows_the_form_again(client):
    html = client.get(f"{CHECK_PAGE}?tracking=abc123", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="abc123"' in html

    response = client.post(CHECK_PAGE, {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Choose the PDF to check." in response.content.decode()

    response = client.post(
        CHECK_PAGE, {"file": SimpleUploadedFile("scan.pdf", PNG)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only PDF documents can be checked" in html
    assert 'aria-invalid="true"' in html


def test_the_document_check_answers_in_chinese(client, certificate):
    content = served(client, certificate)
    response = client.post(
        CHECK_PAGE, {"file": as_upload(changed(content))}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    html = response.content.decode()
    assert NOT_ISSUED not in html
    assert "不是平台签发的文件" in html


# --- pages that link to the PDF ------------------------------------------------------------------


def test_the_public_partial_links_the_pdf_and_shows_its_digest(certificate):
    html = render_to_string(
        "certification/public/_certificate_pdf.html", {"certificate": certificate}
    )
    document = certificate.documents.get()  # issued for the page
    assert pdf_url(certificate) in html
    assert html.count(document.sha256) == 2  # shown, and copied by the button
    assert reverse("public:document-check") in html


def test_the_exporter_portal_certificate_page_links_the_pdf(client, certificate, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get(reverse("portal:certificate", kwargs={"pk": certificate.pk}))
    assert pdf_url(certificate) in response.content.decode()


# --- the API -------------------------------------------------------------------------------------


def test_the_certificate_resource_carries_its_pdf(enterprise_client, certificate):
    body = enterprise_client.get(f"{API}/certificates/{certificate.pk}/").json()
    assert body["pdf_sha256"] is None  # not issued yet
    assert body["pdf_url"].endswith(f"{API}/certificates/{certificate.pk}/pdf/")

    response = enterprise_client.get(f"{API}/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    body = enterprise_client.get(f"{API}/certificates/{certificate.pk}/").json()
    assert body["pdf_sha256"] == hashlib.sha256(content).hexdigest()


def test_another_enterprise_cannot_download_the_pdf(other_enterprise_client, certificate):
    response = other_enterprise_client.get(f"{API}/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 404


def test_the_public_verification_gives_the_pdf_and_its_digest(certificate):
    body = APIClient().get(f"{API}/certificates/verify/{certificate.number}/").json()
    document = certificate.documents.get()
    assert body["pdf_sha256"] == document.sha256
    assert body["pdf_url"].endswith(pdf_url(certificate))


def test_the_api_document_check_gives_the_same_answers(client, certificate, enterprise):
    content = served(client, certificate)
    api = APIClient()

    def check(data, **kwargs):
        return api.post(f"{API}/documents/check/", data, format="multipart", **kwargs)

    body = check({"file": as_upload(content)}).json()
    assert body["issued"] is True
    assert body["certificate"]["number"] == certificate.number
    assert body["certificate"]["status"] == "active"
    assert body["shipment_document"] is None

    body = check({"file": as_upload(changed(content))}).json()
    assert body == {
        "issued": False,
        "sha256": hashlib.sha256(changed(content)).hexdigest(),
        "certificate": None,
        "shipment_document": None,
    }

    shipment_pdf = b"%PDF-1.7\nbill of lading\n%%EOF"
    shipment = ShipmentFactory(enterprise=enterprise, reference="KIWI-0043")
    ShipmentDocumentFactory(
        shipment=shipment, doc_type="phytosanitary", sha256=hashlib.sha256(shipment_pdf).hexdigest()
    )
    body = check({"file": as_upload(shipment_pdf), "tracking_token": shipment.tracking_token})
    assert body.json()["shipment_document"]["shipment_reference"] == "KIWI-0043"
    assert body.json()["issued"] is True
    body = check({"file": as_upload(shipment_pdf), "tracking_token": "wrong"}).json()
    assert body["issued"] is False and body["shipment_document"] is None

    response = check({"file": SimpleUploadedFile("a.png", PNG)})
    assert response.status_code == 415
