"""Exports stream through DuckDB ``COPY`` in bounded, date-ordered chunks.

A store of synthetic events (built in SQL) is exported while every SQL statement sent
to DuckDB is recorded: besides one small planning query (a count per day) each must be a
``COPY``, so no rows pass through Python. Exports split into many chunks must write the
same files as one query over the whole table. ``benchmarks/bench_export.py`` measures
peak memory at 100k and 1M events.
"""

from __future__ import annotations

import csv
import filecmp
from pathlib import Path
from typing import Any

import pytest

from diplograph import export
from diplograph.bench import fill_event_store
from diplograph.store import Store

N_EVENTS = 2_000
CHUNK = 150  # events per chunk in the chunked exports: ~20 chunks for N_EVENTS
# date strings a chunk plan must place in exactly one chunk, in sorted order
ODD_DATES = ["", "2019", "2019-03", "2019-03-05", "2019-03-05T10:00", "2019T10:00",
             "2020-01-01", "2020-01-01 08:00", "sometime", None, None]  # fmt: skip


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


def _mixed_dates(store: Store) -> None:
    """Give some events no date, a month or a year only, or a time; some articles none."""
    for sql in [
        "UPDATE events SET date = NULL WHERE hash(id) % 7 = 0",
        "UPDATE events SET date = left(date, 7) WHERE hash(id) % 11 = 0",
        "UPDATE events SET date = left(date, 4) WHERE hash(id) % 17 = 0",
        "UPDATE events SET date = date || 'T10:00' WHERE hash(id) % 19 = 0",
        "UPDATE articles SET published = NULL WHERE hash(id) % 5 = 0",
        "UPDATE articles SET published = 'sometime' WHERE hash(id) % 23 = 0",
    ]:
        store.con.execute(sql)


@pytest.fixture(scope="module")
def mixed_store() -> Any:
    store = Store.open(":memory:")
    fill_event_store(store, N_EVENTS, events_per_article=10)
    _mixed_dates(store)
    yield store
    store.close()


@pytest.fixture
def event_store(monkeypatch: pytest.MonkeyPatch) -> tuple[Store, _RecordingConnection]:
    store = Store.open(":memory:")
    fill_event_store(store, N_EVENTS, events_per_article=10)
    plan_rows: list[int] = []
    real_query = store.query

    def plan_only(sql: str, params: Any = None) -> list[dict]:
        if "count(*) AS n" not in sql or "GROUP BY" not in sql:
            raise AssertionError("export read rows through Store.query")
        rows = real_query(sql, params)
        plan_rows.append(len(rows))
        return rows

    monkeypatch.setattr(store, "query", plan_only)
    for name in ("scalar", "execute_sql", "iter_articles", "article"):
        def refuse(*args: Any, _name: str = name, **kwargs: Any) -> Any:
            raise AssertionError(f"export read rows through Store.{_name}")

        monkeypatch.setattr(store, name, refuse)
    recorder = _RecordingConnection(store.con)
    monkeypatch.setattr(store, "con", recorder)
    store.plan_rows = plan_rows  # type: ignore[attr-defined]
    return store, recorder


def _count(sql: str) -> int:
    with Store.open(":memory:") as reader:
        return int(reader.scalar(sql))


def _copies(statements: list[str]) -> list[str]:
    return [s for s in statements if s.startswith("COPY (")]


def test_small_partitioned_parquet_export_is_one_query(event_store, tmp_path: Path) -> None:
    store, recorder = event_store
    target = tmp_path / "events"
    export.export(store, "parquet", target, table="events", partition_by_date=True)
    # one plan, one COPY of the rows (to a staging file), one COPY per partition out of it
    copies = _copies(recorder.statements)
    assert len(recorder.statements) == 1 + len(copies)
    assert sum("FROM events t" in s for s in copies) == 1
    files = list(target.rglob("*.parquet"))
    assert {p.name for p in files} == {"data_0.parquet"} and len(files) == len(copies) - 1
    assert len({p.parent.parent.name for p in files}) == 10  # year=2015 .. year=2024
    assert _count(f"SELECT count(*) FROM read_parquet('{target}/**/*.parquet')") == N_EVENTS


