"""Incremental reconcile: a grown corpus gives the tables of a full run, a run with no
change is skipped, and only texts not embedded before are embedded.

The example corpus is split in two: the first half goes through ``pipeline.run`` (what
`diplograph run` does), then the folder grows by the rest and is run again. A fresh store
that runs the grown folder once must hold the same reconcile tables. The similarity is a
small deterministic vector similarity that the store may cache (``cacheable``) and that
counts the texts it embeds, so no model is loaded.
"""

from __future__ import annotations

import hashlib
import math
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import diplograph.reconcile as R
from diplograph.pipeline import run
from diplograph.reconcile.contradict import EVENT_WINDOW, event_pairs
from diplograph.reconcile.inputs import load_articles, load_claims, load_events, load_vocabulary
from diplograph.reconcile.merge import block_records, merge, records_to_embed
from diplograph.reconcile.similarity import content_words
from diplograph.settings import Settings, load_settings
from diplograph.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
TABLES = ["facts", "fact_evidence", "contradictions", "source_scores", "relations", "reconcile_state"]


class CountingVectors:
    """Hashed bag-of-words vectors (cosine); cacheable; counts the texts it embeds."""

    method = "test-vectors"
    cacheable = True

    def __init__(self) -> None:
        self.thresholds = {"event": 0.5, "quote": 0.6}
        self.embedded = 0

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.embedded += len(texts)
        out = []
        for text in texts:
            v = [0.0] * 64
            for w in content_words(text):
                v[int(hashlib.md5(w.encode()).hexdigest(), 16) % 64] += 1.0
            norm = math.sqrt(sum(x * x for x in v)) or 1.0
            out.append([x / norm for x in v])
        return out

    def compare(self, a: Sequence[float], b: Sequence[float]) -> float:
        return max(0.0, min(1.0, sum(x * y for x, y in zip(a, b))))


def dump(store: Store) -> dict[str, list[str]]:
    """The reconcile tables as sorted row reprs (row order ignored)."""
    return {t: sorted(map(repr, store.execute_sql(f"SELECT * FROM {t}")[1])) for t in TABLES}


def cached_ids(store: Store) -> set[str]:
    return {r["record_id"] for r in store.query("SELECT record_id FROM reconcile_embeddings")}


def needs_embedding(store: Store) -> set[str]:
    """Ids of the records whose text reconcile compares: events and quotes of multi-record
    blocks (merge), and the reports of event facts that may contradict (one done, one not
    done: reconcile checks that their sentences tell of the same act)."""
    blocks, _ = block_records([*load_claims(store), *load_events(store, {})], load_vocabulary())
    needed = {r.id for r in records_to_embed(blocks)}
    return needed | set(partners(store))


def partners(store: Store) -> dict[str, set[str]]:
    """``{record id: ids of the reports it may contradict}`` for event facts told as done
    and as not done (whose sentences reconcile compares)."""
    arts = load_articles(store)
    facts = merge([*load_claims(store), *load_events(store, arts)], arts, load_vocabulary(),
                  CountingVectors())
    out: dict[str, set[str]] = {}
    for f, g in event_pairs(facts, EVENT_WINDOW, None):
        out.setdefault(f.rep.id, set()).add(g.rep.id)
        out.setdefault(g.rep.id, set()).add(f.rep.id)
    return out


def block_mates(store: Store) -> dict[str, set[str]]:
    """``{record id: ids of the records of its block}``."""
    blocks, _ = block_records([*load_claims(store), *load_events(store, {})], load_vocabulary())
    return {r.id: {m.id for m in recs} for recs in blocks.values() for r in recs}


def _groups() -> list[list[Path]]:
    """Example files grouped with their sidecars (``x.txt`` + ``x.meta.json``)."""
    groups: dict[str, list[Path]] = {}
    for p in sorted(EXAMPLES.iterdir()):
        groups.setdefault(p.name.split(".")[0], []).append(p)
    return list(groups.values())


