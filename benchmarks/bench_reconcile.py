"""Benchmark: reconcile time for 10k synthetic claims and for twice as many (scaling).

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_reconcile.py [--claims 10000] [--minilm]

The corpus is synthetic and seeded: one short article per ten claims, 40 outlets, 60
actors, every predicate of the vocabulary, 10% negated claims, one event per claim, and
dates spread over five years per 10k claims (so 2N claims cover twice the time at the same
density, as a growing archive does). Timing covers ``reconcile()`` only (reading the store,
merging, contradictions, scorecards, relations and writing the tables back), on the
token-set similarity unless ``--minilm``. Blocking by actors, predicate and time keeps it
near-linear: the ratio of the 2N time to the N time should stay close to 2 (quadratic
would be 4). ``make bench`` runs it (result in ``work/bench/reconcile.json``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from diplograph import reconcile as R
from diplograph.model import content_id, record_id
from diplograph.reconcile.inputs import load_vocabulary
from diplograph.store import Store

PREDICATES = [
    "member_of", "seeks_membership", "partner_of", "participates_in", "contributes_to",
    "supports", "opposes", "recognizes_sovereignty", "supplies_arms_to", "trade_partner_of",
    "in_conflict_with", "mediates", "has_diplomatic_relations_with", "non_aligned",
]  # fmt: skip
EVENT_TYPES = ["CONSULT", "AGREE", "SUPPORT", "ACCUSE", "AID", "COOPERATE", "THREATEN"]


Tables = dict[str, tuple[list[str], list[list[Any]]]]


def synthetic_store(n_claims: int, seed: int = 7) -> Store:
    """An in-memory store with ``n_claims`` claims, as many events, and their articles."""
    store = Store.open(":memory:")
    store.replace_tables(synthetic_rows(n_claims, seed))
    return store


def synthetic_rows(n_claims: int, seed: int = 7) -> Tables:
    """The rows of :func:`synthetic_store`: ``{table: (columns, rows)}``."""
    rng = random.Random(seed)
    actors = [f"A{i:02d}" for i in range(57)] + ["NATO", "CSTO", "NAM"]
    outlets = [f"Outlet {i}" for i in range(40)]
    start = date(2000, 1, 1)
    span = max(365, int(5 * 365 * n_claims / 10_000))  # constant density: 10k claims per 5 years
    articles, claims, events = [], [], []
    for a in range(max(1, n_claims // 10)):
        day = (start + timedelta(days=rng.randrange(span))).isoformat()
        text = f"Article {a}. " + " ".join(
            f"{rng.choice(actors)} met {rng.choice(actors)} in talk number {a}-{k}." for k in range(10))
        aid = content_id(text)
        articles.append([aid, text, f"title {a}", rng.choice(outlets), None, day, "sidecar",
                         f"/synthetic/{a}.txt", None, "en", len(text.split()), None, None, None])  # fmt: skip
        for k in range(10):
            subj, obj = rng.sample(actors, 2)
            pred = rng.choice(PREDICATES)
            obj_ = None if pred == "non_aligned" else obj
            pol = "negated" if rng.random() < 0.1 else "affirmed"
            lo, hi = 12 + 40 * k, 40 + 40 * k
            claims.append([record_id(aid, lo, k), aid, k + 1, lo, hi, f"{subj} {pred} {obj_}",
                           "assertion", None, subj, pred, obj_, pol, "asserted", day, "bench@1"])  # fmt: skip
            events.append([record_id(aid, lo, "ev"), aid, k + 1, lo, lo + 3, "met",
                           rng.choice(EVENT_TYPES), [subj], [obj], False, "asserted", day, True,
                           f"{subj} met {obj} in talks about {rng.choice(PREDICATES)}"])  # fmt: skip
    return {
        "articles": (["id", "text", "title", "outlet", "author", "published", "published_source",
                      "origin", "url", "lang", "word_count", "reprint_of", "similarity",
                      "reprinted_from"], articles),
        "claims": (["id", "article_id", "sentence", "start_char", "end_char", "text", "kind",
                    "speaker", "subject", "predicate", "object", "polarity", "modality", "date",
                    "extractor"], claims),
        "events": (["id", "article_id", "sentence", "trigger_start", "trigger_end", "trigger",
                    "type", "sources", "targets", "negated", "modality", "date", "date_approx",
                    "context"], events),
    }  # fmt: skip


def first_articles(tables: Tables, n_articles: int) -> Tables:
    """The rows of the first ``n_articles`` articles (a folder before it grew)."""
    cols, rows = tables["articles"]
    keep = {r[0] for r in rows[:n_articles]}
    out: Tables = {"articles": (cols, rows[:n_articles])}
    for name in ("claims", "events"):
        cols, rows = tables[name]
        out[name] = (cols, [r for r in rows if r[1] in keep])
    return out


RECONCILE_TABLES = ["facts", "fact_evidence", "contradictions", "source_scores", "relations",
                    "reconcile_state"]  # fmt: skip


def dump(store: Store) -> dict[str, list[str]]:
    """The reconcile tables as sorted row reprs (to compare two runs, ignoring row order)."""
    return {t: sorted(map(repr, store.execute_sql(f"SELECT * FROM {t}")[1])) for t in RECONCILE_TABLES}


def timed(store: Store, similarity: Any, **kwargs: Any) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    stats = R.reconcile(store, similarity=similarity, **kwargs)
    return round(time.perf_counter() - started, 3), stats


def incremental(n_claims: int = 10_000, grow: float = 0.1, similarity: Any = None) -> dict[str, Any]:
    """Reconcile ``n_claims`` claims, add ``grow`` more articles, reconcile again.

    Times the first run, the incremental re-run on the grown store, a re-run with no
    change (skipped), and a full run of the grown corpus in a fresh store (no caches),
    whose tables the incremental run's must equal.
    """
    sim = similarity or R.TokenSetSimilarity()
    grown_rows = synthetic_rows(int(n_claims * (1 + grow)))
    n_base = max(1, n_claims // 10)
    grown = Store.open(":memory:")
    scratch = Store.open(":memory:")
    try:
        grown.replace_tables(first_articles(grown_rows, n_base))
        first, _ = timed(grown, sim)
        grown.replace_tables(grown_rows)  # the same rows plus the new articles
        again, stats = timed(grown, sim)
        skipped, noop = timed(grown, sim)
        scratch.replace_tables(grown_rows)
        full, full_stats = timed(scratch, sim)
        same = dump(grown) == dump(scratch)
    finally:
        grown.close()
        scratch.close()
    return {"method": stats["method"], "claims": n_claims,
            "new_articles": len(grown_rows["articles"][1]) - n_base,
            "first_run": first, "full_run": full, "incremental_run": again,
            "no_change_run": skipped, "no_change_skipped": noop["skipped"],
            "embedded_full": full_stats["embedded"], "embedded_incremental": stats["embedded"],
            "reused_embeddings": stats["reused_embeddings"],
            "rows_written_full": full_stats["rows_written"],
            "rows_written_incremental": stats["rows_written"], "equal_to_full": same}  # fmt: skip


def measure(n_claims: int, similarity: Any) -> dict[str, Any]:
    store = synthetic_store(n_claims)
    try:
        started = time.perf_counter()
        stats = R.reconcile(store, similarity=similarity)
        seconds = time.perf_counter() - started
    finally:
        store.close()
    return {"claims": n_claims, "events": stats["events"], "seconds": round(seconds, 3),
            "facts": stats["facts"], "contradictions": stats["contradictions"],
            "method": stats["method"]}  # fmt: skip


def benchmark(n_claims: int = 10_000, minilm: bool = False) -> dict[str, Any]:
    load_vocabulary()  # warm the vocabulary cache outside the timings
    sim = R.default_similarity("minilm") if minilm else R.TokenSetSimilarity()
    small = measure(n_claims, sim)
    large = measure(2 * n_claims, sim)
    return {"n": small, "2n": large, "ratio": round(large["seconds"] / max(small["seconds"], 1e-9), 2)}


@pytest.mark.bench
def test_reconcile_scales_near_linearly(save_result: Any) -> None:
    result = benchmark()
    save_result("reconcile", result)
    assert result["n"]["facts"] > 0 and result["n"]["contradictions"] > 0
    assert result["ratio"] < 3.0, result  # quadratic would be about 4


@pytest.mark.bench
def test_incremental_rerun_equals_full_run(save_result: Any) -> None:
    result = incremental()
    save_result("reconcile-incremental", result)
    assert result["equal_to_full"] and result["no_change_skipped"], result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--minilm", action="store_true", help="use the MiniLM similarity")
    parser.add_argument("--incremental", action="store_true",
                        help="time a re-run after adding 10%% more articles instead")  # fmt: skip
    args = parser.parse_args()
    if args.incremental:
        sim = R.default_similarity("minilm") if args.minilm else R.TokenSetSimilarity()
        print(json.dumps(incremental(args.claims, similarity=sim), indent=2))
        return
    print(json.dumps(benchmark(args.claims, args.minilm), indent=2))


if __name__ == "__main__":
    main()
