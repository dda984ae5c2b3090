"""API: the public catalogue (routes collected by trade/urls.py). No login: anyone, buyers above
all, reads the listed products of verified exporters."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from agri_platform.api.filtering import StrictOrderingFilter
from agri_platform.api.views import ApiReadOnlyViewSet

from ..selectors import catalogue as selectors
from ..serializers import catalogue as serializers


@extend_schema_view(
    list=extend_schema(
        summary="List the catalogue",
        description=(
            "Products of verified exporters that they list for overseas buyers. Filters: "
            "`category`, `month` (offered in it, 1–12), `certificate` (scheme code, certificates "
            "in force), `market` (ISO alpha-2: products whose readiness for it is complete come "
            "first, each with its `readiness`), `search`. A filter value the catalogue does not "
            "know is a 400 naming it. Public: no login."
        ),
        parameters=[serializers.CatalogueQuerySerializer],
    ),
    retrieve=extend_schema(
        summary="Show a catalogue product",
        description=(
            "One listed product: its 12-month calendar with off-season months against the "
            "northern provinces, certificates in force, markets served, minimum order and "
            "Incoterms; `?market=` adds its readiness for that market. Public: no login."
        ),
        parameters=[
            OpenApiParameter(
                "market", str, description="ISO 3166-1 alpha-2: add the product's readiness"
            )
        ],
    ),
)
class CatalogueProductViewSet(ApiReadOnlyViewSet):
    permission_classes = [AllowAny]
    serializer_class = serializers.CatalogueProductSerializer
    filter_backends = [StrictOrderingFilter]
    ordering_fields = ["name_en", "name_zh", "updated_at"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.CatalogueProductDetailSerializer
        return serializers.CatalogueProductSerializer

    def query(self) -> dict:
        query = serializers.CatalogueQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.catalogue_products()
        filters = {**self.query(), "market": ""}  # the market orders the list: see list()
        return selectors.catalogue_products(**filters)

    def list(self, request, *args, **kwargs):
        products = self.filter_queryset(self.get_queryset())
        country = selectors.market_country(self.query().get("market", ""))
        if country is not None:
            products = selectors.ready_first(products, country)
        page = self.paginate_queryset(products)
        facts = selectors.with_catalogue_facts(page)
        return self.get_paginated_response(self.get_serializer(facts, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        product = selectors.with_catalogue_facts([self.get_object()])[0]
        country = selectors.market_country(request.query_params.get("market", ""))
        if country is not None:
            selectors.attach_readiness([product], country)
        product.markets_served = selectors.markets_served(product.enterprise)
        return Response(self.get_serializer(product).data)


router = SimpleRouter()
router.register("catalogue/products", CatalogueProductViewSet, basename="catalogue-product")

urlpatterns = router.urls
