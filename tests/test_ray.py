"""The Ray executor gives the same records as the local one, and resumes from its parts.

Starts a real local Ray cluster (``num_cpus=2``) once for the module. Marked ``ray``;
skipped when the ``[ray]`` extra is not installed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLES, SEEDS
from diplograph import executors
from diplograph.pipeline import extract_pending, ingest_into
from diplograph.settings import Settings, load_settings
from diplograph.store import Store

pytest.importorskip("ray")
pytestmark = [pytest.mark.ray, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

TABLES = ["sentences", "mentions", "timexes", "events", "claims"]


@pytest.fixture(scope="module")
def ray_session() -> Iterator[None]:
    temp = tempfile.mkdtemp(prefix="dgr", dir="/tmp")  # short: Unix socket paths
    with executors.ray_cluster(num_cpus=2, temp_dir=temp):
        yield
    shutil.rmtree(temp, ignore_errors=True)


def _sources() -> list[str]:
    sources = [str(EXAMPLES)]
    if SEEDS.is_dir():
        sources.append(str(SEEDS))
    return sources


def _settings(db: Path, **overrides: object) -> Settings:
    return load_settings(overrides={"db": str(db), **overrides}, environ={})


def records(store: Store) -> dict[str, list[str]]:
    """Every annotation row (and marker and actor id), as sorted reprs."""
    out: dict[str, list[str]] = {}
    for table in TABLES:
        _, rows = store.execute_sql(f"SELECT * FROM {table}")
        out[table] = sorted(repr(r) for r in rows)
    _, rows = store.execute_sql("SELECT article_id, extractor FROM extracted")
    out["extracted"] = sorted(repr(r) for r in rows)
    _, rows = store.execute_sql("SELECT id, kind FROM actors")
    out["actors"] = sorted(repr(r) for r in rows)
    return out


@pytest.fixture(scope="module")
def local_records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    settings = _settings(db, executor="local", processes=1)
    with Store.open(db) as store:
        ingest_into(store, _sources(), settings)
        stats = extract_pending(store, settings)
        assert stats.articles == store.scalar("SELECT count(*) FROM articles") > 0
        return records(store)


def test_ray_run_interrupted_then_resumed_gives_the_local_records(
    ray_session: None, local_records: dict[str, list[str]], tmp_path: Path
) -> None:
    """One Ray run dies after its first chunk; the next merges that chunk's Parquet
    parts instead of recomputing them, extracts only the rest with a pool of two
    actors, and the store ends with exactly the records of the local executor."""
    db = tmp_path / "ray.duckdb"
    settings = _settings(db, executor="ray", processes=2, batch_size=3)
    parts = executors.parts_dir_for(str(db))
    with Store.open(db) as store:
        ingest_into(store, _sources(), settings)
        total = int(store.scalar("SELECT count(*) FROM articles"))
        run = executors.extract_ray(store.pending_articles("none"), settings, parts)
        first = next(run)  # one chunk finished and written as parts ...
        run.close()  # ... then the run dies
        assert first.articles > 0 and list((parts / "extracted").glob("*.parquet"))
        assert store.scalar("SELECT count(*) FROM extracted") == 0

        workers: set[int] = set()
        redone: list[int] = []

        def on_batch(batch: executors.BatchResult) -> None:
            workers.add(batch.worker)
            redone.append(batch.articles)

        stats = extract_pending(store, settings, on_batch=on_batch)
        got = records(store)
    assert sum(redone) == stats.articles == total - first.articles
    assert 1 <= len(workers) <= 2 and os.getpid() not in workers  # actors, not the driver
    assert local_records["mentions"] and local_records["sentences"]
    assert len(local_records["extracted"]) == total
    for table, rows in local_records.items():
        assert got[table] == rows, f"{table} differs between the executors"
    assert not list(parts.rglob("*.parquet"))  # everything was merged
