from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register(
    r"enterprises/(?P<enterprise_pk>[0-9]+)/members",
    views.MemberViewSet,
    basename="enterprise-member",
)
router.register(
    r"enterprises/(?P<enterprise_pk>[0-9]+)/invitations",
    views.InvitationViewSet,
    basename="enterprise-invitation",
)
router.register("production-bases", views.ProductionBaseViewSet, basename="production-base")
router.register("products", views.ProductViewSet, basename="product")
router.register("directory", views.DirectoryViewSet, basename="directory")

urlpatterns = [
    path("invitations/accept/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    *router.urls,
    path(
        "enterprises/<int:enterprise_pk>/documents/<int:pk>/download/",
        views.EnterpriseDocumentViewSet.as_view({"get": "download"}),
        name="enterprise-document-download",
    ),
]
