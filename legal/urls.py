from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("requests", views.LegalRequestViewSet, basename="legal-request")

urlpatterns = router.urls
