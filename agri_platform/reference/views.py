"""Read-only reference data: public (no login), searchable and cached.

Reference data is public knowledge (ISO codes, UN/LOCODE, HS nomenclature), so these routes are open
to everyone, including partner systems without any scope. Responses carry `Cache-Control` and an
`ETag`; see caching.py.
"""

from django.core.cache import cache
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from agri_platform.api.errors import NotFound, ValidationFailed
from agri_platform.api.views import ApiReadOnlyViewSet

from . import caching, filters, selectors, serializers
from .models import (
    ColdChainProfile,
    Country,
    Currency,
    HSCode,
    Location,
    Prefecture,
    SupplySeason,
)


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
        patch_vary_headers(response, ["Accept", "Accept-Language"])
        return response

    def list(self, request, *args, **kwargs):
        return self._cached(request, lambda: super(CachedReferenceViewSet, self).list(request))

    def retrieve(self, request, *args, **kwargs):
        return self._cached(
            request, lambda: super(CachedReferenceViewSet, self).retrieve(request, *args, **kwargs)
        )


@extend_schema_view(
    list=extend_schema(
        summary="List countries",
        description=(
            "ISO 3166-1 countries with English and Chinese names and market groups. Filter by "
            "`group` (e.g. `ASEAN`, `EU`); `search` matches code and names. Public: no login. "
            "Answers carry `ETag` and `Cache-Control`; `If-None-Match` gets a 304."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a country",
        description=(
            "One country by its ISO 3166-1 alpha-2 code (`MY`). Public: no login. Answers carry "
            "`ETag` and `Cache-Control`; `If-None-Match` gets a 304."
        ),
    ),
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


@extend_schema_view(
    list=extend_schema(
        summary="List currencies",
        description=(
            "ISO 4217 currencies; `minor_units` is how many decimals an amount in it may carry. "
            "Public: no login. Answers carry `ETag` and `Cache-Control`; `If-None-Match` gets a "
            "304."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a currency",
        description=(
            "One currency by its ISO 4217 code (`CNY`). Public: no login. Answers carry `ETag` and "
            "`Cache-Control`; `If-None-Match` gets a 304."
        ),
    ),
)
class CurrencyViewSet(CachedReferenceViewSet):
    """ISO 4217 currencies; `minor_units` is how many decimals an amount may carry."""

    lookup_field = "code"
    serializer_class = serializers.CurrencySerializer
    search_fields = ["code", "name"]
    ordering_fields = ["code"]

    def get_queryset(self):
        return Currency.objects.all()


@extend_schema_view(
    list=extend_schema(
        summary="List UN/LOCODE locations",
        description=(
            "UN/LOCODE places: ports, airports, rail and road terminals. Filter by `country` and "
            "`function` (`?country=MY&function=port`); `search` matches code and name "
            "(`?search=klang`). Public: no login. Answers carry `ETag` and `Cache-Control`; "
            "`If-None-Match` gets a 304."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a UN/LOCODE location",
        description=(
            "One place by its five-character UN/LOCODE (`MYPKG`). Public: no login. Answers carry "
            "`ETag` and `Cache-Control`; `If-None-Match` gets a 304."
        ),
    ),
)
class LocationViewSet(CachedReferenceViewSet):
    """UN/LOCODE places (`?country=MY&function=port`, `?search=klang`)."""

    lookup_field = "code"
    serializer_class = serializers.LocationSerializer
    filterset_class = filters.LocationFilter
    search_fields = ["code", "name", "name_ascii"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return Location.objects.all()


@extend_schema_view(
    list=extend_schema(
        summary="List HS codes",
        description=(
            "Harmonized System codes at 4 and 6 digits and China's 10-digit tariff lines, in "
            "English and Chinese. `prefix=0805` narrows to a heading, `digits=6` to one level; "
            "`search` matches code starts and descriptions. Public: no login. Answers carry `ETag` "
            "and `Cache-Control`; `If-None-Match` gets a 304."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a HS code",
        description=(
            "One HS code (`0805`, `080521`, `0805210000`). Public: no login. Answers carry `ETag` "
            "and `Cache-Control`; `If-None-Match` gets a 304."
        ),
    ),
)
class HSCodeViewSet(CachedReferenceViewSet):
    """HS codes at 4/6 digits and China's 10-digit lines (`?prefix=0805`, `?digits=6`)."""

    lookup_field = "code"
    serializer_class = serializers.HSCodeSerializer
    filterset_class = filters.HSCodeFilter
    search_fields = ["^code", "description_en", "description_zh"]
    ordering_fields = ["code"]

    def get_queryset(self):
        return HSCode.objects.all()


@extend_schema_view(
    list=extend_schema(
        summary="List Sichuan prefectures",
        description=(
            "Sichuan's 21 prefecture-level divisions, keyed by their GB/T 2260 code, as used for an"
            " enterprise's location and the province's figures. Public: no login. Answers carry "
            "`ETag` and `Cache-Control`; `If-None-Match` gets a 304."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a Sichuan prefecture",
        description=(
            "One prefecture by its GB/T 2260 code (`510100` is Chengdu). Public: no login. Answers "
            "carry `ETag` and `Cache-Control`; `If-None-Match` gets a 304."
        ),
    ),
)
class PrefectureViewSet(CachedReferenceViewSet):
    """Sichuan's 21 prefecture-level divisions, keyed by GB/T 2260 code."""

    lookup_field = "code"
    serializer_class = serializers.PrefectureSerializer
    search_fields = ["code", "name_en", "name_zh"]
    ordering_fields = ["code", "name_en"]

    def get_queryset(self):
        return Prefecture.objects.all()


@extend_schema_view(
    list=extend_schema(
        summary="List cold-chain profiles",
        description=(
            "Storage bands (temperature and humidity ranges) of product families, matched to "
            "products by HS code prefix. A new product takes its band from the profile unless it "
            "sets its own. Public: no login. Answers carry `ETag` and `Cache-Control`; "
            "`If-None-Match` gets a 304."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a cold-chain profile",
        description=(
            "One cold-chain profile by its code. Public: no login. Answers carry `ETag` and "
            "`Cache-Control`; `If-None-Match` gets a 304."
        ),
    ),
    match=extend_schema(
        summary="Find the cold-chain profile for an HS code",
        description=(
            "The profile a product with this HS code defaults to: the longest matching prefix. "
            "No profile for the code is a 404. Public: no login."
        ),
    ),
)
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
                raise ValidationFailed(_("Give an HS code."), field="hs_code")
            profile = selectors.cold_chain_profile_for(hs_code)
            if profile is None:
                raise NotFound(
                    _("No cold-chain profile matches HS code %(code)s.") % {"code": hs_code}
                )
            return Response(self.get_serializer(profile).data)

        return self._cached(request, produce)


@extend_schema_view(
    list=extend_schema(
        summary="List supply seasons",
        description=(
            "The main supply months of product groups from the northern producing provinces "
            "(Shandong, Hebei, Shaanxi, Liaoning …), matched to products by HS code prefix. The "
            "catalogue marks a product's available months outside them as off-season. Public: no "
            "login. Answers carry `ETag` and `Cache-Control`; `If-None-Match` gets a 304."
        ),
    ),
    retrieve=extend_schema(
        summary="Show a supply season",
        description=(
            "One supply season by its code (`citrus`). Public: no login. Answers carry `ETag` "
            "and `Cache-Control`; `If-None-Match` gets a 304."
        ),
    ),
)
class SupplySeasonViewSet(CachedReferenceViewSet):
    """Main supply months of product groups from the northern producing provinces: the catalogue
    marks a product's available months outside them as off-season (editable by staff)."""

    serializer_class = serializers.SupplySeasonSerializer
    lookup_field = "code"
    search_fields = ["code", "name_en", "name_zh"]
    ordering_fields = ["code", "name_en"]

    def get_queryset(self):
        return SupplySeason.objects.all()
