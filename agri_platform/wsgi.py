import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agri_platform.settings")

# After these requests of a process, what is left is frozen again (below).
FREEZE_AFTER_REQUESTS = frozenset({1, 10, 100})


def freezing_after_warm_up(app):
    """`app`, which moves the objects left after its first requests out of the cyclic collector's
    reach (`gc.freeze`), as it was done for the loaded application at start.

    The first requests load much lazily (URL resolvers, serializers' fields, translations, the
    schema) that then lives as long as the process. Left in the collector's oldest generation, it
    was traversed by every full collection, which a request allocating a 10,000-reading batch
    sets off: 17 ms per such request in a gunicorn worker, 2 ms once frozen
    (docs/benchmarks.md). Cyclic garbage is collected first, so none of it is kept."""
    served = 0

    def application(environ, start_response):
        nonlocal served
        try:
            return app(environ, start_response)
        finally:
            served += 1
            if served in FREEZE_AFTER_REQUESTS:
                gc.collect()
                gc.freeze()

    return application


class _CollectingWhenClosed:
    """A response that, once the server has sent it and closes it, lets go of it and collects
    (`collect_after_response`)."""

    def __init__(self, response):
        self._response = response

    def __iter__(self):
        return iter(self._response)

    def close(self):
        # The server holds this wrapper until it is done: without the response (and through it
        # the request, its parsed body, the view), the collection frees them instead of moving
        # them on to older generations.
        response, self._response = self._response, None
        try:
            close = getattr(response, "close", None)
            if close is not None:
                close()
        finally:
            del response
            collect_after_response()


def collect_after_response() -> None:
    """The young and middle generations, and every GC_THRESHOLDS[2]-th time the oldest one too,
    as the collector itself would: collections run here instead of on allocation, so its own
    schedule (which starts from the young generation's count) no longer comes round. The middle
    one is collected with the young one because what a request's last objects referred to when
    it closed (the server's request and environ among them) is garbage by the next response: left
    in the middle generation, it kept each batch's body alive (~5 MB) until a full collection."""
    young, _middle, collections_since_full = gc.get_count()
    if young < YOUNG_AFTER_RESPONSE:
        return
    gc.collect(2 if collections_since_full >= GC_THRESHOLDS[2] else 1)


def collecting_after_response(app):
    """`app`, whose garbage is collected after a response is sent rather than while a request
    runs.

    A collection falls on whichever allocation crosses the threshold: every third 10,000-reading
    batch paid one in the middle of its work, traversing the batch's live rows (4–10 ms in a
    gunicorn worker, docs/benchmarks.md). When the server closes the response, the request's rows
    are gone (freed by their reference counts) and the collection finds only what the request
    left: 0.3–0.5 ms, after the client has its answer. A file handed to the server's
    `wsgi.file_wrapper` (sendfile) is returned as it is."""

    def application(environ, start_response):
        response = app(environ, start_response)
        file_wrapper = environ.get("wsgi.file_wrapper")
        if file_wrapper is not None and isinstance(response, file_wrapper):
            return response
        return _CollectingWhenClosed(response)

    return application


application = collecting_after_response(freezing_after_warm_up(get_wsgi_application()))

# The loaded application's objects live as long as the process: keep them out of the cyclic
# collector's full passes (cheaper collections while a request allocates 10,000 readings, and no
# copy-on-write of their headers when gunicorn forks a preloaded app).
gc.freeze()
# A young generation of 50,000 objects instead of 700: a 10,000-reading batch's rows (dicts,
# tuples, no cycles, freed by their reference counts when the request ends) no longer set off
# about 90 collections that move them on to older generations, only to traverse them again
# there: 4.3 → 1.5 ms of collection per batch in a gunicorn worker (docs/benchmarks.md).
GC_THRESHOLDS = (50_000, 20, 20)
gc.set_threshold(*GC_THRESHOLDS)
# What a small request leaves is left to the next collection.
YOUNG_AFTER_RESPONSE = 5_000
