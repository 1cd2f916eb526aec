"""Cross-source reconciliation: merged facts, corroboration, contradictions, source
credibility and relations over time (docs/reconcile.md).

Public API::

    reconcile(store, *, similarity=None, ...) -> dict          (writes the reconcile tables)
    claims(store, actor=None, speaker=None) -> list[dict]      (merged claims with evidence)
    contradictions(store) -> list[dict]                        (both sides, with provenance)
    source_scores(store, scope=None) -> list[dict]             (outlet, then article cards)
    relation(store, a, b, at=None) -> dict                     (relation states over time)
    report_sections(store) -> list[tuple[str, str]]            (title, escaped HTML)
    Similarity, TokenSetSimilarity, MiniLMSimilarity, default_similarity

:func:`reconcile` reads articles, claims, events and timexes from the store, and makes
``facts``, ``fact_evidence``, ``contradictions``, ``source_scores``, ``relations`` and
``reconcile_state`` hold what a full run computes, in one transaction (writing only the
rows that changed). Ids are deterministic hashes, so running it twice on the same store
gives the same rows; a run with nothing changed is skipped, and embeddings and per-article
text checks are cached (:mod:`.incremental`). It imports neither spaCy nor DuckDB:
everything goes through :class:`~diplograph.store.Store`.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..store import Store
from .contradict import Contradiction, exclusive_sets, find_contradictions
from .credibility import article_scorecard, outlet_scorecards
from .incremental import CachedEmbedder, Checks, article_checks, signature, stored_state
from .inputs import (
    ArticleInfo,
    Record,
    load_articles,
    load_claims,
    load_events,
    load_mentions,
    load_timexes,
    load_vocabulary,
)
from .merge import Fact, facts_by_article, first_last, merge
from .relations import COLUMNS as RELATION_COLUMNS
from .relations import build_relations, time_bounds
from .report import report_sections
from .similarity import MiniLMSimilarity, Similarity, TokenSetSimilarity, default_similarity
from .views import claims, contradictions, relation, source_scores

log = logging.getLogger(__name__)

RECONCILER = "diplograph.reconcile@7"  # @7: a self-contradiction no longer hides the one between sources
#: stats keys that describe one run (not stored; a skipped run reports its own)
RUN_KEYS = ("skipped", "embedded", "reused_embeddings", "checked_articles", "rows_written",
            "seconds")  # fmt: skip
_ONLY_HINT = re.compile(r"\b(?:only|sole|solely|exclusively)\b", re.IGNORECASE)


def reconcile(
    store: Store,
    *,
    similarity: Similarity | None = None,
    claim_window: int = 365,
    event_window: int = 7,
    contradiction_window: int = 365,
    vocabulary: Sequence[str | Path] = (),
    force: bool = False,
) -> dict[str, Any]:
    """Merge, score and relate everything in ``store``; return run statistics.

    ``similarity`` compares event sentences and quotes (default: MiniLM when the ``[ml]``
    extra is installed, else token sets; the method used is in the stats and on every
    fact). Windows are in days: claims with the same canonical form merge when reported
    within ``claim_window`` days of each other, event reports within ``event_window``;
    facts contradict when their report dates are within ``contradiction_window`` days
    (undated facts always overlap). ``vocabulary`` adds user predicate files.

    Incremental: when nothing reconcile reads has changed since the last run (same
    signature), the stored stats come back with ``"skipped": true`` and no table is
    touched (``force`` recomputes anyway). Otherwise everything is recomputed, but text
    embeddings and per-article text checks are read from the store's caches for the
    records and articles seen before, so a re-run embeds only new texts.
    """
    started = time.perf_counter()
    sim = similarity if similarity is not None else default_similarity()
    vocab = load_vocabulary(vocabulary)
    windows = {"claim": claim_window, "event": event_window, "contradiction": contradiction_window}
    sig = signature(store, sim, reconciler=RECONCILER, windows=windows, vocabulary=vocabulary)
    state = stored_state(store)
    if not force and state.get("signature") == sig and "stats" in state:
        stats = json.loads(state["stats"])
        stats.update(skipped=True, embedded=0, reused_embeddings=0, checked_articles=0,
                     rows_written=0, seconds=round(time.perf_counter() - started, 3))  # fmt: skip
        log.info("reconcile: nothing changed since the last run (%s)", sig)
        return stats  # type: ignore[no-any-return]
    arts = load_articles(store)
    claim_recs = load_claims(store)
    event_recs = load_events(store, arts)
    timexes = load_timexes(store)
    for rec in claim_recs:  # the start/end each claim states, for merge, values, relations
        if rec.kind == "claim":
            rec.extra["bounds"] = time_bounds(rec, arts.get(rec.article_id),
                                              timexes.get(rec.article_id, []), vocab)  # fmt: skip
    embedder = CachedEmbedder(store, sim)
    facts = merge([*claim_recs, *event_recs], arts, vocab, sim, claim_window=claim_window,
                  event_window=event_window, embed=embedder)  # fmt: skip
    hinted = [c for c in claim_recs if _ONLY_HINT.search(c.text)]
    mentions = load_mentions(store, (c.article_id for c in hinted))
    texts = {aid: arts[aid].text for aid in {c.article_id for c in hinted} if aid in arts}
    exclusives = exclusive_sets(hinted, mentions, texts)
    found = find_contradictions(facts, vocab, window=contradiction_window, exclusives=exclusives,
                                similar=_same_act(sim, embedder))
    checks, names, checked = article_checks(store, arts)
    cards = _scorecards(arts, facts, found, claim_recs, checks)
    outlets = outlet_scorecards(cards, arts)
    relations = build_relations(facts, arts, timexes, vocab)
    stats = {
        "reconciler": RECONCILER, "method": sim.method, "articles": len(arts),
        "claims": len(claim_recs), "events": len(event_recs), "facts": len(facts),
        "claim_facts": sum(f.kind == "claim" for f in facts),
        "quote_facts": sum(f.kind == "quote" for f in facts),
        "event_facts": sum(f.kind == "event" for f in facts),
        "corroborated": sum(len(f.sources) > 1 for f in facts),
        "contradictions": len(found), "self_contradictions": sum(c.is_self for c in found),
        "exclusive_claims": len(exclusives), "outlets": len(outlets),
        "relations": len(relations),
    }  # fmt: skip
    written = _write(store, facts, found, cards + outlets, relations, stats, sig)
    store.prune_reconcile_cache(names)
    stats.update(skipped=False, embedded=embedder.embedded, reused_embeddings=embedder.reused,
                 checked_articles=checked, rows_written=sum(written.values()),
                 seconds=round(time.perf_counter() - started, 3))  # fmt: skip
    log.info("reconcile: %s", stats)
    return stats


def _same_act(sim: Similarity, embed: CachedEmbedder) -> Callable[[list[tuple[Record, Record]]], list[bool]]:
    """For pairs of event reports: do their sentences tell of the same act (the merge
    similarity at its event threshold)?"""

    def similar(pairs: list[tuple[Record, Record]]) -> list[bool]:
        recs = list({r.id: r for pair in pairs for r in pair}.values())
        vectors = dict(zip((r.id for r in recs), embed(recs)))
        threshold = sim.thresholds["event"]
        return [sim.compare(vectors[a.id], vectors[b.id]) >= threshold for a, b in pairs]

    return similar


def _scorecards(
    arts: dict[str, ArticleInfo],
    facts: list[Fact],
    found: list[Contradiction],
    claim_recs: list[Record],
    checks: dict[str, Checks],
) -> list[dict[str, Any]]:
    by_article = facts_by_article(facts)
    contra: dict[str, list[Contradiction]] = defaultdict(list)
    for c in found:
        for aid in c.fact_a.articles | c.fact_b.articles:
            contra[aid].append(c)
    recs: dict[str, list[Record]] = defaultdict(list)
    for r in claim_recs:
        recs[r.article_id].append(r)
    cards = []
    for aid, art in sorted(arts.items()):
        findings, counts = checks[aid]
        cards.append(article_scorecard(art, by_article.get(aid, []), contra.get(aid, []),
                                       findings, recs.get(aid, []), arts, counts))  # fmt: skip
    return cards


def _write(
    store: Store,
    facts: list[Fact],
    found: list[Contradiction],
    cards: list[dict[str, Any]],
    relations: list[dict[str, Any]],
    stats: dict[str, Any],
    sig: str,
) -> dict[str, int]:
    """Write the reconcile tables (only rows that changed); returns rows written per table."""
    fact_rows, evidence_rows = [], []
    for f in facts:
        first, last = first_last(f)
        fact_rows.append([
            f.id, f.kind, f.subject, f.predicate, f.object, f.polarity, f.modality, f.actors(),
            first, last, len(f.articles), len(f.sources), sorted(f.outlets),
            len(f.sources) > 1, f.rep.text, f.method,
        ])  # fmt: skip
        for m in f.members:
            kind = "event" if m.record.kind == "event" else "claim"
            evidence_rows.append([f.id, m.record.id, kind, m.record.article_id,
                                  m.source, m.independent, m.similarity])  # fmt: skip
    contra_rows = [[
        c.id, c.kind, c.subject, c.reason, c.fact_a.id, c.fact_b.id, c.claim_a.id, c.claim_b.id,
        c.claim_a.article_id, c.claim_b.article_id, c.self_articles,
    ] for c in found]  # fmt: skip
    score_rows = [[c["scope"], c["key"], c["outlet"], c["article_id"], c["score"], c["articles"],
                   c["facts"], json.dumps(c)] for c in cards]  # fmt: skip
    return store.update_tables({
        "facts": (["id", "kind", "subject", "predicate", "object", "polarity", "modality",
                   "actors", "first_date", "last_date", "articles", "sources", "outlets",
                   "corroborated", "text", "method"], ["id"], fact_rows),
        "fact_evidence": (["fact_id", "record_id", "record_kind", "article_id", "source_key",
                           "independent", "similarity"], ["fact_id", "record_id"], evidence_rows),
        "contradictions": (["id", "kind", "subject", "reason", "fact_a", "fact_b", "claim_a",
                            "claim_b", "article_a", "article_b", "self_articles"], ["id"],
                           contra_rows),
        "source_scores": (["scope", "key", "outlet", "article_id", "score", "articles", "facts",
                           "card"], ["scope", "key"], score_rows),
        "relations": (list(RELATION_COLUMNS), ["id"],
                      [[r[c] for c in RELATION_COLUMNS] for r in relations]),
        "reconcile_state": (["key", "value"], ["key"],
                            [["stats", json.dumps(stats, sort_keys=True)],
                             ["method", stats["method"]], ["signature", sig]]),
    })  # fmt: skip


__all__ = [
    "RECONCILER",
    "RUN_KEYS",
    "MiniLMSimilarity",
    "Similarity",
    "TokenSetSimilarity",
    "claims",
    "contradictions",
    "default_similarity",
    "reconcile",
    "relation",
    "report_sections",
    "source_scores",
]
