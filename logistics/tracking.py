"""What a consignee sees by the tracking link: status, timeline, band, temperature chart.

No prices, no documents, no enterprise internals. Used by the page `/track/{token}/` and by the
JSON endpoint `api/v1/tracking/{token}/`.
"""

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agri_platform.portal.zone import viewer_zone
from agri_platform.reference import l10n

from . import selectors
from .choices import Milestone, ShipmentStatus
from .models import Shipment

# Where the tracking page shows times for a reader who has not chosen a zone: China's time for a
# Chinese reader (the enterprise and most consignees in the region), UTC for anyone else.
CHINA_TIME = ZoneInfo("Asia/Shanghai")


def language_of(request) -> str:
    """The language of the JSON's labels (the page speaks the middleware's language): `?lang=` (zh…, en…) when it names one,
    else the request's (the middleware's choice: the user's, Accept-Language, the platform's)."""
    asked = (request.GET.get("lang") or "").lower()
    if asked.startswith("zh"):
        return "zh-hans"
    if asked.startswith("en"):
        return "en"
    return "zh-hans" if l10n.is_chinese(translation.get_language()) else "en"


def zone_of(request, language: str):
    """The zone the page's times are shown in: the viewer's (their saved zone, else their
    device's, agri_platform/portal/zone.py); before the device has told it, China's time for a
    Chinese page, UTC for an English one."""
    return viewer_zone(request, fallback=CHINA_TIME if l10n.is_chinese(language) else UTC)


def timeline_with_excursions(view: dict) -> list[dict]:
    """The milestones and the excursions in one list by time, each entry marked with its `kind`
    ("milestone" or "excursion"), for the tracking page's timeline."""
    entries = [{"kind": "milestone", "at": e["occurred_at"], **e} for e in view["timeline"]]
    entries += [{"kind": "excursion", "at": x["started_at"], **x} for x in view["excursions"]]
    return sorted(entries, key=lambda entry: entry["at"])


def token_shown_to(user, shipment: Shipment) -> str | None:
    """The tracking token for the enterprise and staff (who share the link), never the carrier."""
    return None if getattr(user, "partner_id", None) else shipment.tracking_token


