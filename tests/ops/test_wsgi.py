"""The WSGI application freezes, after its first requests, what they left for the process's life."""

import pytest

from agri_platform import wsgi


@pytest.fixture
def collector(monkeypatch):
    calls = []
    monkeypatch.setattr(wsgi.gc, "collect", lambda: calls.append("collect"))
    monkeypatch.setattr(wsgi.gc, "freeze", lambda: calls.append("freeze"))
    return calls


def test_after_the_1st_10th_and_100th_request_garbage_is_collected_then_the_rest_frozen(collector):
    app = wsgi.freezing_after_warm_up(lambda environ, start_response: [b"ok"])
    frozen_after = []
    for served in range(1, 151):
        before = len(collector)
        assert app({}, None) == [b"ok"]
        if len(collector) > before:
            frozen_after.append(served)
    assert frozen_after == [1, 10, 100]
    assert collector == ["collect", "freeze"] * 3


def test_a_request_that_fails_counts_too(collector):
    def failing(environ, start_response):
        raise RuntimeError

    app = wsgi.freezing_after_warm_up(failing)
    with pytest.raises(RuntimeError):
        app({}, None)
    assert collector == ["collect", "freeze"]


def test_gunicorn_serves_the_wrapped_django_application():
    from django.core.handlers.wsgi import WSGIHandler

    assert wsgi.application.__closure__ is not None
    wrapped = [cell.cell_contents for cell in wsgi.application.__closure__]
    assert any(isinstance(content, WSGIHandler) for content in wrapped)


def test_the_web_process_collects_its_young_generation_less_often():
    import gc

    assert wsgi.GC_THRESHOLDS[0] >= 10_000
    assert gc.get_threshold() == wsgi.GC_THRESHOLDS
