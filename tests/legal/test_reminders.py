from datetime import timedelta

import pytest
from django.utils import timezone

from agri_platform.events.models import Event
from legal import services
from legal.choices import LegalStatus
from legal.models import DeadlineReminder
from legal.tasks import deadline_reminders
from tests.legal.factories import LawFirmFactory, LegalRequestFactory

pytestmark = pytest.mark.django_db


def reminders():
    return Event.objects.filter(kind="legal.request.deadline_reminder")


def test_one_reminder_per_threshold_and_idempotent():
    today = timezone.localdate()
    firm = LawFirmFactory()
    case = LegalRequestFactory(
        deadline=today + timedelta(days=10), assigned_firm=firm, status=LegalStatus.IN_PROGRESS
    )
    assert services.deadline_reminders_send(today=today) == 0

    day = today + timedelta(days=4)  # 6 days left: the 7-day reminder
    assert services.deadline_reminders_send(today=day) == 1
    assert services.deadline_reminders_send(today=day) == 0
    assert reminders().count() == 1
    event = reminders().get()
    assert event.payload["threshold_days"] == 7
    assert list(event.partners.all()) == [firm]
    assert event.enterprise_id == case.enterprise_id

    assert services.deadline_reminders_send(today=today + timedelta(days=7)) == 1  # 3 days left
    assert services.deadline_reminders_send(today=today + timedelta(days=9)) == 1  # 1 day left
    assert services.deadline_reminders_send(today=today + timedelta(days=9)) == 0
    assert sorted(DeadlineReminder.objects.values_list("threshold_days", flat=True)) == [1, 3, 7]


def test_late_filing_gets_a_single_reminder_not_a_storm():
    today = timezone.localdate()
    LegalRequestFactory(deadline=today + timedelta(days=1))
    assert services.deadline_reminders_send(today=today) == 1
    assert reminders().get().payload["threshold_days"] == 1
    assert DeadlineReminder.objects.count() == 3  # 7 and 3 marked as passed
    assert services.deadline_reminders_send(today=today) == 0


def test_closed_cases_and_cases_without_deadline_are_left_alone():
    today = timezone.localdate()
    LegalRequestFactory(deadline=today + timedelta(days=2), status=LegalStatus.CLOSED)
    LegalRequestFactory(deadline=None)
    assert deadline_reminders.apply().get() == 0


def test_beat_schedule_has_the_reminder_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["legal.deadline_reminders"]
    assert entry["task"] == "legal.deadline_reminders"
