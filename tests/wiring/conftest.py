import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _eager_tasks(settings):
    """The tasks queued on commit run in-process, also in the PostgreSQL + Redis pass (where the
    default is a real broker), so these tests see what the `reports.*` tasks write."""
    from agri_platform.celery import app

    before = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
