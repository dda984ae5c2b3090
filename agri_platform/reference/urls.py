from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("countries", views.CountryViewSet, basename="country")
router.register("currencies", views.CurrencyViewSet, basename="currency")
router.register("locations", views.LocationViewSet, basename="location")
router.register("hs-codes", views.HSCodeViewSet, basename="hs-code")
router.register("prefectures", views.PrefectureViewSet, basename="prefecture")
router.register("supply-seasons", views.SupplySeasonViewSet, basename="supply-season")
router.register("cold-chain-profiles", views.ColdChainProfileViewSet, basename="cold-chain-profile")

urlpatterns = router.urls
