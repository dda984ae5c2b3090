"""The portal inbox (journey 9) and the pages e-mail links lead to.

The inbox reads the person's notifications through the selectors and writes through the services
the notifications API calls; each notification leads to its portal page by the one map the
e-mails use too (`email_content.portal_path`)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation

from agri_platform.accounts.choices import MembershipRole
from agri_platform.events import catalogue, email_content, emails
from agri_platform.events.models import EmailMessage, Notification
from tests.events.factories import EventFactory, NotificationFactory, payload_for
from tests.factories import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    PartnerUserFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

INBOX = reverse("portal:inbox")


@pytest.fixture
def member():
    return MembershipFactory(role=MembershipRole.OWNER, user__language="en").user


def shipment_notification(user, *, shipment_id=41, reference="SH-2026-0815", read=False):
    payload = payload_for("shipment.dispatched", shipment_id=shipment_id, reference=reference)
    event = EventFactory(kind="shipment.dispatched", payload=payload)
    notification = NotificationFactory(user=user, event=event)
    if read:
        Notification.objects.filter(pk=notification.pk).update(read_at=event.occurred_at)
    return notification


def signed_in(client, user):
    client.force_login(user)
    return client


# --- the page ------------------------------------------------------------------------------------


def test_the_inbox_lists_the_persons_notifications_in_their_language_with_the_unread_count(
    client, member
):
    shipment_notification(member, reference="SH-MINE")
    shipment_notification(member, reference="SH-OLD", read=True)
    shipment_notification(UserFactory(), reference="SH-THEIRS")
    html = signed_in(client, member).get(INBOX).content.decode()
    assert "Shipment SH-MINE dispatched" in html and "SH-OLD" in html
    assert "SH-THEIRS" not in html
    assert "You have 1 unread notification." in html
    assert "2 notifications" in html

    member.language = "zh-hans"
    member.save(update_fields=["language"])
    html = client.get(INBOX).content.decode()
    with translation.override("zh-hans"):
        title = catalogue.title_for(
            "shipment.dispatched",
            payload_for("shipment.dispatched", reference="SH-MINE"),
            "zh-hans",
        )
    assert title in html  # re-read in the page's language, whatever the stored title says
    assert "您有 1 条未读通知。" in html


def test_the_unread_filter_is_in_the_address(client, member):
    shipment_notification(member, reference="SH-NEW")
    shipment_notification(member, reference="SH-OLD", read=True)
    html = signed_in(client, member).get(INBOX, {"show": "unread"}).content.decode()
    assert "SH-NEW" in html and "SH-OLD" not in html
    assert "1 notification" in html


def test_an_empty_inbox_says_what_will_arrive_there(client, member):
    html = signed_in(client, member).get(INBOX).content.decode()
    assert "No notifications yet." in html
    html = client.get(INBOX, {"show": "unread"}).content.decode()
    assert "Nothing unread: you are up to date." in html


def test_each_notification_opens_its_page_and_is_then_read(client, member):
    notification = shipment_notification(member, shipment_id=41)
    html = signed_in(client, member).get(INBOX).content.decode()
    open_url = reverse("portal:inbox-open", args=[notification.pk])
    assert f'href="{open_url}"' in html
    response = client.get(open_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:shipment", args=[41])
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_one_read_with_htmx_swaps_its_row_and_the_count(client, member):
    first = shipment_notification(member)
    shipment_notification(member)
    response = signed_in(client, member).post(
        reverse("portal:inbox-read", args=[first.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<tr id="notification-{first.pk}"')
    assert ">Read<" in html and "Mark as read" not in html
    assert 'id="inbox-unread" hx-swap-oob="true"' in html
    assert "You have 1 unread notification." in html
    first.refresh_from_db()
    assert first.read_at is not None


def test_marking_one_read_without_javascript_comes_back_to_the_inbox(client, member):
    notification = shipment_notification(member)
    response = signed_in(client, member).post(
        reverse("portal:inbox-read", args=[notification.pk]), {"next": f"{INBOX}?show=unread"}
    )
    assert response.status_code == 302 and response["Location"] == f"{INBOX}?show=unread"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_all_read_calls_the_apis_service_and_says_how_many(client, member):
    for _ in range(3):
        shipment_notification(member)
    other = shipment_notification(UserFactory())
    response = signed_in(client, member).post(reverse("portal:inbox-read-all"), follow=True)
    html = response.content.decode()
    assert "3 notifications marked as read." in html
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_someone_elses_notification_is_not_found(client, member):
    theirs = shipment_notification(UserFactory())
    signed_in(client, member)
    assert client.get(reverse("portal:inbox-open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("portal:inbox-read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def queries_of(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_the_inbox_reads_a_page_of_notifications_in_a_constant_number_of_queries(client, member):
    for _ in range(3):
        shipment_notification(member)
    signed_in(client, member).get(INBOX)  # warm the session and the content types
    few = queries_of(client, INBOX)
    for _ in range(15):
        shipment_notification(member)
    assert queries_of(client, INBOX) == few


# --- one map from an event to its portal page ---------------------------------------------------

EXPORTER_AUDIENCES = {"enterprise_admins", "enterprise_members"}
EXPORTER_KINDS = [
    entry.kind for entry in catalogue.CATALOGUE_ENTRIES if EXPORTER_AUDIENCES & set(entry.notify)
]
PAGE_OF = {
    "enterprise.verified": "portal:enterprise",
    "enterprise.member_joined": "portal:members",
    "certification.application.changes_requested": "portal:application",
    "certificate.suspended": "portal:certificate",
    "shipment.temperature_excursion.started": "portal:shipment",
    "finance.offer.received": "portal:finance-request",
    "finance.request.disbursed": "portal:finance-request",
    "legal.message.posted": "portal:legal-case",
}


@pytest.mark.parametrize("kind", EXPORTER_KINDS)
def test_every_kind_an_exporter_is_told_of_leads_to_a_portal_page(kind):
    path = email_content.portal_path(kind, payload_for(kind, certificates=[]))
    assert path.startswith("/portal/")
    match = resolve(path)
    assert match.namespace == "portal"
    if kind in PAGE_OF:
        assert f"portal:{match.url_name}" == PAGE_OF[kind]


def test_an_expiry_reminder_leads_to_the_certificate_or_to_the_certification_page():
    one = payload_for("certificate.expiring", certificates=[{"certificate_id": 5}])
    two = payload_for("certificate.expiring", certificates=[{"certificate_id": 5}, {"x": 1}])
    assert email_content.portal_path("certificate.expiring", one) == reverse(
        "portal:certificate", args=[5]
    )
    assert email_content.portal_path("certificate.expiring", two) == reverse("portal:certification")


def test_partner_kinds_have_no_portal_page():
    for kind in ("partner.user_created", "webhook.endpoint.disabled"):
        assert email_content.portal_path(kind, payload_for(kind)) == ""


# --- e-mails lead to the same pages --------------------------------------------------------------


def email_for(user, kind, payload):
    event = EventFactory(kind=kind, payload=payload)
    notification = NotificationFactory(user=user, event=event)
    return emails._render(EmailMessage(user=user, kind=kind), [notification])[1]


def test_an_exporters_email_links_the_portal_page_the_inbox_and_the_settings(member):
    payload = payload_for("shipment.dispatched", shipment_id=41)
    body = email_for(member, "shipment.dispatched", payload)
    assert email_content.absolute(reverse("portal:shipment", args=[41])) in body
    assert email_content.absolute(reverse("portal:inbox")) in body
    assert email_content.absolute(reverse("portal:preferences")) in body
    assert "/api/v1/" not in body


@pytest.mark.parametrize("factory", [PartnerUserFactory, StaffUserFactory])
def test_partners_and_staff_keep_the_api_links(factory):
    user = factory(language="en")
    payload = payload_for("shipment.dispatched", shipment_id=41)
    body = email_for(user, "shipment.dispatched", payload)
    assert email_content.link("shipment.dispatched", payload) in body
    assert "/portal/" not in body


def test_a_signed_out_reader_of_an_email_link_signs_in_and_lands_on_the_page(client, member):
    from tests.logistics.factories import ShipmentFactory

    shipment = ShipmentFactory(enterprise=member.memberships.get().enterprise)
    payload = payload_for("shipment.dispatched", shipment_id=shipment.pk)
    link = email_content.link_for(member, "shipment.dispatched", payload)
    path = link.removeprefix(email_content.absolute(""))
    response = client.get(path)
    assert response.status_code == 302
    login = f"{reverse('portal:login')}?next={path}"
    assert response["Location"] == login
    response = client.post(login, {"username": member.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response["Location"] == path
    assert client.get(path).status_code == 200
