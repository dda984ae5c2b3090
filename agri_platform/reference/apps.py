from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "agri_platform.reference"
    label = "reference"
    verbose_name = _("Reference data")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import caching, models

        # Cache invalidation is cross-cutting: any write to reference data bumps the version.
        for model in (
            models.Country,
            models.Currency,
            models.Location,
            models.HSCode,
            models.Prefecture,
            models.ColdChainProfile,
            models.SupplySeason,
        ):
            post_save.connect(caching.bump, sender=model, dispatch_uid=f"refcache-{model.__name__}")
            post_delete.connect(
                caching.bump, sender=model, dispatch_uid=f"refcache-del-{model.__name__}"
            )
