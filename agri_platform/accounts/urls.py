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
    path("me/", views.MeView.as_view(), name="me"),
    *router.urls,
]
