"""Merge the same claim or event reported by several articles into one *fact*.

Blocking keeps this near-linear: records are grouped by a key of actors and predicate
(or event type), then compared only within their key and a sliding time window.

======  =====================================================================  ==========
kind    block key                                                              similarity
======  =====================================================================  ==========
claim   (subject, predicate, object, polarity, modality class); symmetric      not needed
        predicates put the two actors in sorted order
quote   (speaker,) for quotes with no canonical reading                        ``quote``
event   (type, source actors, polarity, modality class); ``AZEMIL`` counts     ``event``
        as ``AZE``. Target actors must agree: one report's targets are a
        subset of the other's ("signed a pact with Estonia and Latvia" and
        "... with Estonia, Latvia and Lithuania"; no targets fit any)
======  =====================================================================  ==========

The modality class is ``asserted`` for asserted and reported statements, else the
modality itself (a ``future`` claim never merges with an ``asserted`` one).

A relation that starts once (``single_start`` in predicates.toml, e.g. ``member_of``) is
split by the start year its claims state (``extra["bounds"]``, see
``relations.time_bounds``): "joined the PfP in 1994" and "joined the PfP in 1999" become
two facts (which contradict each other); claims that state no start join the biggest part.
A start date does not change with time, so each part is one fact however far apart its
reports are.

Within a block, records are taken in date order. A claim joins the current fact when its
date is within ``window`` days of the fact's last date (single linkage, so a state
reported continuously stays one fact). An event or quote joins the open fact whose
first or latest member is most similar, at or above the similarity's threshold; two
event reports on the same exact (non-approximate) day always merge. Undated records
join the largest fact of their block (claims) or the most similar one (events, quotes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..model import record_id
from .inputs import ArticleInfo, Record, Vocabulary, day_range, iso
from .similarity import Similarity


@dataclass
class Member:
    """One record of a fact; ``similarity`` to the fact's best-matching member."""

    record: Record
    similarity: float | None = None
    independent: bool = True  # first record of its source in this fact
    source: str = ""  # the independent source key of its article


@dataclass
class Fact:
    """The same claim or event as reported by one or more articles."""

    id: str
    kind: str  # claim | quote | event
    subject: str | None
    predicate: str | None
    object: str | None
    polarity: str
    modality: str
    method: str
    members: list[Member] = field(default_factory=list)
    first: int | None = None  # date ordinals (None: no dated member)
    last: int | None = None
    sources: set[str] = field(default_factory=set)
    outlets: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)

    @property
    def factual(self) -> bool:
        return self.modality == "asserted"

    @property
    def rep(self) -> Record:
        return self.members[0].record

    def actors(self) -> list[str]:
        if self.kind == "event":
            found = self.rep.extra.get("sources", []) + self.rep.extra.get("targets", [])
        else:
            found = [self.subject, self.object, self.rep.speaker if self.kind == "quote" else None]
        return sorted({a for a in found if a})

    def overlaps(self, other: Fact, window: int) -> bool:
        """True when the two facts may hold at the same time (undated facts always may)."""
        if self.first is None or other.first is None:
            return True
        assert self.last is not None and other.last is not None
        return self.first - window <= other.last and other.first - window <= self.last


def modality_class(modality: str) -> str:
    return "asserted" if modality in {"asserted", "reported"} else modality


def block_key(rec: Record, vocab: Vocabulary) -> tuple[Any, ...] | None:
    """The blocking key of a record, or ``None`` when it cannot be merged with others."""
    mod = modality_class(rec.modality)
    if rec.kind == "claim":
        s, o = rec.subject, rec.object
        if rec.predicate in vocab.symmetric and s and o and o < s:
            s, o = o, s
        return ("claim", s, rec.predicate, o, rec.polarity, mod)
    if rec.kind == "quote":
        return ("quote", rec.speaker) if rec.speaker else None
    sources = tuple(rec.extra.get("sources", ()))
    return ("event", rec.predicate, sources, rec.polarity, mod)


_FOREVER = 10**6  # days: a window that never closes


