"""Read the links that account e-mails carry, as a person would click them."""

import re

from django.core import mail

LINK = re.compile(
    r"https?://\S+/account/(?P<page>reset|confirm-email)/(?P<uid>[^/\s]+)/(?P<token>[^/\s]+)/"
)


def link_in_last_email(to: str, page: str) -> dict:
    """{"url", "uid", "token"} of the last e-mail to `to` that links to `page`."""
    for message in reversed(mail.outbox):
        if to in message.to:
            found = LINK.search(message.body)
            if found and found["page"] == page:
                return {"url": found[0], "uid": found["uid"], "token": found["token"]}
    raise AssertionError(f"no e-mail to {to} links to /account/{page}/")


def confirm_email(client, email: str) -> None:
    """Open the confirmation link we e-mailed to `email` (through the API)."""
    link = link_in_last_email(email, "confirm-email")
    response = client.post(
        "/api/v1/auth/email-confirmation/",
        {"uid": link["uid"], "token": link["token"]},
        format="json",
    )
    assert response.status_code == 204, response.content
