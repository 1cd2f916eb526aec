"""The DuckDB store: the only module that imports duckdb.

:class:`Store` is a thin wrapper in the shape of ``sqlite_utils.Database``: it opens
(and migrates) a file, writes records in transactions, and runs read queries that
return plain dicts. Writes are idempotent: articles are keyed by content hash and
everything found inside an article by a deterministic record id, and an article's
annotations are replaced as a unit together with its ``extracted`` marker. A run killed
mid-way therefore resumes with no duplicates and nothing lost.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import time
import typing
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any, Self

import duckdb

from ..errors import ConfigError, StoreError
from ..model import (
    Actor,
    Annotations,
    Article,
    Claim,
    Event,
    IngestError,
    Mention,
    Sentence,
    TimeExpr,
    record_id,
)
from . import migrations
from .derived import DerivedTables
from .extensions import load_fts

log = logging.getLogger(__name__)

#: DuckDB memory cap applied by :meth:`Store.open` (the ``memory_limit`` setting's default).
MEMORY_LIMIT = "1GB"

# record field -> column, where SQL keywords forbid the field name
_RENAME = {"start": "start_char", "end": "end_char", "index": "idx"}
_ANNOTATION_TABLES = {
    "sentences": "sentences",
    "mentions": "mentions",
    "timexes": "timexes",
    "events": "events",
    "claims": "claims",
}
_ARTICLE_COLUMNS = [f.name for f in fields(Article)]
# Annotations attribute -> record type (for Parquet merges, columns = field names)
_RECORD_TYPES: dict[str, Any] = {
    "sentences": Sentence,
    "mentions": Mention,
    "timexes": TimeExpr,
    "events": Event,
    "claims": Claim,
}


def _columns(record_type: type) -> list[str]:
    return [_RENAME.get(f.name, f.name) for f in fields(record_type)]


def _row(record: Any) -> list[Any]:
    out = []
    for f in fields(record):
        value = getattr(record, f.name)
        if isinstance(value, tuple):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
        out.append(value)
    return out


def _record_columns(records: Sequence[Any]) -> list[list[Any]]:
    """The values of ``records`` (all of one type) column by column, as :func:`_row` gives them."""
    columns = []
    for name, nested in _field_kinds(type(records[0])):
        values = [getattr(r, name) for r in records]
        if nested:
            values = [
                [list(v) if isinstance(v, tuple) else v for v in value]
                if isinstance(value, tuple)
                else value
                for value in values
            ]
        columns.append(values)
    return columns


_FIELD_KINDS: dict[type, tuple[tuple[str, bool], ...]] = {}


def _field_kinds(record_type: type) -> tuple[tuple[str, bool], ...]:
    """``(field name, holds tuples)`` for each field of a record type (cached)."""
    if record_type not in _FIELD_KINDS:
        hints = typing.get_type_hints(record_type)

        def nested(hint: Any) -> bool:
            if typing.get_origin(hint) is tuple:
                return True
            return any(nested(arg) for arg in typing.get_args(hint))

        _FIELD_KINDS[record_type] = tuple((f.name, nested(hints[f.name])) for f in fields(record_type))
    return _FIELD_KINDS[record_type]


@functools.cache
def _pyarrow() -> Any:
    """pyarrow (the ``[ray]`` extra) if installed, else None."""
    try:
        import pyarrow
    except ImportError:
        return None
    return pyarrow


class Store(DerivedTables):
    """A diplograph DuckDB database. Use :meth:`open`; close it (or use ``with``)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def open(
        cls,
        path: str | Path = ":memory:",
        *,
        read_only: bool = False,
        retries: int = 0,
        upgrade: bool = True,
        memory_limit: str = MEMORY_LIMIT,
    ) -> Store:
        """Open (creating and migrating if writable) the store at ``path``.

        ``retries`` waits for another process's write lock, 0.2 s per try. A read-only
        open of a store with pending migrations applies them first when ``upgrade``.
        ``memory_limit`` caps DuckDB's memory (e.g. ``"1GB"``; ``""`` keeps DuckDB's
        default, 80 % of RAM): beyond it, sorts, joins and aggregates spill to
        ``<path>.tmp`` next to the store (DuckDB's ``temp_directory``).
        """
        path = str(path)
        if read_only and path != ":memory:" and not Path(path).exists():
            raise StoreError(f"no store at {path}; run `diplograph ingest` first", code="E401")
        for attempt in range(retries + 1):
            try:
                con = duckdb.connect(path, read_only=read_only)
                break
            except duckdb.IOException as exc:
                if attempt >= retries:
                    raise StoreError(f"cannot open {path}: {exc}", code="E402") from exc
                time.sleep(0.2)
            except duckdb.Error as exc:
                raise StoreError(f"cannot open {path}: {exc}", code="E403") from exc
        store = cls(con, path, read_only)
        try:
            store._configure(memory_limit)
        except BaseException:
            store.close()
            raise
        if not read_only:
            migrations.apply(con)
        else:
            missing = {m[0] for m in migrations.MIGRATIONS} - store._applied()
            if missing and path != ":memory:" and upgrade:
                # an older store: migrate it once (briefly writable), then reopen read-only
                store.close()
                cls.open(path, retries=retries, memory_limit=memory_limit).close()
                return cls.open(
                    path, read_only=True, retries=retries, upgrade=False, memory_limit=memory_limit
                )
            if missing:
                raise StoreError(
                    f"{path} needs migrations {sorted(missing)}; open it once writable "
                    "(e.g. `diplograph migrate`)",
                    code="E404",
                )
        return store

    def _configure(self, memory_limit: str) -> None:
        """Per-connection DuckDB settings: memory cap, spill folder, no progress bars."""
        settings = {"enable_progress_bar": "false"}
        if memory_limit:
            settings["memory_limit"] = memory_limit
        if self.path != ":memory:":
            settings["temp_directory"] = f"{self.path}.tmp"
        for name, value in settings.items():
            quoted = value.replace("'", "''")
            try:
                self.con.execute(f"SET {name} = '{quoted}'")
            except duckdb.Error as exc:
                message = str(exc).splitlines()[0]
                raise ConfigError(f"setting {name} = {value!r}: {message}", code="E507") from exc

    def _applied(self) -> set[int]:
        try:
            rows = self.con.execute("SELECT version FROM schema_migrations").fetchall()
        except duckdb.CatalogException:
            return set()
        return {r[0] for r in rows}

    def load_fts(self) -> None:
        """Load DuckDB's full-text search extension from its Python package.

        See :mod:`.extensions`; raises :class:`StoreError` ``E440``/``E441`` when the
        packaged extension is missing or cannot be loaded. Idempotent.
        """
        load_fts(self.con)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One atomic unit of work: commit on success, roll back on any error."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # ---------------------------------------------------------------------- reads
    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[dict]:
        """Run a read query and return rows as dicts."""
        try:
            cur = self.con.execute(sql, params or [])
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {exc}", code="E410") from exc
        if cur.description is None:
            return []
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        row = self.con.execute(sql, params or []).fetchone()
        return row[0] if row else None

    def has_article(self, article_id: str) -> bool:
        return bool(self.scalar("SELECT count(*) FROM articles WHERE id = ?", [article_id]))

    def article(self, article_id: str) -> Article | None:
        rows = self.query(f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles WHERE id = ?", [article_id])
        return Article(**rows[0]) if rows else None

    def iter_articles(self, where: str = "", params: Sequence[Any] = ()) -> Iterator[Article]:
        sql = f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles {where} ORDER BY id"
        for row in self.query(sql, params):
            yield Article(**row)

    def pending_articles(self, extractor: str, limit: int | None = None) -> list[Article]:
        """Articles not yet extracted by ``extractor`` (a name@version string)."""
        sql = (
            f"SELECT {', '.join('a.' + c for c in _ARTICLE_COLUMNS)} FROM articles a "
            "LEFT JOIN extracted e ON e.article_id = a.id "
            "WHERE e.article_id IS NULL OR e.extractor <> ? ORDER BY a.id"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [Article(**row) for row in self.query(sql, [extractor])]

    def has_unextracted(self) -> bool:
        """Whether some article has never been extracted (by any extractor version)."""
        return bool(self.scalar(
            "SELECT EXISTS (SELECT 1 FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM extracted e WHERE e.article_id = a.id))"
        ))

    def signatures(self) -> Iterator[tuple[str, str | None, list[int]]]:
        """(article_id, published, minhash) of stored articles, oldest ingest first."""
        cur = self.con.execute(
            "SELECT id, published, minhash FROM articles WHERE minhash IS NOT NULL "
            "ORDER BY ingested_at, id"
        )
        while batch := cur.fetchmany(1000):
            yield from batch

    def counts(self) -> dict[str, int]:
        tables = ["articles", "ingest_errors", "actors", "mentions", "timexes", "events", "claims"]
        return {t: int(self.scalar(f"SELECT count(*) FROM {t}")) for t in tables}

    # --------------------------------------------------------------------- writes
    def _insert(self, table: str, columns: list[str], rows: list[list[Any]], conflict: str = "") -> None:
        if not rows:
            return
        if len(rows) > 1 and "DO UPDATE" not in conflict:
            # Column-wise: one bound list per column, unnested in one statement. DuckDB's
            # executemany runs one statement per row (~5 ms each); this is ~40x faster.
            # (DO UPDATE keeps executemany: one statement may not update a row twice.)
            types = self._column_types(table)
            select = ", ".join(f"unnest(?::{types[c]}[])" for c in columns)
            self.con.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} {conflict}",
                [list(column) for column in zip(*rows)],
            )
            return
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) {conflict}"
        self.con.executemany(sql, rows)

    def _column_types(self, table: str) -> dict[str, str]:
        """``{column: DuckDB type}`` of ``table`` (cached per connection)."""
        cache: dict[str, dict[str, str]] = self.__dict__.setdefault("_types_cache", {})
        if table not in cache:
            rows = self.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ?",
                [table],
            ).fetchall()
            cache[table] = dict(rows)
        return cache[table]

    def add_articles(
        self,
        articles: Sequence[Article],
        signatures: dict[str, list[int]] | None = None,
    ) -> list[str]:
        """Insert articles (skipping known content) in one transaction.

        Every origin is recorded in ``article_sources`` even when the content was
        already known. Returns the ids that were new.
        """
        signatures = signatures or {}
        new: list[str] = []
        with self.transaction() as con:
            for art in articles:
                exists = con.execute("SELECT 1 FROM articles WHERE id = ?", [art.id]).fetchone()
                if not exists and art.id not in new:
                    cols = _ARTICLE_COLUMNS + ["minhash"]
                    self._insert("articles", cols, [_row(art) + [signatures.get(art.id)]])
                    new.append(art.id)
                self._insert(
                    "article_sources",
                    ["article_id", "origin", "url", "title", "outlet", "published"],
                    [[art.id, art.origin, art.url, art.title, art.outlet, art.published]],
                    "ON CONFLICT DO NOTHING",
                )
        return new

    def relink_reprints(self, links: Iterable[tuple[str, str, float]]) -> None:
        """Set ``reprint_of`` for (reprint id, original id, similarity) triples."""
        rows = [[orig, round(sim, 3), rep] for rep, orig, sim in links]
        if rows:
            with self.transaction():
                self.con.executemany(
                    "UPDATE articles SET reprint_of = ?, similarity = ? WHERE id = ?", rows
                )

    def add_errors(self, errors: Iterable[IngestError]) -> int:
        rows = [[record_id(e.origin, e.code), e.origin, e.code, e.reason] for e in errors]
        if rows:
            with self.transaction():
                self._insert(
                    "ingest_errors",
                    ["id", "origin", "code", "reason"],
                    rows,
                    "ON CONFLICT (id) DO UPDATE SET reason = excluded.reason, "
                    "seen_at = now()",
                )
        return len(rows)

    def upsert_actors(self, actors: Iterable[Actor]) -> int:
        """Replace actors (and their roles) by id."""
        actors = list(actors)
        if not actors:
            return 0
        with self.transaction() as con:
            ids = [a.id for a in actors]
            con.execute("DELETE FROM roles WHERE list_contains(?, person)", [ids])
            con.execute("DELETE FROM actors WHERE list_contains(?, id)", [ids])
            self._insert(
                "actors",
                ["id", "name", "kind", "country", "aliases", "source", "parent"],
                [
                    [a.id, a.name, a.kind, a.country, list(a.aliases), a.source, a.parent]
                    for a in actors
                ],
            )
            roles = [_row(r) for a in actors for r in a.roles]
            self._insert("roles", ["person", "org", "sector", "title", "valid_from", "valid_to"], roles)
        return len(actors)

    def save_annotations(self, batch: Iterable[Annotations]) -> int:
        """Replace the annotations of each article and mark it extracted, atomically.

        Each table gets one ``INSERT`` of the whole batch, from an Arrow table when
        pyarrow is installed (the ``[ray]`` extra; about 3x faster to bind) or else from
        one bound list per column. The articles' old rows are deleted first, so the
        insert has no ``ON CONFLICT`` clause (whose per-row checks cost as much as the
        insert); if a record id still collides (two records of the batch, or a record of
        another article), the batch is rolled back and written again with ``ON CONFLICT
        DO NOTHING``, which keeps the first of the colliding rows, as it always has.
        """
        batch = list(batch)
        if not batch:
            return 0
        try:
            with self.transaction() as con:
                self._save_annotations(con, batch, "")
        except duckdb.ConstraintException:
            log.debug("record id collision in a batch of %d articles: ON CONFLICT DO NOTHING", len(batch))
            self._unregister_views()
            with self.transaction() as con:
                self._save_annotations(con, batch, "ON CONFLICT DO NOTHING")
        finally:
            self._unregister_views()
        return len(batch)

    def _unregister_views(self) -> None:
        """Drop the Arrow views of a save (after its commit or rollback)."""
        for table in _ANNOTATION_TABLES.values():
            with contextlib.suppress(duckdb.Error):
                self.con.unregister(f"_save_{table}")

    def _save_annotations(
        self, con: duckdb.DuckDBPyConnection, batch: list[Annotations], conflict: str
    ) -> None:
        ids = [a.article_id for a in batch]
        for table in _ANNOTATION_TABLES.values():
            con.execute(f"DELETE FROM {table} WHERE list_contains(?, article_id)", [ids])
        for attr, table in _ANNOTATION_TABLES.items():
            records = [r for ann in batch for r in getattr(ann, attr)]
            if records:
                self._insert_columns(table, type(records[0]), _record_columns(records), conflict)
        # one upsert statement (not one per row): last marker per article wins, and no
        # statement may update a row twice
        markers = {a.article_id: a.extractor for a in batch}
        con.execute(
            "INSERT INTO extracted (article_id, extractor) "
            "SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]) "
            "ON CONFLICT (article_id) DO UPDATE SET extractor = excluded.extractor, "
            "extracted_at = now()",
            [list(markers), list(markers.values())],
        )

    def _insert_columns(
        self, table: str, record_type: type, columns: list[list[Any]], conflict: str
    ) -> None:
        """Insert records given column-wise (one list per field) in one statement."""
        names = _columns(record_type)
        types = self._column_types(table)
        pa = _pyarrow()
        if pa is None:
            select = ", ".join(f"unnest(?::{types[c]}[])" for c in names)
            self.con.execute(
                f"INSERT INTO {table} ({', '.join(names)}) SELECT {select} {conflict}", columns
            )
            return
        # registered for the whole transaction: unregistering in an aborted one fails
        view = f"_save_{table}"
        self.con.register(view, pa.table({f"c{i}": col for i, col in enumerate(columns)}))
        select = ", ".join(f"c{i}::{types[c]}" for i, c in enumerate(names))
        self.con.execute(
            f"INSERT INTO {table} ({', '.join(names)}) SELECT {select} FROM {view} {conflict}"
        )

    def merge_parquet(self, directory: str | Path, *, remove_merged: bool = False) -> int:
        """Merge annotation parts written as Parquet (the Ray executor's output).

        ``directory`` holds one folder per table (``sentences/``, ``mentions/``,
        ``timexes/``, ``events/``, ``claims/``) and ``extracted/``, each with
        ``<batch>.parquet`` files whose columns are the record field names. Only
        batches with an ``extracted/<batch>.parquet`` marker (written last) are
        merged, in one transaction: articles whose stored marker differs are
        cleared first, rows go in with ``ON CONFLICT DO NOTHING`` and the markers are
        upserted, so merging the same parts twice changes nothing. With
        ``remove_merged`` the merged files are deleted after the commit. Returns the
        number of articles in the merged markers.
        """
        root = Path(directory)
        markers = sorted((root / "extracted").glob("*.parquet"))
        if not markers:
            return 0
        batches = [m.stem for m in markers]

        def files(folder: str) -> list[str]:
            found = [root / folder / f"{b}.parquet" for b in batches]
            return [str(p) for p in found if p.exists()]

        marker_sql = (
            "SELECT article_id, max(extractor) AS extractor FROM read_parquet(?) "
            "GROUP BY article_id"
        )
        merged: list[str] = [str(m) for m in markers]
        try:
            with self.transaction() as con:
                con.execute(f"CREATE OR REPLACE TEMP TABLE _merge_markers AS {marker_sql}", [merged])
                stale = (
                    "SELECT m.article_id FROM _merge_markers m LEFT JOIN extracted e "
                    "ON e.article_id = m.article_id WHERE e.extractor IS DISTINCT FROM m.extractor"
                )
                for table in _ANNOTATION_TABLES.values():
                    con.execute(f"DELETE FROM {table} WHERE article_id IN ({stale})")
                for attr, table in _ANNOTATION_TABLES.items():
                    parts = files(table)
                    if not parts:
                        continue
                    record_type = _RECORD_TYPES[attr]
                    cols = ", ".join(_columns(record_type))
                    select = ", ".join(f'"{name}"' for name in record_type.field_names())
                    con.execute(
                        f"INSERT INTO {table} ({cols}) SELECT {select} "
                        "FROM read_parquet(?, union_by_name = true) "
                        "WHERE article_id IN (SELECT article_id FROM _merge_markers) "
                        "ON CONFLICT DO NOTHING",
                        [parts],
                    )
                    merged.extend(parts)
                con.execute(
                    "INSERT INTO extracted (article_id, extractor) "
                    "SELECT article_id, extractor FROM _merge_markers "
                    "ON CONFLICT (article_id) DO UPDATE SET extractor = excluded.extractor, "
                    "extracted_at = now()"
                )
                row = con.execute("SELECT count(*) FROM _merge_markers").fetchone()
                count = int(row[0]) if row else 0
                con.execute("DROP TABLE _merge_markers")
        except duckdb.Error as exc:
            raise StoreError(f"cannot merge Parquet parts from {root}: {exc}", code="E430") from exc
        if remove_merged:
            for name in merged:
                Path(name).unlink(missing_ok=True)
        return count

    def record_run(self, run_id: str, command: str, started: float, stats: dict[str, Any]) -> None:
        with self.transaction():
            self.con.execute(
                "INSERT INTO runs VALUES (?, ?, to_timestamp(?), current_timestamp, ?) "
                "ON CONFLICT (id) DO UPDATE SET finished_at = now(), stats = excluded.stats",
                [run_id, command, started, json.dumps(stats, default=str)],
            )

    # -------------------------------------------------------------------- exports
    def copy_to(
        self,
        sql: str,
        path: str | Path,
        fmt: str,
        params: Sequence[Any] = (),
        *,
        partition_by: Sequence[str] = (),
        header: bool = True,
        threads: int = 0,
    ) -> None:
        """Stream a query to a file with DuckDB's COPY (no rows held in Python).

        ``partition_by`` names output columns to write a hive-partitioned folder
        (``path/year=2024/month=5/data_0.parquet``); they must be plain identifiers.
        ``header=False`` leaves out the header row of CSV/TSV files (for appending).
        ``threads`` > 0 runs this one statement on that many threads (e.g. 1 for an
        order-keeping merge of sorted files, which otherwise buffers what runs ahead).
        """
        head = "true" if header else "false"
        options = {
            "parquet": "(FORMAT parquet)",
            "csv": f"(FORMAT csv, HEADER {head})",
            "tsv": f"(FORMAT csv, HEADER {head}, DELIMITER '\t')",
            "jsonl": "(FORMAT json)",
        }
        if fmt not in options:
            raise ValueError(f"unknown export format {fmt!r}")
        target = str(path).replace("'", "''")
        opts = options[fmt]
        if partition_by:
            bad = [c for c in partition_by if not (c.isascii() and c.isidentifier())]
            if bad:
                raise ValueError(f"partition columns must be identifiers, got {bad!r}")
            parts = ", ".join(partition_by)
            opts = f"{opts[:-1]}, PARTITION_BY ({parts}), OVERWRITE_OR_IGNORE true)"
        previous = None
        try:
            if threads > 0:
                row = self.con.execute("SELECT current_setting('threads')").fetchone()
                previous = int(row[0]) if row else None
                self.con.execute(f"SET threads = {int(threads)}")
            self.con.execute(f"COPY ({sql}) TO '{target}' {opts}", list(params))
        except duckdb.Error as exc:
            raise StoreError(f"export failed: {exc}", code="E420") from exc
        finally:
            if previous is not None:
                self.con.execute(f"SET threads = {previous}")

    def execute_sql(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run arbitrary SQL for `diplograph sql`; returns (column names, rows)."""
        try:
            cur = self.con.execute(sql)
        except duckdb.Error as exc:
            raise StoreError(str(exc).splitlines()[0], code="E411") from exc
        if cur.description is None:
            return [], []
        return [d[0] for d in cur.description], cur.fetchall()


__all__ = ["Store"]
