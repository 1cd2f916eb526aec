"""Kill tests: `diplograph ingest` and `extract` killed with SIGKILL resume exactly.

A real subprocess runs the CLI on a folder of generated articles with a small batch
size. It is killed mid-ingest (when the CLI reports a bad file placed in the middle of
the folder) and mid-extract (after a few "articles done" log lines), then re-run. The
store must end up with the same rows as a clean run: no duplicates, nothing lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diplograph.bench import write_corpus
from diplograph.pipeline import extract_pending, ingest_into
from diplograph.settings import load_settings
from diplograph.store import Store

N_ARTICLES = 120
BAD_AT = 30  # an empty file sorted after this article: the mid-ingest kill marker
TABLES = ["articles", "article_sources", "ingest_errors", "sentences", "mentions",
          "timexes", "events", "claims", "extracted"]
ID_COLUMNS = {"articles": "id", "mentions": "id", "timexes": "id", "events": "id",
              "claims": "id", "extracted": "article_id", "ingest_errors": "id",
              "sentences": "article_id || ':' || idx",
              "article_sources": "article_id || ':' || origin"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, N_ARTICLES, seed=11, words=(60, 140))
    (folder / f"article-{BAD_AT:07d}-empty.txt").write_text("  \n", "utf-8")
    return folder


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "diplograph", "-v", *args, "--set", "batch_size=4"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIPLOGRAPH_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _run(*args: str) -> None:
    done = subprocess.run(
        _cli(*args), env=_env(), capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _kill_when(args: list[str], marker: str, times: int) -> str:
    """Run the CLI, SIGKILL it once ``marker`` has appeared ``times`` times on stderr."""
    proc = subprocess.Popen(_cli(*args), env=_env(), stderr=subprocess.PIPE, text=True,
                            stdout=subprocess.DEVNULL)
    seen: list[str] = []
    assert proc.stderr is not None
    deadline = time.monotonic() + 300
    for line in proc.stderr:
        seen.append(line)
        if sum(marker in s for s in seen) >= times:
            proc.send_signal(signal.SIGKILL)
            break
        if time.monotonic() > deadline:
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)[-2000:]
    return "".join(seen)


def snapshot(db: Path) -> dict[str, dict[str, object]]:
    """Per table: row count, distinct id count and the sorted ids."""
    out: dict[str, dict[str, object]] = {}
    with Store.open(db, read_only=True) as store:
        for table in TABLES:
            key = ID_COLUMNS[table]
            rows = store.query(f"SELECT {key} AS k FROM {table}")
            ids = sorted(str(r["k"]) for r in rows)
            out[table] = {"rows": len(ids), "distinct": len(set(ids)), "ids": ids}
    return out


def test_sigkill_mid_ingest_and_mid_extract_resumes_exactly(corpus: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean.duckdb"  # the reference: a clean run, in this process
    settings = load_settings(overrides={"db": str(clean), "batch_size": 4}, environ={})
    with Store.open(clean) as store:
        ingest_into(store, [str(corpus)], settings)
        extract_pending(store, settings)
    expected = snapshot(clean)
    assert expected["articles"]["rows"] == N_ARTICLES
    assert expected["extracted"]["rows"] == N_ARTICLES
    assert expected["mentions"]["rows"] > N_ARTICLES  # the extractors found things

    db = tmp_path / "killed.duckdb"
    _kill_when(["ingest", str(corpus), "--db", str(db)], "E101", 1)
    partial = snapshot(db)
    assert 0 < partial["articles"]["rows"] < N_ARTICLES, "the kill was not mid-ingest"
    _run("ingest", str(corpus), "--db", str(db))

    _kill_when(["extract", "--db", str(db)], "articles done", 3)
    partial = snapshot(db)
    assert 0 < partial["extracted"]["rows"] < N_ARTICLES, "the kill was not mid-extract"
    _run("extract", "--db", str(db))

    got = snapshot(db)
    for table in TABLES:
        assert got[table]["rows"] == got[table]["distinct"], f"duplicates in {table}"
        assert got[table] == expected[table], f"{table} differs from a clean run"
