from django.urls import path

from . import pages

urlpatterns = [
    path(
        "reset/<uidb64>/<token>/",
        pages.PasswordResetPage.as_view(),
        name="account-password-reset",
    ),
    path("reset/done/", pages.PasswordResetDonePage.as_view(), name="account-password-reset-done"),
    path(
        "confirm-email/<uidb64>/<token>/",
        pages.email_confirmation_page,
        name="account-email-confirmation",
    ),
]
