"""Desk pages (names in the `desk` namespace; see agri_platform/portal/desk.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.desk import DeskPage

urlpatterns = [
    path(
        "applications/",
        DeskPage.as_view(title=_("Certification applications"), section="desk:applications"),
        name="applications",
    ),
]
