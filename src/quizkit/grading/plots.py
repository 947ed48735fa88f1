"""The report's two plots as SVG: a histogram of scores and a scatter of items.

Written directly rather than with matplotlib, whose import and rendering took longer
than grading ten thousand students; SVG is also smaller than a PNG, sharp at any
zoom and printable. Everything here is numbers laid out on a 700 × 420 canvas; the
report wraps each plot in a figure with its alt text and caption.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 700, 420
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 36, 52  # margins around the plotting area
BLUE, RED, SHADE, GRID = "#3b6ea5", "#8a1c1c", "#f3e3e3", "#dddddd"
FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    tooltip: str
    flagged: bool = False


def _nice_step(span: float, target: int = 6) -> float:
    """A step of 1, 2 or 5 × 10^k that cuts ``span`` into about ``target`` parts."""
    if span <= 0:
        return 1.0
    raw = span / target
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _ticks(low: float, high: float, *, integer: bool = False) -> list[float]:
    step = _nice_step(high - low)
    if integer:
        step = max(1.0, round(step))
    first = math.ceil(low / step) * step
    count = int(math.floor((high - first) / step + 1e-9)) + 1
    return [round(first + i * step, 10) for i in range(max(count, 0))]


def _label(value: float) -> str:
    return f"{value:g}"


class _Canvas:
    def __init__(self, x_range: tuple[float, float], y_range: tuple[float, float], title: str):
        self.x0, self.x1 = x_range
        self.y0, self.y1 = y_range
        self.parts = [f'<text x="{WIDTH / 2}" y="22" text-anchor="middle" font-size="15" '
                      f'font-weight="600" {FONT}>{escape(title)}</text>']

    def x(self, value: float) -> float:
        return LEFT + (value - self.x0) / (self.x1 - self.x0) * (WIDTH - LEFT - RIGHT)

    def y(self, value: float) -> float:
        return HEIGHT - BOTTOM - (value - self.y0) / (self.y1 - self.y0) * (HEIGHT - TOP - BOTTOM)

    def axes(self, x_ticks: list[float], y_ticks: list[float], x_title: str, y_title: str) -> None:
        bottom, left = HEIGHT - BOTTOM, LEFT
        for t in y_ticks:
            y = self.y(t)
            self.parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                              f'stroke="{GRID}"/><text x="{left - 6}" y="{y + 4:.1f}" '
                              f'text-anchor="end" font-size="11" {FONT}>{_label(t)}</text>')
        for t in x_ticks:
            x = self.x(t)
            self.parts.append(f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}" '
                              f'stroke="#333"/><text x="{x:.1f}" y="{bottom + 18}" '
                              f'text-anchor="middle" font-size="11" {FONT}>{_label(t)}</text>')
        self.parts.append(f'<polyline points="{left},{TOP} {left},{bottom} {WIDTH - RIGHT},'
                          f'{bottom}" fill="none" stroke="#333"/>')
        self.parts.append(f'<text x="{(LEFT + WIDTH - RIGHT) / 2}" y="{HEIGHT - 12}" '
                          f'text-anchor="middle" font-size="12" {FONT}>{escape(x_title)}</text>')
        middle = (TOP + HEIGHT - BOTTOM) / 2
        self.parts.append(f'<text x="16" y="{middle}" text-anchor="middle" font-size="12" '
                          f'transform="rotate(-90 16 {middle})" {FONT}>{escape(y_title)}</text>')

    def svg(self) -> str:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
                f'viewBox="0 0 {WIDTH} {HEIGHT}"><rect width="100%" height="100%" '
                f'fill="#fff"/>' + "".join(self.parts) + "</svg>")


def histogram_svg(counts: Sequence[int], edges: Sequence[float], *, title: str,
                  x_title: str, y_title: str, x_range: tuple[float, float]) -> str:
    """Bars of ``counts`` between consecutive ``edges``."""
    top = max(max(counts, default=0), 1)
    canvas = _Canvas(x_range, (0, top * 1.05), title)
    canvas.axes(_ticks(*x_range, integer=True), _ticks(0, top, integer=True), x_title, y_title)
    for count, low, high in zip(counts, edges, edges[1:]):
        if count:
            x, right, y = canvas.x(low), canvas.x(high), canvas.y(count)
            canvas.parts.append(f'<rect x="{x + 0.5:.1f}" y="{y:.1f}" width="{max(right - x - 1, 1):.1f}" '
                                f'height="{canvas.y(0) - y:.1f}" fill="{BLUE}"/>')
    return canvas.svg()


def scatter_svg(points: Sequence[Point], *, title: str, x_title: str, y_title: str,
                y_low: float, shaded: Sequence[tuple[float, float]] = (),
                rule_at: float | None = None) -> tuple[str, int]:
    """A scatter of ``points`` (x in 0–1, y from ``y_low`` to 1), each with its label
    beside it unless that label would cover one already placed (the tooltip always
    names it). Returns the SVG and how many labels were left out."""
    canvas = _Canvas((0, 1), (y_low, 1), title)
    for low, high in shaded:
        canvas.parts.append(f'<rect x="{canvas.x(low):.1f}" y="{TOP}" '
                            f'width="{canvas.x(high) - canvas.x(low):.1f}" '
                            f'height="{HEIGHT - TOP - BOTTOM}" fill="{SHADE}"/>')
    canvas.axes(_ticks(0, 1), _ticks(y_low, 1), x_title, y_title)
    if rule_at is not None:
        y = canvas.y(rule_at)
        canvas.parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                            f'stroke="{RED}"/>')
    placed: list[tuple[float, float, float, float]] = []
    left_out = 0
    for point in sorted(points, key=lambda p: not p.flagged):  # flagged items labelled first
        x, y = canvas.x(point.x), canvas.y(point.y)
        tip = f"<title>{escape(point.tooltip)}</title>"
        if point.flagged:
            canvas.parts.append(f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y + 4:.1f} '
                                f'L{x - 5:.1f},{y + 4:.1f} Z" fill="{RED}">{tip}</path>')
        else:
            canvas.parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BLUE}">'
                                f'{tip}</circle>')
        box = (x + 4, y - 14, x + 6 + 7 * len(point.label), y - 2)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
               for b in placed):
            left_out += 1
            continue
        placed.append(box)
        canvas.parts.append(f'<text x="{box[0]:.1f}" y="{y - 4:.1f}" font-size="11" {FONT}>'
                            f'{escape(point.label)}</text>')
    return canvas.svg(), left_out
