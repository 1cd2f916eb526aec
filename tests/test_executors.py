"""Executors: Parquet parts and their merge, the local pool, incremental extract."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import EXAMPLES
from diplograph import executors
from diplograph.errors import ConfigError
from diplograph.model import Annotations, Claim, Event, Mention, Sentence, TimeExpr
from diplograph.store import Store

ANNOTATION_TABLES = ["sentences", "mentions", "timexes", "events", "claims"]


def annotations(article_id: str, extractor: str = "test@1", n: int = 2) -> Annotations:
    """Hand-built annotations with every record kind and every field type."""
    sentences = tuple(Sentence(article_id, i, i * 10, i * 10 + 9) for i in range(n))
    mentions = tuple(
        Mention(f"{article_id}-m{i}", article_id, i, i * 10, i * 10 + 4, "Baku", "AZE", "AZE",
                None, "AZE", "GPE", i % 2 == 0, "metonym", extractor)
        for i in range(n)
    )
    timexes = (
        TimeExpr(f"{article_id}-t", article_id, 0, 5, 9, "today", "DATE", "2024-03-18",
                 "2024-03-18", "publication", False, extractor),
    )
    events = (
        Event(f"{article_id}-e", article_id, 1, 12, 17, "urged", "DEMAND", None, "diplomatic",
              "10", 3, -5.0, ("AZE", "AZEGOV"), ("ARM",), ((10, 14), (0, 3)), ((20, 27),),
              False, "asserted", None, "2024-03-18", True, "publication", None, 0.75, extractor),
    )
    claims = (
        Claim(f"{article_id}-c", article_id, 1, 12, 30, "peace is near", "direct", "AZE",
              "Baku", 0, 4, None, "said", 5, 9, "AZE", "expect", "peace", "affirmed",
              "asserted", None, extractor),
    )
    return Annotations(article_id, extractor, sentences, mentions, timexes, events, claims)


def table_rows(store: Store, table: str) -> list[tuple]:
    _, rows = store.execute_sql(f"SELECT * EXCLUDE (extracted_at) FROM {table}"
                                      if table == "extracted" else f"SELECT * FROM {table}")
    return sorted(rows, key=repr)


def dump(store: Store) -> dict[str, list[tuple]]:
    return {t: table_rows(store, t) for t in [*ANNOTATION_TABLES, "extracted"]}


def test_arrow_schema_follows_the_model() -> None:
    schema = executors.arrow_schema(Event)
    assert schema.names == Event.field_names()
    assert str(schema.field("sources").type) == "list<item: string>"
    assert str(schema.field("source_spans").type) == "list<item: list<item: int64>>"
    assert str(schema.field("goldstein").type) == "double"


def test_parquet_merge_equals_save_annotations(tmp_path: Path) -> None:
    batch = [annotations("a1"), annotations("a2", n=3), Annotations("a3", "test@1")]
    direct = Store.open(":memory:")
    direct.save_annotations(batch)
    parts = tmp_path / "parts"
    executors.write_parts(parts, executors.batch_id(a.article_id for a in batch),
                          executors.to_arrow(batch))
    merged = Store.open(":memory:")
    assert merged.merge_parquet(parts) == 3
    assert dump(merged) == dump(direct)
    assert len(dump(merged)["events"]) == 2
    # merging the same parts again changes nothing
    assert merged.merge_parquet(parts, remove_merged=True) == 3
    assert dump(merged) == dump(direct)
    assert not list(parts.rglob("*.parquet"))


def test_merge_ignores_batches_without_marker_and_replaces_old_versions(tmp_path: Path) -> None:
    store = Store.open(":memory:")
    store.save_annotations([annotations("a1", "test@1", n=3)])
    parts = tmp_path / "parts"
    tables = executors.to_arrow([annotations("a1", "test@2", n=1)])
    executors.write_parts(parts, "new", tables)
    # a chunk killed before its marker was written: only data files, never merged
    orphan = executors.to_arrow([annotations("zz")])
    del orphan[executors.MARKER]
    for name, table in orphan.items():
        import pyarrow.parquet as pq

        (parts / name).mkdir(parents=True, exist_ok=True)
        pq.write_table(table, parts / name / "orphan.parquet")
    assert store.merge_parquet(parts) == 1
    rows = dump(store)
    assert rows["extracted"] == [("a1", "test@2")]
    assert len(rows["mentions"]) == 1  # the old version's three mentions were replaced
    assert {r[-1] for r in rows["mentions"]} == {"test@2"}
    assert not any(r[1] == "zz" for r in rows["mentions"])


def test_unknown_executor_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        executors.check_executor("spark")


def test_ray_temp_dir_is_short(tmp_path: Path) -> None:
    deep = tmp_path / ("x" * 80)
    path = executors.ray_temp_dir(deep)
    assert len(path) <= 36 and os.path.isdir(path)
    short = executors.ray_temp_dir("/tmp/dg-r")
    assert short == "/tmp/dg-r"


def test_missing_ray_extra_gives_an_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from diplograph.errors import MissingExtraError

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    hint = r"pip install 'diplograph\[ray\]'"
    with pytest.raises(MissingExtraError, match=hint), executors.ray_cluster():
        pass


# ------------------------------------------------- with the real extract stage


def _extract_settings(tmp_path: Path, **overrides: object):
    from diplograph.settings import load_settings

    return load_settings(overrides={"db": str(tmp_path / "t.duckdb"), **overrides}, environ={})


def test_process_pool_gives_the_same_annotations_in_input_order(tmp_path: Path) -> None:
    from diplograph.pipeline import ingest_into

    settings = _extract_settings(tmp_path, batch_size=2)
    with Store.open(":memory:") as store:
        ingest_into(store, [str(EXAMPLES)], settings)
        articles = store.pending_articles("none")
    assert len(articles) >= 8
    inline = list(executors.extract_local(articles, settings, processes=1))
    pooled = list(executors.extract_local(articles, settings, processes=2))
    assert [a.article_id for b in pooled for a in b.annotations] == [a.id for a in articles]
    assert [b.annotations for b in pooled] == [b.annotations for b in inline]
    pool = {b.worker for b in pooled}  # at most two processes, each with its own models
    assert 1 <= len(pool) <= 2 and os.getpid() not in pool
    assert {b.worker for b in inline} == {os.getpid()}
    assert all(b.peak_rss > 50 * 2**20 for b in pooled)  # a loaded spaCy model
    assert sum(b.counts["mentions"] for b in pooled) > 0


def test_unresolved_actors_are_the_mentions_placeholders(tmp_path: Path) -> None:
    """A short name shares its full name's placeholder ("Quellweather" after "Marta
    Quellweather"): the actors table holds that id, named by the full name, and no
    placeholder made from the short name (which collided with another mention's id)."""
    from diplograph.pipeline import extract_pending, ingest_into

    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Adviser meets press\n\nMarta Quellweather, a senior adviser to the Freedonian "
        "cabinet, met reporters in the capital on Monday. Quellweather said the border "
        "talks would continue.\n", "utf-8")
    settings = _extract_settings(tmp_path, batch_size=4)
    with Store.open(settings.db) as store:
        ingest_into(store, [str(folder)], settings)
        extract_pending(store, settings)
        mentions = store.query("SELECT text, actor_id FROM mentions WHERE NOT resolved")
        actors = store.query("SELECT id, name FROM actors WHERE kind = 'unresolved'")
    assert {(m["text"], m["actor_id"]) for m in mentions} >= {
        ("Marta Quellweather", "?marta-quellweather"), ("Quellweather", "?marta-quellweather")}
    assert {a["id"] for a in actors} == {m["actor_id"] for m in mentions}
    assert {a["id"]: a["name"] for a in actors}["?marta-quellweather"] == "Marta Quellweather"