def stated_start_year(rec: Record) -> int | None:
    """The year a claim states its relation started (``rec.extra["bounds"]``), if any."""
    bounds = rec.extra.get("bounds")
    if not bounds or bounds[0] is None:
        return None
    return date.fromordinal(bounds[0][0]).year


def split_by_start(recs: list[Record]) -> list[list[Record]]:
    """Claims of one block grouped by stated start year; those with none join the biggest."""
    groups: dict[int, list[Record]] = defaultdict(list)
    unstated: list[Record] = []
    for rec in recs:
        year = stated_start_year(rec)
        (groups[year] if year is not None else unstated).append(rec)
    if len(groups) <= 1:
        return [recs]
    biggest = max(sorted(groups), key=lambda y: len({r.article_id for r in groups[y]}))
    groups[biggest].extend(unstated)
    return [groups[y] for y in sorted(groups)]


def _order(rec: Record) -> tuple[int, int, str, int, str]:
    rng = day_range(rec.date)
    return (0 if rng else 1, rng[0] if rng else 0, rec.article_id, rec.start, rec.id)


class _Cluster:
    __slots__ = ("exact", "features", "first", "last", "members", "targets")

    def __init__(self, rec: Record, feature: Any) -> None:
        self.members: list[Member] = [Member(rec)]
        rng = day_range(rec.date)
        self.first = rng[0] if rng else None
        self.last = rng[1] if rng else None
        self.features = [feature]
        self.exact: set[int] = set()
        self.targets: set[str] = set(rec.extra.get("targets", ()))
        self._mark_exact(rec)

    def fits(self, rec: Record) -> bool:
        """An event report's targets are a subset of the cluster's, or the other way round."""
        mine = set(rec.extra.get("targets", ()))
        return mine <= self.targets or self.targets <= mine

    def _mark_exact(self, rec: Record) -> None:
        rng = day_range(rec.date)
        if rng and rng[0] == rng[1] and not rec.extra.get("date_approx"):
            self.exact.add(rng[0])

    def add(self, rec: Record, feature: Any, similarity: float | None) -> None:
        self.members.append(Member(rec, similarity))
        self.targets |= set(rec.extra.get("targets", ()))
        rng = day_range(rec.date)
        if rng:
            self.first = rng[0] if self.first is None else min(self.first, rng[0])
            self.last = rng[1] if self.last is None else max(self.last, rng[1])
        if len(self.features) < 2:
            self.features.append(feature)
        else:
            self.features[1] = feature  # keep the first and the latest member
        self._mark_exact(rec)


def _cluster_by_time(recs: list[Record], window: int) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    undated: list[Record] = []
    for rec in recs:
        rng = day_range(rec.date)
        if rng is None:
            undated.append(rec)
        elif clusters and clusters[-1].last is not None and rng[0] - clusters[-1].last <= window:
            clusters[-1].add(rec, None, None)
        else:
            clusters.append(_Cluster(rec, None))
    for rec in undated:
        if clusters:
            max(clusters, key=lambda c: len(c.members)).add(rec, None, None)
        else:
            clusters.append(_Cluster(rec, None))
    return clusters


def _cluster_by_similarity(
    recs: list[Record], features: dict[str, Any], sim: Similarity, threshold: float, window: int
) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    active: list[_Cluster] = []  # dated clusters still inside the window, and undated ones
    for rec in recs:
        rng = day_range(rec.date)
        feat = features[rec.id]
        if rng is not None:
            active = [c for c in active if c.last is None or rng[0] - c.last <= window]
        pool = active if rng is not None else clusters
        best: tuple[float, _Cluster] | None = None
        for c in pool:
            if not c.fits(rec):
                continue
            score = max(sim.compare(feat, f) for f in c.features)
            exact = (rng is not None and rng[0] == rng[1] and rng[0] in c.exact
                     and not rec.extra.get("date_approx"))  # fmt: skip
            if (score >= threshold or exact) and (best is None or score > best[0]):
                best = (score, c)
        if best is not None:
            best[1].add(rec, feat, round(best[0], 4))
        else:
            c = _Cluster(rec, feat)
            clusters.append(c)
            active.append(c)
    return clusters


