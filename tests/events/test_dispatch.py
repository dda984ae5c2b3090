"""The outbox: recorded in the caller's transaction, dispatched after commit, idempotent, swept."""

import fnmatch
import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from agri_platform.accounts.choices import MembershipRole, StaffRole
from agri_platform.events import services, tasks
from agri_platform.events.models import EmailMessage, Event, Notification, WebhookDelivery
from tests.events.factories import payload_for
from tests.factories import (
    MembershipFactory,
    PartnerFactory,
    PartnerUserFactory,
    StaffUserFactory,
    UserFactory,
)

from .factories import WebhookEndpointFactory, verified_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(enterprise):
    owner = MembershipFactory(
        enterprise=enterprise, role=MembershipRole.OWNER, user=UserFactory(language="en")
    ).user
    admin = MembershipFactory(
        enterprise=enterprise, role=MembershipRole.ADMIN, user=UserFactory(language="zh-hans")
    ).user
    member = MembershipFactory(enterprise=enterprise, role=MembershipRole.MEMBER).user
    return owner, admin, member


def test_dispatch_is_queued_on_commit_only(enterprise, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        event = services.record(
            "enterprise.verified", payload=verified_payload(enterprise), enterprise=enterprise
        )
    assert len(callbacks) == 1
    event.refresh_from_db()
    assert event.dispatched_at is None
    callbacks[0]()
    event.refresh_from_db()
    assert event.dispatched_at is not None


def test_a_rolled_back_change_emits_nothing(enterprise, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.record(
            "enterprise.verified", payload=verified_payload(enterprise), enterprise=enterprise
        )
        raise RuntimeError("the service failed after recording")
    assert callbacks == []
    assert not Event.objects.exists()


def test_enterprise_decision_reaches_its_admins_in_their_language(
    enterprise, team, django_capture_on_commit_callbacks
):
    owner, admin, _member = team
    reviewer = StaffUserFactory(staff_role=StaffRole.REVIEWER)
    other_company_owner = MembershipFactory().user
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = services.record(
            "enterprise.verified",
            payload=verified_payload(enterprise),
            enterprise=enterprise,
            actor=reviewer,
            subject=enterprise,
        )
    notified = {n.user_id: n for n in Notification.objects.filter(event=event)}
    assert set(notified) == {owner.pk, admin.pk}  # not the member, not the reviewer (actor)
    assert other_company_owner.pk not in notified
    assert notified[owner.pk].title == f"Enterprise verified: {enterprise.name_en}"
    assert notified[admin.pk].title == f"企业已通过审核：{enterprise.name_zh}"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, admin.email])
    zh_mail = next(m for m in mail.outbox if m.to == [admin.email])
    assert "企业已通过审核" in zh_mail.subject and "您好" in zh_mail.body
    en_mail = next(m for m in mail.outbox if m.to == [owner.email])
    assert en_mail.subject.startswith("[Sichuan Agri-Trade] Enterprise verified")


