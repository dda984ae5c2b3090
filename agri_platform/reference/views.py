"""Read-only reference data: public (no login), searchable and cached.

Reference data is public knowledge (ISO codes, UN/LOCODE, HS nomenclature), so these routes are open
to everyone, including partner systems without any scope. Responses carry `Cache-Control` and an
`ETag`; see caching.py.
"""

from django.core.cache import cache
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from agri_platform.api.errors import NotFound, ValidationFailed
from agri_platform.api.views import ApiReadOnlyViewSet

from . import caching, filters, selectors, serializers
from .models import ColdChainProfile, Country, Currency, HSCode, Location, Prefecture


class CachedReferenceViewSet(ApiReadOnlyViewSet):
    permission_classes = [AllowAny]

    def _cached(self, request, produce):
        key = caching.key_for(request.build_absolute_uri(), request.accepted_renderer.format)
        etag = caching.etag_for(key)
        headers = {
            "ETag": etag,
            "Cache-Control": f"public, max-age={caching.MAX_AGE_SECONDS}",
        }
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        else:
            data = cache.get(key)
            if data is None:
                response = produce()
                if response.status_code != status.HTTP_200_OK:
                    return response
                data = response.data
                cache.set(key, data, caching.BODY_TTL_SECONDS)
            response = Response(data, headers=headers)
        patch_vary_headers(response, ["Accept"])
        return response

    def list(self, request, *args, **kwargs):
        return self._cached(request, lambda: super(CachedReferenceViewSet, self).list(request))

    def retrieve(self, request, *args, **kwargs):
        return self._cached(
            request, lambda: super(CachedReferenceViewSet, self).retrieve(request, *args, **kwargs)
        )


class CountryViewSet(CachedReferenceViewSet):
    """ISO 3166-1 countries with Chinese names and market groups (`?group=ASEAN`)."""

    lookup_field = "code"
    serializer_class = serializers.CountrySerializer
    filterset_class = filters.CountryFilter
    search_fields = ["code", "name_en", "name_zh"]
    ordering_fields = ["code", "name_en"]

    def get_queryset(self):
        return Country.objects.all()


class CurrencyViewSet(CachedReferenceViewSet):
    """ISO 4217 currencies; `minor_units` is how many decimals an amount may carry."""

    lookup_field = "code"
    serializer_class = serializers.CurrencySerializer
    search_fields = ["code", "name"]
    ordering_fields = ["code"]

    def get_queryset(self):
        return Currency.objects.all()


class LocationViewSet(CachedReferenceViewSet):
    """UN/LOCODE places (`?country=MY&function=port`, `?search=klang`)."""

    lookup_field = "code"
    serializer_class = serializers.LocationSerializer
    filterset_class = filters.LocationFilter
    search_fields = ["code", "name", "name_ascii"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return Location.objects.all()


class HSCodeViewSet(CachedReferenceViewSet):
    """HS codes at 4/6 digits and China's 10-digit lines (`?prefix=0805`, `?digits=6`)."""

    lookup_field = "code"
    serializer_class = serializers.HSCodeSerializer
    filterset_class = filters.HSCodeFilter
    search_fields = ["^code", "description_en", "description_zh"]
    ordering_fields = ["code"]

    def get_queryset(self):
        return HSCode.objects.all()


class PrefectureViewSet(CachedReferenceViewSet):
    """Sichuan's 21 prefecture-level divisions, keyed by GB/T 2260 code."""

    lookup_field = "code"
    serializer_class = serializers.PrefectureSerializer
    search_fields = ["code", "name_en", "name_zh"]
    ordering_fields = ["code", "name_en"]

    def get_queryset(self):
        return Prefecture.objects.all()


class ColdChainProfileViewSet(CachedReferenceViewSet):
    """Storage bands of product families, matched to products by HS prefix (editable by staff)."""

    serializer_class = serializers.ColdChainProfileSerializer
    lookup_field = "code"
    search_fields = ["code", "name_en", "name_zh"]
    ordering_fields = ["code", "name_en"]

    def get_queryset(self):
        return ColdChainProfile.objects.all()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "hs_code",
                # not blank: a blank code is a 400 (schemathesis found the rule missing here)
                {"type": "string", "pattern": "\\S"},
                required=True,
                description="e.g. 0805.21 or 0805210000",
            )
        ],
        responses={200: serializers.ColdChainProfileSerializer},
    )
    # 404 when no profile matches the HS code (schemathesis found it undocumented).
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        filter_backends=[],
        extra_problem_statuses=(404,),
    )
    def match(self, request):
        """The profile a product with this HS code defaults to (longest prefix match)."""

        def produce():
            hs_code = request.query_params.get("hs_code", "")
            if not hs_code.strip():
                raise ValidationFailed("Give an HS code.", field="hs_code")
            profile = selectors.cold_chain_profile_for(hs_code)
            if profile is None:
                raise NotFound(f"No cold-chain profile matches HS code {hs_code}.")
            return Response(self.get_serializer(profile).data)

        return self._cached(request, produce)
