"""Expiry reminders at 90, 30 and 7 days: once per certificate and threshold, one event per
enterprise per day, idempotent when the task runs twice."""

from datetime import date, timedelta

import pytest
from django.conf import settings

from agri_platform.events.models import Event
from certification import services, tasks
from certification.models import ExpiryReminder
from tests import factories
from tests.certification.factories import CertificateFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)


def cert(enterprise, days_left, **kwargs):
    return CertificateFactory(
        enterprise=enterprise,
        issue_date=TODAY - timedelta(days=300),
        expiry_date=TODAY + timedelta(days=days_left),
        **kwargs,
    )


def expiring_events():
    return list(Event.objects.filter(kind="certificate.expiring").order_by("id"))


def test_beat_schedule_runs_the_task_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["certification.expiry"]
    assert entry["task"] == tasks.run_expiry.name == "certification.run_expiry"


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [(91, None), (90, 90), (31, 90), (30, 30), (8, 30), (7, 7), (0, 7), (-1, None)],
)
def test_threshold_buckets(days_left, threshold):
    assert services.reminder_threshold(days_left) == threshold


def test_task_run_twice_sends_each_reminder_once(enterprise):
    in_90 = cert(enterprise, 80)
    in_30 = cert(enterprise, 25)
    in_7 = cert(enterprise, 3)
    cert(enterprise, 200)  # too far away
    tasks.run_expiry.apply(args=[TODAY.isoformat()])
    tasks.run_expiry.apply(args=[TODAY.isoformat()])
    assert set(ExpiryReminder.objects.values_list("certificate_id", "threshold_days")) == {
        (in_90.pk, 90),
        (in_30.pk, 30),
        (in_7.pk, 7),
    }
    events = expiring_events()
    assert len(events) == 1, "one grouped event per enterprise per day"
    payload = events[0].payload
    assert payload["date"] == TODAY.isoformat()
    assert [c["certificate_id"] for c in payload["certificates"]] == [in_7.pk, in_30.pk, in_90.pk]
    assert [c["days_left"] for c in payload["certificates"]] == [3, 25, 80]


def test_each_threshold_once_then_silence(enterprise):
    certificate = cert(enterprise, 95)
    for offset in range(0, 120):  # run every day until past expiry
        services.expiry_reminders_send(today=TODAY + timedelta(days=offset))
    thresholds = [e.payload["certificates"][0]["threshold_days"] for e in expiring_events()]
    assert thresholds == [90, 30, 7]
    reminders = ExpiryReminder.objects.filter(certificate=certificate).order_by("threshold_days")
    assert [(r.threshold_days, (certificate.expiry_date - r.sent_on).days) for r in reminders] == [
        (7, 7),
        (30, 30),
        (90, 90),
    ]


def test_enterprises_get_separate_digests(enterprise, other_enterprise):
    cert(enterprise, 20)
    cert(enterprise, 21)
    cert(other_enterprise, 5)
    sent = services.expiry_reminders_send(today=TODAY)
    assert sent == 3
    events = expiring_events()
    assert sorted(len(e.payload["certificates"]) for e in events) == [1, 2]
    assert {e.enterprise_id for e in events} == {enterprise.pk, other_enterprise.pk}


def test_a_second_run_the_same_day_defers_new_reminders_to_the_next_day(enterprise):
    cert(enterprise, 20)
    services.expiry_reminders_send(today=TODAY)
    late = cert(enterprise, 6)  # issued (or edited) after today's digest went out
    assert services.expiry_reminders_send(today=TODAY) == 0
    assert len(expiring_events()) == 1
    assert services.expiry_reminders_send(today=TODAY + timedelta(days=1)) == 1
    assert expiring_events()[-1].payload["certificates"][0]["certificate_id"] == late.pk


def test_inactive_certificates_get_no_reminder(enterprise):
    cert(enterprise, 20, status="suspended", status_reason="audit")
    cert(enterprise, 20, status="revoked", status_reason="fraud")
    assert services.expiry_reminders_send(today=TODAY) == 0
    assert expiring_events() == []


def test_expire_marks_past_certificates_once(enterprise):
    past = cert(enterprise, -1)
    suspended_past = cert(enterprise, -3, status="suspended", status_reason="audit")
    last_day = cert(enterprise, 0)
    assert services.certificates_expire(today=TODAY) == 2
    assert services.certificates_expire(today=TODAY) == 0
    past.refresh_from_db()
    suspended_past.refresh_from_db()
    last_day.refresh_from_db()
    assert (past.status, suspended_past.status, last_day.status) == ("expired", "expired", "active")
    assert Event.objects.filter(kind="certificate.expired").count() == 2
    assert past.events.get().action == "expire"


def test_reminder_payload_is_routed_to_the_enterprise(enterprise):
    factories.MembershipFactory(enterprise=enterprise)
    cert(enterprise, 30)
    services.expiry_reminders_send(today=TODAY)
    (event,) = expiring_events()
    assert event.enterprise_id == enterprise.pk
    assert event.payload["enterprise_id"] == enterprise.pk
