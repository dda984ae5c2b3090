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

    def wrapped(app):
        return [cell.cell_contents for cell in app.__closure__ or ()]

    (warming_up,) = [content for content in wrapped(wsgi.application) if callable(content)]
    assert warming_up.__qualname__ == "freezing_after_warm_up.<locals>.application"
    assert any(isinstance(content, WSGIHandler) for content in wrapped(warming_up))


class Response:
    def __init__(self, calls):
        self.calls = calls

    def __iter__(self):
        return iter([b"ok"])

    def close(self):
        self.calls.append("response closed")


@pytest.fixture
def young(monkeypatch):
    """The young generation's count the wrapper sees, and the collections it asks for."""
    state = {"count": 0, "full_after": 0, "calls": []}
    monkeypatch.setattr(wsgi.gc, "get_count", lambda: (state["count"], 0, state["full_after"]))
    monkeypatch.setattr(wsgi.gc, "collect", lambda generation=2: state["calls"].append(generation))
    return state


def test_the_young_generation_is_collected_once_the_response_is_sent(young):
    calls = young["calls"]
    app = wsgi.collecting_after_response(lambda environ, start_response: Response(calls))
    response = app({}, None)
    young["count"] = wsgi.YOUNG_AFTER_RESPONSE
    assert list(response) == [b"ok"]
    assert calls == []  # nothing while the server sends the body
    response.close()
    assert calls == ["response closed", 1]  # the young and the middle generation


def test_every_so_many_collections_after_responses_the_oldest_generation_is_collected(young):
    app = wsgi.collecting_after_response(lambda environ, start_response: [b"ok"])
    young["count"] = wsgi.YOUNG_AFTER_RESPONSE
    young["full_after"] = wsgi.GC_THRESHOLDS[2] - 1
    app({}, None).close()
    young["full_after"] = wsgi.GC_THRESHOLDS[2]
    app({}, None).close()
    assert young["calls"] == [1, 2]


def test_a_request_that_left_little_is_not_collected_after(young):
    calls = young["calls"]
    app = wsgi.collecting_after_response(lambda environ, start_response: Response(calls))
    young["count"] = wsgi.YOUNG_AFTER_RESPONSE - 1
    response = app({}, None)
    response.close()
    assert calls == ["response closed"]


def test_collected_after_a_response_whose_close_fails_and_one_without_close(young):
    class Failing(Response):
        def close(self):
            raise OSError("client went away")

    young["count"] = wsgi.YOUNG_AFTER_RESPONSE
    app = wsgi.collecting_after_response(lambda environ, start_response: Failing([]))
    with pytest.raises(OSError):
        app({}, None).close()
    app = wsgi.collecting_after_response(lambda environ, start_response: [b"plain"])
    response = app({}, None)
    assert list(response) == [b"plain"]
    response.close()
    assert young["calls"] == [1, 1]


def test_a_file_for_the_servers_sendfile_is_handed_over_as_it_is(young):
    class FileWrapper:
        def __init__(self, filelike, block_size=8192):
            self.filelike = filelike

    file_response = FileWrapper(object())
    app = wsgi.collecting_after_response(lambda environ, start_response: file_response)
    assert app({"wsgi.file_wrapper": FileWrapper}, None) is file_response


def test_the_web_process_collects_its_young_generation_less_often():
    import gc

    assert wsgi.GC_THRESHOLDS[0] >= 10_000
    assert gc.get_threshold() == wsgi.GC_THRESHOLDS


def test_a_requests_cyclic_garbage_is_freed_when_its_response_is_closed(monkeypatch):
    import gc
    import weakref

    monkeypatch.setattr(wsgi, "YOUNG_AFTER_RESPONSE", 0)
    freed = []

    class Body:
        pass

    def app(environ, start_response):
        view = {"body": Body()}
        view["request"] = {"view": view}  # a cycle, as DRF's view and request make one
        weakref.finalize(view["body"], freed.append, "body")
        return [b"ok"]

    gc.disable()  # only the wrapper collects during the test
    try:
        response = wsgi.collecting_after_response(app)({}, None)
        assert list(response) == [b"ok"] and freed == []
        response.close()
        assert freed == ["body"]
    finally:
        gc.enable()
