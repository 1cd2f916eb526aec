"""HTML fragments for the report: claims, contradictions and source scorecards.

:func:`report_sections` returns ``(title, html)`` pairs that ``reports.py`` can wrap in its
own sections. Every value from the store goes through :func:`html.escape` (quotes
included); only ``http``/``https`` URLs become links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from typing import Any

from ..store import Store
from .views import claims, contradictions, source_scores

_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\x00-\x1f\x7f]+$", re.IGNORECASE)
MAX_ROWS = 200


def _e(value: Any) -> str:
    return "" if value is None else escape(str(value), quote=True)


def _where(url: str | None, origin: str | None) -> str:
    if url and _SAFE_URL.match(url):
        return f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{_e(url)}</a>'
    return _e(url or origin)


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """``rows`` hold already-escaped cells."""
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _short(text: str | None, n: int = 200) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _claims_html(store: Store) -> str:
    facts = [f for f in claims(store) if f["kind"] == "claim"]
    if not facts:
        return '<p class="note">No canonical claims (run reconcile after extraction).</p>'
    rows = []
    for f in facts[:MAX_ROWS]:
        triple = f"{f['subject']} {'NOT ' if f['polarity'] == 'negated' else ''}{f['predicate']} {f['object'] or ''}"
        rows.append([
            _e(triple), _e(f["modality"]), _e(f["sources"]), _e(f["articles"]),
            _e(", ".join(f["outlets"])), _e(f["first_date"] or "undated"),
            _e(f["last_date"] or ""), _e(_short(f["text"])),
            _e(len(f["contradictions"]) or ""),
        ])  # fmt: skip
    note = f'<p class="note">{_e(len(facts))} merged claims; sources count independent outlets (a reprint counts once).</p>'
    return note + _table(["Claim", "Modality", "Sources", "Articles", "Outlets", "First", "Last",
                          "Text", "Contradictions"], rows)  # fmt: skip


def _side_html(side: dict[str, Any]) -> str:
    offsets = f"chars {side['start']}–{side['end']}, sentence {side['sentence']}"
    speaker = f" — {_e(side['speaker'])}" if side.get("speaker") else ""
    return (
        f"<blockquote>{_e(_short(side['text'], 400))}</blockquote>"
        f"<p class=\"muted\">{_e(side['outlet'] or 'unknown outlet')}, "
        f"{_e(side['date'] or side['published'] or 'undated')}{speaker}; {_e(offsets)}; "
        f"{_where(side.get('url'), side.get('origin'))}; "
        f"{_e(side['sources'])} independent source(s)</p>"
    )


def _contradictions_html(store: Store) -> str:
    rows = contradictions(store)
    if not rows:
        return '<p class="note">No contradictions found.</p>'
    parts = [f'<p class="note">{_e(len(rows))} contradictions.</p>']
    for c in rows[:MAX_ROWS]:
        tag = " (self-contradiction)" if c["self"] else ""
        parts.append(
            f"<article><h3>{_e(c['kind'])}{_e(tag)}: {_e(c['reason'])}</h3>"
            f"<div><strong>A</strong>{_side_html(c['a'])}</div>"
            f"<div><strong>B</strong>{_side_html(c['b'])}</div></article>"
        )
    return "".join(parts)


def _components(card: dict[str, Any]) -> list[str]:
    return [f"{_e(c['value'])} (+{_e(c['contribution'])})" for c in card["components"].values()]


def _sources_html(store: Store) -> str:
    cards = source_scores(store)
    if not cards:
        return '<p class="note">No scorecards (run reconcile).</p>'
    names = list(cards[0]["components"])
    outlets = [c for c in cards if c["scope"] == "outlet"]
    articles = [c for c in cards if c["scope"] == "article"]
    weights = ", ".join(f"{n} {cards[0]['components'][n]['weight']}" for n in names)
    out = [(f'<p class="note">score = Σ weight × value; weights: {_e(weights)}. '
            "Each cell shows value (+contribution).</p>")]  # fmt: skip
    out.append("<h3>Outlets</h3>" + _table(
        ["Outlet", "Score", "Articles", *names, "Flags"],
        [[_e(c["outlet"]), _e(c["score"]), _e(c["articles"]), *_components(c),
          _e("; ".join(c["flags"]))] for c in outlets[:MAX_ROWS]],
    ))  # fmt: skip
    out.append("<h3>Articles</h3>" + _table(
        ["Article", "Outlet", "Score", *names, "Flags"],
        [[_e(c["title"] or c["article_id"]), _e(c["outlet"] or ""), _e(c["score"]),
          *_components(c), _e("; ".join(c["flags"]))] for c in articles[:MAX_ROWS]],
    ))  # fmt: skip
    return "".join(out)


def report_sections(store: Store) -> list[tuple[str, str]]:
    """(title, escaped HTML) for the claims, contradictions and sources report sections."""
    return [
        ("Claims", _claims_html(store)),
        ("Contradictions", _contradictions_html(store)),
        ("Sources", _sources_html(store)),
    ]


_SECTIONS = {
    "claims": _claims_html,
    "contradictions": _contradictions_html,
    "sources": _sources_html,
}


def section_html(store: Store, name: str) -> str:
    """One escaped section by name: ``claims``, ``contradictions`` or ``sources``."""
    return _SECTIONS[name](store)


__all__ = ["report_sections", "section_html"]
