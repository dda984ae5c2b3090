"""Desk pages (names in the `desk` namespace; see agri_platform/portal/desk.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from agri_platform.portal.desk import DeskPage

urlpatterns = [
    path("cases/", DeskPage.as_view(title=_("Legal cases"), section="desk:cases"), name="cases"),
]