def tracking_url(shipment: Shipment) -> str:
    """The public link of the shipment's tracking page, the one the enterprise sends its buyer."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/track/{shipment.tracking_token}/"


def band_text(band: dict) -> str:
    """The required temperature in words: "4.0 to 8.0 °C", "at least -18.0 °C", "at most 8.0 °C"."""
    low, high = band["min"], band["max"]
    if low is not None and high is not None:
        return _("%(low)s to %(high)s °C") % {"low": low, "high": high}
    if low is not None:
        return _("at least %(low)s °C") % {"low": low}
    if high is not None:
        return _("at most %(high)s °C") % {"high": high}
    return ""


def chart_width_for(first, last) -> timedelta:
    """A bucket width giving at most about 240 points over the span."""
    span = (last - first).total_seconds() if first and last else 0
    for minutes in (5, 15, 30, 60, 120, 240, 480, 1440):
        if span / (minutes * 60) <= 240:
            return timedelta(minutes=minutes)
    return timedelta(days=2)


def _place(location) -> dict:
    """A place of the route: its code, its reference name and how the reader reads it."""
    return {"code": location.pk, "name": location.name, "label": l10n.place_label(location.pk)}


def public_view(shipment: Shipment) -> dict:
    """The public facts of a shipment; labels in the active language, times as UTC datetimes."""
    summary = getattr(shipment, "summary", None)
    figures = selectors.summary_dict(shipment, summary)
    events = [
        {
            "milestone": e.milestone,
            "label": str(Milestone(e.milestone).label),
            "occurred_at": e.occurred_at,
            "location": e.location_id,
            "location_name": e.location.name if e.location_id else "",
            "location_label": l10n.place_label(e.location_id),
            "latitude": e.latitude,
            "longitude": e.longitude,
            "note": e.note,
        }
        for e in shipment.events.select_related("location").order_by("occurred_at", "id")
    ]
    width = chart_width_for(figures["first_reading_at"], figures["last_reading_at"])
    points = (
        selectors.buckets(shipment_id=shipment.pk, width=width) if figures["reading_count"] else []
    )
    excursions = [
        {
            "sensor_id": x.sensor_id,
            "started_at": x.started_at,
            "ended_at": x.ended_at,
            "peak_c": x.peak_c,
            "direction": x.direction,
            "duration_minutes": round(x.duration_minutes, 1),
            "severity": x.severity,
        }
        for x in shipment.excursions.order_by("started_at")
    ]
    return {
        "reference": shipment.reference,
        "status": shipment.status,
        "status_label": str(ShipmentStatus(shipment.status).label),
        "transport_mode": shipment.transport_mode,
        "route": shipment.route,
        "origin": _place(shipment.origin),
        "destination": _place(shipment.destination),
        "carrier": shipment.carrier.name,
        "planned_departure": shipment.planned_departure,
        "planned_arrival": shipment.planned_arrival,
        "delivered_at": shipment.delivered_at,
        "band_c": {
            "min": float(shipment.temp_min_c) if shipment.temp_min_c is not None else None,
            "max": float(shipment.temp_max_c) if shipment.temp_max_c is not None else None,
        },
        "timeline": events,
        "temperature": {"bucket_minutes": width.total_seconds() / 60, "points": points},
        "summary": figures,
        "excursions": excursions,
    }


# --- the server-rendered SVG chart --------------------------------------------------------------
#
# The plot is an SVG stretched to the width of its box (viewBox with preserveAspectRatio="none",
# strokes that do not scale), drawn at a fixed height in pixels; the axis labels are outside it,
# in screen pixels, so they stay legible on a 390 px phone as on a desk
# (templates/logistics/_temperature_chart.html).

W, H = 640, 240
PAD_T, PAD_B = 12, 12


def svg_chart(view: dict, zone=UTC) -> dict | None:
    """The temperature chart of `view`, its time axis labelled in `zone`."""
    points = view["temperature"]["points"]
    if not points:
        return None
    band = view["band_c"]
    t0 = points[0]["start"]
    t1 = points[-1]["start"] + timedelta(minutes=view["temperature"]["bucket_minutes"])
    span = max((t1 - t0).total_seconds(), 1.0)
    values = [p["min"] for p in points] + [p["max"] for p in points]
    values += [v for v in (band["min"], band["max"]) if v is not None]
    lo, hi = min(values) - 1, max(values) + 1
    plot_h = H - PAD_T - PAD_B

    def x(time):
        return round(W * (time - t0).total_seconds() / span, 1)

    def y(value):
        return round(PAD_T + plot_h * (hi - value) / (hi - lo), 1)

    half = timedelta(minutes=view["temperature"]["bucket_minutes"] / 2)
    line = " ".join(f"{x(p['start'] + half)},{y(p['mean'])}" for p in points)
    envelope = " ".join(f"{x(p['start'] + half)},{y(p['max'])}" for p in points)
    envelope += " " + " ".join(f"{x(p['start'] + half)},{y(p['min'])}" for p in reversed(points))
    band_rect = None
    if band["min"] is not None or band["max"] is not None:
        top = y(band["max"]) if band["max"] is not None else PAD_T
        bottom = y(band["min"]) if band["min"] is not None else PAD_T + plot_h
        band_rect = {"x": 0, "y": top, "width": W, "height": round(bottom - top, 1)}
    marks = []
    for excursion in view["excursions"]:
        start = max(excursion["started_at"], t0)
        end = excursion["ended_at"] or t1
        left = x(start)
        marks.append(
            {
                "x": left,
                "y": PAD_T,
                "width": max(round(x(end) - left, 1), 2.0),
                "height": plot_h,
                "title": _("%(peak)s °C, %(minutes)s min")
                % {"peak": f"{excursion['peak_c']:.1f}", "minutes": excursion["duration_minutes"]},
                "severity": excursion["severity"],
            }
        )
    steps = 4
    ticks = [
        {"y": y(value), "label": f"{value:.0f}"}
        for value in (lo + (hi - lo) * i / steps for i in range(steps + 1))
    ]

    def label(moment):
        return moment.astimezone(zone).strftime("%m-%d %H:%M")

    return {
        "width": W,
        "height": H,
        "plot": {"x": 0, "y": PAD_T, "width": W, "height": plot_h},
        "line": line,
        "envelope": envelope,
        "band": band_rect,
        "excursions": marks,
        "ticks": ticks,
        "start_label": label(t0),
        "middle_label": label(t0 + (t1 - t0) / 2),
        "end_label": label(t1),
        "description": chart_description(view),
    }


def chart_description(view: dict) -> str:
    """The chart in one sentence, its text alternative: the span, the range, the time in the
    band and the excursions."""
    figures = view["summary"]
    count = len(view["excursions"])
    values = {
        "start": l10n.format_time(figures["first_reading_at"]),
        "end": l10n.format_time(figures["last_reading_at"]),
        "low": l10n.format_number(figures["temp_min_c"], digits=1),
        "high": l10n.format_number(figures["temp_max_c"], digits=1),
        "in_band": l10n.format_number(figures["time_in_band_pct"], digits=1),
        "count": count,
    }
    if view["band_c"]["min"] is None and view["band_c"]["max"] is None:
        return (
            _("From %(start)s to %(end)s the temperature ranged from %(low)s to %(high)s °C.")
            % values
        )
    return (
        ngettext(
            "From %(start)s to %(end)s the temperature ranged from %(low)s to %(high)s °C and was "
            "in the required band %(in_band)s%% of the time, with %(count)s excursion.",
            "From %(start)s to %(end)s the temperature ranged from %(low)s to %(high)s °C and was "
            "in the required band %(in_band)s%% of the time, with %(count)s excursions.",
            count,
        )
        % values
    )