def test_rerun_on_a_grown_folder_processes_only_new_articles(tmp_path: Path) -> None:
    from diplograph.bench import write_corpus
    from diplograph.pipeline import extract_pending, ingest_into

    folder = tmp_path / "feed"
    settings = _extract_settings(tmp_path, batch_size=3)
    write_corpus(folder, 5, seed=3, words=(60, 120))
    with Store.open(settings.db) as store:
        first = ingest_into(store, [str(folder)], settings)
        assert (first.new, extract_pending(store, settings).articles) == (5, 5)
        before = dump(store)
        write_corpus(folder, 8, seed=3, start=5, words=(60, 120))  # three more arrive
        again = ingest_into(store, [str(folder)], settings)
        assert (again.new, again.known) == (3, 5)
        assert extract_pending(store, settings).articles == 3
        assert extract_pending(store, settings).articles == 0
        after = dump(store)
    old_ids = {r[0] for r in before["extracted"]}
    assert len(after["extracted"]) == 8
    # the first five articles' records are untouched
    assert [r for r in after["mentions"] if r[1] in old_ids] == before["mentions"]


@pytest.mark.parametrize("arrow", [True, False])
def test_save_annotations_paths_and_collisions(arrow: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Arrow and bound-list inserts write the same rows; colliding ids keep the first."""
    import dataclasses

    from diplograph import store as store_module

    if not arrow:
        monkeypatch.setattr(store_module, "_pyarrow", lambda: None)
    store = Store.open(":memory:")
    a1, a2 = annotations("a1"), annotations("a2", n=3)
    store.save_annotations([a1, a2, Annotations("a3", "test@1")])
    reference = Store.open(":memory:")
    for one in (a1, a2, Annotations("a3", "test@1")):  # one article per batch, no collision
        reference.save_annotations([one])
    assert dump(store) == dump(reference)
    assert len(dump(store)["events"]) == 2
    # a record id shared by two articles of one batch: rolled back, rewritten with
    # ON CONFLICT DO NOTHING, which keeps the first row
    clash = dataclasses.replace(a2.mentions[0], id=a1.mentions[0].id, text="Yerevan")
    a2b = dataclasses.replace(a2, mentions=(clash, *a2.mentions[1:]), extractor="test@2")
    store.save_annotations([a1, a2b, a1])
    rows = dump(store)
    assert next(r for r in rows["mentions"] if r[0] == a1.mentions[0].id)[5] == "Baku"
    assert len(rows["mentions"]) == len(a1.mentions) + len(a2.mentions) - 1
    assert rows["extracted"] == [("a1", "test@1"), ("a2", "test@2"), ("a3", "test@1")]
    assert rows["events"] == dump(reference)["events"]


def test_extract_pending_starts_the_pool_early_only_with_new_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    from diplograph.bench import write_corpus
    from diplograph.pipeline import extract_pending, ingest_into

    write_corpus(tmp_path / "feed", 4, seed=5, words=(60, 120))
    started = []
    real_start = executors.start_pool

    def start_pool(settings, processes=None):  # type: ignore[no-untyped-def]
        pool = real_start(settings, processes)
        started.append(pool)
        return pool

    monkeypatch.setattr(executors, "start_pool", start_pool)
    dumps = {}
    for processes in (1, 2):
        settings = _extract_settings(tmp_path, batch_size=2, processes=processes,
                                     db=str(tmp_path / f"p{processes}.duckdb"))
        with Store.open(settings.db) as store:
            ingest_into(store, [str(tmp_path / "feed")], settings)
            assert extract_pending(store, settings).articles == 4
            assert extract_pending(store, settings).articles == 0
            dumps[processes] = dump(store)
    assert dumps[2] == dumps[1]
    assert len(started) == 1  # the second run with two processes had nothing new
    # with event_encoder = "off" a pool worker never imports torch; the driver may
    pool = executors.start_pool(_extract_settings(tmp_path), 1)
    try:
        assert pool.submit(importlib.util.find_spec, "torch").result() is None
    finally:
        pool.shutdown()


def test_only_pool_workers_with_the_encoder_off_block_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    from diplograph.settings import load_settings

    blocked = []
    for var in executors._THREAD_VARS:  # the initializer sets them: restore after
        monkeypatch.setenv(var, os.environ.get(var, "1"))
    monkeypatch.setattr(executors, "_WORKER", None)
    monkeypatch.setattr(executors, "ExtractWorker", lambda settings: None)
    monkeypatch.setattr(executors, "_block_torch", lambda: blocked.append(True))
    executors._init_pool_worker(load_settings(overrides={"event_encoder": "auto"}, environ={}))
    assert blocked == []
    executors._init_pool_worker(load_settings(overrides={"event_encoder": "off"}, environ={}))
    assert blocked == [True]
    executors._init_pool_worker(load_settings(
        overrides={"event_encoder": "off", "quote_encoder": "auto"}, environ={}))
    assert blocked == [True]  # the quote encoder needs torch too
