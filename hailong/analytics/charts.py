"""Charts as server-side SVG: drawn without internet, a script or a <style> element (the CSP
refuses both), from the same figures as the tables beside them.

Each chart is an <svg role="img"> with a short accessible name; its numbers are in the table
that follows it on the page (for screen readers and for copying into a report), so the chart
itself carries no text a reader must get from it. Colours are the stylesheet's brand colours,
given as presentation attributes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BRAND = "#0b3d6e"
BAND = "#c9d8ea"
BARS = "#dde3ea"
INK = "#4f5b69"
LINE = "#d5dbe3"
WEAK = "#8792a0"


@dataclass(frozen=True)
class Point:
    label: str  # the x-axis label (a month)
    value: float | None  # a share in [0, 1], None when there is no figure
    low: float | None
    high: float | None
    count: int  # responses (the bars)
    sufficient: bool


def _f(x: float) -> str:
    return f"{x:.1f}"


# A month's label ("11/26" at 12 units) with the gap to the next one, in the chart's units.
MONTH_LABEL_WIDTH = 36
# The trend drawn for a phone: scaled to a 360 px screen its text and points keep their size.
NARROW_WIDTH = 360


def trend_svgs(points: Sequence[Point], *, label: str) -> SafeString:
    """The trend twice, one for wide screens and one for phones (fewer month labels), the
    stylesheet showing one: a single wide drawing shrunk to a phone's width would write its
    text at 5 px, and a box scrolling sideways hides half the year."""
    wide = trend_svg(points, label=label, css_class="chart chart--wide")
    narrow = trend_svg(points, label=label, width=NARROW_WIDTH, css_class="chart chart--narrow")
    return mark_safe(wide + narrow)  # noqa: S308 (both escape their text)


def trend_svg(
    points: Sequence[Point],
    *,
    label: str,
    width: int = 720,
    height: int = 240,
    css_class: str = "chart",
) -> SafeString:
    """The SIPAS index per month as a line with its 95% interval as a band, over bars of the
    responses per month (their own scale, on the right). A month below the minimum sample is
    an open circle; months are labelled as often as their labels fit side by side."""
    left, right, top, bottom = 44, 44, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(points), 1)
    step = plot_w / n
    most = max((p.count for p in points), default=0) or 1

    def x(i: int) -> float:
        return left + step * (i + 0.5)

    def y(share: float) -> float:
        return top + plot_h * (1 - share)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="{css_class}" role="img" aria-label="{escape(label)}" focusable="false">'
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_f(y(tick))}" y2="{_f(y(tick))}" '
            f'stroke="{LINE}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_f(y(tick) + 4)}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{int(tick * 100)}%</text>'
        )
    for i, p in enumerate(points):
        h = plot_h * p.count / most * 0.5
        parts.append(
            f'<rect x="{_f(x(i) - step * 0.3)}" y="{_f(top + plot_h - h)}" '
            f'width="{_f(step * 0.6)}" height="{_f(h)}" fill="{BARS}"/>'
        )
    label_every = max(1, math.ceil(MONTH_LABEL_WIDTH / step))
    for i, p in enumerate(points):
        if i % label_every == 0:
            parts.append(
                f'<text x="{_f(x(i))}" y="{height - 8}" text-anchor="middle" font-size="12" '
                f'fill="{INK}">{escape(p.label)}</text>'
            )
    # The band and the line, in runs of consecutive months that have a figure.
    runs: list[list[int]] = [[]]
    for i, p in enumerate(points):
        if p.value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(i)
    for run in runs:
        if not run:
            continue
        upper = [f"{_f(x(i))},{_f(y(points[i].high))}" for i in run]
        lower = [f"{_f(x(i))},{_f(y(points[i].low))}" for i in reversed(run)]
        if len(run) == 1:
            i = run[0]
            parts.append(
                f'<line x1="{_f(x(i))}" x2="{_f(x(i))}" y1="{_f(y(points[i].high))}" '
                f'y2="{_f(y(points[i].low))}" stroke="{BAND}" stroke-width="8"/>'
            )
        else:
            parts.append(f'<polygon points="{" ".join(upper + lower)}" fill="{BAND}"/>')
            line = " ".join(f"{_f(x(i))},{_f(y(points[i].value))}" for i in run)
            parts.append(
                f'<polyline points="{line}" fill="none" stroke="{BRAND}" stroke-width="2.5"/>'
            )
    for i, p in enumerate(points):
        if p.value is None:
            continue
        fill = BRAND if p.sufficient else "#fff"
        parts.append(
            f'<circle cx="{_f(x(i))}" cy="{_f(y(p.value))}" r="4" fill="{fill}" '
            f'stroke="{BRAND}" stroke-width="2"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text in it is escaped above)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    low: float | None
    high: float | None
    sufficient: bool


def bars_svg(bars: Sequence[Bar], *, label: str, width: int = 320) -> SafeString:
    """Horizontal bars of an index (0–100%) with its 95% interval as a whisker, each bar under
    its name (so that the chart stays readable on a phone); a bar below the minimum sample is
    drawn pale."""
    row_h, left, right, top = 44, 8, 16, 4
    bottom = top + row_h * max(len(bars), 1)
    height = bottom + 22
    plot_w = width - left - right

    def x(share: float) -> float:
        return left + plot_w * share

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart chart--bars" role="img" aria-label="{escape(label)}" focusable="false">'
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        anchor = "start" if tick == 0 else "end" if tick == 1 else "middle"
        parts.append(
            f'<line x1="{_f(x(tick))}" x2="{_f(x(tick))}" y1="{top}" y2="{bottom}" '
            f'stroke="{LINE}" stroke-width="1"/>'
            f'<text x="{_f(x(tick))}" y="{bottom + 16}" text-anchor="{anchor}" font-size="13" '
            f'fill="{INK}">{int(tick * 100)}%</text>'
        )
    for i, bar in enumerate(bars):
        y = top + row_h * i
        name = bar.label if len(bar.label) <= 40 else bar.label[:39] + "…"
        parts.append(
            f'<text x="{left}" y="{y + 15}" font-size="14" fill="{INK}">{escape(name)}</text>'
        )
        if bar.value is None:
            continue
        fill = BRAND if bar.sufficient else WEAK
        opacity = "1" if bar.sufficient else "0.45"
        parts.append(
            f'<rect x="{left}" y="{y + 21}" width="{_f(plot_w * bar.value)}" height="16" '
            f'fill="{fill}" fill-opacity="{opacity}"/>'
        )
        if bar.low is not None and bar.high is not None:
            mid = y + 29
            parts.append(
                f'<line x1="{_f(x(bar.low))}" x2="{_f(x(bar.high))}" y1="{mid}" y2="{mid}" '
                f'stroke="{INK}" stroke-width="1.5"/>'
                f'<line x1="{_f(x(bar.low))}" x2="{_f(x(bar.low))}" y1="{mid - 6}" y2="{mid + 6}" '
                f'stroke="{INK}" stroke-width="1.5"/>'
                f'<line x1="{_f(x(bar.high))}" x2="{_f(x(bar.high))}" y1="{mid - 6}" '
                f'y2="{mid + 6}" stroke="{INK}" stroke-width="1.5"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text in it is escaped above)
