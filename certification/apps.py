from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self):
        from enterprises import certificates
        from finance import evidence

        from .evidence import certificates_now, resolve_certificate
        from .selectors import valid_certificates

        evidence.register("certificate", resolve_certificate)
        evidence.register_current("certificate", certificates_now)
        certificates.register(valid_certificates)
