"""Reconcile's derived state in the store: whole tables written by row diff, and caches.

:class:`DerivedTables` is a mixin of :class:`~diplograph.store.Store` (kept apart so each
file reads in a sitting). Reconcile rebuilds its tables (merged facts, contradictions,
scorecards, relations) from the records; :meth:`~DerivedTables.update_tables` writes only
the rows that changed, and the embedding and article-check caches let an unchanged
record or article skip its model and text work on the next run (docs/reconcile.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import duckdb

from ..errors import StoreError


class DerivedTables:
    """Reconcile's table writers and caches; needs the :class:`Store` basics below."""

    if TYPE_CHECKING:
        con: duckdb.DuckDBPyConnection

        def transaction(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...

        def _insert(self, table: str, columns: list[str], rows: list[list[Any]],
                    conflict: str = "") -> None: ...  # fmt: skip

        def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[dict]: ...

    # ----------------------------------------------------------------- whole tables
    def replace_tables(
        self, tables: dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]
    ) -> None:
        """Replace every row of each table with ``(columns, rows)``, all in one transaction.

        For derived tables (reconcile's) rebuilt as a whole. Rows go in column-wise
        (``unnest`` of one bound list per column, cast to the column's type), which is
        far faster than ``executemany`` for thousands of rows.
        """
        for name, (columns, _) in tables.items():
            if not all(n.isascii() and n.isidentifier() for n in (name, *columns)):
                raise ValueError(f"table and column names must be identifiers: {name} {columns}")
        try:
            with self.transaction() as con:
                for name, (columns, rows) in tables.items():
                    con.execute(f"DELETE FROM {name}")
                    if not rows:
                        continue
                    types = dict(con.execute(
                        "SELECT column_name, data_type FROM information_schema.columns "
                        "WHERE table_name = ?", [name]).fetchall())  # fmt: skip
                    select = ", ".join(f"unnest(?::{types[c]}[])" for c in columns)
                    values = [list(col) for col in zip(*rows)]
                    con.execute(f"INSERT INTO {name} ({', '.join(columns)}) SELECT {select}", values)
        except duckdb.Error as exc:
            raise StoreError(f"cannot replace {sorted(tables)}: {exc}", code="E431") from exc

    def update_tables(
        self, tables: dict[str, tuple[Sequence[str], Sequence[str], Sequence[Sequence[Any]]]]
    ) -> dict[str, int]:
        """Make each table hold exactly ``rows``, writing only the rows that changed.

        ``tables`` maps a table to ``(columns, key_columns, rows)``: the rows
        :meth:`replace_tables` would write, and the VARCHAR columns that identify a row.
        ``row_digests`` keeps a digest of each row written: a row whose digest is
        unchanged stays, a new or changed one is (re)inserted, one whose key is gone is
        deleted. It also keeps a DuckDB hash of each table as written (key ``''``): when
        the table no longer matches it (first call, or changed by something else), or
        when keys repeat or are not strings, the table is replaced as a whole. All
        tables change in one transaction. Returns the rows inserted per table.
        """
        for name, (columns, keys, _) in tables.items():
            names = (name, *columns, *keys)
            if not keys or not set(keys) <= set(columns) or not all(
                n.isascii() and n.isidentifier() for n in names
            ):
                raise ValueError(f"bad table, columns or key columns: {name} {columns} {keys}")
        written: dict[str, int] = {}
        try:
            with self.transaction() as con:
                for name, (columns, keys, rows) in tables.items():
                    written[name] = self._update_table(con, name, list(columns), list(keys), rows)
        except duckdb.Error as exc:
            raise StoreError(f"cannot update {sorted(tables)}: {exc}", code="E431") from exc
        return written

    def _update_table(
        self,
        con: duckdb.DuckDBPyConnection,
        name: str,
        columns: list[str],
        keys: list[str],
        rows: Sequence[Sequence[Any]],
    ) -> int:
        at = [columns.index(k) for k in keys]
        digests: dict[str, str] = {}
        valid = True  # every key is a non-empty string, and no key repeats
        for row in rows:
            parts = [row[i] for i in at]
            if not all(isinstance(p, str) for p in parts):
                valid = False
                break
            digests["\x1f".join(parts)] = hashlib.blake2b(
                repr(list(row)).encode("utf-8", "surrogatepass"), digest_size=12
            ).hexdigest()
        valid = valid and len(digests) == len(rows) and "" not in digests
        stored = dict(con.execute("SELECT key, digest FROM row_digests WHERE tbl = ?", [name]).fetchall())
        if not valid or stored.get("") != self._table_hash(con, name):
            con.execute(f"DELETE FROM {name}")
            con.execute("DELETE FROM row_digests WHERE tbl = ?", [name])
            new = list(rows)
            fresh = list(digests.items()) if valid else []
        else:
            stale = [k for k, d in stored.items() if k and digests.get(k) != d]
            new = [row for row, (k, d) in zip(rows, digests.items()) if stored.get(k) != d]
            fresh = [(k, d) for k, d in digests.items() if stored.get(k) != d]
            key_sql = keys[0] if len(keys) == 1 else f"concat_ws(chr(31), {', '.join(keys)})"
            for table, column in ((name, key_sql), ("row_digests", "key")):
                if stale:
                    where = "tbl = ? AND " if table == "row_digests" else ""
                    con.execute(
                        f"DELETE FROM {table} WHERE {where}{column} IN (SELECT unnest(?::VARCHAR[]))",
                        [name, stale] if where else [stale],
                    )
            con.execute("DELETE FROM row_digests WHERE tbl = ? AND key = ''", [name])
        self._insert(name, columns, [list(r) for r in new])
        self._insert("row_digests", ["tbl", "key", "digest"], [[name, k, d] for k, d in fresh])
        if valid:
            table_hash = self._table_hash(con, name)
            self._insert("row_digests", ["tbl", "key", "digest"], [[name, "", table_hash]])
        return len(new)

    @staticmethod
    def _table_hash(con: duckdb.DuckDBPyConnection, name: str) -> str:
        """``"rows:sum of row hashes"`` over every column of ``name``."""
        cols = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position", [name]).fetchall()]  # fmt: skip
        quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in cols)
        row = con.execute(f"SELECT count(*), coalesce(sum(hash({quoted})), 0) FROM {name}").fetchone()
        return f"{row[0]}:{row[1]}" if row else ""

    # ------------------------------------------------------------ reconcile caches
    def cached_embeddings(
        self, method: str, record_ids: Sequence[str]
    ) -> dict[str, tuple[str, bytes]]:
        """``{record_id: (text_hash, vector bytes)}`` cached by reconcile for ``method``."""
        if not record_ids:
            return {}
        try:
            rows = self.con.execute(
                "SELECT record_id, text_hash, vector FROM reconcile_embeddings WHERE method = ? "
                "AND record_id IN (SELECT unnest(?::VARCHAR[]))",
                [method, list(record_ids)],
            ).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"cannot read cached embeddings: {exc}", code="E434") from exc
        return {r[0]: (r[1], r[2]) for r in rows}

    def save_embeddings(
        self, method: str, rows: Sequence[tuple[str, str, bytes]]
    ) -> int:
        """Cache ``(record_id, text_hash, vector bytes)`` rows for ``method`` (replacing
        old ones). The vector is stored as given (reconcile writes float32 values)."""
        if not rows:
            return 0
        try:
            with self.transaction() as con:
                con.execute(
                    "DELETE FROM reconcile_embeddings WHERE method = ? "
                    "AND record_id IN (SELECT unnest(?::VARCHAR[]))",
                    [method, [r[0] for r in rows]],
                )
                self._insert(
                    "reconcile_embeddings",
                    ["record_id", "method", "text_hash", "vector"],
                    [[rid, method, digest, bytes(vector)] for rid, digest, vector in rows],
                )
        except duckdb.Error as exc:
            raise StoreError(f"cannot cache embeddings: {exc}", code="E434") from exc
        return len(rows)

    def cached_article_checks(self, names: str) -> dict[str, dict[str, Any]]:
        """Reconcile's per-article text checks computed with the ``names`` signature."""
        rows = self.query(
            "SELECT article_id, findings, parenthetical, according_to, links "
            "FROM reconcile_article_checks WHERE names = ?",
            [names],
        )
        return {r["article_id"]: r for r in rows}

    def save_article_checks(
        self, names: str, rows: Sequence[tuple[str, str, int, int, int]]
    ) -> int:
        """Cache ``(article_id, findings JSON, parenthetical, according_to, links)`` rows."""
        if not rows:
            return 0
        try:
            with self.transaction() as con:
                con.execute(
                    "DELETE FROM reconcile_article_checks "
                    "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                    [[r[0] for r in rows]],
                )
                self._insert(
                    "reconcile_article_checks",
                    ["article_id", "names", "findings", "parenthetical", "according_to", "links"],
                    [[aid, names, *rest] for aid, *rest in rows],
                )
        except duckdb.Error as exc:
            raise StoreError(f"cannot cache article checks: {exc}", code="E434") from exc
        return len(rows)

    def prune_reconcile_cache(self, names: str) -> None:
        """Drop cached embeddings of records no longer stored, and article checks of
        articles no longer stored or computed with other names than ``names``."""
        try:
            with self.transaction() as con:
                con.execute(
                    "DELETE FROM reconcile_embeddings WHERE record_id NOT IN "
                    "(SELECT id FROM claims UNION ALL SELECT id FROM events)"
                )
                con.execute(
                    "DELETE FROM reconcile_article_checks WHERE names <> ? "
                    "OR article_id NOT IN (SELECT id FROM articles)",
                    [names],
                )
        except duckdb.Error as exc:
            raise StoreError(f"cannot prune the reconcile caches: {exc}", code="E434") from exc
