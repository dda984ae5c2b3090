"""Every page of the portal, under /portal/ (the API stays under /api/v1/).

Each app serves its own pages from `<app>/portal_urls.py`, included here by name (a dotted string,
so this plumbing imports no domain app); every page's URL name is in the `portal` namespace.
"""

from django.urls import include, path

from . import views

app_name = "portal"

urlpatterns = [
    path("login/", views.LoginPage.as_view(), name="login"),
    path("logout/", views.LogoutPage.as_view(), name="logout"),
    path("language/", views.choose_language, name="language"),
    path("enterprise/switch/", views.choose_enterprise, name="enterprise-switch"),
    path("", include("analytics.portal_urls")),
    path("", include("agri_platform.accounts.portal_urls")),
    path("", include("agri_platform.events.portal_urls")),
    path("", include("enterprises.portal_urls")),
    path("", include("certification.portal_urls")),
    path("", include("logistics.portal_urls")),
    path("", include("finance.portal_urls")),
    path("", include("legal.portal_urls")),
    path("", include("trade.portal_urls")),
]
