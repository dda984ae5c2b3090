from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("partners/directory", views.PartnerDirectoryViewSet, basename="partner-directory")
router.register("partners", views.PartnerViewSet, basename="partner")
router.register(
    r"partners/(?P<partner_pk>\d+)/api-keys", views.PartnerApiKeyViewSet, basename="partner-api-key"
)
router.register(
    r"partners/(?P<partner_pk>\d+)/users", views.PartnerUserViewSet, basename="partner-user"
)

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="auth-register"),
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
    path(
        "auth/logout-everywhere/",
        views.SignOutEverywhereView.as_view(),
        name="auth-logout-everywhere",
    ),
    path("auth/password-reset/", views.PasswordResetView.as_view(), name="auth-password-reset"),
    path(
        "auth/password-reset/confirm/",
        views.PasswordResetConfirmView.as_view(),
        name="auth-password-reset-confirm",
    ),
    path(
        "auth/email-confirmation/",
        views.EmailConfirmView.as_view(),
        name="auth-email-confirmation",
    ),
    path(
        "auth/email-confirmation/resend/",
        views.EmailConfirmationResendView.as_view(),
        name="auth-email-confirmation-resend",
    ),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/password/", views.PasswordChangeView.as_view(), name="me-password"),
    *router.urls,
]
