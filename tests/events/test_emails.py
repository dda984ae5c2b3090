"""E-mail: the recipient's language, mute, digest, and the QUEUED → SENDING → SENT guard."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from agri_platform.accounts.choices import MembershipRole
from agri_platform.api.errors import ValidationFailed
from agri_platform.events import emails, services, tasks
from agri_platform.events.choices import EmailStatus
from agri_platform.events.models import EmailMessage, Notification
from tests.events.factories import payload_for
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(enterprise):
    return MembershipFactory(
        enterprise=enterprise,
        role=MembershipRole.OWNER,
        user=UserFactory(full_name="Li Wei", language="en"),
    ).user


def status_changed(enterprise, n):
    return services.record(
        "shipment.status_changed",
        payload=payload_for("shipment.status_changed", reference=f"SH-{n}", status="in_transit"),
        enterprise=enterprise,
    )


def test_muted_kinds_reach_the_inbox_but_not_the_mailbox(
    enterprise, owner, django_capture_on_commit_callbacks
):
    services.preferences_update(user=owner, email_muted_kinds=["shipment.*"])
    with django_capture_on_commit_callbacks(execute=True):
        status_changed(enterprise, 1)
        services.record(
            "certificate.expiring",
            payload=payload_for("certificate.expiring"),
            enterprise=enterprise,
        )
    assert Notification.objects.filter(user=owner).count() == 2
    assert [m.subject for m in mail.outbox] == ["[Sichuan Agri-Trade] Certificates expiring soon"]


def test_muting_an_unknown_kind_is_refused(owner):
    with pytest.raises(ValidationFailed) as caught:
        services.preferences_update(user=owner, email_muted_kinds=["shipment.teleported"])
    assert caught.value.field == "email_muted_kinds"


def test_many_events_of_one_kind_in_the_window_become_one_digest(
    enterprise, owner, django_capture_on_commit_callbacks
):
    for n in range(1, 6):
        with django_capture_on_commit_callbacks(execute=True):
            status_changed(enterprise, n)  # each one committed, dispatched and mailed in turn
    with django_capture_on_commit_callbacks(execute=True):
        services.record(
            "certificate.expiring",
            payload=payload_for("certificate.expiring"),
            enterprise=enterprise,
        )
    # the first status change went out at once; the other four wait for the window; the other
    # kind has its own e-mail
    assert len(mail.outbox) == 2
    digest = EmailMessage.objects.get(user=owner, status=EmailStatus.QUEUED)
    assert digest.kind == "shipment.status_changed"
    assert digest.notifications.count() == 4
    first = EmailMessage.objects.get(user=owner, kind="shipment.status_changed", status="sent")
    assert digest.send_after == first.sending_started_at + timedelta(minutes=10)

    assert tasks.send_due_emails() == 0  # not due yet
    EmailMessage.objects.filter(pk=digest.pk).update(send_after=timezone.now())
    assert tasks.send_due_emails() == 1
    assert len(mail.outbox) == 3
    message = mail.outbox[-1]
    assert message.to == [owner.email]
    assert message.subject == "[Sichuan Agri-Trade] 4 updates: Shipment SH-2: in_transit and more"
    for n in range(2, 6):
        assert f"Shipment SH-{n}: in_transit" in message.body
    assert "Shipment SH-1:" not in message.body


def test_a_burst_dispatched_before_the_mail_goes_out_joins_it(
    enterprise, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(1, 6):
            status_changed(enterprise, n)  # five dispatches run before the first send_email
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[Sichuan Agri-Trade] 5 updates: Shipment SH-1")
    assert EmailMessage.objects.get().notifications.count() == 5


def test_after_the_window_the_next_event_goes_out_at_once(
    enterprise, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        status_changed(enterprise, 1)
    EmailMessage.objects.update(sending_started_at=timezone.now() - timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        status_changed(enterprise, 2)
    assert len(mail.outbox) == 2


def _queued_email(enterprise, owner, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(services, "_queue_fan_out", lambda *args: None)
    with django_capture_on_commit_callbacks(execute=True):
        status_changed(enterprise, 1)
    return EmailMessage.objects.get(user=owner)


def test_a_task_run_twice_sends_once(
    enterprise, owner, django_capture_on_commit_callbacks, monkeypatch
):
    email = _queued_email(enterprise, owner, django_capture_on_commit_callbacks, monkeypatch)
    assert email.status == EmailStatus.QUEUED
    assert tasks.send_email(email.pk) is True
    assert tasks.send_email(email.pk) is False
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.sent_at is not None


def test_a_message_left_sending_by_a_lost_worker_is_never_resent(
    enterprise, owner, django_capture_on_commit_callbacks, monkeypatch
):
    email = _queued_email(enterprise, owner, django_capture_on_commit_callbacks, monkeypatch)
    # a worker took it (SENDING committed) and died before it could write SENT
    EmailMessage.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, sending_started_at=timezone.now() - timedelta(minutes=20)
    )
    assert tasks.send_email(email.pk) is False  # the redelivered task message
    assert tasks.send_due_emails() == 0
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert "not resent" in email.error
    assert mail.outbox == []


def test_a_failed_send_is_retried_later(
    enterprise, owner, django_capture_on_commit_callbacks, monkeypatch
):
    email = _queued_email(enterprise, owner, django_capture_on_commit_callbacks, monkeypatch)

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server unreachable")

    with monkeypatch.context() as patch:
        patch.setattr(emails, "send_mail", smtp_down)
        assert tasks.send_email(email.pk) is False
    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED
    assert email.attempts == 1 and "SMTP server unreachable" in email.error
    assert email.send_after > timezone.now()
    assert tasks.send_email(email.pk) is False  # not due yet
    EmailMessage.objects.filter(pk=email.pk).update(send_after=timezone.now())
    assert tasks.send_due_emails() == 1
    assert len(mail.outbox) == 1


def test_service_accounts_and_muted_users_get_no_email_row(
    enterprise, owner, django_capture_on_commit_callbacks
):
    services.preferences_update(user=owner, email_muted_kinds=["*"])
    with django_capture_on_commit_callbacks(execute=True):
        status_changed(enterprise, 1)
    assert not EmailMessage.objects.exists()
    assert Notification.objects.get(user=owner).email_id is None
