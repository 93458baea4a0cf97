"""Small server-rendered SVG charts: no JavaScript, no CDN, no build step.

Each function returns markup safe to put in a template; every label is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = {"silence": "#b42318", "election_period": "#b54708", "normal": "#1d4ed8", "": "#667085"}


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def bar_chart_horizontal(
    items: Sequence[tuple[str, float]], *, title: str, width: int = 420, bar: int = 18, color: str = "#1d4ed8"
) -> SafeString:
    """One bar per (label, value), largest scale first; the value is written at the bar's end."""
    label_w, gap = 140, 6
    height = max(1, len(items)) * (bar + gap) + 8
    top = max([value for _, value in items] or [1]) or 1
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    span = width - label_w - 60
    for index, (label, value) in enumerate(items):
        y = 4 + index * (bar + gap)
        w = max(1, round(span * value / top)) if value else 0
        fill = PALETTE.get(label, color)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar - 5}" text-anchor="end" font-size="12">'
            f"{escape(label or '—')}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="{fill}"><title>{escape(label)}: '
            f"{_fmt(value)}</title></rect>"
            f'<text x="{label_w + w + 4}" y="{y + bar - 5}" font-size="12">{_fmt(value)}</text>'
        )
    if not items:
        parts.append('<text x="4" y="16" font-size="12">nothing to show</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label and title is escaped above


def bar_chart_vertical(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 620,
    height: int = 160,
    color: str = "#1d4ed8",
) -> SafeString:
    """A time series as columns (e.g. decisions per hour): label under every fourth column."""
    bottom, left = 20, 34
    top = max([value for _, value in items] or [1]) or 1
    count = max(1, len(items))
    step = (width - left) / count
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<text x="0" y="12" font-size="11">{_fmt(top)}</text>'
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#98a2b3"/>'
    ]
    for index, (label, value) in enumerate(items):
        h = round((height - bottom - 14) * value / top) if value else 0
        x = left + index * step
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{height - bottom - h}" width="{max(1.0, step - 2):.1f}" height="{h}" '
            f'fill="{color}"><title>{escape(label)}: {_fmt(value)}</title></rect>'
        )
        if index % 4 == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 5}" font-size="10">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label and title is escaped above
