from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "agri_platform.api"
    label = "api"
    verbose_name = "API plumbing"

    def ready(self):
        from . import schema  # noqa: F401  (registers the OpenAPI authentication extensions)
