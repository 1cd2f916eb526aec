"""Source credibility: a visible, additive score per article and per outlet.

``score = sum(weight * value)`` over five components, each in ``0..1`` (docs/reconcile.md):

================  ======  ==================================================================
component         weight  value
================  ======  ==================================================================
corroboration     0.30    share of the article's factual facts that another independent
                          source also reports (0.5 when it has none)
contradictions    0.25    ``1 / (1 + sum(opp / (opp + own)))`` over its facts contradicted by
                          other sources; ``opp``: independent sources of the opposing facts,
                          ``own``: independent sources of its fact
internal          0.20    ``1 / (1 + errors)``: self-contradictions in one voice (the
                          outlet's own, or one speaker's), repeated list items
                          ("Iraq, and Iraq"), near-miss organization names
                          ("North Atlantic Trade Organization"), and a reprint's facts
                          that the original it reprints contradicts
citations         0.15    ``min(1, citations per 1,000 words / 8)``: parenthetical citations
                          ("(Mod.gov.az, May 3)"), "according to", links and web addresses
                          outside parentheses, and quotes or paraphrases with a named speaker
reprint           0.10    1.0 original, 0.6 credited reprint, 0.3 uncredited near-copy of
                          another outlet's article
================  ======  ==================================================================

An outlet's component values are the means of its articles' values.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from .contradict import Contradiction
from .inputs import ArticleInfo, Record
from .merge import Fact

WEIGHTS: dict[str, float] = {
    "corroboration": 0.30,
    "contradictions": 0.25,
    "internal": 0.20,
    "citations": 0.15,
    "reprint": 0.10,
}
REPRINT_VALUES = {"original": 1.0, "credited": 0.6, "uncredited": 0.3}
CITATION_TARGET = 8.0  # citations per 1,000 words that earn the full value
NEUTRAL = 0.5

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")  # fmt: skip
_PAREN_CITE = re.compile(
    rf"\((?=[^()]*[A-Za-z])[^()]{{1,80}}?,\s*(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH}|"
    rf"(?:19|20)\d\d|accessed)[^()]{{0,120}}\)"
)
#: "according to X", not a source the article leaves unnamed ("according to reports")
_ACCORDING = re.compile(r"\baccording to\b(?!\s+(?:some\s+|unconfirmed\s+|media\s+|press\s+|news\s+|"
                        r"local\s+)?(?:reports?|sources?|rumou?rs?)\b)", re.IGNORECASE)
_LINK = re.compile(r"https?://[^\s)]+|\bwww\.[^\s)]+|\b[A-Za-z][\w-]*(?:\.[a-z][\w-]*)*\.(?:com|org|net|gov|int|az|am|ge|ru|ua|eu|uk|info|news)\b")
_PAREN = re.compile(r"\([^()]*\)")
_WORD = r"[A-Z][\w’'&-]*"
_ITEM = rf"{_WORD}(?: {_WORD}){{0,3}}"
_ENUM = re.compile(rf"{_ITEM}(?:, (?:and |or )?{_ITEM})+|{_ITEM} (?:and|or) {_ITEM}")
_SPLIT = re.compile(r", (?:and |or )?| (?:and|or) ")
_NAME = re.compile(r"[A-Z][a-z]+(?:[ -](?:(?:of|for|the|and|on|in|de)\s+)*[A-Z][a-z]+)+")
_CONNECTORS = {"of", "for", "the", "and", "on", "in", "de"}


@dataclass(frozen=True)
class Finding:
    """A tell-tale error found in an article's text."""

    kind: str  # repeated_item | wrong_name
    start: int
    end: int
    text: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text,
                "detail": self.detail}  # fmt: skip


