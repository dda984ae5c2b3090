"""Enterprise errors, labels and the admin read in the caller's language: Chinese and English.

Each caller saves the language it asks for and sends it as Accept-Language, so that the answer is
in that language whichever of the two the platform looks at first.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from enterprises import uscc
from enterprises.choices import VerificationStatus
from enterprises.models import Enterprise
from tests import factories
from tests.conftest import client_for

from .conftest import registration

URL = "/api/v1/enterprises/"
CHANGELIST = reverse("admin:enterprises_enterprise_changelist")
VALID = uscc.make("915101180MA6TEXT1")
EXPECTED_CHECK = VALID[17]
WRONG_CHECK = VALID[:17] + uscc.ALPHABET[(uscc.ALPHABET.index(VALID[17]) + 1) % 31]
CJK = re.compile(r"[\u3400-\u9fff]")
LANGUAGES = ["zh-hans", "en"]


def speaking(user, language: str):
    """Save `language` as the user's own and return it, for the Accept-Language header too."""
    user.language = language
    user.save(update_fields=["language"])
    return language


def in_language(text: str, language: str) -> bool:
    return bool(CJK.search(text)) == (language == "zh-hans")


def field_error(response, field: str) -> dict:
    return {error["field"]: error for error in response.json()["errors"]}[field]


# --- the USCC check character ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "校验码（第 18 位）应为"), ("en", "check character")]
)
def test_wrong_check_character_names_the_expected_one(
    signed_up_client, reference_data, language, words
):
    speaking(get_user_model().objects.get(email="founder@example.com"), language)

    response = signed_up_client.post(
        URL, registration(uscc=WRONG_CHECK), format="json", HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 400
    error = field_error(response, "uscc")
    assert error["code"] == "uscc_check_character"
    assert words in error["detail"]
    assert f" {EXPECTED_CHECK}" in error["detail"]
    assert in_language(error["detail"], language)
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_uscc_problem_reads_in_the_language(language):
    problems = ["91510118MA6T", "91510118OMA6TEST1X", "91AB0118MA6TEST1XX", WRONG_CHECK]
    with translation.override(language):
        for value in problems:
            with pytest.raises(uscc.InvalidUSCC) as raised:
                uscc.validate(value)
            assert in_language(str(raised.value), language), str(raised.value)


# --- a duplicate registration ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words", "status"),
    [("zh-hans", "已于", "已核验"), ("en", "is already registered", "Verified")],
)
def test_duplicate_registration_reads_in_the_language(
    signed_up_client, reference_data, language, words, status
):
    factories.EnterpriseFactory(uscc=VALID, name_zh="已注册企业", name_en="Registered Co.")
    speaking(get_user_model().objects.get(email="founder@example.com"), language)

    response = signed_up_client.post(
        URL, registration(), format="json", HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "uscc_already_registered"
    assert body["existing_registration"]["status"] == "verified"  # the machine value stays
    assert words in body["detail"]
    assert status in body["detail"]
    assert "已注册企业 (Registered Co.)" in body["detail"]
    assert in_language(body["detail"].replace("已注册企业", ""), language)


# --- the verification workflow -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [("zh-hans", "驳回企业须填写理由"), ("en", "A reason is required to reject")],
)
def test_reject_without_reason_reads_in_the_language(reviewer, language, words):
    pending = factories.EnterpriseFactory(status="pending", status_changed_at=None)
    client = client_for(reviewer)

    response = client.post(
        f"{URL}{pending.pk}/reject/",
        {"reason": ""},
        format="json",
        HTTP_ACCEPT_LANGUAGE=speaking(reviewer, language),
    )

    assert response.status_code == 400
    assert field_error(response, "reason")["detail"].startswith(words)


