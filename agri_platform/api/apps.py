from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "agri_platform.api"
    label = "api"
    verbose_name = "API plumbing"

    def ready(self):
        from . import (
            bounds,
            schema,  # noqa: F401  (registers the OpenAPI authentication extensions)
        )

        bounds.install()  # serializer fields refuse values the database cannot hold
