"""Exports: any table as Parquet/CSV/JSONL, and events as GDELT- or POLECAT-style files.

Every file is written by DuckDB ``COPY`` (:meth:`Store.copy_to`), so no row passes
through Python. A large export is split by date into chunks of at most
:data:`CHUNK_ROWS` rows (whole days; GDELT's per-day counts never straddle two chunks),
each one ``COPY`` whose sort and joins cover only its own rows, so peak memory stays flat
as the store grows. The chunks are appended to the one output file (CSV, TSV, JSONL),
merged into it (Parquet) or added to the partition folders (partitioned Parquet); the
output is the same as one query over the whole table. User filters are bound
parameters; table names come from a fixed list. The formats and columns are documented
in ``docs/exports.md``.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import StoreError
from .queries import date_clauses
from .store import Store

log = logging.getLogger(__name__)

#: Plain formats (any table) and event formats (the events table only).
FORMATS = ("parquet", "csv", "jsonl", "gdelt", "polecat")
POLECAT_VERSION = "diplograph-polecat-1"
#: Rows per export query: larger exports are split by date into chunks of about this
#: many rows (a single day with more rows is one chunk of its own).
CHUNK_ROWS = 50_000

# table -> (FROM clause with alias t (and a: the row's article), the expression giving
# each row's date or None when the table has no date, the ORDER BY of the rows)
_BY_ARTICLE = "LEFT JOIN articles a ON a.id = t.article_id"
_TABLES: dict[str, tuple[str, str | None, str]] = {
    "articles": ("articles t", "t.published", "t.id"),
    "article_sources": ("article_sources t", "t.published", "t.article_id, t.origin"),
    "sentences": (f"sentences t {_BY_ARTICLE}", "a.published", "t.article_id, t.idx"),
    "mentions": (f"mentions t {_BY_ARTICLE}", "a.published", "t.article_id, t.start_char, t.id"),
    "timexes": (f"timexes t {_BY_ARTICLE}", "a.published", "t.article_id, t.start_char, t.id"),
    "events": (
        f"events t {_BY_ARTICLE}",
        "coalesce(t.date, a.published)",
        "t.article_id, t.trigger_start, t.id",
    ),
    "claims": (
        f"claims t {_BY_ARTICLE}",
        "coalesce(t.date, a.published)",
        "t.article_id, t.start_char, t.id",
    ),
    "actors": ("actors t", None, "t.id"),
    "roles": ("roles t", None, "t.person, t.valid_from NULLS FIRST, t.org"),
    "ingest_errors": ("ingest_errors t", None, "t.origin, t.code"),
    "extracted": (f"extracted t {_BY_ARTICLE}", "a.published", "t.article_id"),
}
TABLES = tuple(_TABLES)

# Year/month partition columns for a date expression (NULL when not an ISO date).
_YEAR = "CASE WHEN regexp_matches({d}, '^\\d{{4}}') THEN CAST(left({d}, 4) AS INTEGER) END"
_MONTH = (
    "CASE WHEN regexp_matches({d}, '^\\d{{4}}-\\d{{2}}') "
    "THEN CAST(substr({d}, 6, 2) AS INTEGER) END"
)


def export(
    store: Store,
    fmt: str,
    path: str | Path,
    *,
    table: str | None = None,
    since: str | None = None,
    until: str | None = None,
    partition_by_date: bool = False,
    include_negated: bool = False,
    chunk_rows: int = CHUNK_ROWS,
) -> Path:
    """Stream ``table`` (default ``events``) to ``path`` in format ``fmt``.

    ``fmt`` is one of :data:`FORMATS`; ``gdelt`` and ``polecat`` always export the events
    table and ignore ``table``. ``since``/``until`` are inclusive ISO date
    prefixes on the row's date (see ``docs/exports.md``). ``partition_by_date`` (parquet
    only) writes a folder ``path/year=YYYY/month=M/*.parquet``; the folder must be
    absent or empty. ``include_negated`` keeps negated events in the GDELT/POLECAT files
    (they are left out by default). Exports of dated tables with more than
    ``chunk_rows`` rows run as several queries of whole days (see the module docstring).
    Returns ``path``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    if table is not None and table not in _TABLES:
        raise ValueError(f"unknown table {table!r}; choose from {', '.join(TABLES)}")
    if partition_by_date and fmt != "parquet":
        raise ValueError("partition_by_date is only available for parquet exports")
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1, got {chunk_rows!r}")
    target = Path(path)
    if fmt in ("gdelt", "polecat"):
        if table not in (None, "events"):
            log.info("the %s format exports the events table; ignoring table=%s", fmt, table)
        where, params = _event_where(since, until, include_negated)
        events_sql = _gdelt_sql if fmt == "gdelt" else _polecat_sql

        def build(cond: _Cond) -> tuple[str, list[Any]]:
            return events_sql(since, until, include_negated, cond)

        _prepare(target, partitioned=False)
        chunks = _plan(store, _EVENTS_FROM, _EVENT_DATE, where, params, chunk_rows)
        _copy_chunks(store, build, chunks, target, "tsv" if fmt == "gdelt" else "jsonl")
        log.info("exported %s events to %s in %d chunk(s)", fmt, target, len(chunks))
        return target
    table = table or "events"
    source, date_expr, order = _TABLES[table]
    if date_expr is None and (since or until or partition_by_date):
        raise ValueError(f"table {table!r} has no dates; since/until/partitions do not apply")
    where, params = date_clauses(date_expr, since, until) if date_expr else ([], [])
    columns = "t.* EXCLUDE (minhash)" if table == "articles" else "t.*"
    partitioned = bool(partition_by_date and date_expr)
    if partitioned:
        columns += f", {_YEAR.format(d=date_expr)} AS year, {_MONTH.format(d=date_expr)} AS month"
    if date_expr:
        order = f"{date_expr} NULLS LAST, {order}"

    def build_rows(cond: _Cond) -> tuple[str, list[Any]]:
        conditions, values = list(where), list(params)
        if cond is not None:
            conditions.append(cond[0])
            values += cond[1]
        where_sql = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        return f"SELECT {columns} FROM {source} {where_sql} ORDER BY {order}", values

    _prepare(target, partitioned=partitioned)
    chunks = [_Chunk(None)]
    if date_expr:
        chunks = _plan(store, source, date_expr, where, params, chunk_rows, partitioned=partitioned)
    if partitioned:
        _copy_partitioned(store, build_rows, chunks, target)
    else:
        _copy_chunks(store, build_rows, chunks, target, fmt)
    log.info("exported %s as %s to %s in %d chunk(s)", table, fmt, target, len(chunks))
    return target


def _prepare(target: Path, *, partitioned: bool) -> None:
    if partitioned:
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise StoreError(
                f"{target} exists and is not an empty folder; partitioned exports need one",
                code="E421",
            )
        target.mkdir(parents=True, exist_ok=True)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)


# ------------------------------------------------------------------------ chunking

# An extra condition (SQL, parameters) on an export query; None: every row.
_Cond = tuple[str, list[Any]] | None
# A hive partition: (year, month), None where the date has no year / month.
_Partition = tuple[int | None, int | None]


@dataclass(frozen=True)
class _Chunk:
    """One export query's share of the rows, and the partitions those rows fall in."""

    cond: _Cond
    partitions: tuple[_Partition, ...] = ()


def _plan(
    store: Store,
    source: str,
    date_expr: str,
    where: Sequence[str],
    params: Sequence[Any],
    chunk_rows: int,
    *,
    partitioned: bool = False,
) -> list[_Chunk]:
    """Split the rows of ``source`` (filtered by ``where``) into date-ordered chunks.

    Reads one row per distinct day (``left(date, 10)``, with its count; never the rows)
    and packs consecutive days into chunks of at most ``chunk_rows`` rows. When
    ``partitioned``, each month stays in one chunk unless it alone is larger, and every
    chunk lists its year/month partitions. A chunk is the condition ``date >= its first
    day AND date < the next chunk's first day`` (a day's key sorts before every date of
    that day and after every earlier date); rows without a date go with the last chunk.
    When everything fits in one chunk that chunk has no condition at all.
    """
    where_sql = f"WHERE {' AND '.join(where)}" if where else ""
    keys = "left({d}, 10) AS day" + (f", {_YEAR} AS year, {_MONTH} AS month" if partitioned else "")
    days = store.query(
        f"SELECT {keys.format(d=date_expr)}, count(*) AS n FROM {source} {where_sql} "
        "GROUP BY ALL ORDER BY day NULLS LAST",
        list(params),
    )
    if _rows(days) <= chunk_rows:
        return [_Chunk(None, _partitions(days, partitioned))]
    # runs of days that go into one chunk: a day, or (partitioned) a month that fits
    units: list[list[dict[str, Any]]] = []
    for d in days:
        month = _month(d["day"]) if partitioned else None
        if units and month is not None and month == _month(units[-1][0]["day"]):
            units[-1].append(d)
        else:
            units.append([d])
    units = [run for unit in units
             for run in ([unit] if _rows(unit) <= chunk_rows else [[d] for d in unit])]
    groups: list[list[dict[str, Any]]] = []  # the days of each chunk
    filled = 0
    for unit in units:
        if not groups or filled + _rows(unit) > chunk_rows:
            groups.append([])
            filled = 0
        groups[-1].extend(unit)
        filled += _rows(unit)
    chunks: list[_Chunk] = []
    for k, group in enumerate(groups):
        first = group[0]["day"]
        partitions = _partitions(group, partitioned)
        if first is None:  # only rows without a date
            chunks.append(_Chunk((f"{date_expr} IS NULL", []), partitions))
            continue
        following = groups[k + 1][0]["day"] if k + 1 < len(groups) else None
        sql, values = _between(date_expr, first if k > 0 else None, following)
        if k + 1 == len(groups):  # the last chunk also takes any rows without a date
            sql = f"{sql} OR {date_expr} IS NULL"
        sql = f"({sql})"
        own = _OWN_DATE.match(date_expr)
        if own and values:
            # implied by the condition, but on a plain column: DuckDB filters it in the
            # table scan, before the join that the coalesce needs
            column = own.group(1)
            extra, extra_values = _between(column, first if k > 0 else None, following)
            sql = f"{sql} AND ({column} IS NULL OR {extra})"
            values += extra_values
        chunks.append(_Chunk((sql, values), partitions))
    return chunks


# the row's own date column in a date expression like "coalesce(t.date, a.published)"
_OWN_DATE = re.compile(r"^coalesce\((\w+\.\w+), ")


def _between(expr: str, low: str | None, high: str | None) -> tuple[str, list[Any]]:
    """``low <= expr < high`` (either bound may be absent) and its parameters."""
    parts, values = [], []
    if low is not None:
        parts.append(f"{expr} >= ?")
        values.append(low)
    if high is not None:
        parts.append(f"{expr} < ?")
        values.append(high)
    return " AND ".join(parts) or "true", values


def _rows(days: list[dict[str, Any]]) -> int:
    return sum(int(d["n"]) for d in days)


def _month(day: str | None) -> str | None:
    return None if day is None else day[:7]


def _partitions(days: list[dict[str, Any]], partitioned: bool) -> tuple[_Partition, ...]:
    """The distinct (year, month) partitions of ``days``, in order (none if not partitioned)."""
    if not partitioned:
        return ()
    return tuple(dict.fromkeys((d["year"], d["month"]) for d in days))


def _copy_chunks(
    store: Store,
    build: Callable[[_Cond], tuple[str, list[Any]]],
    chunks: list[_Chunk],
    target: Path,
    fmt: str,
) -> None:
    """COPY each chunk's query, in order, into the one file ``target``."""
    if len(chunks) == 1:
        sql, params = build(chunks[0].cond)
        store.copy_to(sql, target, fmt, params)
        return
    if fmt == "parquet":  # one file per chunk, then one ordered pass merging them
        staging = target.with_name(f".{target.name}.chunks")
        staging.mkdir(exist_ok=True)
        try:
            parts = []
            for k, chunk in enumerate(chunks):
                sql, params = build(chunk.cond)
                parts.append(str(staging / f"{k:06d}.parquet"))
                store.copy_to(sql, parts[-1], fmt, params)
            # one thread: an order-keeping multi-threaded write buffers what runs ahead
            store.copy_to("SELECT * FROM read_parquet(?)", target, fmt, [parts], threads=1)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return
    piece = target.with_name(f".{target.name}.chunk")
    try:
        for k, chunk in enumerate(chunks):
            sql, params = build(chunk.cond)
            if k == 0:
                store.copy_to(sql, target, fmt, params)
                continue
            store.copy_to(sql, piece, fmt, params, header=False)
            with piece.open("rb") as src, target.open("ab") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    finally:
        piece.unlink(missing_ok=True)


def _copy_partitioned(
    store: Store,
    build: Callable[[_Cond], tuple[str, list[Any]]],
    chunks: list[_Chunk],
    target: Path,
) -> None:
    """Write ``target/year=Y/month=M/data_N.parquet``, each file in date order.

    Each chunk is written to one staging file, then each of its partitions is copied out
    of it with a plain (order-keeping) ``COPY``; DuckDB's own ``PARTITION_BY`` does not
    keep the rows of a partition in order. A partition split over two chunks (a month
    larger than a chunk) gets ``data_0.parquet``, ``data_1.parquet``, ...
    """
    staging = target / ".chunk.parquet"
    try:
        for chunk in chunks:
            sql, params = build(chunk.cond)
            store.copy_to(sql, staging, "parquet", params)
            for year, month in chunk.partitions:
                folder = target / f"year={_hive(year)}" / f"month={_hive(month)}"
                folder.mkdir(parents=True, exist_ok=True)
                n = 0
                while (folder / f"data_{n}.parquet").exists():
                    n += 1
                store.copy_to(
                    "SELECT * EXCLUDE (year, month) FROM read_parquet(?) "
                    "WHERE year IS NOT DISTINCT FROM ? AND month IS NOT DISTINCT FROM ?",
                    folder / f"data_{n}.parquet",
                    "parquet",
                    [str(staging), year, month],
                )
    finally:
        staging.unlink(missing_ok=True)


def _hive(value: int | None) -> str:
    return "__HIVE_DEFAULT_PARTITION__" if value is None else str(value)


# ------------------------------------------------------------------- event exports


_EVENT_DATE = "coalesce(e.date, a.published)"
_EVENTS_FROM = "events e LEFT JOIN articles a ON a.id = e.article_id"


def _event_where(
    since: str | None, until: str | None, include_negated: bool
) -> tuple[list[str], list[Any]]:
    where, params = date_clauses(_EVENT_DATE, since, until)
    if not include_negated:
        where.append("NOT coalesce(e.negated, false)")
    return where, params


def _event_base(
    since: str | None, until: str | None, include_negated: bool, chunk: _Cond = None
) -> tuple[str, list[Any]]:
    """CTEs shared by the event formats: ``ev`` (filtered events) and ``ev_actors``.

    Article text, sentences and mentions are read only for the articles of the
    selected events (``arts``), so one chunk's query never holds the whole store's text.

    ``ev_actors`` has one row per (event, role, position) with the actor's code, its
    surface text (from the span), name, sector and country: the name from the actor
    table (by code, then the surface text, then the state of a 3-letter code prefix),
    the sector and country from the mention that overlaps the span when there is one.
    """
    where, params = _event_where(since, until, include_negated)
    if chunk is not None:
        where.append(chunk[0])
        params += chunk[1]
    where_sql = f"WHERE {' AND '.join(where)}" if where else ""
    sql = f"""
    WITH ev_rows AS (
      SELECT e.*, {_EVENT_DATE} AS event_date
      FROM events e
      LEFT JOIN articles a ON a.id = e.article_id
      {where_sql}
    ), arts AS (
      SELECT id, published, url, origin, outlet, title, lang, text
      FROM articles WHERE id IN (SELECT article_id FROM ev_rows)
    ), ev AS (
      SELECT e.*, a.published, a.url, a.origin, a.outlet, a.title, a.lang,
             substring(a.text, s.start_char + 1, s.end_char - s.start_char) AS sentence_text
      FROM ev_rows e
      LEFT JOIN arts a ON a.id = e.article_id
      LEFT JOIN (SELECT * FROM sentences WHERE article_id IN (SELECT id FROM arts)) s
             ON s.article_id = e.article_id AND s.idx = e.sentence
    ), slots AS (
      SELECT ev.id AS event_id, ev.article_id, 'source' AS role, u.pos, u.code,
             ev.source_spans[u.pos] AS span
      FROM ev, unnest(ev.sources) WITH ORDINALITY AS u(code, pos)
      UNION ALL
      SELECT ev.id, ev.article_id, 'target', u.pos, u.code, ev.target_spans[u.pos]
      FROM ev, unnest(ev.targets) WITH ORDINALITY AS u(code, pos)
    ), ev_actors AS (
      SELECT sl.event_id, sl.role, sl.pos, sl.code,
             any_value(nullif(substring(art.text, sl.span[1] + 1, sl.span[2] - sl.span[1]), ''))
               AS text,
             coalesce(any_value(act.name),
                      any_value(nullif(substring(art.text, sl.span[1] + 1,
                                                 sl.span[2] - sl.span[1]), '')),
                      any_value(st.name), sl.code) AS name,
             coalesce(arg_min(m.sector, m.start_char),
                      CASE WHEN any_value(st.id) IS NOT NULL AND length(sl.code) > 3
                           THEN substr(sl.code, 4) END) AS sector,
             coalesce(CASE WHEN any_value(act.kind) = 'state' THEN sl.code END,
                      any_value(act.country), any_value(st.id)) AS country
      FROM slots sl
      LEFT JOIN arts art ON art.id = sl.article_id
      LEFT JOIN actors act ON act.id = sl.code
      LEFT JOIN actors st ON st.id = left(sl.code, 3) AND st.kind = 'state'
      LEFT JOIN (SELECT * FROM mentions WHERE article_id IN (SELECT id FROM arts)) m
             ON m.article_id = sl.article_id AND m.code = sl.code
           AND m.start_char < sl.span[2] AND m.end_char > sl.span[1]
      GROUP BY sl.event_id, sl.role, sl.pos, sl.code
    )"""
    return sql, params


def _yyyymmdd(expr: str) -> str:
    return (
        f"CASE WHEN regexp_matches({expr}, '^\\d{{4}}-\\d{{2}}-\\d{{2}}') THEN "
        f"CAST(strftime(try_cast(left({expr}, 10) AS DATE), '%Y%m%d') AS INTEGER) END"
    )


def gdelt_sql(
    *, since: str | None = None, until: str | None = None, include_negated: bool = False
) -> tuple[str, list[Any]]:
    """The GDELT 2.0-style event table (one row per extracted event) and its parameters."""
    return _gdelt_sql(since, until, include_negated, None)


def _gdelt_sql(
    since: str | None, until: str | None, include_negated: bool, chunk: _Cond
) -> tuple[str, list[Any]]:
    base, params = _event_base(since, until, include_negated, chunk)
    d = "ev.event_date"
    sql = f"""{base}
    SELECT
      CAST(('0x' || substr(ev.id, 1, 15)) AS BIGINT) AS GLOBALEVENTID,
      {_yyyymmdd(d)} AS SQLDATE,
      CASE WHEN regexp_matches({d}, '^\\d{{4}}-\\d{{2}}')
           THEN CAST(left({d}, 4) || substr({d}, 6, 2) AS INTEGER) END AS MonthYear,
      CASE WHEN regexp_matches({d}, '^\\d{{4}}') THEN CAST(left({d}, 4) AS INTEGER) END AS Year,
      round(year(try_cast(left({d}, 10) AS DATE))
            + (dayofyear(try_cast(left({d}, 10) AS DATE)) - 1) / 365.0, 4) AS FractionDate,
      s1.code AS Actor1Code, s1.name AS Actor1Name, s1.country AS Actor1CountryCode,
      t1.code AS Actor2Code, t1.name AS Actor2Name, t1.country AS Actor2CountryCode,
      CASE WHEN ev.sentence < 3 THEN 1 ELSE 0 END AS IsRootEvent,
      ev.cameo AS EventCode, left(ev.cameo, 3) AS EventBaseCode,
      left(ev.cameo, 2) AS EventRootCode,
      ev.quad_class AS QuadClass, ev.goldstein AS GoldsteinScale,
      count(*) OVER same_event AS NumMentions,
      count(DISTINCT coalesce(ev.outlet, ev.url, ev.origin)) OVER same_event AS NumSources,
      count(DISTINCT ev.article_id) OVER same_event AS NumArticles,
      ev.location AS ActionGeo_CountryCode,
      {_yyyymmdd("ev.published")} AS DATEADDED,
      coalesce(ev.url, ev.origin) AS SOURCEURL,
      ev.id AS event_id, ev.article_id, ev.sentence, ev.trigger_start, ev.trigger_end,
      ev.trigger, ev.type AS plover_type, ev.mode AS plover_mode,
      ev.context AS plover_context, ev.modality, ev.negated, ev.date_approx, ev.confidence,
      array_to_string(ev.sources, ';') AS all_sources,
      array_to_string(ev.targets, ';') AS all_targets, ev.extractor
    FROM ev
    LEFT JOIN ev_actors s1 ON s1.event_id = ev.id AND s1.role = 'source' AND s1.pos = 1
    LEFT JOIN ev_actors t1 ON t1.event_id = ev.id AND t1.role = 'target' AND t1.pos = 1
    WINDOW same_event AS (
      PARTITION BY coalesce(left({d}, 10), ''), coalesce(ev.cameo, ev.type, ''),
                   coalesce(s1.code, ''), coalesce(t1.code, '')
    )
    ORDER BY {d} NULLS LAST, ev.article_id, ev.trigger_start, ev.id
    """
    return sql, params


def polecat_sql(
    *, since: str | None = None, until: str | None = None, include_negated: bool = False
) -> tuple[str, list[Any]]:
    """The POLECAT-style event records (one JSON object per event) and their parameters."""
    return _polecat_sql(since, until, include_negated, None)


def _polecat_sql(
    since: str | None, until: str | None, include_negated: bool, chunk: _Cond
) -> tuple[str, list[Any]]:
    base, params = _event_base(since, until, include_negated, chunk)
    actor = "{'code': x.code, 'name': x.name, 'sector': x.sector, 'country': x.country, " \
            "'text': x.text}"  # fmt: skip
    sql = f"""{base}, ev_lists AS (
      SELECT x.event_id,
             list({actor} ORDER BY x.pos) FILTER (WHERE x.role = 'source') AS sources,
             list({actor} ORDER BY x.pos) FILTER (WHERE x.role = 'target') AS targets
      FROM ev_actors x
      GROUP BY x.event_id
    )
    SELECT
      ev.id AS event_id, ev.event_date, ev.date_approx AS event_date_approx,
      ev.date_reason AS event_date_reason, ev.type AS event_type, ev.mode AS event_mode,
      ev.context AS event_context, ev.quad_class, ev.cameo, ev.goldstein,
      coalesce(l.sources, []) AS source_actors, coalesce(l.targets, []) AS target_actors,
      ev.negated, ev.modality, ev.speaker, ev.confidence, ev.location AS country,
      {{'article_id': ev.article_id, 'title': ev.title, 'publisher': ev.outlet,
        'url': ev.url, 'origin': ev.origin, 'published': ev.published,
        'language': ev.lang}} AS story,
      {{'sentence': ev.sentence, 'sentence_text': ev.sentence_text, 'trigger': ev.trigger,
        'trigger_start': ev.trigger_start, 'trigger_end': ev.trigger_end,
        'extractor': ev.extractor}} AS provenance,
      '{POLECAT_VERSION}' AS version
    FROM ev
    LEFT JOIN ev_lists l ON l.event_id = ev.id
    ORDER BY ev.event_date NULLS LAST, ev.article_id, ev.trigger_start, ev.id
    """
    return sql, params


__all__ = ["CHUNK_ROWS", "FORMATS", "POLECAT_VERSION", "TABLES", "export", "gdelt_sql", "polecat_sql"]
