"""Server-side SVG drawing for the HTML report: bar charts, networks, a timeline.

Pure functions from plain values to SVG markup; no JavaScript. Every string that may
come from article content (labels, tooltips) is escaped here with :func:`html.escape`;
``href`` values must be in-page anchors (``#...``) built by the caller, and colors
come from the fixed palettes below, never from content.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape

#: Node colors by actor kind (model.ActorKind); anything else is drawn grey.
KIND_COLORS = {
    "state": "#4c72b0",
    "igo": "#dd8452",
    "programme": "#55a868",
    "mission": "#8172b3",
    "person": "#c44e52",
    "group": "#937860",
    "unresolved": "#8c8c8c",
}
#: Colors by CAMEO QuadClass: 1 verbal coop, 2 material coop, 3 verbal/4 material conflict.
QUAD_COLORS = {1: "#7fbf5f", 2: "#1a7f37", 3: "#f0a030", 4: "#cc2222"}
QUAD_LABELS = {
    1: "1 verbal cooperation",
    2: "2 material cooperation",
    3: "3 verbal conflict",
    4: "4 material conflict",
}
GREY = "#9a9a9a"


def esc(value: object) -> str:
    """Escape any value for HTML/SVG text and double- or single-quoted attributes."""
    return escape("" if value is None else str(value), quote=True)


def _svg_open(css_class: str, width: int, height: int) -> str:
    return (
        f'<svg class="{css_class}" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
    )


def _href(href: str | None) -> str | None:
    """Only in-page anchors may be linked from SVG."""
    return href if href and href.startswith("#") else None


# ------------------------------------------------------------------------- bar charts


def bar_chart(
    items: list[tuple[str, int]], *, width: int = 640, bar: int = 18, color: str = "#4c72b0"
) -> str:
    """Horizontal bars, one per ``(label, count)``, labelled and scaled to the maximum."""
    if not items:
        return ""
    label_w, pad = 200, 6
    top = max(c for _, c in items) or 1
    height = len(items) * (bar + pad) + pad
    span = width - label_w - 60
    parts = [_svg_open("chart", width, height)]
    for i, (label, count) in enumerate(items):
        y = pad + i * (bar + pad)
        w = max(1.0, span * count / top)
        short = label if len(label) <= 30 else label[:29] + "\u2026"
        parts.append(
            f"<g><title>{esc(label)}: {count}</title>"
            f'<text x="{label_w - 6}" y="{y + bar - 5}" text-anchor="end">{esc(short)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="{color}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 5}">{count}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    items: list[tuple[str, int]], *, width: int = 900, height: int = 180, color: str = "#4c72b0"
) -> str:
    """Vertical bars in the given order (e.g. dates), with a few x labels."""
    if not items:
        return ""
    left, bottom, top_pad = 30, 40, 10
    top = max(c for _, c in items) or 1
    step = (width - left - 10) / len(items)
    plot_h = height - bottom - top_pad
    every = max(1, math.ceil(len(items) / 8))
    axis_y = height - bottom
    parts = [
        _svg_open("chart", width, height),
        f'<text x="4" y="{top_pad + 10}">{top}</text>',
        f'<line x1="{left}" y1="{axis_y}" x2="{width - 10}" y2="{axis_y}" stroke="#555"/>',
    ]
    for i, (label, count) in enumerate(items):
        h = plot_h * count / top
        x = left + i * step
        parts.append(
            f"<g><title>{esc(label)}: {count}</title>"
            f'<rect x="{x + 1:.1f}" y="{height - bottom - h:.1f}" width="{max(1.0, step - 2):.1f}"'
            f' height="{h:.1f}" fill="{color}"/></g>'
        )
        if i % every == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{height - bottom + 14}" '
                f'text-anchor="middle">{esc(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------- networks


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    size: float  # e.g. mention count; radius grows with its square root
    color: str = GREY
    href: str | None = None  # in-page anchor only
    tooltip: str = ""


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    weight: float
    color: str = "#999999"
    tooltip: str = ""


def force_layout(
    nodes: list[str], edges: list[tuple[str, str, float]], *, iterations: int = 300
) -> dict[str, tuple[float, float]]:
    """Deterministic Fruchterman-Reingold layout in the unit square.

    Nodes start on a circle in the given order; there is no randomness, so the same
    input always gives the same picture.
    """
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.5, 0.5)}
    pos = {
        v: [0.5 + 0.4 * math.cos(2 * math.pi * i / n), 0.5 + 0.4 * math.sin(2 * math.pi * i / n)]
        for i, v in enumerate(nodes)
    }
    k = math.sqrt(1.0 / n)
    gravity = 0.15
    links = [(a, b, w) for a, b, w in edges if a in pos and b in pos and a != b]
    top_w = max((w for _, _, w in links), default=1.0) or 1.0
    temp = 0.1
    for _ in range(iterations):
        disp = {v: [0.0, 0.0] for v in nodes}
        for i, v in enumerate(nodes):
            for u in nodes[i + 1 :]:
                dx, dy = pos[v][0] - pos[u][0], pos[v][1] - pos[u][1]
                d = max(math.hypot(dx, dy), 1e-3)
                f = k * k / d
                disp[v][0] += dx / d * f
                disp[v][1] += dy / d * f
                disp[u][0] -= dx / d * f
                disp[u][1] -= dy / d * f
        for a, b, w in links:
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            d = max(math.hypot(dx, dy), 1e-3)
            f = d * d / k * (0.5 + 0.5 * w / top_w)
            disp[a][0] -= dx / d * f
            disp[a][1] -= dy / d * f
            disp[b][0] += dx / d * f
            disp[b][1] += dy / d * f
        for v in nodes:
            dx, dy = disp[v]
            # gravity towards the centre keeps disconnected parts close together
            dx += (0.5 - pos[v][0]) * gravity
            dy += (0.5 - pos[v][1]) * gravity
            d = max(math.hypot(dx, dy), 1e-9)
            step = min(d, temp)
            pos[v][0] += dx / d * step
            pos[v][1] += dy / d * step
        temp = max(temp * 0.98, 0.002)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    w = (max(xs) - min(xs)) or 1.0
    h = (max(ys) - min(ys)) or 1.0
    return {v: ((p[0] - min(xs)) / w, (p[1] - min(ys)) / h) for v, p in pos.items()}


def network_svg(
    nodes: list[Node],
    edges: list[Edge],
    *,
    width: int = 900,
    height: int = 640,
    directed: bool = False,
) -> str:
    """Draw nodes (circles sized by ``size``) and weighted edges at a force layout."""
    if not nodes:
        return ""
    known = {n.id for n in nodes}
    edges = [e for e in edges if e.a in known and e.b in known and e.a != e.b]
    layout = force_layout([n.id for n in nodes], [(e.a, e.b, e.weight) for e in edges])
    margin = 50
    xy = {
        v: (margin + x * (width - 2 * margin), margin + y * (height - 2 * margin))
        for v, (x, y) in layout.items()
    }
    top_size = max(n.size for n in nodes) or 1.0
    radius = {n.id: 4 + 14 * math.sqrt(max(n.size, 0) / top_size) for n in nodes}
    top_w = max((e.weight for e in edges), default=1.0) or 1.0
    parts = [_svg_open("network", width, height)]
    if directed:
        parts.append("<defs>")
        for color in sorted({e.color for e in edges} | {GREY}):
            mid = "arrow-" + color.lstrip("#")
            parts.append(
                f'<marker id="{mid}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
                'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
                f'<path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
            )
        parts.append("</defs>")
    for e in edges:
        (x1, y1), (x2, y2) = xy[e.a], xy[e.b]
        sw = 1 + 5 * e.weight / top_w
        if not directed:
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                f'stroke="{e.color}" stroke-opacity="0.7" stroke-width="{sw:.1f}">'
                f"<title>{esc(e.tooltip)}</title></line>"
            )
            continue
        # directed: bend to the right of the direction of travel, so A->B and B->A
        # do not overlap, and stop the arrow at the target's rim
        d = max(math.hypot(x2 - x1, y2 - y1), 1e-6)
        ux, uy = (x2 - x1) / d, (y2 - y1) / d
        cx, cy = (x1 + x2) / 2 - uy * d * 0.15, (y1 + y2) / 2 + ux * d * 0.15
        cd = max(math.hypot(x2 - cx, y2 - cy), 1e-6)
        ex = x2 - (x2 - cx) / cd * (radius[e.b] + 2)
        ey = y2 - (y2 - cy) / cd * (radius[e.b] + 2)
        parts.append(
            f'<path d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" fill="none" '
            f'stroke="{e.color}" stroke-opacity="0.75" stroke-width="{sw:.1f}" '
            f'marker-end="url(#arrow-{e.color.lstrip("#")})"><title>{esc(e.tooltip)}</title></path>'
        )
    for n in nodes:
        x, y = xy[n.id]
        r = radius[n.id]
        body = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{n.color}" stroke="#fff">'
            f"<title>{esc(n.tooltip or n.label)}</title></circle>"
            f'<text x="{x:.1f}" y="{y - r - 3:.1f}" text-anchor="middle">{esc(n.label)}</text>'
        )
        href = _href(n.href)
        parts.append(f'<a href="{esc(href)}">{body}</a>' if href else f"<g>{body}</g>")
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------- timeline


def parse_day(value: str | None) -> date | None:
    """``2024-05-03`` -> that day; ``2024-05`` and ``2024`` -> their first day; else None."""
    if not value:
        return None
    text = value.strip()[:10]
    for size, suffix in ((10, ""), (7, "-01"), (4, "-01-01")):
        if len(text) >= size:
            try:
                return date.fromisoformat(text[:size] + suffix)
            except ValueError:
                continue
    return None


def timeline_svg(
    points: list[tuple[date, int, int, str]], *, width: int = 900, lane_height: int = 40
) -> str:
    """Dots per ``(day, quad_class, count, tooltip)`` on one lane per QuadClass 1..4.

    The x axis is the date; the dot's area grows with ``count``.
    """
    if not points:
        return ""
    left, right, top_pad = 170, 50, 10
    height = top_pad + 4 * lane_height + 30
    first = min(p[0] for p in points)
    last = max(p[0] for p in points)
    days = max((last - first).days, 1)
    pad_days = max(1, round(days * 0.03))  # keep the first and last dots off the edges
    first = date.fromordinal(first.toordinal() - pad_days)
    days += 2 * pad_days
    top = max(p[2] for p in points) or 1

    def x_of(day: date) -> float:
        return left + (width - left - right) * (day - first).days / days

    parts = [_svg_open("timeline", width, height)]
    for quad in (1, 2, 3, 4):
        y = top_pad + (quad - 0.5) * lane_height
        parts.append(
            f'<text x="{left - 10}" y="{y + 4:.1f}" text-anchor="end">{QUAD_LABELS[quad]}</text>'
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>'
        )
    axis_y = top_pad + 4 * lane_height + 4
    for i in range(6):
        day = date.fromordinal(first.toordinal() + round(days * i / 5))
        parts.append(
            f'<text x="{x_of(day):.1f}" y="{axis_y + 14}" text-anchor="middle">'
            f"{day.isoformat()}</text>"
        )
    for day, quad, count, tooltip in sorted(points, key=lambda p: (p[0], p[1])):
        if quad not in QUAD_COLORS:
            continue
        y = top_pad + (quad - 0.5) * lane_height
        r = 3 + 9 * math.sqrt(count / top)
        parts.append(
            f'<circle cx="{x_of(day):.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{QUAD_COLORS[quad]}" '
            f'fill-opacity="0.75"><title>{esc(tooltip)}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)


def legend(entries: list[tuple[str, str]]) -> str:
    """An HTML legend of ``(color, label)`` swatches; colors must come from a palette."""
    items = "".join(
        f'<span class="swatch" style="background:{color}"></span>{esc(label)} '
        for color, label in entries
    )
    return f'<p class="legend">{items}</p>'