def _copy(groups: list[list[Path]], folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    for group in groups:
        for p in group:
            shutil.copy(p, folder / p.name)


def _settings(db: Path) -> Settings:
    return load_settings(overrides={"db": str(db)}, environ={})


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    mp = pytest.MonkeyPatch()
    sim = CountingVectors()
    mp.setattr(R, "default_similarity", lambda *a, **k: sim)  # what pipeline.run uses
    tmp = tmp_path_factory.mktemp("incremental")
    folder = tmp / "corpus"
    groups = _groups()
    half = len(groups) // 2
    out: dict[str, Any] = {"sim": sim}
    grown = Store.open(tmp / "grown.duckdb")
    full = Store.open(tmp / "full.duckdb")
    try:
        _copy(groups[:half], folder)
        first = run(grown, [str(folder)], _settings(tmp / "grown.duckdb"))
        out.update(first=first.reconcile, first_embedded=sim.embedded,
                   cached_first=cached_ids(grown), needed_first=needs_embedding(grown),
                   records_first=_record_ids(grown))  # fmt: skip
        _copy(groups[half:], folder)  # the folder grows
        sim.embedded = 0
        second = run(grown, [str(folder)], _settings(tmp / "grown.duckdb"))
        out.update(second=second.reconcile, second_embedded=sim.embedded,
                   second_extract=second.extract.as_dict(), cached_second=cached_ids(grown),
                   needed_second=needs_embedding(grown), records_second=_record_ids(grown),
                   blocks=block_mates(grown), partners=partners(grown),
                   grown=dump(grown))  # fmt: skip
        sim.embedded = 0
        third = run(grown, [str(folder)], _settings(tmp / "grown.duckdb"))
        out.update(third=third.reconcile, third_embedded=sim.embedded, grown_after=dump(grown))
        sim.embedded = 0
        scratch = run(full, [str(folder)], _settings(tmp / "full.duckdb"))
        out.update(full_stats=scratch.reconcile, full_embedded=sim.embedded, full=dump(full),
                   articles=[_articles(grown), _articles(full)])  # fmt: skip
        yield out
    finally:
        grown.close()
        full.close()
        mp.undo()


def _record_ids(store: Store) -> set[str]:
    rows = store.query("SELECT id FROM claims UNION ALL SELECT id FROM events")
    return {r["id"] for r in rows}


def _articles(store: Store) -> list[tuple[Any, ...]]:
    cols = "id, title, outlet, published, origin, url, word_count, reprint_of, reprinted_from"
    return sorted(map(tuple, store.execute_sql(f"SELECT {cols} FROM articles")[1]))


def test_grown_corpus_equals_a_full_run(runs: dict[str, Any]) -> None:
    assert runs["articles"][0] == runs["articles"][1]  # same inputs
    assert runs["second"]["skipped"] is False
    assert runs["second"]["articles"] > runs["first"]["articles"]
    assert runs["grown"] == runs["full"]
    assert runs["grown"]["facts"] and runs["grown"]["contradictions"]
    stats = {k: v for k, v in runs["second"].items() if k not in R.RUN_KEYS}
    assert stats == {k: v for k, v in runs["full_stats"].items() if k not in R.RUN_KEYS}


def test_rerun_with_no_change_is_skipped(runs: dict[str, Any]) -> None:
    third = runs["third"]
    assert third["skipped"] is True and third["rows_written"] == 0
    assert runs["third_embedded"] == 0
    assert runs["grown_after"] == runs["grown"]
    assert third["facts"] == runs["second"]["facts"]


def test_only_texts_not_embedded_before_are_embedded(runs: dict[str, Any]) -> None:
    new_records = runs["records_second"] - runs["records_first"]
    embedded_now = runs["cached_second"] - runs["cached_first"]
    assert runs["cached_first"] == runs["needed_first"]
    assert runs["cached_second"] == runs["needed_second"]
    # exactly the records needed now and not cached before were embedded ...
    assert runs["second_embedded"] == runs["second"]["embedded"] == len(embedded_now) > 0
    assert runs["second"]["reused_embeddings"] == len(runs["needed_second"] & runs["cached_first"])
    # ... the new records, and old ones alone in their block until a new record joined it
    # (or until a new report told their event the other way)
    old = embedded_now - new_records
    assert embedded_now & new_records
    assert not old & runs["needed_first"]
    assert all((runs["blocks"][r] | runs["partners"].get(r, set())) & new_records for r in old)
    assert runs["full_embedded"] == len(runs["needed_second"]) > runs["second_embedded"]


# --------------------------------------------------------------- smaller units


def _tiny_store(store: Store) -> None:
    """Two articles with the same event, and a claim, via the reconcile test builders."""
    from test_reconcile import article, claim, event, save

    a = article("NATO and Azerbaijan held talks in Baku on security. Azerbaijan is a member "
                "of the PfP.", "Wire A", "2024-03-01", name="a")  # fmt: skip
    b = article("Azerbaijan and NATO held talks on security in Baku.", "Wire B", "2024-03-01", name="b")
    save(store, (a, [event(a, "talks", "CONSULT", ("NATO",), ("AZE",), "2024-03-01"),
                     claim(a, "Azerbaijan is a member of the PfP", "AZE", "member_of", "PFP")]),
         (b, [event(b, "talks", "CONSULT", ("NATO",), ("AZE",), "2024-03-01")]))  # fmt: skip


def test_parameters_force_and_changed_texts_recompute(store: Store) -> None:
    _tiny_store(store)
    sim = CountingVectors()
    first = R.reconcile(store, similarity=sim)
    assert first["embedded"] == 2 and sim.embedded == 2 and not first["skipped"]
    assert R.reconcile(store, similarity=sim)["skipped"]
    assert not R.reconcile(store, similarity=sim, event_window=3)["skipped"]  # other window
    forced = R.reconcile(store, similarity=sim, event_window=3, force=True)
    assert not forced["skipped"] and forced["reused_embeddings"] == 2 and sim.embedded == 2
    # a cached vector whose text changed is not used
    store.execute_sql("UPDATE reconcile_embeddings SET text_hash = 'stale'")
    again = R.reconcile(store, similarity=sim, force=True)
    assert again["embedded"] == 2 and sim.embedded == 4
    # token sets are not cached
    R.reconcile(store, similarity=R.TokenSetSimilarity())
    methods = {r["method"] for r in store.query("SELECT method FROM reconcile_embeddings")}
    assert methods == {"test-vectors"}


def test_removed_records_are_dropped_and_pruned(store: Store) -> None:
    _tiny_store(store)
    sim = CountingVectors()
    R.reconcile(store, similarity=sim)
    gone = store.query("SELECT id, article_id FROM events ORDER BY id")[0]
    store.execute_sql(f"DELETE FROM events WHERE id = '{gone['id']}'")
    stats = R.reconcile(store, similarity=sim)
    assert not stats["skipped"] and stats["events"] == 1
    kept = store.query("SELECT id FROM events")[0]["id"]
    assert cached_ids(store) == {kept}  # the removed record's vector is pruned
    incremental = dump(store)
    for table in ["reconcile_embeddings", "reconcile_article_checks", "row_digests"]:
        store.execute_sql(f"DELETE FROM {table}")
    R.reconcile(store, similarity=sim, force=True)
    assert dump(store) == incremental


def test_update_tables_writes_only_changed_rows(store: Store) -> None:
    cols = ["key", "value"]
    rows = [["a", "1"], ["b", "2"], ["c", "3"]]
    assert store.update_tables({"reconcile_state": (cols, ["key"], rows)}) == {"reconcile_state": 3}
    assert store.update_tables({"reconcile_state": (cols, ["key"], rows)}) == {"reconcile_state": 0}
    changed = [["a", "1"], ["b", "20"], ["d", "4"]]
    assert store.update_tables({"reconcile_state": (cols, ["key"], changed)}) == {"reconcile_state": 2}
    assert sorted(map(tuple, store.execute_sql("SELECT * FROM reconcile_state")[1])) == [
        ("a", "1"), ("b", "20"), ("d", "4")]  # fmt: skip
    # a table changed behind its back is replaced as a whole
    store.execute_sql("UPDATE reconcile_state SET value = 'x' WHERE key = 'a'")
    assert store.update_tables({"reconcile_state": (cols, ["key"], changed)}) == {"reconcile_state": 3}
    assert sorted(map(tuple, store.execute_sql("SELECT * FROM reconcile_state")[1])) == [
        ("a", "1"), ("b", "20"), ("d", "4")]  # fmt: skip
    # composite keys; repeated keys fall back to a full replace
    ev = ["fact_id", "record_id", "record_kind", "article_id", "source_key", "independent", "similarity"]
    rows2 = [["f", "r1", "claim", "a", "s", True, None], ["f", "r2", "claim", "a", "s", False, 0.5]]
    assert store.update_tables({"fact_evidence": (ev, ["fact_id", "record_id"], rows2)})["fact_evidence"] == 2
    rows2[1][-1] = 0.75
    assert store.update_tables({"fact_evidence": (ev, ["fact_id", "record_id"], rows2)})["fact_evidence"] == 1
    assert store.scalar("SELECT similarity FROM fact_evidence WHERE record_id = 'r2'") == 0.75
    dup = [rows2[0], rows2[0]]
    assert store.update_tables({"fact_evidence": (ev, ["fact_id", "record_id"], dup)})["fact_evidence"] == 2
    assert store.scalar("SELECT count(*) FROM fact_evidence") == 2
    with pytest.raises(ValueError):
        store.update_tables({"fact_evidence": (ev, ["nope"], rows2)})
    # keys that are not non-empty strings: always a full replace, never a digest
    odd = [["", "x"], ["k", "y"]]
    for _ in range(2):
        assert store.update_tables({"reconcile_state": (cols, ["key"], odd)}) == {"reconcile_state": 2}
    assert store.update_tables({"reconcile_state": (cols, ["key"], [])}) == {"reconcile_state": 0}
    assert store.scalar("SELECT count(*) FROM reconcile_state") == 0
