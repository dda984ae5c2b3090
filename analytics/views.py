"""Analytics API (overview, exports tables as JSON/CSV/XLSX) and the staff page /dashboard/.

Staff see everything. An enterprise member sees their own figures beside suppressed province
figures. Partners (users and API keys) and anyone without a membership get 403.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from agri_platform.api.errors import NotFound, ValidationFailed
from agri_platform.api.tenancy import enterprise_ids_of
from agri_platform.api.views import ApiView
from enterprises.models import Enterprise

from . import charts, labels
from .choices import GroupBy
from .renderers import AnalyticsJSONRenderer, CSVRenderer, XLSXRenderer
from .selectors.exports import Viewer, exports
from .selectors.inquiries import Scope, inquiry_figures
from .selectors.overview import enterprise_overview, staff_overview
from .serializers import (
    ExportsQuerySerializer,
    ExportsResponseSerializer,
    InquiryFiguresSerializer,
    InquiryQuerySerializer,
    WindowQuerySerializer,
)


class AnalyticsAccess(BasePermission):
    message = gettext_lazy("The dashboard is for platform staff and enterprise members.")

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated or user.partner_id:
            return False
        return bool(user.is_platform_staff or enterprise_ids_of(user))


WINDOW_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (inclusive)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (inclusive)."),
]


def query_values(request) -> dict:
    """The query string as a plain dict: given a QueryDict, DRF reads an empty optional value
    (`?to=`) as absent, accepting what the schema calls an invalid date (found by schemathesis)."""
    return request.query_params.dict()


class AnalyticsView(ApiView):
    permission_classes = [IsAuthenticated, AnalyticsAccess]
    renderer_classes = [AnalyticsJSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            formats = ", ".join(r.format for r in self.get_renderers())
            raise ValidationFailed(
                _("Unknown format; use one of: %(formats)s.") % {"formats": formats}, field="format"
            ) from None


class OverviewView(AnalyticsView):
    @extend_schema(
        summary="Province dashboard overview",
        description=(
            "Staff: totals, shares, year-on-year change, regions, markets, prefectures, months, "
            "top enterprises, targets, certification pipeline, cold-chain quality and data "
            "quality. Enterprise members: their own figures and suppressed province figures. "
            "Every figure is defined in docs/analytics.md."
        ),
        parameters=WINDOW_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        query = WindowQuerySerializer(data=query_values(request))
        query.is_valid(raise_exception=True)
        viewer = Viewer.of(request.user)
        window = query.validated_data["window"]
        if viewer.is_staff:
            return Response(staff_overview(window))
        return Response(enterprise_overview(viewer, window))


class ExportsView(AnalyticsView):
    renderer_classes = [AnalyticsJSONRenderer, CSVRenderer, XLSXRenderer]

    @extend_schema(
        summary="Export value and volume grouped by one dimension",
        description=(
            "`?format=csv` or `?format=xlsx` returns the same table as a file. Enterprise "
            "members get `own` (their figures) and `province` (suppressed groups). Labels, notes "
            "and the files' header rows are in the request's language (`Accept-Language`: "
            "zh-hans or en); `?headers=keys` heads the file's columns with the JSON keys instead. "
            "Files keep numbers as numbers; booleans read yes/no (是/否); the CSV starts with a "
            "UTF-8 byte order mark."
        ),
        parameters=[
            OpenApiParameter(
                "group_by",
                OpenApiTypes.STR,
                required=True,
                enum=["category", "destination", "region", "prefecture", "month", "enterprise"],
            ),
            *WINDOW_PARAMETERS,
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"]),
            OpenApiParameter(
                "headers",
                OpenApiTypes.STR,
                enum=["titles", "keys"],
                description="CSV / XLSX header row: column titles in the request's language "
                "(`titles`, the default) or the JSON keys (`keys`).",
            ),
        ],
        responses={200: ExportsResponseSerializer},
    )
    def get(self, request):
        query = ExportsQuerySerializer(data=query_values(request))
        query.is_valid(raise_exception=True)
        body = exports(
            viewer=Viewer.of(request.user),
            group_by=query.validated_data["group_by"],
            window=query.validated_data["window"],
        )
        response = Response(body)
        renderer_format = getattr(request.accepted_renderer, "format", "json")
        if renderer_format in ("csv", "xlsx"):
            name = f"exports-{body['group_by']}-{body['window']['from']}-{body['window']['to']}"
            response["Content-Disposition"] = f'attachment; filename="{name}.{renderer_format}"'
        return response


def inquiry_scope(viewer: Viewer, enterprise_id: int | None) -> Scope:
    """Staff: the province, or the one enterprise asked for; a member: their own enterprises, or
    the one asked for among them (another enterprise looks missing, as in every tenancy check)."""
    if viewer.is_staff:
        if enterprise_id is None:
            return Scope()
        if not Enterprise.objects.filter(pk=enterprise_id).exists():
            raise NotFound(_("No such enterprise."), field="enterprise")
        return Scope((enterprise_id,))
    if enterprise_id is None:
        return Scope(viewer.enterprise_ids)
    if enterprise_id not in viewer.enterprise_ids:
        raise NotFound(_("No such enterprise."), field="enterprise")
    return Scope((enterprise_id,))


class InquiriesView(AnalyticsView):
    extra_problem_statuses = (404,)  # ?enterprise= that is not the caller's: 404 naming it

    @extend_schema(
        summary="The inquiry pipeline of overseas buyers",
        description=(
            "Inquiries sent in the window and how far they got (quoted, accepted, shipped; "
            "declined, withdrawn, open), by destination market and by product category, response "
            "times per enterprise (slowest first) and the market × category matrix of what was "
            "asked. Staff: the province, `?enterprise=` to look at one enterprise. Enterprise "
            "members: their own enterprises only (`?enterprise=` one of them), with the "
            "province's response times to compare, suppressed when fewer than 3 enterprises "
            "answered. Definitions in docs/analytics.md."
        ),
        parameters=[
            *WINDOW_PARAMETERS,
            OpenApiParameter("enterprise", OpenApiTypes.INT, description="An enterprise's id."),
        ],
        responses={200: InquiryFiguresSerializer},
    )
    def get(self, request):
        query = InquiryQuerySerializer(data=query_values(request))
        query.is_valid(raise_exception=True)
        viewer = Viewer.of(request.user)
        scope = inquiry_scope(viewer, query.validated_data["enterprise"])
        window = query.validated_data["window"]
        return Response(inquiry_figures(window, scope, with_province=not viewer.is_staff))


def dashboard_overview(overview: dict) -> dict:
    """The staff overview as the reader reads it: group names, carriers, routes and statuses in
    the active language (the cached overview keeps keys and English labels)."""
    cold_chain = overview["cold_chain"]
    certification = overview["certification"]
    return {
        **overview,
        "by_category": labels.relabelled_rows(GroupBy.CATEGORY, overview["by_category"]),
        "by_region": labels.relabelled_rows(GroupBy.REGION, overview["by_region"]),
        "top_destinations": labels.relabelled_rows(
            GroupBy.DESTINATION, overview["top_destinations"]
        ),
        "by_prefecture": labels.relabelled_rows(GroupBy.PREFECTURE, overview["by_prefecture"]),
        "top_enterprises": labels.relabelled_rows(GroupBy.ENTERPRISE, overview["top_enterprises"]),
        "certification": {
            **certification,
            "by_status": {
                labels.application_status_name(status): count
                for status, count in certification["by_status"].items()
            },
        },
        "targets": [
            {
                **target,
                "status": labels.target_status_name(target["status"]),
                "unit": labels.unit_name(target["unit"]),
            }
            for target in overview["targets"]
        ],
        "cold_chain": {
            **cold_chain,
            "by_carrier": [
                {**row, "carrier": row["carrier"] if row["carrier_id"] else _("(no carrier)")}
                for row in cold_chain.get("by_carrier", [])
            ],
            "by_route": [
                {**row, "route": labels.route_label(row["route"])}
                for row in cold_chain.get("by_route", [])
            ],
        },
    }


def dashboard_charts(overview: dict) -> dict:
    return {
        "category_chart": charts.bar_chart(
            [(r["label"], r["value_cny"]) for r in overview["by_category"]],
            title=_("Export value by category (CNY)"),
        ),
        "market_chart": charts.bar_chart(
            [(r["label"], r["value_cny"]) for r in overview["top_destinations"]],
            title=_("Export value by market (top 10, CNY)"),
        ),
        "region_chart": charts.bar_chart(
            [(r["label"], r["value_cny"]) for r in overview["by_region"]],
            title=_("Export value by region (CNY; regions overlap)"),
        ),
        "monthly_chart": charts.line_chart(
            [(r["key"], r["value_cny"], r["value_cny_prev"]) for r in overview["monthly"]],
            title=_("Monthly export value (CNY): this window and a year before"),
        ),
        "gauges": [
            (target, charts.gauge(target["progress_pct"], title=target["name"]))
            for target in overview["targets"]
        ],
    }


def funnel_stages(totals: dict) -> list[tuple[str, int]]:
    return [
        (_("Inquiries"), totals["inquiries"]),
        (_("Quoted"), totals["quoted"]),
        (_("Accepted"), totals["accepted"]),
        (_("Shipped"), totals["shipped"]),
    ]


def funnel_chart(totals: dict):
    return charts.bar_chart(
        funnel_stages(totals), title=_("Inquiry pipeline: how far the inquiries got")
    )


def asked_matrix(asked: dict) -> list[tuple[str, list]]:
    """Each market's cells in the order of the matrix's categories (None where nothing asked)."""
    keys = [category["key"] for category in asked["categories"]]
    return [(row["label"], [row["cells"].get(key) for key in keys]) for row in asked["rows"]]


def inquiry_context(inquiries: dict) -> dict:
    """What the inquiry pipeline section of a page shows (staff dashboard, exporter's home)."""
    return {
        "inq": inquiries,
        "funnel_chart": funnel_chart(inquiries["totals"]),
        "inquiry_tables": [
            (_("Inquiries by market"), inquiries["by_market"]),
            (_("Inquiries by category"), inquiries["by_category"]),
        ],
        "asked_matrix": asked_matrix(inquiries["asked"]),
    }


def dashboard(request):
    """The staff page: server-rendered figures with inline SVG charts, in the reader's language."""
    if not request.user.is_authenticated:
        return redirect_to_login(
            request.get_full_path(), reverse("admin:login")
        )  # staff sign in there
    if not request.user.is_platform_staff:
        raise DjangoPermissionDenied(_("The dashboard is for platform staff."))
    query = WindowQuerySerializer(data=request.GET)
    if not query.is_valid():
        return HttpResponseBadRequest(_("Invalid first or last day (use YYYY-MM-DD)."))
    window = query.validated_data["window"]
    overview = dashboard_overview(staff_overview(window))
    inquiries = inquiry_figures(window, Scope())
    context = {
        "o": overview,
        "now": timezone.now(),
        **dashboard_charts(overview),
        "inq": inquiries,
        **inquiry_context(inquiries),
    }
    return render(request, "analytics/dashboard.html", context)
