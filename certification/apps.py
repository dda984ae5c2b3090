from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"

    def ready(self):
        from enterprises import certificates
        from finance import evidence

        from .evidence import resolve_certificate
        from .selectors import valid_certificates

        evidence.register("certificate", resolve_certificate)
        certificates.register(valid_certificates)
