from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "agri_platform.api"
    label = "api"
    verbose_name = "API plumbing"
