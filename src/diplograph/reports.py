"""The self-contained HTML report: one file, inline CSS and SVG, no scripts.

:func:`render_report` builds the page from a list of :class:`Section` objects, each a
function ``(store, options) -> HTML``. Everything it reads comes from
:mod:`diplograph.queries`.

Safety: article-derived text (titles, text, outlets, URLs, actor names) is untrusted.
Every value goes through :func:`esc` (``html.escape`` with quotes) unless it is an
:class:`Html` string built here; only ``http``/``https`` URLs become links; in-page
anchors are derived from hashes, and a Content-Security-Policy forbids scripts and any
network access at view time.

EXTENSION POINT: to add a section (claims, contradictions, sources...), write a function
``section_xxx(store, options) -> str`` that returns an HTML fragment built with
:func:`esc`/:func:`table`, and add a ``Section("xxx", "Title", section_xxx)`` to
:data:`DEFAULT_SECTIONS` (or pass ``sections=`` to :func:`render_report`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from . import queries
from .report_assets import stylesheet
from .report_assets.svg import (
    GREY,
    KIND_COLORS,
    QUAD_COLORS,
    QUAD_LABELS,
    Edge,
    Node,
    bar_chart,
    column_chart,
    esc,
    legend,
    network_svg,
    parse_day,
    timeline_svg,
)
from .store import Store

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\x00-\x1f\x7f]+$", re.IGNORECASE)


class Html(str):
    """A string of markup built by this module (trusted); any other str gets escaped."""


def html(value: object) -> str:
    """``value`` as HTML: :class:`Html` passes through, anything else is escaped."""
    return value if isinstance(value, Html) else esc(value)


def anchor(prefix: str, value: str) -> str:
    """A safe, unique in-page id for ``value`` (only ``[A-Za-z0-9_-]``)."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", value)[:40]
    digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{slug}-{digest}"


