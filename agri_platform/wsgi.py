import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agri_platform.settings")

application = get_wsgi_application()

# The loaded application's objects live as long as the process: keep them out of the cyclic
# collector's full passes (cheaper collections while a request allocates 10,000 readings, and no
# copy-on-write of their headers when gunicorn forks a preloaded app).
gc.freeze()
