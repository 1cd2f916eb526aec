"""Exports stream through DuckDB ``COPY``: no rows pass through Python.

A store of synthetic events (built in SQL) is exported as date-partitioned Parquet and
as GDELT-style CSV while every Python read path of the store is disabled and every SQL
statement sent to DuckDB is recorded: each must be a ``COPY``, and the files must hold
every row. ``benchmarks/bench_export.py`` measures peak memory at 100k and 1M events.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from diplograph import export
from diplograph.bench import fill_event_store
from diplograph.store import Store

N_EVENTS = 2_000


class _RecordingConnection:
    """Passes statements to the real connection and remembers them."""

    def __init__(self, con: Any) -> None:
        self._con = con
        self.statements: list[str] = []

    def execute(self, sql: str, *args: Any) -> Any:
        self.statements.append(" ".join(sql.split()))
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"export used connection.{name}")


@pytest.fixture
def event_store(monkeypatch: pytest.MonkeyPatch) -> tuple[Store, _RecordingConnection]:
    store = Store.open(":memory:")
    fill_event_store(store, N_EVENTS, events_per_article=10)
    for name in ("query", "scalar", "execute_sql", "iter_articles", "article"):
        def refuse(*args: Any, _name: str = name, **kwargs: Any) -> Any:
            raise AssertionError(f"export read rows through Store.{_name}")

        monkeypatch.setattr(store, name, refuse)
    recorder = _RecordingConnection(store.con)
    monkeypatch.setattr(store, "con", recorder)
    return store, recorder


def _count(sql: str) -> int:
    with Store.open(":memory:") as reader:
        return int(reader.scalar(sql))


def test_partitioned_parquet_export_is_one_copy(event_store, tmp_path: Path) -> None:
    store, recorder = event_store
    target = tmp_path / "events"
    export.export(store, "parquet", target, table="events", partition_by_date=True)
    assert len(recorder.statements) == 1 and recorder.statements[0].startswith("COPY (")
    files = list(target.rglob("*.parquet"))
    assert len({p.parent.parent.name for p in files}) == 10  # year=2015 .. year=2024
    assert _count(f"SELECT count(*) FROM read_parquet('{target}/**/*.parquet')") == N_EVENTS


def test_gdelt_export_is_one_copy(event_store, tmp_path: Path) -> None:
    store, recorder = event_store
    target = tmp_path / "events.tsv"
    export.export(store, "gdelt", target)
    assert len(recorder.statements) == 1 and recorder.statements[0].startswith("COPY (")
    negated = len([i for i in range(N_EVENTS) if i % 13 == 0])  # left out by default
    lines = target.read_text("utf-8").splitlines()
    assert lines[0].startswith("GLOBALEVENTID\tSQLDATE")
    assert len(lines) - 1 == N_EVENTS - negated