def link(url: str | None, text: object = None) -> Html:
    """A link for http(s) URLs only; any other value is shown as escaped text."""
    if not url:
        return Html("")
    label = esc(url if text is None else text)
    if _SAFE_URL.match(url):
        return Html(f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{label}</a>')
    return Html(label)


def table(columns: Sequence[str], rows: Iterable[Sequence[object]], *, numeric: Sequence[int] = (),
          row_ids: Sequence[str] | None = None) -> Html:  # fmt: skip
    """An HTML table; cells are escaped unless they are :class:`Html`."""
    head = "".join(
        f"<th{' class=num' if i in numeric else ''}>{esc(c)}</th>" for i, c in enumerate(columns)
    )
    body = []
    for r, row in enumerate(rows):
        rid = f' id="{esc(row_ids[r])}"' if row_ids else ""
        cells = "".join(
            f"<td{' class=num' if i in numeric else ''}>{html(v)}</td>" for i, v in enumerate(row)
        )
        body.append(f"<tr{rid}>{cells}</tr>")
    return Html(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def note(text: str) -> Html:
    """A short italic remark (escaped)."""
    return Html(f'<p class="note">{esc(text)}</p>')


def collapsed(summary: str, content: str) -> Html:
    """``content`` (trusted HTML) folded under a ``<details>`` with an escaped summary."""
    return Html(f"<details><summary>{esc(summary)}</summary>{content}</details>")


@dataclass(frozen=True)
class ReportOptions:
    """Knobs of the report (all sizes keep large stores readable)."""

    title: str = "diplograph report"
    max_articles: int = 200  # articles whose full text is shown
    top_actors: int = 40  # nodes in the co-mention and event networks
    max_rows: int = 200  # rows in long tables (events, errors, pairs)


SectionRenderer = Callable[[Store, ReportOptions], str]


@dataclass(frozen=True)
class Section:
    """One report section: an anchor id (``[a-z0-9-]``), a heading and its renderer."""

    id: str
    title: str
    render: SectionRenderer


# --------------------------------------------------------------------------- sections


def section_overview(store: Store, options: ReportOptions) -> str:
    """Counts of everything in the store and the date range."""
    ov = queries.overview(store)
    keys = ["articles", "reprints", "outlets", "mentions", "mentioned_actors",
            "unresolved_actors", "events", "claims", "timexes", "ingest_errors"]  # fmt: skip
    cards = "".join(
        f'<div class="card"><b>{esc(ov[k])}</b>{esc(k.replace("_", " "))}</div>' for k in keys
    )
    span = f"{ov['first_date'] or '?'} to {ov['last_date'] or '?'}"
    return (
        f'<div class="cards">{cards}</div>'
        f"<p>Published {esc(span)}; {esc(ov['undated'])} undated articles.</p>"
    )


def section_outlets_dates(store: Store, options: ReportOptions) -> str:
    """Articles per outlet and per date: bar charts and a table."""
    rows = queries.articles_by_outlet_date(store)
    if not rows:
        return note("No articles yet.")
    by_outlet: Counter[str] = Counter()
    by_date: Counter[str] = Counter()
    for r in rows:
        by_outlet[r["outlet"] or "(unknown outlet)"] += r["articles"]
        by_date[r["published"] or "(undated)"] += r["articles"]
    dated = sorted(d for d in by_date if d != "(undated)")
    if len(dated) > 60:  # too many days for one chart: per month
        months: Counter[str] = Counter()
        for d in dated:
            months[d[:7]] += by_date[d]
        series = sorted(months.items())
    else:
        series = [(d, by_date[d]) for d in dated]
    outlets = by_outlet.most_common()
    undated = [("(undated)", by_date["(undated)"])] if "(undated)" in by_date else []
    unit = "month" if len(series) < len(dated) else "date"
    return (
        "<h3>Per outlet</h3>"
        + bar_chart(outlets[:25])
        + collapsed(f"Table: {len(outlets)} outlets",
                    table(["outlet", "articles"], outlets, numeric=[1]))
        + f"<h3>Per publication {unit}</h3>"
        + (column_chart(series) if series else note("No dated articles."))
        + collapsed(f"Table: articles per {unit}",
                    table([unit, "articles"], series + undated, numeric=[1]))
    )  # fmt: skip


def _actor_label(row: dict[str, Any]) -> str:
    return str(row["id"]) if row["kind"] != "person" else str(row["name"] or row["id"])


def section_actors(store: Store, options: ReportOptions) -> str:
    """Every mentioned actor with its counts; rows are link targets for mentions."""
    rows = queries.actors(store, min_mentions=1)
    if not rows:
        return note("No actor mentions yet (extraction has not run).")
    body = [
        [r["id"], r["name"], r["kind"], r["country"] or "", ", ".join(r["codes"] or []),
         r["mentions"], r["articles"]]
        for r in rows
    ]  # fmt: skip
    return table(
        ["id", "name", "kind", "country", "codes", "mentions", "articles"],
        body,
        numeric=[5, 6],
        row_ids=[anchor("actor", r["id"]) for r in rows],
    )


def section_co_mentions(store: Store, options: ReportOptions) -> str:
    """The co-mention network of the most mentioned actors (same-sentence pairs)."""
    top = queries.actors(store, min_mentions=1, limit=options.top_actors)
    if not top:
        return note("No actor mentions yet.")
    keep = {r["id"] for r in top}
    pairs = [p for p in queries.co_mentions(store, limit=20000)
             if p["actor_a"] in keep and p["actor_b"] in keep]  # fmt: skip
    nodes = [
        Node(r["id"], _actor_label(r), r["mentions"], KIND_COLORS.get(r["kind"], GREY),
             "#" + anchor("actor", r["id"]),
             f"{r['name']} ({r['id']}, {r['kind']}): {r['mentions']} mentions")
        for r in top
    ]  # fmt: skip
    edges = [
        Edge(p["actor_a"], p["actor_b"], p["sentences"],
             tooltip=f"{p['actor_a']} + {p['actor_b']}: {p['sentences']} sentences, "
             f"{p['articles']} articles")
        for p in pairs
    ]  # fmt: skip
    kinds = sorted({r["kind"] for r in top})
    shown = pairs[: options.max_rows]
    return (
        f"<p>The {len(top)} most mentioned actors; an edge joins actors named in the same "
        "sentence (width: number of sentences).</p>"
        + legend([(KIND_COLORS.get(k, GREY), k) for k in kinds])
        + network_svg(nodes, edges)
        + (collapsed(f"Table: the {len(shown)} most frequent pairs",
                     table(["actor", "actor", "sentences", "articles"],
                           [[p["actor_a"], p["actor_b"], p["sentences"], p["articles"]]
                            for p in shown], numeric=[2, 3]))
           if shown else note("No two of them share a sentence."))
    )  # fmt: skip


def _event_rows(store: Store) -> tuple[list[dict[str, Any]], int]:
    """Events to draw (negated ones left out) and how many were negated."""
    rows = queries.events(store)
    kept = [r for r in rows if not r["negated"]]
    return kept, len(rows) - len(kept)


def _not_run(negated: int) -> str:
    if negated:
        return note(f"All {negated} events in the store are negated; none is drawn.")
    return note("No events in the store: event extraction has not run yet.")


def section_events_timeline(store: Store, options: ReportOptions) -> str:
    """Events over time (x: event date), one lane and color per QuadClass."""
    rows, negated = _event_rows(store)
    if not rows:
        return _not_run(negated)
    groups: dict[tuple[date, int], list[dict[str, Any]]] = defaultdict(list)
    undated = 0
    for r in rows:
        day = parse_day(r["event_date"])
        if day is None or r["quad_class"] not in QUAD_COLORS:
            undated += 1
            continue
        groups[(day, r["quad_class"])].append(r)
    points = []
    for (day, quad), evs in groups.items():
        lines = [f"{day.isoformat()} {QUAD_LABELS[quad]}: {len(evs)} events"]
        lines += [f"{'/'.join(e['sources'] or [])} -> {'/'.join(e['targets'] or [])}: "
                  f"{e['type']} ({e['trigger']})" for e in evs[:6]]  # fmt: skip
        points.append((day, quad, len(evs), "\n".join(lines)))
    shown = rows[: options.max_rows]
    body = [
        [r["event_date"] or "", ", ".join(r["sources"] or []), r["type"],
         ", ".join(r["targets"] or []), r["quad_class"], r["trigger"],
         Html(f'<a href="#{anchor("article", r["article_id"])}">{esc(r["outlet"] or "")}</a>')]
        for r in shown
    ]  # fmt: skip
    return (
        legend([(QUAD_COLORS[q], QUAD_LABELS[q]) for q in QUAD_COLORS])
        + (timeline_svg(points) if points else "")
        + (note(f"{undated} events without a usable date or QuadClass are not drawn.")
           if undated else "")
        + (note(f"{negated} negated events are left out.") if negated else "")
        + collapsed(f"Table: {len(body)} of {len(rows)} events",
                    table(["date", "source", "type", "target", "quad", "trigger", "article"],
                          body, numeric=[4]))
    )  # fmt: skip


def section_events_network(store: Store, options: ReportOptions) -> str:
    """Source -> target actor network of events, edges colored by their usual QuadClass."""
    rows, negated = _event_rows(store)
    if not rows:
        return _not_run(negated)
    pair_quads: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    degree: Counter[str] = Counter()
    for r in rows:
        for s in r["sources"] or []:
            for t in r["targets"] or []:
                if s != t:
                    pair_quads[(s, t)][r["quad_class"] or 0] += 1
                    degree[s] += 1
                    degree[t] += 1
    if not pair_quads:
        return note("No event has both a source and a target actor.")
    known = {a["id"]: a for a in queries.actors(store, min_mentions=1)}
    top = [code for code, _ in degree.most_common(options.top_actors)]
    nodes = [
        Node(code, code, degree[code],
             KIND_COLORS.get(known[code]["kind"], GREY) if code in known else GREY,
             "#" + anchor("actor", code) if code in known else None,
             f"{code}: {degree[code]} event links")
        for code in top
    ]  # fmt: skip
    edges = []
    for (s, t), quads in sorted(pair_quads.items()):
        quad = quads.most_common(1)[0][0]
        detail = ", ".join(f"quad {q}: {n}" for q, n in sorted(quads.items()))
        edges.append(Edge(s, t, sum(quads.values()), QUAD_COLORS.get(quad, GREY),
                          f"{s} -> {t}: {detail}"))  # fmt: skip
    return (
        "<p>Arrows go from source to target; width: number of events; color: the pair's "
        "most frequent QuadClass.</p>"
        + legend([(QUAD_COLORS[q], QUAD_LABELS[q]) for q in QUAD_COLORS])
        + network_svg(nodes, edges, directed=True)
    )


def section_ingest_errors(store: Store, options: ReportOptions) -> str:
    """Inputs that were rejected at ingest, with their error codes."""
    rows = queries.ingest_errors(store)
    if not rows:
        return note("No ingest errors.")
    shown = rows[: options.max_rows]
    return table(
        ["code", "origin", "reason"], [[r["code"], r["origin"], r["reason"]] for r in shown]
    )


def highlight(text: str, mentions: Iterable[dict[str, Any]], kinds: dict[str, str]) -> Html:
    """``text`` escaped, with each mention wrapped in a linked ``<mark>``.

    Overlapping or out-of-range mentions are skipped (the first, longest one wins).
    """
    out: list[str] = []
    pos = 0
    spans = sorted(mentions, key=lambda m: (m["start_char"], -m["end_char"]))
    for m in spans:
        start, end = int(m["start_char"]), int(m["end_char"])
        if start < pos or end <= start or end > len(text):
            continue
        actor = str(m["actor_id"])
        kind = kinds.get(actor, "unresolved")
        label = actor if not m["code"] or m["code"] == actor else f"{actor} ({m['code']})"
        out.append(esc(text[pos:start]))
        out.append(
            f'<a href="#{anchor("actor", actor)}"><mark class="{esc(kind)}" title="{esc(label)}">'
            f"{esc(text[start:end])}</mark></a>"
        )
        pos = end
    out.append(esc(text[pos:]))
    return Html("".join(out))


def section_articles(store: Store, options: ReportOptions) -> str:
    """Each article's metadata and clean text, actor mentions highlighted."""
    total = queries.overview(store)["articles"]
    if not total:
        return note("No articles yet.")
    shown = queries.articles(store, limit=options.max_articles, with_text=True)
    ids = {a["id"] for a in shown}
    kinds = {a["id"]: a["kind"] for a in queries.actors(store, min_mentions=1)}
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in queries.mentions(store, article=sorted(ids)):
        by_article[m["article_id"]].append(m)
    parts: list[str] = []
    if total > len(shown):
        parts.append(note(f"Showing the first {len(shown)} of {total} articles."))
    for a in shown:
        reprint = a["reprint_of"]
        reprint_html: object = ""
        if reprint:
            reprint_html = (Html(f'<a href="#{anchor("article", reprint)}">{esc(reprint)}</a>')
                            if reprint in ids else reprint)  # fmt: skip
            if a["similarity"] is not None:
                reprint_html = Html(f"{html(reprint_html)} (similarity {a['similarity']:.2f})")
        meta = [
            ("outlet", a["outlet"] or ""), ("published", a["published"] or "unknown"),
            ("origin", link(a["origin"])), ("url", link(a["url"])), ("reprint of", reprint_html),
            ("says it reprints", a["reprinted_from"] or ""),
            ("id", a["id"]), ("mentions", a["mentions"]), ("events", a["events"]),
        ]  # fmt: skip
        dl = "".join(f"<dt>{esc(k)}</dt><dd>{html(v)}</dd>" for k, v in meta if v != "")
        text = highlight(a["text"], by_article[a["id"]], kinds)
        parts.append(
            f'<article id="{anchor("article", a["id"])}">'
            f'<h3>{esc(a["title"] or "(untitled)")}</h3><dl class="meta">{dl}</dl>'
            f'<div class="text">{text}</div></article>'
        )
    return "".join(parts)


def _reconciled(name: str) -> SectionRenderer:
    """A section rendered by the reconcile stage (escaped there), or a "not run" note."""

    def render(store: Store, opts: ReportOptions) -> str:
        from .reconcile.report import section_html

        return Html(section_html(store, name))

    return render


section_claims = _reconciled("claims")
section_contradictions = _reconciled("contradictions")
section_sources = _reconciled("sources")


DEFAULT_SECTIONS: tuple[Section, ...] = (
    Section("overview", "Overview", section_overview),
    Section("outlets-dates", "Articles per outlet and date", section_outlets_dates),
    Section("actors", "Actors", section_actors),
    Section("co-mentions", "Co-mention network", section_co_mentions),
    Section("events-timeline", "Events timeline", section_events_timeline),
    Section("events-network", "Event network", section_events_network),
    Section("claims", "Claims and quotes", section_claims),
    Section("contradictions", "Contradictions", section_contradictions),
    Section("sources", "Source credibility", section_sources),
    Section("ingest-errors", "Ingest errors", section_ingest_errors),
    Section("articles", "Articles", section_articles),
)


# ---------------------------------------------------------------------------- render


def render_report(
    store: Store,
    *,
    title: str = "diplograph report",
    sections: Sequence[Section] | None = None,
    options: ReportOptions | None = None,
) -> str:
    """Render the whole report as one self-contained HTML document (no scripts).

    ``sections`` defaults to :data:`DEFAULT_SECTIONS`; ``options`` tunes sizes, and
    ``title`` always sets the page title.
    """
    opts = replace(options, title=title) if options else ReportOptions(title=title)
    chosen = list(DEFAULT_SECTIONS if sections is None else sections)
    toc = "".join(f'<li><a href="#{esc(s.id)}">{esc(s.title)}</a></li>' for s in chosen)
    body = "".join(
        f'<section id="{esc(s.id)}"><h2>{esc(s.title)}</h2>{s.render(store, opts)}</section>'
        for s in chosen
    )
    css = stylesheet().replace("</", "")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{esc(opts.title)}</title><style>{css}</style></head><body>"
        f'<header><h1>{esc(opts.title)}</h1><p class="muted">Generated by diplograph. '
        "Highlighted spans are actor mentions; hover for the actor id and code.</p>"
        f'<nav class="toc"><ol>{toc}</ol></nav></header>'
        f"<main>{body}</main></body></html>\n"
    )


def write_report(store: Store, path: str | Path, **kwargs: Any) -> Path:
    """Render the report (see :func:`render_report` for ``kwargs``) and write it to ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_report(store, **kwargs), encoding="utf-8")
    return target


__all__ = [
    "CSP",
    "DEFAULT_SECTIONS",
    "Html",
    "ReportOptions",
    "Section",
    "anchor",
    "esc",
    "highlight",
    "link",
    "render_report",
    "table",
    "write_report",
]
