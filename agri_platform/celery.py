import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agri_platform.settings")

app = Celery("agri_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
