"""Ask the API (or the admin) in one language, whichever rung of the negotiation decides it.

A token or session user's saved language may beat `Accept-Language`, so both are set to the
language the test means; an API key without a language of its own follows `Accept-Language`.
"""

import re

from django.test import Client

from tests import factories

CJK = re.compile(r"[\u3400-\u9fff]")


def speaking(client, language: str):
    """`client` (an API or test client) asks in `language` from now on; returns it."""
    user = getattr(client, "user", None)
    if user is not None:
        user.language = language
        user.save(update_fields=["language"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def texts_of(problem: dict) -> list[str]:
    """What a person reads in a problem answer: its detail and each error's detail."""
    return [problem["detail"], *(error["detail"] for error in problem.get("errors", []))]


def reads_in(problem: dict, language: str) -> bool:
    """Every text of `problem` is Chinese (zh-hans) or holds no Chinese at all (en)."""
    chinese = [bool(CJK.search(text)) for text in texts_of(problem)]
    return all(chinese) if language == "zh-hans" else not any(chinese)


def admin_client_in(language: str) -> Client:
    """A platform admin logged into the Django admin, reading it in `language`."""
    user = factories.UserFactory(
        is_staff=True, is_superuser=True, staff_role="platform_admin", language=language
    )
    client = Client()
    client.force_login(user)
    client.user = user
    return speaking(client, language)
