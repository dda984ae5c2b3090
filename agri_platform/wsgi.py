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


application = freezing_after_warm_up(get_wsgi_application())

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
