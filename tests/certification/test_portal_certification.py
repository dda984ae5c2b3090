"""The certification pages of the portal: apply, upload, submit, answer a change request, the
certificate and its renewal. The pages call the services the API calls (same timeline, same events)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agri_platform.events.models import Event
from certification import services
from certification.models import Application
from tests.certification.factories import (
    PDF,
    ApplicationDocumentFactory,
    ApplicationFactory,
    CertificateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, enterprise_user):
    enterprise_user.language = "en"
    enterprise_user.save(update_fields=["language"])
    client.force_login(enterprise_user)
    return client


@pytest.fixture
def chinese(enterprise_user):
    enterprise_user.language = "zh-hans"
    enterprise_user.save(update_fields=["language"])


@pytest.fixture
def draft(enterprise, enterprise_user, scheme, product):
    return services.application_create(
        actor=enterprise_user, enterprise=enterprise, scheme=scheme, product_ids=[product.pk]
    )


def page(client, name, **kwargs):
    response = client.get(reverse(f"portal:{name}", kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


def upload(client, application, kind, content=PDF, name="scan.pdf"):
    return client.post(
        reverse("portal:application-upload", kwargs={"pk": application.pk}),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def test_the_list_shows_certificates_expiring_first_and_applications_with_their_next_step(
    client, enterprise, enterprise_user, scheme
):
    # Days left count from the reader's today: the reader's zone is the test's (UTC), so that the
    # count holds at any hour (China's date runs ahead of UTC's from 16:00 to 24:00 UTC).
    enterprise_user.timezone = "UTC"
    enterprise_user.save(update_fields=["timezone"])
    CertificateFactory(enterprise=enterprise, scheme=scheme, number="QMS-2026-000001-A")
    soon = CertificateFactory(
        enterprise=enterprise,
        scheme=scheme,
        number="QMS-2026-000002-B",
        expiry_date=timezone.localdate() + timedelta(days=20),
    )
    mine = ApplicationFactory(enterprise=enterprise, scheme=scheme)
    theirs = ApplicationFactory(scheme=scheme)
    html = page(client, "certification")
    assert html.index(soon.number) < html.index("QMS-2026-000001-A")
    assert "20 days left" in html
    assert "Upload the required documents, then submit." in html
    assert reverse("portal:application", kwargs={"pk": mine.pk}) in html
    assert reverse("portal:application", kwargs={"pk": theirs.pk}) not in html


def test_a_new_application_lists_each_scheme_with_its_documents_and_is_prefilled(
    client, scheme, product
):
    url = reverse("portal:application-new")
    html = client.get(f"{url}?scheme={scheme.code}&product={product.pk}").content.decode()
    assert "Documents: Business licence, Quality manual" in html
    assert f'value="{scheme.code}" id="id_scheme_0" checked' in html or "checked" in html
    assert f'value="{product.pk}"' in html


def test_creating_an_application_calls_the_service_and_opens_its_checklist(
    client, enterprise, scheme, product
):
    response = client.post(
        reverse("portal:application-new"),
        {"scheme": scheme.code, "products": [product.pk], "scope_note": "Packhouse line 2"},
    )
    application = Application.objects.get(enterprise=enterprise)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:application", kwargs={"pk": application.pk})
    assert application.timeline.get().action == "create"
    assert list(application.scope_products.all()) == [product]
    html = page(client, "application", pk=application.pk)
    assert "2 required documents are still missing." in html
    assert "Business licence" in html and "Quality manual" in html


def test_a_missing_scheme_is_an_error_at_the_field_in_both_languages(client, scheme, chinese):
    response = client.post(reverse("portal:application-new"), {})
    assert response.status_code == 200
    assert "scheme" in response.context["form"].errors
    assert "请选择要申请的认证项目。" in response.content.decode()


def test_a_product_outside_the_schemes_categories_is_refused_at_the_products(
    client, enterprise, scheme, product
):
    scheme.product_categories = ["tea"]
    scheme.save()
    response = client.post(
        reverse("portal:application-new"), {"scheme": scheme.code, "products": [product.pk]}
    )
    assert "outside the categories" in response.context["form"].errors["products"][0]
    assert not Application.objects.filter(enterprise=enterprise).exists()


def test_uploading_a_document_ticks_it_off_and_a_wrong_type_is_refused_at_the_file(client, draft):
    response = upload(client, draft, "business_licence")
    assert response.status_code == 302
    assert draft.documents.get().original_name == "scan.pdf"
    html = page(client, "application", pk=draft.pk)
    assert "1 required document is still missing." in html

    response = upload(client, draft, "quality_manual", content=b"<html>", name="x.html")
    assert response.status_code == 200
    assert "Only PDF, JPEG and PNG" in response.context["document_form"].errors["file"][0]


def test_submitting_with_documents_missing_names_them_and_then_submits(client, draft):
    response = client.post(reverse("portal:application-submit", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    assert "Quality manual" in response.context["submit_form"].non_field_errors()[0]

    upload(client, draft, "business_licence")
    upload(client, draft, "quality_manual")
    response = client.post(reverse("portal:application-submit", kwargs={"pk": draft.pk}))
    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == "submitted"
    assert Event.objects.filter(kind="certification.application.submitted").count() == 1


def test_a_change_request_is_shown_and_answered_by_upload_and_resubmission(client, draft, reviewer):
    upload(client, draft, "business_licence")
    upload(client, draft, "quality_manual")
    client.post(reverse("portal:application-submit", kwargs={"pk": draft.pk}))
    services.application_claim(actor=reviewer, application=draft)
    services.application_request_changes(
        actor=reviewer, application=draft, comment="Please sign the quality manual."
    )

    html = page(client, "application", pk=draft.pk)
    assert "Please sign the quality manual." in html
    assert "Resubmit the application" in html
    assert "Platform reviewer" in html and reviewer.email not in html

    upload(client, draft, "quality_manual", name="signed.pdf")
    client.post(reverse("portal:application-submit", kwargs={"pk": draft.pk}))
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.timeline.filter(action="resubmit").exists()


def test_a_document_is_downloaded_and_removed_while_the_application_is_editable(client, draft):
    document = ApplicationDocumentFactory(application=draft)
    kwargs = {"application_pk": draft.pk, "pk": document.pk}
    response = client.get(reverse("portal:application-document", kwargs=kwargs))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF

    response = client.post(reverse("portal:application-document-remove", kwargs=kwargs))
    assert response.status_code == 302
    assert not draft.documents.exists()


def test_withdrawing_calls_the_service(client, draft):
    client.post(
        reverse("portal:application-withdraw", kwargs={"pk": draft.pk}), {"comment": "Later"}
    )
    draft.refresh_from_db()
    assert draft.status == "withdrawn"
    assert draft.timeline.last().comment == "Later"


def test_the_scope_is_changed_through_the_service(client, draft, base):
    response = client.post(
        reverse("portal:application-scope", kwargs={"pk": draft.pk}),
        {"bases": [base.pk], "scope_note": "Orchard only"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert list(draft.scope_bases.all()) == [base]
    assert draft.scope_note == "Orchard only"


def test_the_certificate_page_shows_its_facts_a_printable_copy_and_starts_a_renewal(
    client, enterprise, scheme, product
):
    certificate = CertificateFactory(
        enterprise=enterprise,
        scheme=scheme,
        expiry_date=timezone.localdate() + timedelta(days=30),
    )
    certificate.scope_products.set([product])
    html = page(client, "certificate", pk=certificate.pk)
    assert certificate.number in html
    assert "30 days left" in html
    assert "expires soon" in html
    assert f'href="http://testserver/verify/{certificate.number}/"' in html
    assert "Public page of this certificate" in html
    assert certificate.number in page(client, "certificate-print", pk=certificate.pk)

    response = client.post(reverse("portal:certificate-renew", kwargs={"pk": certificate.pk}))
    renewal = Application.objects.get(renewal_of=certificate)
    assert response["Location"] == reverse("portal:application", kwargs={"pk": renewal.pk})
    assert "Go to the renewal" in page(client, "certificate", pk=certificate.pk)


def test_another_enterprises_application_and_document_are_not_found(client, scheme):
    theirs = ApplicationDocumentFactory(application=ApplicationFactory(scheme=scheme))
    kwargs = {"application_pk": theirs.application_id, "pk": theirs.pk}
    assert client.get(reverse("portal:application-document", kwargs=kwargs)).status_code == 404
    assert (
        client.post(
            reverse("portal:application-submit", kwargs={"pk": theirs.application_id})
        ).status_code
        == 404
    )
