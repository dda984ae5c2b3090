"""Certification reads in the request's language: its errors, readiness explanations and the admin
review pages, in Chinese (zh-hans, the default) and in English."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification import catalogue
from certification.models import Scheme
from tests import factories
from tests.certification.factories import CertificateFactory, SubmittedApplicationFactory
from tests.certification.helpers import API, create_application
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")
LANGUAGES = ["zh-hans", "en"]


@pytest.fixture(autouse=True)
def _callers_never_chose_a_language(enterprise_user, reviewer):
    """The factories save "en" as each user's language; these callers chose none, so that the
    request's Accept-Language decides (a saved choice comes first once users can make one)."""
    for user in (enterprise_user, reviewer):
        user.language = ""
        user.save(update_fields=["language"])


def reads(text: str, language: str) -> bool:
    """Chinese text has CJK characters; English text has none."""
    return bool(CJK.search(text)) == (language == "zh-hans")


def problem_texts(body: dict) -> list[str]:
    return [body["detail"], *(error["detail"] for error in body.get("errors", []))]


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_submit_with_missing_documents_names_them_in_the_language(
    enterprise_client, scheme, product, language
):
    application = create_application(enterprise_client, scheme, [product])
    response = enterprise_client.post(
        f"{API}/applications/{application['id']}/submit/", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "documents_missing"
    assert body["missing_documents"] == ["business_licence", "quality_manual"]
    assert [error["field"] for error in body["errors"]] == ["documents"]
    assert all(reads(text, language) for text in problem_texts(body)), body
    expected = (
        ("营业执照", "质量手册") if language == "zh-hans" else ("Business licence", "Quality")
    )
    assert all(name in body["detail"] for name in expected), body["detail"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_only_the_assigned_reviewer_decides_in_the_language(reviewer, language):
    other_reviewer = factories.StaffUserFactory(staff_role="reviewer")
    application = SubmittedApplicationFactory(status="under_review", reviewer=other_reviewer)
    response = client_for(reviewer).post(
        f"{API}/applications/{application.pk}/approve/", {}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "not_assigned_reviewer"
    assert reads(body["detail"], language), body


@pytest.mark.parametrize("language", LANGUAGES)
def test_approve_from_a_wrong_state_is_409_with_its_code(reviewer_client, language):
    application = SubmittedApplicationFactory()  # submitted, not yet claimed
    response = reviewer_client.post(
        f"{API}/applications/{application.pk}/approve/", {}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert response.json()["current_status"] == "submitted"


@pytest.mark.parametrize("language", LANGUAGES)
def test_approve_from_a_wrong_state_reads_in_the_language(reviewer_client, language):
    application = SubmittedApplicationFactory()
    response = reviewer_client.post(
        f"{API}/applications/{application.pk}/approve/", {}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 409
    assert all(reads(text, language) for text in problem_texts(response.json()))


@pytest.mark.parametrize("language", LANGUAGES)
def test_upload_of_a_wrong_file_type_is_415(enterprise_client, scheme, product, language):
    application = create_application(enterprise_client, scheme, [product])
    response = enterprise_client.post(
        f"{API}/applications/{application['id']}/documents/",
        {"kind": "business_licence", "file": _executable()},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 415
    assert "application/pdf" in response.json()["accepted"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_upload_of_a_wrong_file_type_reads_in_the_language(
    enterprise_client, scheme, product, language
):
    application = create_application(enterprise_client, scheme, [product])
    response = enterprise_client.post(
        f"{API}/applications/{application['id']}/documents/",
        {"kind": "business_licence", "file": _executable()},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 415
    assert all(reads(text, language) for text in problem_texts(response.json()))


def _executable():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("scan.pdf", b"MZ\x90\x00exe")


def test_an_unnamed_language_is_chinese(enterprise_client, scheme, product):
    application = create_application(enterprise_client, scheme, [product])
    response = enterprise_client.post(f"{API}/applications/{application['id']}/submit/")
    assert CJK.search(response.json()["detail"])


# --- readiness --------------------------------------------------------------------------------


@pytest.fixture
def caviar_to_usa(enterprise):
    catalogue.load()
    factories.country("US", "United States", ())
    from agri_platform.reference.models import Country

    Country.objects.filter(code="US").update(name_zh="美国")
    from tests.certification.factories import caviar_product

    return caviar_product(enterprise)


def _readiness(client, product, on_date, language):
    response = client.get(
        f"{API}/readiness/",
        {"product": str(product.pk), "destination": "US", "date": on_date.isoformat()},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    return body, {check["code"]: check for check in body["checks"]}


def test_readiness_explains_held_and_missing_in_chinese(
    enterprise, enterprise_client, caviar_to_usa
):
    today = timezone.localdate()
    certificate = CertificateFactory(
        enterprise=enterprise,
        scheme=Scheme.objects.get(code="CITES-EXPORT"),
        expiry_date=today + timedelta(days=100),
    )
    body, checks = _readiness(enterprise_client, caviar_to_usa, today, "zh-hans")
    held = checks["CITES-EXPORT"]
    assert held["name"] == "CITES 允许出口证明书(鲟鱼产品)"
    assert held["explanation"].startswith("已具备：证书 " + certificate.number)
    assert "有效期至" in held["explanation"]
    missing = checks["veterinary_health"]
    assert missing["name"] == "兽医卫生证书"
    assert missing["explanation"] == "缺失：发运前运单须附兽医卫生证书。"
    assert body["destination"]["name"] == "美国"
    assert body["destination"]["name_en"] == "United States"
    assert "不构成法律意见" in body["disclaimer"]


def test_readiness_explains_held_and_missing_in_english(
    enterprise, enterprise_client, caviar_to_usa
):
    today = timezone.localdate()
    certificate = CertificateFactory(
        enterprise=enterprise,
        scheme=Scheme.objects.get(code="CITES-EXPORT"),
        expiry_date=today + timedelta(days=100),
    )
    body, checks = _readiness(enterprise_client, caviar_to_usa, today, "en")
    held = checks["CITES-EXPORT"]
    assert held["name"] == "CITES export permit (sturgeon products)"
    assert held["explanation"].startswith(f"Held: certificate {certificate.number}")
    missing = checks["veterinary_health"]
    assert missing["explanation"] == (
        "Missing: the shipment needs the Veterinary health certificate before dispatch."
    )
    assert body["destination"]["name"] == "United States"
    assert "not legal advice" in body["disclaimer"]
    assert not any(CJK.search(check["explanation"]) for check in body["checks"])


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "即将到期：证书 "), ("en", "Expiring: certificate ")],
)
def test_readiness_explains_an_expiring_certificate(
    enterprise, enterprise_client, caviar_to_usa, language, expected
):
    today = timezone.localdate()
    CertificateFactory(
        enterprise=enterprise,
        scheme=Scheme.objects.get(code="CITES-EXPORT"),
        expiry_date=today + timedelta(days=10),
    )
    _, checks = _readiness(enterprise_client, caviar_to_usa, today + timedelta(days=30), language)
    assert checks["CITES-EXPORT"]["status"] == "expiring"
    assert checks["CITES-EXPORT"]["explanation"].startswith(expected)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "缺失：没有覆盖这些产品的有效"), ("en", "Missing: no certificate of ")],
)
def test_readiness_explains_a_missing_certificate(
    enterprise_client, caviar_to_usa, language, expected
):
    _, checks = _readiness(enterprise_client, caviar_to_usa, timezone.localdate(), language)
    assert checks["CITES-EXPORT"]["status"] == "missing"
    assert checks["CITES-EXPORT"]["explanation"].startswith(expected)


# --- the admin review pages -------------------------------------------------------------------


def _admin(user, language="zh-hans"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_admin_review_page_reads_in_chinese(reviewer):
    application = SubmittedApplicationFactory()
    client = _admin(reviewer)
    url = reverse("admin:certification_application_review", args=[application.pk])
    page = client.get(url).content.decode()
    for text in (
        "审核认证申请",
        "进度记录",
        "作出决定",
        "申请材料",
        "已提交",
        "可执行的操作",
        "认领",
    ):
        assert text in page, text
    for text in ("Timeline", "Decide", "Allowed actions", "Documents"):
        assert text not in page, text

    response = client.post(url, {"action": "claim", "comment": "", "note": ""}, follow=True)
    assert "操作成功。" in response.content.decode()
    response = client.post(url, {"action": "reject", "comment": "", "note": ""})
    assert "驳回须填写理由。" in response.content.decode()


def test_admin_changelist_and_bulk_claim_read_in_chinese(reviewer):
    waiting = [SubmittedApplicationFactory() for _ in range(2)]
    client = _admin(reviewer)
    changelist = reverse("admin:certification_application_changelist")
    page = client.get(changelist).content.decode()
    for text in ("认证申请", "审核时限", "等待时长", "超过 7 天", "认领所选认证申请进行审核"):
        assert text in page, text
    response = client.post(
        changelist,
        {"action": "claim_selected", "_selected_action": [a.pk for a in waiting]},
        follow=True,
    )
    assert "已认领 2 项认证申请。" in response.content.decode()


def test_admin_certificate_status_page_reads_in_chinese(reviewer):
    certificate = CertificateFactory()
    page = _admin(reviewer).get(
        reverse("admin:certification_certificate_status", args=[certificate.pk])
    )
    text = page.content.decode()
    for expected in ("变更状态", "历史", "暂停", "撤销", "有效期"):
        assert expected in text, expected
