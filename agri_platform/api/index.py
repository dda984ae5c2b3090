"""GET /api/v1/: where a newcomer starts. Each area of the API, its main resources as absolute
links, and the links to the schema and the API docs. Public: it names URLs, no data."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .views import ApiView


@dataclass(frozen=True)
class Area:
    name: str
    description: str  # lazily translated: read in the request's language
    url_names: tuple[str, ...]  # the resources, as URL names that take no argument


AREAS = (
    Area(
        "accounts",
        _("Sign-up, bearer tokens, your profile; partner organisations and their API keys."),
        (
            "auth-register",
            "auth-token",
            "auth-logout",
            "me",
            "partner-list",
            "partner-directory-list",
        ),
    ),
    Area(
        "reference",
        _("Countries, currencies, locations, HS codes, prefectures and cold-chain profiles."),
        (
            "country-list",
            "currency-list",
            "location-list",
            "hs-code-list",
            "prefecture-list",
            "cold-chain-profile-list",
            "supply-season-list",
        ),
    ),
    Area(
        "enterprises",
        _(
            "Exporting enterprises, their members, production bases and products; the public directory."
        ),
        ("enterprise-list", "production-base-list", "product-list", "directory-list"),
    ),
    Area(
        "certification",
        _("Certification schemes, market requirements, applications, certificates and readiness."),
        (
            "cert-scheme-list",
            "cert-requirement-list",
            "cert-application-list",
            "cert-review-queue-list",
            "cert-certificate-list",
            "cert-readiness",
        ),
    ),
    Area(
        "logistics",
        _("Shipments, their documents, tracking events, cold-chain telemetry and excursions."),
        ("shipment-list", "shipment-draft-list"),
    ),
    Area(
        "finance",
        _("Trade-finance and insurance requests, routed to banks and insurers, and their offers."),
        ("financing-request-list", "financing-offer-list"),
    ),
    Area("legal", _("Requests for legal help, routed to law firms."), ("legal-request-list",)),
    Area(
        "trade",
        _(
            "Overseas buyers: the public catalogue, buyer accounts, inquiries and quotes, buyer "
            "blocks, promotion events."
        ),
        (
            "catalogue-product-list",
            "buyer-list",
            "inquiry-list",
            "quote-list",
            "buyer-block-list",
            "promotion-list",
        ),
    ),
    Area(
        "events",
        _("Domain events, notifications and their preferences, webhook endpoints and deliveries."),
        (
            "event-list",
            "notification-list",
            "notification-preferences",
            "webhook-endpoint-list",
            "webhook-delivery-list",
        ),
    ),
    Area(
        "analytics",
        _("Export figures for the province and for each enterprise."),
        ("analytics-overview", "analytics-exports", "analytics-inquiries"),
    ),
)

DOC_URL_NAMES = {"schema": "schema", "swagger_ui": "swagger-ui", "redoc": "redoc"}


class ApiIndexResourceSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The resource's URL name, e.g. shipment-list.")
    url = serializers.URLField()


class ApiIndexAreaSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    resources = ApiIndexResourceSerializer(many=True)


class ApiIndexDocsSerializer(serializers.Serializer):
    schema = serializers.URLField(help_text="The OpenAPI 3 schema (YAML; ?format=json for JSON).")
    swagger_ui = serializers.URLField()
    redoc = serializers.URLField()


class ApiIndexSerializer(serializers.Serializer):
    title = serializers.CharField()
    version = serializers.CharField()
    docs = ApiIndexDocsSerializer()
    areas = ApiIndexAreaSerializer(many=True)


def _link(request, url_name: str) -> str:
    return request.build_absolute_uri(reverse(url_name))


def api_index(request) -> dict:
    return {
        "title": gettext("Sichuan Agri-Trade Service Platform API"),
        "version": "v1",
        "docs": {key: _link(request, name) for key, name in DOC_URL_NAMES.items()},
        "areas": [
            {
                "name": area.name,
                "description": str(area.description),
                "resources": [
                    {"name": name, "url": _link(request, name)} for name in area.url_names
                ],
            }
            for area in AREAS
        ],
    }


class ApiIndexView(ApiView):
    """The index of the API: its areas, their main resources and where the docs are."""

    permission_classes = [AllowAny]
    serializer_class = ApiIndexSerializer

    @extend_schema(
        summary="Index of the API",
        description="Each area of the API with its main resources as absolute links, and the "
        "links to the OpenAPI schema, Swagger UI and ReDoc. No authentication needed.",
        responses=ApiIndexSerializer,
        auth=[],
    )
    def get(self, request):
        return Response(ApiIndexSerializer(api_index(request)).data)
