from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages people use (docs/portal.md): the layout, sign-in, forms and lists every app's
    pages build on. Plumbing: it imports no domain app; each app serves its own pages."""

    name = "agri_platform.portal"
    label = "portal"
    verbose_name = _("Portal")
