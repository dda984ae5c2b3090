from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "agri_platform.api"
    label = "api"
    verbose_name = _("API plumbing")

    def ready(self):
        from . import (
            bounds,
            schema,  # noqa: F401  (registers the OpenAPI authentication extensions)
        )

        bounds.install()  # serializer fields refuse values the database cannot hold
