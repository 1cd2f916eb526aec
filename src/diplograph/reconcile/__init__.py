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

:func:`reconcile` reads articles, claims, events and timexes from the store, and replaces
the rows of ``facts``, ``fact_evidence``, ``contradictions``, ``source_scores``,
``relations`` and ``reconcile_state`` in one transaction. Ids are deterministic hashes,
so running it twice on the same store writes the same rows. It imports neither spaCy nor
DuckDB: everything goes through :class:`~diplograph.store.Store`.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..store import Store
from .contradict import Contradiction, exclusive_sets, find_contradictions
from .credibility import NameChecker, article_scorecard, outlet_scorecards, repeated_items
from .inputs import (
    ArticleInfo,
    Record,
    all_actor_names,
    known_org_names,
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

RECONCILER = "diplograph.reconcile@1"
_ONLY_HINT = re.compile(r"\b(?:only|sole|solely|exclusively)\b", re.IGNORECASE)


def reconcile(
    store: Store,
    *,
    similarity: Similarity | None = None,
    claim_window: int = 365,
    event_window: int = 7,
    contradiction_window: int = 365,
    vocabulary: Sequence[str | Path] = (),
) -> dict[str, Any]:
    """Merge, score and relate everything in ``store``; return run statistics.

    ``similarity`` compares event sentences and quotes (default: MiniLM when the ``[ml]``
    extra is installed, else token sets; the method used is in the stats and on every
    fact). Windows are in days: claims with the same canonical form merge when reported
    within ``claim_window`` days of each other, event reports within ``event_window``;
    facts contradict when their report dates are within ``contradiction_window`` days
    (undated facts always overlap). ``vocabulary`` adds user predicate files.
    """
    started = time.perf_counter()
    sim = similarity if similarity is not None else default_similarity()
    vocab = load_vocabulary(vocabulary)
    arts = load_articles(store)
    claim_recs = load_claims(store)
    event_recs = load_events(store, arts)
    timexes = load_timexes(store)
    for rec in claim_recs:  # the start/end each claim states, for merge, values, relations
        if rec.kind == "claim":
            rec.extra["bounds"] = time_bounds(rec, arts.get(rec.article_id),
                                              timexes.get(rec.article_id, []), vocab)  # fmt: skip
    facts = merge([*claim_recs, *event_recs], arts, vocab, sim,
                  claim_window=claim_window, event_window=event_window)  # fmt: skip
    hinted = [c for c in claim_recs if _ONLY_HINT.search(c.text)]
    mentions = load_mentions(store, (c.article_id for c in hinted))
    texts = {aid: arts[aid].text for aid in {c.article_id for c in hinted} if aid in arts}
    exclusives = exclusive_sets(hinted, mentions, texts)
    found = find_contradictions(facts, vocab, window=contradiction_window, exclusives=exclusives)
    cards = _scorecards(store, arts, facts, found, claim_recs)
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
    _write(store, facts, found, cards + outlets, relations, stats)
    stats["seconds"] = round(time.perf_counter() - started, 3)
    log.info("reconcile: %s", stats)
    return stats


def _scorecards(
    store: Store,
    arts: dict[str, ArticleInfo],
    facts: list[Fact],
    found: list[Contradiction],
    claim_recs: list[Record],
) -> list[dict[str, Any]]:
    checker = NameChecker(known_org_names(store), all_actor_names(store))
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
        found_all = sorted(repeated_items(art.text) + checker.check(art.text), key=lambda f: f.start)
        # the same error repeated (a wrong name used twice) counts once
        findings = list({(f.kind, f.text): f for f in reversed(found_all)}.values())[::-1]
        cards.append(article_scorecard(art, by_article.get(aid, []), contra.get(aid, []),
                                       findings, recs.get(aid, []), arts))  # fmt: skip
    return cards


def _write(
    store: Store,
    facts: list[Fact],
    found: list[Contradiction],
    cards: list[dict[str, Any]],
    relations: list[dict[str, Any]],
    stats: dict[str, Any],
) -> None:
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
    store.replace_tables({
        "facts": (["id", "kind", "subject", "predicate", "object", "polarity", "modality",
                   "actors", "first_date", "last_date", "articles", "sources", "outlets",
                   "corroborated", "text", "method"], fact_rows),
        "fact_evidence": (["fact_id", "record_id", "record_kind", "article_id", "source_key",
                           "independent", "similarity"], evidence_rows),
        "contradictions": (["id", "kind", "subject", "reason", "fact_a", "fact_b", "claim_a",
                            "claim_b", "article_a", "article_b", "self_articles"], contra_rows),
        "source_scores": (["scope", "key", "outlet", "article_id", "score", "articles", "facts",
                           "card"], score_rows),
        "relations": (list(RELATION_COLUMNS), [[r[c] for c in RELATION_COLUMNS] for r in relations]),
        "reconcile_state": (["key", "value"], [["stats", json.dumps(stats, sort_keys=True)],
                                               ["method", stats["method"]]]),
    })  # fmt: skip


__all__ = [
    "RECONCILER",
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