def block_records(
    records: Iterable[Record], vocab: Vocabulary
) -> tuple[dict[tuple[Any, ...], list[Record]], list[Record]]:
    """Records grouped by :func:`block_key`, and those that cannot merge (no key)."""
    blocks: dict[tuple[Any, ...], list[Record]] = defaultdict(list)
    singles: list[Record] = []
    for rec in records:
        key = block_key(rec, vocab)
        (blocks[key] if key is not None else singles).append(rec)
    return blocks, singles


def records_to_embed(blocks: dict[tuple[Any, ...], list[Record]]) -> list[Record]:
    """The records whose text similarity is needed: events and quotes of blocks with
    more than one record (claims merge by key and time alone)."""
    return [r for k, rs in blocks.items() if k[0] != "claim" and len(rs) > 1 for r in rs]


def merge(
    records: Iterable[Record],
    arts: dict[str, ArticleInfo],
    vocab: Vocabulary,
    similarity: Similarity,
    *,
    claim_window: int = 365,
    event_window: int = 7,
    embed: Callable[[list[Record]], list[Any]] | None = None,
) -> list[Fact]:
    """Group records into facts (see the module doc); facts come back sorted by id.

    Only the texts of events and quotes whose block has more than one record are
    embedded, in one call of ``embed`` (default: ``similarity.embed`` of their texts;
    reconcile passes one that reads and fills the store's embedding cache).
    """
    blocks, singles = block_records(records, vocab)
    needs_text = records_to_embed(blocks)
    vectors = embed(needs_text) if embed is not None else similarity.embed([r.text for r in needs_text])
    features = {r.id: v for r, v in zip(needs_text, vectors)}
    facts: list[Fact] = []
    for key, recs in blocks.items():
        recs.sort(key=_order)
        if key[0] == "claim" and key[2] in vocab.single_start and any(map(stated_start_year, recs)):
            # a start date does not change with time: one fact per stated start year
            clusters = [c for part in split_by_start(recs) for c in _cluster_by_time(part, _FOREVER)]
        elif key[0] == "claim" or len(recs) == 1:
            clusters = (_cluster_by_time(recs, claim_window) if key[0] == "claim"
                        else [_Cluster(recs[0], None)])  # fmt: skip
        else:
            window = event_window if key[0] == "event" else claim_window
            threshold = similarity.thresholds[key[0]]
            clusters = _cluster_by_similarity(recs, features, similarity, threshold, window)
        facts.extend(_fact(c, arts, similarity.method) for c in clusters)
    facts.extend(_fact(_Cluster(r, None), arts, similarity.method) for r in singles)
    facts.sort(key=lambda f: f.id)
    return facts


def _fact(cluster: _Cluster, arts: dict[str, ArticleInfo], method: str) -> Fact:
    members = sorted(cluster.members, key=lambda m: _order(m.record))
    rep = members[0].record
    ids = sorted(m.record.id for m in members)
    fact = Fact(
        id=record_id("fact", rep.kind, rep.subject, rep.predicate, rep.object, rep.polarity,
                     modality_class(rep.modality), rep.speaker if rep.kind == "quote" else "",
                     ids[0]),
        kind=rep.kind, subject=rep.subject, predicate=rep.predicate, object=rep.object,
        polarity=rep.polarity, modality=modality_class(rep.modality), method=method,
        members=members, first=cluster.first, last=cluster.last,
    )  # fmt: skip
    for m in members:
        art = arts.get(m.record.article_id)
        key = art.source_key if art else f"article:{m.record.article_id}"
        m.independent = key not in fact.sources
        m.source = key
        fact.sources.add(key)
        fact.articles.add(m.record.article_id)
        if art is not None:
            fact.outlets.add(art.label)
    return fact


def first_last(fact: Fact) -> tuple[str | None, str | None]:
    """The fact's first and last reported dates as ISO strings."""
    return iso(fact.first), iso(fact.last)


def facts_by_article(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        for a in f.articles:
            out[a].append(f)
    return out


__all__ = [
    "Fact",
    "Member",
    "block_key",
    "block_records",
    "facts_by_article",
    "first_last",
    "merge",
    "modality_class",
    "records_to_embed",
    "split_by_start",
    "stated_start_year",
]
