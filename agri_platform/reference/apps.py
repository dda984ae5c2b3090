from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "agri_platform.reference"
    label = "reference"
    verbose_name = "Reference data"
