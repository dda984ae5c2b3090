from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"

    def ready(self):
        from finance import evidence

        from .evidence import resolve_certificate

        evidence.register("certificate", resolve_certificate)
