"""The enterprise's business licence through the API: owners and admins upload, members read and
download, another tenant gets 404, the type is judged from the content."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agri_platform.accounts.choices import MembershipRole
from enterprises.models import EnterpriseDocument
from tests import factories
from tests.conftest import client_for

from .factories import PDF, EnterpriseDocumentFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def documents(enterprise):
    return f"/api/v1/enterprises/{enterprise.pk}/documents/"


def test_the_owner_uploads_the_licence_and_members_download_it(enterprise_client, enterprise):
    response = enterprise_client.post(
        documents(enterprise), {"file": SimpleUploadedFile("营业执照.pdf", PDF)}, format="multipart"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["content_type"], body["original_name"]) == (
        "business_licence",
        "application/pdf",
        "营业执照.pdf",
    )
    assert [d["id"] for d in enterprise_client.get(documents(enterprise)).json()] == [body["id"]]
    member = factories.UserFactory()
    factories.MembershipFactory(user=member, enterprise=enterprise, role=MembershipRole.MEMBER)
    download = client_for(member).get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_a_plain_member_may_not_upload(enterprise):
    member = factories.UserFactory()
    factories.MembershipFactory(user=member, enterprise=enterprise, role=MembershipRole.MEMBER)

    response = client_for(member).post(
        documents(enterprise), {"file": SimpleUploadedFile("l.pdf", PDF)}, format="multipart"
    )

    assert response.status_code == 403
    assert not EnterpriseDocument.objects.exists()


def test_a_file_that_is_not_a_document_is_refused(enterprise_client, enterprise):
    response = enterprise_client.post(
        documents(enterprise),
        {"file": SimpleUploadedFile("licence.pdf", b"MZ\x90\x00 not a pdf")},
        format="multipart",
    )

    assert response.status_code == 415, response.content
    assert not EnterpriseDocument.objects.exists()


def test_another_tenants_licence_is_404(other_enterprise_client, enterprise):
    document = EnterpriseDocumentFactory(enterprise=enterprise)

    assert other_enterprise_client.get(documents(enterprise)).status_code == 404
    download = f"{documents(enterprise)}{document.pk}/download/"
    assert other_enterprise_client.get(download).status_code == 404
    upload = other_enterprise_client.post(
        documents(enterprise), {"file": SimpleUploadedFile("l.pdf", PDF)}, format="multipart"
    )
    assert upload.status_code == 404
