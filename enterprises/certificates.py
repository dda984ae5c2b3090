"""Where the directory and the enterprise filters read certificates in force.

Certification owns certificates and the rule for "in force"; it registers its selector here when it
starts (`certification/apps.py`), so the dependency runs one way: certification → enterprises.
"""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

CertificatesInForce = Callable[..., QuerySet]

_source: CertificatesInForce | None = None


def register(certificates_in_force: CertificatesInForce) -> None:
    """Install `certificates_in_force(on=None)`: the certificates in force on a day (default today)."""
    global _source
    _source = certificates_in_force


def in_force(on: date | None = None) -> QuerySet:
    if _source is None:
        raise ImproperlyConfigured("No app registered the certificates in force (certification).")
    return _source(on)