def test_reviewers_hear_of_new_registrations_and_applications(
    enterprise, django_capture_on_commit_callbacks
):
    reviewer = StaffUserFactory(staff_role=StaffRole.REVIEWER)
    officer = StaffUserFactory(staff_role=StaffRole.OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        services.record(
            "enterprise.registered",
            payload=payload_for("enterprise.registered"),
            enterprise=enterprise,
        )
        services.record(
            "certification.application.submitted",
            payload=payload_for(
                "certification.application.submitted", application_id=7, scheme="iso_22000"
            ),
            enterprise=enterprise,
        )
        services.record(
            "finance.request.submitted",
            payload=payload_for("finance.request.submitted"),
            enterprise=enterprise,
        )
    assert sorted(Notification.objects.filter(user=reviewer).values_list("kind", flat=True)) == [
        "certification.application.submitted",
        "enterprise.registered",
    ]
    assert list(Notification.objects.filter(user=officer).values_list("kind", flat=True)) == [
        "finance.request.submitted"
    ]


def test_partner_people_hear_of_what_is_routed_to_them(
    enterprise, django_capture_on_commit_callbacks
):
    carrier, other = PartnerFactory(), PartnerFactory()
    dispatcher = PartnerUserFactory(partner=carrier)
    outsider = PartnerUserFactory(partner=other)
    from agri_platform.accounts.services import partner_service_user

    robot = partner_service_user(partner=carrier)
    with django_capture_on_commit_callbacks(execute=True):
        event = services.record(
            "shipment.dispatched",
            payload=payload_for("shipment.dispatched", reference="SH-9"),
            enterprise=enterprise,
            partners=[carrier],
        )
    users = set(Notification.objects.filter(event=event).values_list("user_id", flat=True))
    assert dispatcher.pk in users
    assert outsider.pk not in users
    assert robot.pk not in users  # API service accounts have no inbox


def test_dispatch_twice_adds_nothing(enterprise, team, django_capture_on_commit_callbacks):
    endpoint = WebhookEndpointFactory(event_kinds=["enterprise.*"])
    with django_capture_on_commit_callbacks(execute=True):
        event = services.record(
            "enterprise.verified", payload=verified_payload(enterprise), enterprise=enterprise
        )
    counts = (
        Notification.objects.count(),
        EmailMessage.objects.count(),
        WebhookDelivery.objects.filter(endpoint=endpoint).count(),
    )
    assert counts[0] == 2 and counts[2] == 1
    # the guard: a re-delivered task finds the event dispatched
    assert services.event_dispatch(event_id=event.pk) is False
    # even past the guard (say a crash between fan-out and the stamp), unique keys hold
    Event.objects.filter(pk=event.pk).update(dispatched_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_dispatch(event_id=event.pk) is True
    assert (
        Notification.objects.count(),
        EmailMessage.objects.count(),
        WebhookDelivery.objects.filter(endpoint=endpoint).count(),
    ) == counts
    assert len(mail.outbox) == 2


def test_commit_while_broker_is_down_then_the_sweep_dispatches(
    enterprise, team, caplog, django_capture_on_commit_callbacks
):
    from agri_platform.celery import app

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    app.conf.task_always_eager = False
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tasks.dispatch_event, "delay", broker_down)
            with (
                caplog.at_level(logging.WARNING),
                django_capture_on_commit_callbacks(execute=True),
                transaction.atomic(),
            ):
                event = services.record(
                    "enterprise.verified",
                    payload=verified_payload(enterprise),
                    enterprise=enterprise,
                )
    finally:
        app.conf.task_always_eager = True
    assert "could not queue events.dispatch_event" in caplog.text
    event.refresh_from_db()
    assert event.dispatched_at is None  # the change committed; the event waits in the outbox

    assert tasks.sweep_outbox() == 0  # too recent: its own dispatch may still be on the way
    Event.objects.filter(pk=event.pk).update(
        occurred_at=timezone.now() - settings.EVENTS_SWEEP_AFTER - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep_outbox() == 1
    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert Notification.objects.filter(event=event).count() == 2


def test_periodic_tasks_are_scheduled_and_routed():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["events.sweep_outbox"]["task"] == tasks.sweep_outbox.name
    assert schedule["events.send_due_emails"]["task"] == tasks.send_due_emails.name
    assert schedule["webhooks.retry_due"]["task"] == tasks.retry_due_webhooks.name

    def queue_of(name):
        for pattern, route in settings.CELERY_TASK_ROUTES.items():
            if fnmatch.fnmatch(name, pattern):
                return route["queue"]
        return settings.CELERY_TASK_DEFAULT_QUEUE

    assert queue_of(tasks.dispatch_event.name) == "events"
    assert queue_of(tasks.send_email.name) == "events"
    assert queue_of(tasks.deliver_webhook.name) == "webhooks"
    assert queue_of(tasks.retry_due_webhooks.name) == "webhooks"
