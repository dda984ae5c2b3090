"""Every page of the partner desks, under /desk/, URL names in the `desk` namespace.

Each app serves its desk pages from `<app>/desk_urls.py`, included here by name (this plumbing
imports no domain app).
"""

from django.urls import include, path

from .desk import DeskHome

app_name = "desk"

urlpatterns = [
    path("", DeskHome.as_view(), name="home"),
    path("", include("finance.desk_urls")),
    path("", include("logistics.desk_urls")),
    path("", include("legal.desk_urls")),
    path("", include("certification.desk_urls")),
    path("", include("trade.desk_urls")),
    path("", include("agri_platform.accounts.desk_urls")),
    path("", include("agri_platform.events.desk_urls")),
]
