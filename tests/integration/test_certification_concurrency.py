"""Certification under real concurrency (PostgreSQL): two approvals at once, numbers drawn in
parallel, the expiry task run twice at the same time. Threads, each with its own connection."""

import threading
from datetime import date, timedelta

import pytest
from django.db import close_old_connections, connection

from agri_platform.api.errors import TransitionNotAllowed
from agri_platform.events.models import Event
from certification import services
from certification.models import Certificate, ExpiryReminder
from tests import factories
from tests.certification.factories import (
    CertificateFactory,
    SchemeFactory,
    SubmittedApplicationFactory,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def run_together(*calls):
    """Run the callables in threads released at the same moment; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    close_old_connections()
    return results


def test_two_reviewers_approving_at_once_issue_one_certificate():
    reviewer = factories.StaffUserFactory(staff_role="reviewer")
    officer = factories.StaffUserFactory(staff_role="officer")
    application = SubmittedApplicationFactory(status="under_review", reviewer=reviewer)

    results = run_together(
        lambda: services.application_approve(actor=reviewer, application=application),
        lambda: services.application_approve(actor=officer, application=application),
    )
    issued = [r for r in results if isinstance(r, Certificate)]
    refused = [r for r in results if isinstance(r, TransitionNotAllowed)]
    assert len(issued) == 1 and len(refused) == 1, results
    assert Certificate.objects.filter(application=application).count() == 1
    assert Event.objects.filter(kind="certificate.issued").count() == 1
    assert Event.objects.filter(kind="certification.application.approved").count() == 1


def test_numbers_drawn_in_parallel_are_distinct_and_consecutive():
    scheme = SchemeFactory(certificate_prefix="PAR")
    enterprise = factories.EnterpriseFactory()

    def issue():
        return services.certificate_record(
            actor=None, enterprise=enterprise, scheme=scheme, issue_date=date(2026, 5, 1)
        ).number

    numbers = run_together(*[issue for _ in range(6)])
    assert all(isinstance(n, str) for n in numbers), numbers
    assert sorted(n.split("-")[2] for n in numbers) == [f"{i:06d}" for i in range(1, 7)]


def test_expiry_task_run_twice_concurrently_sends_each_reminder_once():
    today = date(2026, 3, 1)
    enterprises = [factories.EnterpriseFactory() for _ in range(3)]
    for enterprise in enterprises:
        for days in (5, 20, 60):
            CertificateFactory(
                enterprise=enterprise,
                issue_date=today - timedelta(days=300),
                expiry_date=today + timedelta(days=days),
            )
    results = run_together(
        lambda: services.expiry_reminders_send(today=today),
        lambda: services.expiry_reminders_send(today=today),
    )
    assert sorted(results) == [0, 9], results
    assert ExpiryReminder.objects.count() == 9
    assert Event.objects.filter(kind="certificate.expiring").count() == 3


def test_real_worker_runs_the_expiry_task(celery_worker):
    from certification.tasks import run_expiry
    from tests.integration.conftest import wait_for

    today = date(2026, 3, 1)
    certificate = CertificateFactory(
        issue_date=today - timedelta(days=300), expiry_date=today + timedelta(days=25)
    )
    run_expiry.delay(today.isoformat())
    run_expiry.delay(today.isoformat())
    wait_for(
        lambda: ExpiryReminder.objects.filter(certificate=certificate).exists(),
        message="the worker to send the reminder",
    )
    wait_for(
        lambda: (
            sum(
                "certification.run_expiry" in line and "succeeded" in line
                for line in celery_worker.output().splitlines()
            )
            >= 2
        ),
        message="both task runs to finish",
    )
    assert ExpiryReminder.objects.filter(certificate=certificate).count() == 1
    assert Event.objects.filter(kind="certificate.expiring").count() == 1
