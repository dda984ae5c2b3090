from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "agri_platform.analytics"
    label = "analytics"
    verbose_name = "Province dashboard"
