"""What a consignee sees by the tracking link: status, timeline, band, temperature chart.

No prices, no documents, no enterprise internals. Used by the page `/track/{token}/` and by the
JSON endpoint `api/v1/tracking/{token}/`.
"""

from datetime import timedelta

from django.utils.translation import get_language_from_request

from . import selectors
from .choices import Milestone, ShipmentStatus
from .models import Shipment

LANGUAGES = ("en", "zh")

TEXT = {
    "en": {
        "title": "Shipment tracking",
        "status": "Status",
        "route": "Route",
        "planned": "Planned",
        "band": "Required temperature",
        "timeline": "Timeline",
        "temperature": "Temperature",
        "no_events": "No tracking events yet.",
        "no_readings": "No temperature readings yet.",
        "excursions": "Temperature excursions",
        "no_excursions": "No excursions.",
        "minutes": "min",
        "peak": "peak",
        "mkt": "Mean kinetic temperature",
        "in_band": "Time in band",
        "last": "Last reading",
        "open": "ongoing",
    },
    "zh": {
        "title": "货物追踪",
        "status": "状态",
        "route": "路线",
        "planned": "计划",
        "band": "温度要求",
        "timeline": "运输节点",
        "temperature": "温度",
        "no_events": "暂无运输节点。",
        "no_readings": "暂无温度记录。",
        "excursions": "温度超标",
        "no_excursions": "无超标。",
        "minutes": "分钟",
        "peak": "峰值",
        "mkt": "平均动力学温度",
        "in_band": "温区内时间",
        "last": "最新读数",
        "open": "进行中",
    },
}

STATUS_TEXT = {
    "zh": {
        ShipmentStatus.BOOKED: "已订舱",
        ShipmentStatus.IN_TRANSIT: "运输中",
        ShipmentStatus.AT_CUSTOMS: "清关中",
        ShipmentStatus.CLEARED: "已清关",
        ShipmentStatus.DELIVERED: "已送达",
        ShipmentStatus.CANCELLED: "已取消",
        ShipmentStatus.EXCEPTION: "异常",
    },
}

MILESTONE_TEXT = {
    "zh": {
        Milestone.PICKED_UP: "已提货",
        Milestone.DEPARTED: "已发车/离港",
        Milestone.ARRIVED_AT_BORDER: "抵达口岸",
        Milestone.CUSTOMS_SUBMITTED: "已申报",
        Milestone.CUSTOMS_CLEARED: "已放行",
        Milestone.ARRIVED: "已到达",
        Milestone.DELIVERED: "已签收",
        Milestone.EXCEPTION: "异常",
    },
}


def language_of(request) -> str:
    asked = (request.GET.get("lang") or "").lower()
    if asked.startswith("zh"):
        return "zh"
    if asked.startswith("en"):
        return "en"
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    if header:
        return "zh" if get_language_from_request(request).startswith("zh") else "en"
    return "en"


def _status_label(status: str, lang: str) -> str:
    return STATUS_TEXT.get(lang, {}).get(status) or ShipmentStatus(status).label


def _milestone_label(milestone: str, lang: str) -> str:
    return MILESTONE_TEXT.get(lang, {}).get(milestone) or Milestone(milestone).label


def chart_width_for(first, last) -> timedelta:
    """A bucket width giving at most about 240 points over the span."""
    span = (last - first).total_seconds() if first and last else 0
    for minutes in (5, 15, 30, 60, 120, 240, 480, 1440):
        if span / (minutes * 60) <= 240:
            return timedelta(minutes=minutes)
    return timedelta(days=2)


def public_view(shipment: Shipment, lang: str = "en") -> dict:
    summary = getattr(shipment, "summary", None)
    figures = selectors.summary_dict(shipment, summary)
    events = [
        {
            "milestone": e.milestone,
            "label": _milestone_label(e.milestone, lang),
            "occurred_at": e.occurred_at,
            "location": e.location_id,
            "location_name": e.location.name if e.location_id else "",
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
        "status_label": _status_label(shipment.status, lang),
        "transport_mode": shipment.transport_mode,
        "route": shipment.route,
        "origin": {"code": shipment.origin_id, "name": shipment.origin.name},
        "destination": {"code": shipment.destination_id, "name": shipment.destination.name},
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

W, H = 640, 240
PAD_L, PAD_R, PAD_T, PAD_B = 44, 10, 10, 28


def svg_chart(view: dict) -> dict | None:
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
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B

    def x(time):
        return round(PAD_L + plot_w * (time - t0).total_seconds() / span, 1)

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
        band_rect = {"x": PAD_L, "y": top, "width": plot_w, "height": round(bottom - top, 1)}
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
                "title": f"{excursion['peak_c']:.1f} °C, {excursion['duration_minutes']} min",
                "severity": excursion["severity"],
            }
        )
    ticks = []
    steps = 4
    for i in range(steps + 1):
        value = lo + (hi - lo) * i / steps
        ticks.append({"y": y(value), "label": f"{value:.0f}"})
    return {
        "width": W,
        "height": H,
        "plot": {"x": PAD_L, "y": PAD_T, "width": plot_w, "height": plot_h},
        "line": line,
        "envelope": envelope,
        "band": band_rect,
        "excursions": marks,
        "ticks": ticks,
        "start_label": t0.strftime("%m-%d %H:%M"),
        "end_label": t1.strftime("%m-%d %H:%M"),
        "axis_y": H - 8,
    }
