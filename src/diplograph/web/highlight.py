"""Turn an article's text and its annotation spans into safe, linkable segments.

Article text is hostile input. Nothing here produces HTML: :func:`segments` cuts the
text into plain-text pieces, each tagged with the annotations covering it and at most
one link target, and the Jinja template escapes every piece. :func:`safe_url` is the
only gate through which a URL taken from content may become a link: http(s) only.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from urllib.parse import quote, urlsplit

#: Which annotation wins the single link a piece of text may carry (earlier wins).
LINK_PRIORITY = ("mention", "event", "claim", "timex")


def safe_url(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) URL with a host, else None."""
    if not isinstance(url, str) or len(url) > 2048:
        return None
    candidate = url.strip()
    if any(ord(c) < 33 or c in "\"'<>`\\" for c in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return candidate


def path_part(value: Any) -> str:
    """Quote a value for use as one URL path segment (``?john-doe`` -> ``%3Fjohn-doe``)."""
    return quote(str(value), safe="")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # mention | event | claim | timex
    href: str | None
    title: str


@dataclass(frozen=True)
class Segment:
    text: str
    kinds: tuple[str, ...]
    href: str | None
    title: str

    @property
    def css(self) -> str:
        return " ".join(f"ann-{k}" for k in self.kinds)


def spans_from_detail(detail: dict[str, Any]) -> list[Span]:
    """Spans for the mentions, event triggers, claims and dates of an article detail."""
    out: list[Span] = []
    for m in detail.get("mentions", []):
        out.append(Span(m["start_char"], m["end_char"], "mention",
                        f"/actors/{path_part(m['actor_id'])}",
                        f"{m['actor_id']} ({m.get('code') or '?'})"))
    for e in detail.get("events", []):
        if e.get("trigger_start") is None or e.get("trigger_end") is None:
            continue
        out.append(Span(e["trigger_start"], e["trigger_end"], "event",
                        f"#event-{path_part(e['id'])}", f"event: {e.get('type') or '?'}"))
    for c in detail.get("claims", []):
        if c.get("start_char") is None or c.get("end_char") is None:
            continue
        out.append(Span(c["start_char"], c["end_char"], "claim",
                        f"#claim-{path_part(c['id'])}", f"claim by {c.get('speaker') or '?'}"))
    for t in detail.get("timexes", []):
        if t.get("start_char") is None or t.get("end_char") is None:
            continue
        out.append(Span(t["start_char"], t["end_char"], "timex",
                        f"#timex-{path_part(t['id'])}", f"date: {t.get('value') or '?'}"))
    return out


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """Cut ``text`` at every span boundary; each piece lists the spans covering it.

    Overlapping and nested spans are fine. Spans outside the text are clipped and
    empty ones dropped, so bad offsets can never raise or duplicate text.
    """
    n = len(text)
    clean = [s for s in spans if 0 <= s.start < s.end and s.start < n]
    bounds = sorted({0, n, *(s.start for s in clean), *(min(s.end, n) for s in clean)})
    starts = sorted(clean, key=lambda s: s.start)
    active: list[Span] = []
    out: list[Segment] = []
    i = 0
    for lo, hi in pairwise(bounds):
        while i < len(starts) and starts[i].start <= lo:
            active.append(starts[i])
            i += 1
        active = [s for s in active if s.end > lo]
        piece = text[lo:hi]
        if not active:
            out.append(Segment(piece, (), None, ""))
            continue
        kinds = tuple(k for k in LINK_PRIORITY if any(s.kind == k for s in active))
        link = next((s for k in LINK_PRIORITY for s in active if s.kind == k), None)
        title = "; ".join(dict.fromkeys(s.title for s in active))
        out.append(Segment(piece, kinds, link.href if link else None, title))
    return out
