"""The portal's account pages (docs/portal.md, journey 1)."""

from django.urls import path

from . import pages

urlpatterns = [
    path("signup/", pages.SignUpPage.as_view(), name="signup"),
    path("signup/sent/", pages.SignUpSentPage.as_view(), name="signup-sent"),
    path("password/reset/", pages.PasswordResetRequestPage.as_view(), name="password-reset"),
    path(
        "password/reset/sent/",
        pages.PasswordResetSentPage.as_view(),
        name="password-reset-sent",
    ),
    path("password/change/", pages.PasswordChangePage.as_view(), name="password-change"),
    path("settings/", pages.PreferencesPage.as_view(), name="preferences"),
    path(
        "settings/confirmation/",
        pages.resend_confirmation,
        name="preferences-confirmation",
    ),
]
