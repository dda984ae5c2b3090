"""Journey 2 in the portal: the business licence, uploaded through the API's service, listed and
downloadable, and shown on the enterprise's task list."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agri_platform.accounts.choices import MembershipRole
from enterprises.models import EnterpriseDocument
from tests import factories

from .factories import PDF, EnterpriseDocumentFactory

LICENCE = "/portal/enterprise/licence/"
OVERVIEW = "/portal/enterprise/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def owner_client(client, enterprise_user):
    client.force_login(enterprise_user)
    return client


def set_language(user, language):
    user.language = language
    user.save(update_fields=["language"])


@pytest.mark.parametrize(
    ("language", "missing", "uploaded"),
    [("en", "Missing", "Uploaded"), ("zh-hans", "缺少", "已上传")],
)
def test_the_owner_uploads_the_licence_and_the_task_list_says_so(
    owner_client, enterprise_user, enterprise, language, missing, uploaded
):
    set_language(enterprise_user, language)
    assert missing in owner_client.get(OVERVIEW).content.decode()

    response = owner_client.post(LICENCE, {"file": SimpleUploadedFile("营业执照.pdf", PDF)})

    assert response.status_code == 302, response.context["form"].errors
    document = EnterpriseDocument.objects.get()
    assert (document.enterprise, document.kind, document.uploaded_by) == (
        enterprise,
        "business_licence",
        enterprise_user,
    )
    page = owner_client.get(OVERVIEW).content.decode()
    assert uploaded in page and "营业执照.pdf" in page
    download = owner_client.get(f"/portal/enterprise/documents/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(("language", "words"), [("en", "PDF"), ("zh-hans", "PDF")])
def test_a_file_that_is_not_a_document_is_refused_at_the_field(
    owner_client, enterprise_user, language, words
):
    set_language(enterprise_user, language)

    response = owner_client.post(LICENCE, {"file": SimpleUploadedFile("x.pdf", b"MZ not a pdf")})

    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors["file"])
    assert not EnterpriseDocument.objects.exists()


def test_no_file_is_said_at_the_field(owner_client):
    response = owner_client.post(LICENCE, {})

    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_a_plain_member_sees_the_licence_but_may_not_upload(client, enterprise):
    EnterpriseDocumentFactory(enterprise=enterprise)
    member = factories.UserFactory()
    factories.MembershipFactory(user=member, enterprise=enterprise, role=MembershipRole.MEMBER)
    client.force_login(member)

    page = client.get(LICENCE).content.decode()
    assert "营业执照.pdf" in page and 'type="file"' not in page
    response = client.post(LICENCE, {"file": SimpleUploadedFile("l.pdf", PDF)})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert EnterpriseDocument.objects.count() == 1
