from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("requests", views.FinancingRequestViewSet, basename="financing-request")
router.register("offers", views.FinancingOfferViewSet, basename="financing-offer")

urlpatterns = router.urls