def repeated_items(text: str) -> list[Finding]:
    """Enumerations that list the same item twice ("Afghanistan, Kosovo, Iraq, and Iraq").

    Items are capitalized names of up to four words; text inside parentheses (citation
    lists such as "(Mod.gov.az, May 3; May 5)") is ignored.
    """
    masked = _PAREN.sub(lambda m: " " * len(m.group()), text)
    out = []
    for m in _ENUM.finditer(masked):
        items = _SPLIT.split(m.group())
        seen: set[str] = set()
        for item in items:
            key = item.strip().casefold()
            if key in seen:
                out.append(Finding("repeated_item", m.start(), m.end(), m.group(),
                                   f"{item.strip()!r} listed twice"))  # fmt: skip
                break
            seen.add(key)
    return out


def _significant(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(w for w in words if w.lower() not in _CONNECTORS)


class NameChecker:
    """Near-miss names of known organizations: same number of significant words, same
    initials (so the same acronym), exactly one word different and not a spelling
    variant of it (``difflib`` ratio under 0.8), and not itself a known name."""

    def __init__(self, orgs: Iterable[tuple[str, str]], known: Iterable[str] = ()) -> None:
        self.known = {k.casefold() for k in known}
        self.index: dict[tuple[int, str], list[tuple[str, tuple[str, ...], str]]] = defaultdict(list)
        for actor_id, name in orgs:
            self.known.add(name.casefold())
            words = _significant(re.split(r"[ -]+", name))
            if len(words) >= 3 and all(w[:1].isupper() for w in words):
                initials = "".join(w[0].upper() for w in words)
                self.index[(len(words), initials)].append((actor_id, words, name))
        self.sizes = sorted({n for n, _ in self.index})

    def check(self, text: str) -> list[Finding]:
        out = []
        for m in _NAME.finditer(text):
            words = [(w.group(), m.start() + w.start(), m.start() + w.end())
                     for w in re.finditer(r"[^ -]+", m.group())
                     if w.group().lower() not in _CONNECTORS]  # fmt: skip
            hit = self._first_hit(words)
            if hit is not None:
                lo, hi, actor_id, name = hit
                out.append(Finding("wrong_name", lo, hi, text[lo:hi],
                                   f"{text[lo:hi]!r} looks like a wrong name for "
                                   f"{name!r} ({actor_id})"))  # fmt: skip
        return out

    def _first_hit(self, words: Sequence[tuple[str, int, int]]) -> tuple[int, int, str, str] | None:
        for n in self.sizes:
            for i in range(len(words) - n + 1):
                window = words[i : i + n]
                hit = self._near_miss([w for w, _, _ in window])
                if hit is not None:
                    return window[0][1], window[-1][2], hit[0], hit[1]
        return None

    def _near_miss(self, window: Sequence[str]) -> tuple[str, str] | None:
        if " ".join(window).casefold() in self.known:
            return None
        initials = "".join(w[0].upper() for w in window)
        for actor_id, words, name in self.index.get((len(window), initials), []):
            diff = [(a, b) for a, b in zip(window, words) if a.casefold() != b.casefold()]
            if len(diff) == 1:
                a, b = diff[0]
                if SequenceMatcher(None, a.lower(), b.lower()).ratio() < 0.8:
                    return actor_id, name
        return None


def text_findings(text: str, checker: NameChecker) -> list[Finding]:
    """Repeated list items and near-miss names of ``text``, in text order; the same error
    repeated (a wrong name used twice) counts once."""
    found_all = sorted(repeated_items(text) + checker.check(text), key=lambda f: f.start)
    return list({(f.kind, f.text): f for f in reversed(found_all)}.values())[::-1]


def citation_counts(text: str) -> tuple[int, int, int]:
    """(parenthetical citations, "according to", links) in ``text``."""
    return (len(_PAREN_CITE.findall(text)), len(_ACCORDING.findall(text)),
            len(_LINK.findall(_PAREN.sub(" ", text))))  # fmt: skip


def citations(
    text: str, words: int, named_sources: int, counts: tuple[int, int, int] | None = None
) -> dict[str, Any]:
    """Citation counts and density per 1,000 words (at least 100 words are assumed).

    ``counts`` are ``citation_counts(text)`` when already known (reconcile caches them).
    """
    parenthetical, according, links = counts if counts is not None else citation_counts(text)
    total = parenthetical + according + links + named_sources
    density = total * 1000 / max(words, 100)
    return {"parenthetical": parenthetical, "according_to": according, "links": links,
            "named_sources": named_sources, "per_1000_words": round(density, 2)}  # fmt: skip


#: A source the article does not name: "sources in Brussels", "people familiar with ...".
_ANONYMOUS = re.compile(r"\b(?:sources?|insiders?|people familiar|person familiar|"
                        r"who asked not to be|spoke on condition)\b|^(?:(?:some|unconfirmed|media|"
                        r"press|news|local)\s+)?(?:reports|rumou?rs)$", re.IGNORECASE)


def citation_value(cites: dict[str, Any]) -> float:
    """``min(1, per_1000_words / 8)``, reduced by up to half by the share of anonymous
    sources among the named and anonymous ones."""
    value = min(1.0, cites["per_1000_words"] / CITATION_TARGET)
    anonymous = cites.get("anonymous_sources", 0)
    if anonymous:
        value *= 1 - 0.5 * anonymous / (anonymous + cites["named_sources"])
    return value


def _person(actor_id: str) -> bool:
    """Person ids are lower-case slugs (``jens-stoltenberg``, unresolved ``?john-doe``)."""
    return actor_id.lstrip("?")[:1].islower()


def _component(name: str, value: float, detail: dict[str, Any]) -> dict[str, Any]:
    weight = WEIGHTS[name]
    value = round(min(1.0, max(0.0, value)), 4)
    return {"value": value, "weight": weight, "contribution": round(weight * value, 4), "detail": detail}


def article_scorecard(
    art: ArticleInfo,
    facts: Sequence[Fact],
    contradictions: Sequence[Contradiction],
    findings: Sequence[Finding],
    claims: Sequence[Record],
    arts: dict[str, ArticleInfo],
    counts: tuple[int, int, int] | None = None,
) -> dict[str, Any]:
    """The JSON scorecard of one article (see the module doc for the formula).

    ``counts``: the article's ``citation_counts``, when already known."""
    factual = [f for f in facts if f.factual and f.kind in {"claim", "event"}]
    corroborated = [f for f in factual if f.sources - {art.source_key}]
    corr = len(corroborated) / len(factual) if factual else NEUTRAL
    opposed: dict[str, set[str]] = defaultdict(set)
    selfs = 0
    altered: set[str] = set()  # facts of a reprint that its own original contradicts
    for c in contradictions:
        mine_a = art.id in c.fact_a.articles
        mine_b = art.id in c.fact_b.articles
        if art.id in c.self_articles and _one_voice(c.claim_a, c.claim_b):
            selfs += 1
        if mine_a == mine_b:
            continue
        mine, other = (c.fact_a, c.fact_b) if mine_a else (c.fact_b, c.fact_a)
        opposed[mine.id] |= other.sources - {art.source_key}
        if art.reprint_status != "original" and art.source_key in other.sources:
            # a reprint that says the opposite of the outlet it reprints changed the text:
            # its own error, not a dispute between two sources
            altered.add(mine.id)
    by_id = {f.id: f for f in facts}
    terms: list[dict[str, Any]] = []
    for fid, opp in sorted(opposed.items()):
        if opp and fid in by_id:
            own = len(by_id[fid].sources)
            terms.append({"fact": fid, "opposing_sources": len(opp), "own_sources": own,
                          "weight": round(len(opp) / (len(opp) + own), 4)})  # fmt: skip
    contra = 1 / (1 + sum(t["weight"] for t in terms))
    errors = selfs + len(findings) + len(altered)
    named = len({c.speaker for c in claims if c.speaker and _person(c.speaker)
                 and c.claim_kind in {"direct", "indirect"}})  # fmt: skip
    anonymous = len({(c.sentence, c.extra.get("speaker_text")) for c in claims
                     if _ANONYMOUS.search(c.extra.get("speaker_text") or "")})  # fmt: skip
    cites = citations(art.text, art.word_count, named, counts)
    cites["anonymous_sources"] = anonymous
    original = arts.get(art.reprint_of or "")
    components = {
        "corroboration": _component("corroboration", corr, {
            "facts": len(factual), "corroborated": len(corroborated)}),
        "contradictions": _component("contradictions", contra, {"contradicted": terms}),
        "internal": _component("internal", 1 / (1 + errors), {
            "self_contradictions": selfs, "findings": [f.as_dict() for f in findings],
            "contradicts_original": sorted(altered)}),
        "citations": _component("citations", citation_value(cites), cites),
        "reprint": _component("reprint", REPRINT_VALUES[art.reprint_status], {
            "status": art.reprint_status, "reprinted_from": art.reprinted_from,
            "reprint_of": art.reprint_of,
            "reprint_of_outlet": original.label if original else None}),
    }  # fmt: skip
    return {
        "scope": "article", "key": art.id, "outlet": art.outlet, "article_id": art.id,
        "title": art.title, "published": art.published, "where": art.where,
        "source": art.source_key,
        "score": round(sum(c["contribution"] for c in components.values()), 4),
        "articles": 1, "facts": len(factual), "components": components,
        "flags": _flags(art, components, findings, selfs, original),
    }  # fmt: skip


def _voice(r: Record) -> str | None:
    """Who says a claim: its speaker (resolved, else as written), or None for the outlet."""
    if r.claim_kind in (None, "assertion"):
        return None
    return r.speaker or r.extra.get("speaker_text") or "?"


def _one_voice(a: Record, b: Record) -> bool:
    """Both sides of a self-contradiction are said by the same voice: an article that
    reports two sources disagreeing ("only Egypt arms Somalia, an analyst wrote" against
    "Turkey arms Somalia, according to SIPRI") is not inconsistent itself."""
    va, vb = _voice(a), _voice(b)
    return va == vb and va != "?"


def _flags(art: ArticleInfo, comps: dict[str, Any], findings: Sequence[Finding], selfs: int,
           original: ArticleInfo | None) -> list[str]:  # fmt: skip
    flags = [f.detail for f in findings]
    if selfs:
        flags.append(f"{selfs} self-contradiction(s)")
    if comps["contradictions"]["detail"]["contradicted"]:
        flags.append("contradicted by other sources")
    altered = comps["internal"]["detail"]["contradicts_original"]
    if altered:
        flags.append(f"contradicts the original it reprints ({len(altered)} fact(s))")
    if art.reprint_status == "credited":
        flags.append(f"reprint of {art.reprinted_from}")
    elif art.reprint_status == "uncredited" and original is not None:
        flags.append(f"uncredited copy of {original.label} ({original.id})")
    return flags


def outlet_scorecards(cards: Sequence[dict[str, Any]], arts: dict[str, ArticleInfo]) -> list[dict[str, Any]]:
    """Outlet scorecards: each component's value is the mean over the outlet's articles."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for card in cards:
        groups[arts[card["article_id"]].own_key].append(card)
    out = []
    for key, group in sorted(groups.items()):
        art = arts[group[0]["article_id"]]
        components = {}
        for name in WEIGHTS:
            mean = sum(c["components"][name]["value"] for c in group) / len(group)
            components[name] = _component(name, mean, {"articles": len(group)})
        out.append({
            "scope": "outlet", "key": key, "outlet": art.outlet or art.label,
            "article_id": None, "title": None, "published": None, "where": None,
            "source": key,
            "score": round(sum(c["contribution"] for c in components.values()), 4),
            "articles": len(group), "facts": sum(c["facts"] for c in group),
            "components": components,
            "flags": sorted({f for c in group for f in c["flags"]}),
        })  # fmt: skip
    return out


__all__ = [
    "CITATION_TARGET",
    "REPRINT_VALUES",
    "WEIGHTS",
    "Finding",
    "NameChecker",
    "article_scorecard",
    "citation_counts",
    "citations",
    "outlet_scorecards",
    "repeated_items",
    "text_findings",
]