def test_gdelt_export_streams_in_chunks(event_store, tmp_path: Path) -> None:
    store, recorder = event_store
    target = tmp_path / "events.tsv"
    export.export(store, "gdelt", target, chunk_rows=CHUNK)
    copies = _copies(recorder.statements)
    assert len(recorder.statements) == 1 + len(copies)  # the plan, then only COPYs
    assert len(copies) >= N_EVENTS // CHUNK
    # the plan reads one count per distinct day (at most one per article here), not events
    assert len(store.plan_rows) == 1 and 0 < store.plan_rows[0] <= N_EVENTS // 10
    negated = len([i for i in range(N_EVENTS) if i % 13 == 0])  # left out by default
    lines = target.read_text("utf-8").splitlines()
    assert lines[0].startswith("GLOBALEVENTID\tSQLDATE")
    assert len(lines) - 1 == N_EVENTS - negated
    assert sum(line.startswith("GLOBALEVENTID") for line in lines) == 1  # one header
    assert not list(tmp_path.glob(".*"))  # no chunk files left behind


@pytest.mark.parametrize(
    ("fmt", "options", "name"),
    [
        ("gdelt", {}, "events.tsv"),
        ("gdelt", {"include_negated": True, "since": "2017-03", "until": "2021-06-15"}, "e.tsv"),
        ("polecat", {}, "events.jsonl"),
        ("csv", {}, "events.csv"),
        ("csv", {"table": "articles", "until": "2019"}, "articles.csv"),
        ("jsonl", {"table": "mentions"}, "mentions.jsonl"),
        ("csv", {"table": "sentences", "since": "2016"}, "sentences.csv"),
    ],
)
def test_chunked_files_equal_one_query(mixed_store, tmp_path, fmt, options, name) -> None:
    whole = export.export(mixed_store, fmt, tmp_path / "whole" / name, chunk_rows=10**9,
                          **options)  # fmt: skip
    chunked = export.export(mixed_store, fmt, tmp_path / "chunked" / name, chunk_rows=CHUNK,
                            **options)  # fmt: skip
    assert whole.stat().st_size > 0
    assert filecmp.cmp(whole, chunked, shallow=False)
    assert sorted(p.name for p in chunked.parent.iterdir()) == [name]


def test_a_day_is_never_split(tmp_path: Path) -> None:
    """GDELT counts reports per day: a day larger than a chunk still is one chunk."""
    with Store.open(":memory:") as store:
        fill_event_store(store, 600, events_per_article=300)  # two days, 300 events each
        whole = export.export(store, "gdelt", tmp_path / "w.tsv", chunk_rows=10**9)
        chunked = export.export(store, "gdelt", tmp_path / "c.tsv", chunk_rows=3)
    rows = list(csv.DictReader(chunked.open(encoding="utf-8"), delimiter="\t"))
    assert max(int(r["NumMentions"]) for r in rows) > 3
    assert filecmp.cmp(whole, chunked, shallow=False)


def test_chunked_parquet_equals_one_query(mixed_store, tmp_path: Path) -> None:
    read = "SELECT * FROM read_parquet(?)"
    for table in ("events", "sentences"):
        whole = export.export(mixed_store, "parquet", tmp_path / f"w-{table}.parquet",
                              table=table, chunk_rows=10**9)  # fmt: skip
        chunked = export.export(mixed_store, "parquet", tmp_path / f"c-{table}.parquet",
                                table=table, chunk_rows=CHUNK)  # fmt: skip
        rows = mixed_store.query(read, [str(whole)])
        assert rows and mixed_store.query(read, [str(chunked)]) == rows
        assert mixed_store.query(f"DESCRIBE {read}", [str(chunked)]) == mixed_store.query(
            f"DESCRIBE {read}", [str(whole)])  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def _partition_rows(store: Store, folder: Path) -> dict[str, list[dict]]:
    out = {}
    for part in sorted({p.parent for p in folder.rglob("*.parquet")}):
        files = sorted(part.glob("*.parquet"), key=lambda p: int(p.stem.split("_")[1]))
        out[str(part.relative_to(folder))] = store.query(
            "SELECT * FROM read_parquet(?)", [[str(f) for f in files]]
        )
    return out


