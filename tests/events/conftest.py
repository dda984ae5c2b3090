import pytest

from .receiver import Receiver


@pytest.fixture(autouse=True)
def _eager_tasks(eager_tasks, settings):
    """Unit tests run tasks in-process whatever the environment (the integration tests use a real
    worker); e-mail goes to Django's locmem outbox."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def allow_local(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture
def receiver(allow_local):
    with Receiver() as running:
        yield running
