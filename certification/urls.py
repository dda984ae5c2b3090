from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("schemes", views.SchemeViewSet, basename="cert-scheme")
router.register("requirements", views.MarketRequirementViewSet, basename="cert-requirement")
router.register("applications", views.ApplicationViewSet, basename="cert-application")
router.register(
    r"applications/(?P<application_pk>\d+)/documents",
    views.ApplicationDocumentViewSet,
    basename="cert-application-document",
)
router.register("review-queue", views.ReviewQueueViewSet, basename="cert-review-queue")
router.register("certificates", views.CertificateViewSet, basename="cert-certificate")

urlpatterns = [
    path(
        "certificates/verify/<str:number>/",
        views.CertificateVerifyView.as_view(),
        name="cert-certificate-verify",
    ),
    path("documents/check/", views.DocumentCheckView.as_view(), name="cert-document-check"),
    path("readiness/", views.ReadinessView.as_view(), name="cert-readiness"),
    *router.urls,
]