@pytest.mark.parametrize("table", ["events", "articles"])
def test_chunked_partitions_equal_one_query(mixed_store, tmp_path: Path, table: str) -> None:
    whole = export.export(mixed_store, "parquet", tmp_path / "whole", table=table,
                          partition_by_date=True, chunk_rows=10**9)  # fmt: skip
    chunked = export.export(mixed_store, "parquet", tmp_path / "chunked", table=table,
                            partition_by_date=True, chunk_rows=CHUNK)  # fmt: skip
    by_partition = _partition_rows(mixed_store, whole)
    assert "year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__" in by_partition
    assert _partition_rows(mixed_store, chunked) == by_partition
    assert not list(chunked.glob(".*"))  # the staging file is gone
    if table == "articles":  # rows stay in date order inside every partition
        for rows in by_partition.values():
            keys = [(r["published"] is None, r["published"] or "", r["id"]) for r in rows]
            assert keys == sorted(keys)


def test_a_month_larger_than_a_chunk_is_split_over_files(tmp_path: Path) -> None:
    with Store.open(":memory:") as store:
        fill_event_store(store, 200)
        store.con.execute("UPDATE events SET date = printf('2024-05-%02d', 1 + hash(id) % 20)")
        whole = export.export(store, "parquet", tmp_path / "w", partition_by_date=True)
        chunked = export.export(store, "parquet", tmp_path / "c", partition_by_date=True,
                                chunk_rows=30)  # fmt: skip
        names = sorted(p.name for p in (chunked / "year=2024" / "month=5").iterdir())
        assert len(names) > 1 and names[:2] == ["data_0.parquet", "data_1.parquet"]
        assert _partition_rows(store, chunked) == _partition_rows(store, whole)


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 5, 100])
def test_plan_puts_every_row_in_exactly_one_chunk(chunk_rows: int) -> None:
    with Store.open(":memory:") as store:
        store.con.execute("CREATE TABLE d (x VARCHAR)")
        store.con.executemany("INSERT INTO d VALUES (?)", [[v] for v in ODD_DATES])
        for partitioned in (False, True):
            chunks = export._plan(store, "d", "x", [], [], chunk_rows, partitioned=partitioned)
            if chunk_rows >= len(ODD_DATES):
                assert [c.cond for c in chunks] == [None]
                continue
            assert len(chunks) > 1
            seen: list[Any] = []
            for chunk in chunks:
                assert chunk.cond is not None
                sql, params = chunk.cond
                rows = store.con.execute(f"SELECT x FROM d WHERE {sql} ORDER BY x NULLS LAST",
                                         params).fetchall()  # fmt: skip
                assert rows, "no empty chunks"
                seen += [r[0] for r in rows]
            # every row once, and the chunks follow the export's order (dates, then NULLs)
            assert seen == sorted(ODD_DATES, key=lambda v: (v is None, v or ""))


def test_plan_keeps_months_together_for_partitions() -> None:
    with Store.open(":memory:") as store:
        store.con.execute(
            "CREATE TABLE d AS SELECT strftime(DATE '2024-01-01' + CAST(i AS INTEGER), '%Y-%m-%d') AS x "
            "FROM range(90) t(i)"
        )
        by_day = export._plan(store, "d", "x", [], [], 40)
        by_month = export._plan(store, "d", "x", [], [], 40, partitioned=True)
    assert len(by_day) == 3 and [len(c.partitions) for c in by_day] == [0, 0, 0]
    assert [c.partitions for c in by_month] == [((2024, 1),), ((2024, 2),), ((2024, 3),)]
    assert by_month[1].cond == ("(x >= ? AND x < ?)", ["2024-02-01", "2024-03-01"])


def test_chunk_rows_must_be_positive(mixed_store, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        export.export(mixed_store, "csv", tmp_path / "x.csv", chunk_rows=0)
