"""Network and timeline views: data from the snapshot, geometry for server-side SVG.

We render SVG on the server (Jinja templates in ``templates/svg_*.html``) rather than
ship a JavaScript charting bundle: no build step, nothing to vendor, it works with the
strict ``script-src 'self'`` policy and with scripts disabled, and every label from
content goes through Jinja's autoescaping. The functions here only compute numbers:
positions, bar rectangles, axis ticks. They never produce markup.
"""

from __future__ import annotations

import math
import random
from typing import Any

from ..store import Store
from . import queries_web as qw

QUAD_CLASSES = {1: "q1", 2: "q2", 3: "q3", 4: "q4"}


# ---------------------------------------------------------------------- timeline


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out


def _valid_month(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 7 and value[:4].isdigit() and value[5:].isdigit()


def _bucket(month: str, size: str) -> str:
    if size == "century":
        return f"{month[:2]}00s"
    if size == "decade":
        return f"{month[:3]}0s"
    if size == "year":
        return month[:4]
    if size == "quarter":
        return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"
    return month


_SIZES = (("month", 1), ("quarter", 3), ("year", 12), ("decade", 120), ("century", 1200))


def bar_chart(
    rows: list[dict[str, Any]], *, key: str = "month", stack: str = "quad_class",
    value: str = "events", width: int = 880, height: int = 220, max_bars: int = 48,
) -> dict[str, Any]:
    """Stacked bars over time: ``rows`` of (month, class, count) -> rectangles and ticks.

    Months are grouped into quarters, years, decades or centuries, so that at most
    ``max_bars`` bars are drawn (``index`` maps each month to its slot, for
    :func:`goldstein_line`).
    """
    rows = [r for r in rows if _valid_month(r.get(key)) and r.get(value)]
    if not rows:
        return {"width": width, "height": height, "bars": [], "ticks": [], "max": 0, "index": {}}
    months = _month_range(min(r[key] for r in rows), max(r[key] for r in rows))
    # the smallest bucket that keeps at most max_bars bars (an article citing 1918 and
    # 2024 spans a century: decades)
    size = next((name for name, n in _SIZES if len(months) <= n * max_bars), "century")
    slots = list(dict.fromkeys(_bucket(m, size) for m in months))
    slot_of = {b: i for i, b in enumerate(slots)}
    index = {m: slot_of[_bucket(m, size)] for m in months}
    sums: dict[tuple[int, int], int] = {}
    for r in rows:
        k = (index[r[key]], r.get(stack) or 0)
        sums[k] = sums.get(k, 0) + int(r[value])
    totals: dict[int, int] = {}
    for (i, _), n in sums.items():
        totals[i] = totals.get(i, 0) + n
    top = max(totals.values())
    left, bottom, plot_h = 40, 24, height - 34
    slot = (width - left - 10) / max(len(slots), 1)
    bars, base = [], dict.fromkeys(range(len(slots)), 0.0)
    for (i, cls), n in sorted(sums.items()):
        h = plot_h * n / top
        y = height - bottom - base[i] - h
        base[i] += h
        w = min(max(slot * 0.8, 0.8), 48.0)
        bars.append({
            "x": round(left + i * slot + (slot - w) / 2, 2), "y": round(y, 2),
            "w": round(w, 2), "h": round(h, 2), "cls": QUAD_CLASSES.get(cls, "q0"),
            "title": f"{slots[i]}: {n} ({qw.QUAD_LABELS.get(cls, 'uncoded')})",
        })  # fmt: skip
    step = max(1, len(slots) // 8)
    ticks = [{"x": round(left + i * slot + slot / 2, 2), "label": b}
             for i, b in enumerate(slots) if i % step == 0]  # fmt: skip
    return {"width": width, "height": height, "bars": bars, "ticks": ticks, "max": top,
            "baseline": height - bottom, "left": left, "index": index, "slots": len(slots),
            "bucket": size}  # fmt: skip


def goldstein_line(series: list[dict[str, Any]], chart: dict[str, Any]) -> str:
    """SVG polyline points of mean Goldstein (-10..10) over the chart's slots."""
    index = chart.get("index") or {}
    sums: dict[int, list[float]] = {}
    for r in series:
        if r.get("month") in index and r.get("goldstein") is not None:
            w = float(r.get("events") or 1)
            acc = sums.setdefault(index[r["month"]], [0.0, 0.0])
            acc[0] += float(r["goldstein"]) * w
            acc[1] += w
    if not sums:
        return ""
    slot = (chart["width"] - chart["left"] - 10) / max(chart["slots"], 1)
    mid, half = chart["baseline"] - (chart["height"] - 34) / 2, (chart["height"] - 34) / 2
    return " ".join(
        f"{chart['left'] + i * slot + slot / 2:.1f},{mid - half * (t / w) / 10:.1f}"
        for i, (t, w) in sorted(sums.items())
    )


def timeline(
    store: Store, *, actor: str | None = None, type: str | None = None,
    since: str | None = None, until: str | None = None,
) -> dict[str, Any]:
    """Events per month and quad class, for everyone or for one actor."""
    if actor or type:
        where, params = qw._dates("date", since, until)
        if actor:
            where.insert(0, "actor_id = ?")
            params.insert(0, actor)
        if type:
            where.append("type = ?")
            params.append(type)
        rows = store.query(
            f"SELECT month, quad_class, count(DISTINCT event_id) AS events FROM web_event_actors "
            f"{qw._where(where)} GROUP BY ALL ORDER BY month, quad_class",
            params,
        )
    else:
        where, params = qw._dates("month", since, until)
        rows = store.query(
            f"SELECT month, quad_class, sum(events)::BIGINT AS events FROM web_months "
            f"{qw._where(where)} GROUP BY ALL ORDER BY month, quad_class",
            params,
        )
    return {"actor": actor, "type": type, "since": since, "until": until, "months": rows}


# ----------------------------------------------------------------------- network


def network(
    store: Store, *, actor: str | None = None, since: str | None = None,
    until: str | None = None, limit: int = 30,
) -> dict[str, Any]:
    """Nodes (actors) and edges (event counts between them), laid out for SVG."""
    if since or until:
        where, params = qw._dates("date", since, until)
        pairs_sql = (
            "SELECT a, b, count(*) AS events, round(avg(goldstein), 2) AS goldstein "
            f"FROM web_pairs {qw._where(['a < b', *where])} GROUP BY a, b"
        )
    else:
        pairs_sql, params = "SELECT a, b, events, goldstein FROM web_pair_counts", []
    if actor:
        ego = store.query(
            f"SELECT * FROM ({pairs_sql}) WHERE a = ? OR b = ? ORDER BY events DESC, a, b LIMIT ?",
            [*params, actor, actor, limit - 1],
        )
        ids = [actor] + [p["b"] if p["a"] == actor else p["a"] for p in ego]
    else:
        top = store.query(f"SELECT * FROM ({pairs_sql}) ORDER BY events DESC, a, b LIMIT ?",
                          [*params, limit * 3])  # fmt: skip
        ids = list(dict.fromkeys(x for p in top for x in (p["a"], p["b"])))[:limit]
    edges = store.query(
        f"SELECT * FROM ({pairs_sql}) WHERE a IN (SELECT unnest(?)) AND b IN (SELECT unnest(?)) "
        "ORDER BY events DESC, a, b LIMIT 400",
        [*params, ids, ids],
    ) if ids else []  # fmt: skip
    label = qw.names(store, ids)
    layout = force_layout(ids, [(e["a"], e["b"], e["events"]) for e in edges], center=actor)
    top_count = max((e["events"] for e in edges), default=1)
    nodes = [{"id": i, "name": label.get(i, i), "x": layout[i][0], "y": layout[i][1],
              "focus": i == actor, "anchor": "end" if layout[i][0] > 620 else "start"}
             for i in ids]  # fmt: skip
    for e in edges:
        e["x1"], e["y1"] = layout[e["a"]]
        e["x2"], e["y2"] = layout[e["b"]]
        e["width"] = round(0.6 + 5 * math.log1p(e["events"]) / math.log1p(top_count), 2)
        g = e["goldstein"]
        e["cls"] = "coop" if g is not None and g > 0.5 else "conf" if g is not None and g < -0.5 else "neutral"
    return {"actor": actor, "since": since, "until": until, "nodes": nodes, "edges": edges,
            "width": 880, "height": 620}  # fmt: skip


def force_layout(
    ids: list[str], edges: list[tuple[str, str, int]], *, center: str | None = None,
    width: int = 880, height: int = 620, iterations: int = 80,
) -> dict[str, tuple[float, float]]:
    """Deterministic Fruchterman-Reingold layout (seeded from a circle), in pixels."""
    n = len(ids)
    if n == 0:
        return {}
    rng = random.Random(7)
    pos = {i: [math.cos(2 * math.pi * k / n) + rng.uniform(-0.05, 0.05),
               math.sin(2 * math.pi * k / n) + rng.uniform(-0.05, 0.05)]
           for k, i in enumerate(ids)}  # fmt: skip
    if center in pos:
        pos[center] = [0.0, 0.0]
    k = math.sqrt(4.0 / n)
    weight = {(a, b): math.log1p(w) for a, b, w in edges if a in pos and b in pos}
    temp = 0.2
    for _ in range(iterations):
        disp = {i: [0.0, 0.0] for i in ids}
        for x in range(n):
            for y in range(x + 1, n):
                a, b = ids[x], ids[y]
                dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
                d = max(math.hypot(dx, dy), 0.01)
                f = k * k / d
                disp[a][0] += dx / d * f
                disp[a][1] += dy / d * f
                disp[b][0] -= dx / d * f
                disp[b][1] -= dy / d * f
        for (a, b), w in weight.items():
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            d = max(math.hypot(dx, dy), 0.01)
            f = d * d / k * (0.5 + 0.5 * w / (1 + w))
            disp[a][0] -= dx / d * f
            disp[a][1] -= dy / d * f
            disp[b][0] += dx / d * f
            disp[b][1] += dy / d * f
        for i in ids:
            if i == center:
                continue
            disp[i][0] -= pos[i][0] * k * 2  # gravity keeps components together
            disp[i][1] -= pos[i][1] * k * 2
            dx, dy = disp[i]
            d = max(math.hypot(dx, dy), 0.01)
            pos[i][0] += dx / d * min(d, temp)
            pos[i][1] += dy / d * min(d, temp)
        temp *= 0.96
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    span_x, span_y = max(max(xs) - min(xs), 1e-6), max(max(ys) - min(ys), 1e-6)
    pad = 60
    return {
        i: (round(pad + (p[0] - min(xs)) / span_x * (width - 2 * pad), 1),
            round(pad + (p[1] - min(ys)) / span_y * (height - 2 * pad), 1))
        for i, p in pos.items()
    }  # fmt: skip


# ------------------------------------------------------------------- year matrix


def year_matrix(rows: list[dict[str, Any]], names: dict[str, str]) -> dict[str, Any]:
    """(other, year, events, goldstein) rows -> a counterparts x years table."""
    years = sorted({r["year"] for r in rows if r.get("year")})
    cells: dict[str, dict[str, dict[str, Any]]] = {}
    for r in rows:
        if not r.get("year"):
            continue
        g = r.get("goldstein")
        cls = "coop" if g is not None and g > 0.5 else "conf" if g is not None and g < -0.5 else ""
        cells.setdefault(r["other"], {})[r["year"]] = {"events": r["events"], "goldstein": g, "cls": cls}
    return {"years": years, "rows": [
        {"other": o, "name": names.get(o, o), "cells": [by_year.get(y) for y in years]}
        for o, by_year in cells.items()
    ]}  # fmt: skip


# ------------------------------------------------------------------------- roles


def role_bars(roles: list[dict[str, Any]], actor_id: str | None = None, width: int = 880,
              row_h: int = 22) -> dict[str, Any]:  # fmt: skip
    """Gantt bars for roles with dates; open ends run to the chart's edges.

    On an organization's or a state's page (``actor_id`` is the role's org) a bar is
    labelled with who held the role ("Ilham Aliyev: President of Azerbaijan"); on a
    person's page with the role and the body it is held in.
    """
    dated = [r for r in roles if r.get("valid_from") or r.get("valid_to")]
    if not dated:
        return {"bars": [], "width": width, "height": 0, "ticks": []}
    years = [int(str(v)[:4]) for r in dated for v in (r.get("valid_from"), r.get("valid_to"))
             if v and str(v)[:4].isdigit()]  # fmt: skip
    lo, hi = min(years) - 1, max(years) + 1
    left, right = 300, width - 10

    def x(value: Any, default: int) -> float:
        if not value or not str(value)[:4].isdigit():
            return float(default)
        v = str(value)
        frac = (int(v[5:7]) - 1) / 12 if len(v) >= 7 and v[5:7].isdigit() else 0.0
        return left + (int(v[:4]) + frac - lo) / (hi - lo) * (right - left)

    bars = []
    for k, r in enumerate(dated):
        x1, x2 = x(r.get("valid_from"), left), x(r.get("valid_to"), right)
        if actor_id is not None and r["person"] != actor_id:
            label = f"{r.get('person_name') or r['person']}: {r['title']}"
        else:
            label = f"{r['title']} ({r.get('org_name') or r['org']})"
        bars.append({"x": round(x1, 1), "w": round(max(x2 - x1, 2), 1), "y": k * row_h + 4,
                     "label": label, "person": r["person"], "org": r["org"],
                     "h": row_h - 6})  # fmt: skip
    step = max(1, (hi - lo) // 8)
    ticks = [{"x": round(left + (yr - lo) / (hi - lo) * (right - left), 1), "label": str(yr)}
             for yr in range(lo, hi + 1, step)]  # fmt: skip
    return {"bars": bars, "width": width, "height": len(dated) * row_h + 24, "ticks": ticks,
            "axis_y": len(dated) * row_h + 6}  # fmt: skip