@pytest.mark.parametrize(("language", "status"), [("zh-hans", "已核验"), ("en", "Verified")])
def test_wrong_transition_names_the_status_in_the_language(reviewer, enterprise, language, status):
    client = client_for(reviewer)

    response = client.post(
        f"{URL}{enterprise.pk}/verify/",
        {},
        format="json",
        HTTP_ACCEPT_LANGUAGE=speaking(reviewer, language),
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_not_allowed"
    assert body["current_status"] == "verified"
    assert status in body["detail"]
    assert in_language(body["detail"], language)


@pytest.mark.parametrize(("language", "status"), [("zh-hans", "已暂停"), ("en", "Suspended")])
def test_not_verified_gate_names_the_status_in_the_language(language, status):
    from agri_platform.api.errors import PermissionDenied
    from enterprises.services import require_verified

    suspended = Enterprise(status=VerificationStatus.SUSPENDED)
    with translation.override(language), pytest.raises(PermissionDenied) as raised:
        require_verified(suspended)

    assert raised.value.code == "enterprise_not_verified"
    assert raised.value.extra["enterprise_status"] == "suspended"
    assert status in raised.value.detail
    assert in_language(raised.value.detail, language)


# --- the admin -----------------------------------------------------------------------------------


@pytest.fixture
def admin_client_in(reviewer):
    def client_in(language: str) -> tuple[Client, str]:
        client = Client(HTTP_ACCEPT_LANGUAGE=speaking(reviewer, language))
        client.force_login(reviewer)
        return client, language

    return client_in


def test_admin_changelist_of_enterprises_reads_in_chinese(admin_client_in, enterprise):
    client, _ = admin_client_in("zh-hans")

    page = client.get(CHANGELIST).content.decode()

    for text in (
        "企业",  # the model's name
        "统一社会信用代码",  # a column
        "四川省外注册",  # a column and a filter
        "已核验",  # a status label in a row and in the filter
        "核验所选待核验企业",  # an admin action
        "驳回所选待核验企业（需填写理由）",
    ):
        assert text in page, text
    assert "Unified Social Credit Code" not in page
    assert "Verify selected pending enterprises" not in page


def test_admin_changelist_of_enterprises_reads_in_english(admin_client_in, enterprise):
    client, _ = admin_client_in("en")

    page = client.get(CHANGELIST).content.decode()

    for text in ("Unified Social Credit Code", "Verified", "Verify selected pending enterprises"):
        assert text in page, text
    assert "统一社会信用代码" not in page


@pytest.mark.parametrize(
    ("language", "reported"),
    [("zh-hans", "已核验 1 家企业。"), ("en", "Verified 1 enterprise.")],
)
def test_admin_action_reports_in_the_language(admin_client_in, language, reported):
    pending = factories.EnterpriseFactory(status="pending", status_changed_at=None)
    client, _ = admin_client_in(language)

    response = client.post(
        CHANGELIST, {"action": "verify", "_selected_action": [pending.pk]}, follow=True
    )

    assert reported in response.content.decode()


def test_admin_reason_form_reads_in_chinese(admin_client_in):
    pending = factories.EnterpriseFactory(status="pending", status_changed_at=None)
    client, _ = admin_client_in("zh-hans")

    page = client.post(
        CHANGELIST, {"action": "suspend", "_selected_action": [pending.pk]}
    ).content.decode()

    assert "暂停：1 家企业" in page
    assert "待核验" in page  # the enterprise's status label
    assert "理由" in page


# --- the invitation e-mail -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "邀请您以"), ("en", "invites you to join")]
)
def test_invitation_email_is_in_the_invited_persons_language(
    enterprise_client, enterprise, mailoutbox, django_capture_on_commit_callbacks, language, words
):
    invited = factories.UserFactory(email="new-member@example.com")
    speaking(invited, language)

    with django_capture_on_commit_callbacks(execute=True):
        response = enterprise_client.post(
            f"{URL}{enterprise.pk}/invitations/",
            {"email": "new-member@example.com", "role": "member"},
            format="json",
        )

    assert response.status_code == 201, response.content
    (message,) = mailoutbox
    assert words in message.body
    assert response.json()["token"] in message.body
    assert in_language(message.subject.replace(enterprise.name_zh, ""), language)
