"""Legal services read in the caller's language: errors in zh-hans and en, the admin in Chinese."""

import pytest

from legal.choices import LegalKind, LegalStatus
from legal.models import MadridDesignation
from tests import factories
from tests.finance.languages import (
    admin_client_in,
    reads_in,
    speaking,
)
from tests.legal.factories import LegalRequestFactory

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/legal/requests/"
LANGUAGES = ["zh-hans", "en"]


def url(pk, action=""):
    return f"{REQUESTS}{pk}/" + (f"{action}/" if action else "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_message_on_a_closed_case(enterprise, enterprise_client, firm, language):
    closed = LegalRequestFactory(
        enterprise=enterprise, assigned_firm=firm, status=LegalStatus.CLOSED, resolution="done"
    )
    response = speaking(enterprise_client, language).post(
        url(closed.pk, "messages"), {"body": "One more thing"}, format="json"
    )
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "transition_not_allowed"
    assert problem["current_status"] == "closed"
    assert reads_in(problem, language), problem


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "只有律师事务所可以添加内部备注。"),
        ("en", "Only the law firm can keep internal notes."),
    ],
    ids=LANGUAGES,
)
def test_enterprise_cannot_keep_internal_notes(enterprise, enterprise_client, language, expected):
    case = LegalRequestFactory(enterprise=enterprise)
    response = speaking(enterprise_client, language).post(
        url(case.pk, "messages"), {"body": "x", "is_internal": True}, format="json"
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["detail"] == expected
    assert reads_in(problem, language), problem


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "只有受指派办理该案件的律师事务所可以执行此操作。"),
        ("en", "Only the law firm assigned to the case may do this."),
    ],
    ids=LANGUAGES,
)
def test_only_the_assigned_firm_starts_the_case(
    enterprise, enterprise_client, firm, language, expected
):
    case = LegalRequestFactory(
        enterprise=enterprise, assigned_firm=firm, status=LegalStatus.ASSIGNED
    )
    response = speaking(enterprise_client, language).post(url(case.pk, "start"))
    assert response.status_code == 403
    assert response.json()["detail"] == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "Test Bank 不是可用的律师事务所。"),
        ("en", "Test Bank is not an active law firm."),
    ],
    ids=LANGUAGES,
)
def test_assigning_a_bank_as_law_firm(enterprise, officer_client, language, expected):
    case = LegalRequestFactory(enterprise=enterprise)
    bank = factories.PartnerFactory(kind="bank", name="Test Bank")
    response = speaking(officer_client, language).post(
        url(case.pk, "assign"), {"firm": bank.pk}, format="json"
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"][0]["field"] == "firm"
    assert problem["errors"][0]["detail"] == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "VN 被重复指定。"), ("en", "VN is designated twice.")],
    ids=LANGUAGES,
)
def test_a_country_designated_twice(enterprise_client, countries, language, expected):
    body = {
        "kind": LegalKind.TRADEMARK_REGISTRATION,
        "title": "Madrid filing",
        "description": "Extend our registration.",
        "trademark": "RUNZHAO",
        "designations": [{"country": "VN"}, {"country": "vn", "nice_classes": [29]}],
    }
    response = speaking(enterprise_client, language).post(REQUESTS, body, format="json")
    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"][0]["code"] == "duplicate"
    assert problem["errors"][0]["detail"] == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "MX 不在该申请的指定国家/地区之列。"),
        ("en", "MX is not designated on this request."),
    ],
    ids=LANGUAGES,
)
def test_designation_update_for_a_country_not_designated(
    enterprise, firm, firm_client, countries, language, expected
):
    case = LegalRequestFactory(
        enterprise=enterprise,
        kind=LegalKind.TRADEMARK_REGISTRATION,
        assigned_firm=firm,
        status=LegalStatus.IN_PROGRESS,
    )
    MadridDesignation.objects.create(request=case, country=countries["VN"], nice_classes=[29])
    response = speaking(firm_client, language).post(
        url(case.pk, "designation"), {"country": "mx", "status": "filed"}, format="json"
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"][0]["field"] == "country"
    assert problem["errors"][0]["detail"] == expected


def test_legal_request_changelist_reads_in_chinese(enterprise, firm):
    LegalRequestFactory(
        enterprise=enterprise,
        kind=LegalKind.TRADEMARK_REGISTRATION,
        assigned_firm=firm,
        status=LegalStatus.AWAITING_CLIENT,
    )
    page = admin_client_in("zh-hans").get("/admin/legal/legalrequest/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in [
        "法律服务申请",
        "法律服务类型",
        "境外商标注册（马德里体系）",
        "等待企业补充",
        "指派的律师事务所",
        "截止日期",
        "提交时长",
    ]:
        assert text in html, text
    assert "Awaiting client" not in html


def test_legal_request_changelist_reads_in_english(enterprise, firm):
    LegalRequestFactory(enterprise=enterprise, assigned_firm=firm, status=LegalStatus.IN_PROGRESS)
    page = admin_client_in("en").get("/admin/legal/legalrequest/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in ["legal request", "Contract review", "In progress", "age since filing"]:
        assert text in html, text
    assert "法律服务类型" not in html


def test_legal_request_change_page_reads_in_chinese(enterprise, firm, countries):
    case = LegalRequestFactory(
        enterprise=enterprise,
        kind=LegalKind.TRADEMARK_REGISTRATION,
        assigned_firm=firm,
        status=LegalStatus.IN_PROGRESS,
    )
    MadridDesignation.objects.create(request=case, country=countries["VN"], nice_classes=[29])
    page = admin_client_in("zh-hans").get(f"/admin/legal/legalrequest/{case.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in ["马德里指定", "尼斯分类", "已申请", "案件留言", "办理中"]:
        assert text in html, text
