import pytest

from .receiver import Receiver


@pytest.fixture(autouse=True)
def _eager_tasks(settings):
    """Unit tests run tasks in-process whatever the environment (the integration tests use a real
    worker); e-mail goes to Django's locmem outbox."""
    from agri_platform.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def allow_local(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture
def receiver(allow_local):
    with Receiver() as running:
        yield running
