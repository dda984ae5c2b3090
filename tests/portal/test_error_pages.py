"""A page that does not exist, or is not yours, answers in the portal's look and the reader's
language; the API keeps answering problem details."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_missing_page_reads_as_the_portal_in_the_readers_language(client):
    member = factories.MembershipFactory().user
    client.force_login(member)
    response = client.get("/portal/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面没有找到" in page and 'href="/portal/"' in page
    english = client.get("/portal/no-such-page/?lang=en")
    assert "Page not found" in english.content.decode()


def test_the_api_still_answers_problem_details():
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
