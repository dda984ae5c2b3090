"""Inline SVG charts for the staff dashboard: no JavaScript, no build step, no CDN.

Each chart is drawn in its own coordinates (`viewBox`) and scales to the width of its card
(`width="100%"`, height from the aspect ratio): a fixed pixel width was clipped in narrow cards.
"""

import math
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from .figures import short

PALETTE = ["#1f6f8b", "#99a8b2", "#e6d5b8", "#c1502e"]


def _number(value) -> float:
    return float(value) if value is not None else 0.0


CHART_WIDTH = 400  # drawing units; about a dashboard card's width at 1280 and 1920 px


def _svg_open(css_class: str, title: str, width: int, height: int) -> SafeString:
    return format_html(
        '<svg class="{}" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet">',
        css_class,
        title,
        width,
        height,
    )


def _svg(parts: list[SafeString]) -> SafeString:
    """Closes an SVG whose parts were each built (and escaped) by format_html."""
    return format_html("{}</svg>", format_html_join("", "{}", ((part,) for part in parts)))


def bar_chart(
    items: list[tuple[str, Decimal | None]], *, title: str, width: int = CHART_WIDTH
) -> SafeString:
    """Horizontal bars, one per (label, value)."""
    row, label_width, pad = 24, 170, 8
    height = max(len(items), 1) * row + 2 * pad
    top = max((_number(v) for _, v in items), default=0) or 1
    parts = [
        _svg_open("chart", title, width, height),
        format_html("<title>{}</title>", title),
    ]
    if not items:
        parts.append(format_html('<text x="{}" y="{}">{}</text>', pad, row, gettext("No data")))
    for index, (label, value) in enumerate(items):
        y = pad + index * row
        bar = (width - label_width - 90) * _number(value) / top
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="lbl">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" class="val">{}</text>',
                label_width - 6,
                y + 16,
                label[:28],
                label_width,
                y + 4,
                f"{bar:.1f}",
                row - 8,
                PALETTE[0],
                f"{label_width + bar + 4:.1f}",
                y + 16,
                gettext("suppressed") if value is None else short(value),
            )
        )
    return _svg(parts)


def line_chart(
    points: list[tuple[str, Decimal | None, Decimal | None]],
    *,
    title: str,
    width: int = CHART_WIDTH,
) -> SafeString:
    """Monthly line: this window (solid) and the same months a year before (dashed)."""
    height, left, bottom, top_pad = 220, 50, 30, 12
    values = [_number(v) for _, a, b in points for v in (a, b)]
    top = max(values, default=0) or 1
    step = (width - left - 10) / max(len(points) - 1, 1)

    def xy(index, value):
        y = top_pad + (height - bottom - top_pad) * (1 - _number(value) / top)
        return f"{left + index * step:.1f},{y:.1f}"

    current = " ".join(xy(i, a) for i, (_, a, _) in enumerate(points))
    before = " ".join(xy(i, b) for i, (_, _, b) in enumerate(points))
    parts = [
        _svg_open("chart", title, width, height),
        format_html("<title>{}</title>", title),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"/>',
            left,
            height - bottom,
            width - 10,
            height - bottom,
        ),
        format_html('<text x="2" y="{}" class="val">{}</text>', top_pad + 8, short(top)),
        format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-dasharray="4 3" stroke-width="2"/>',
            before,
            PALETTE[1],
        ),
        format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="3"/>', current, PALETTE[0]
        ),
    ]
    for index, (label, _, _) in enumerate(points):
        if index % 2 == 0 or len(points) <= 6:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" class="lbl">{}</text>',
                    f"{left + index * step:.1f}",
                    height - 10,
                    label,
                )
            )
    return _svg(parts)


def gauge(percent: Decimal | None, *, title: str) -> SafeString:
    """Half-circle gauge of progress towards a target (capped at 100 % for drawing)."""
    share = min(max(_number(percent), 0), 100) / 100

    radius, cx, cy = 80, 100, 95
    angle = math.pi * (1 - share)
    x, y = cx + radius * math.cos(angle), cy - radius * math.sin(angle)
    large = 0
    arc = f"M {cx - radius} {cy} A {radius} {radius} 0 {large} 1 {x:.1f} {y:.1f}"
    return format_html(
        '<svg class="gauge" role="img" aria-label="{title}" viewBox="0 0 200 120" width="200" height="120">'
        "<title>{title}</title>"
        '<path d="M 20 95 A 80 80 0 0 1 180 95" fill="none" stroke="#ddd" stroke-width="16"/>'
        '<path d="{arc}" fill="none" stroke="{color}" stroke-width="16"/>'
        '<text x="100" y="90" text-anchor="middle" class="big">{pct}</text>'
        "</svg>",
        title=title,
        arc=arc,
        color=PALETTE[3] if share < 0.5 else PALETTE[0],
        pct="–" if percent is None else f"{_number(percent):.1f} %",
    )
