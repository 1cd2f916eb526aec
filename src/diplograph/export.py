"""Exports: any table as Parquet/CSV/JSONL, and events as GDELT- or POLECAT-style files.

Everything is one SQL query streamed to disk by :meth:`Store.copy_to` (DuckDB ``COPY``),
so no table is ever held in Python memory. User filters are bound parameters; table
names come from a fixed list. The formats and columns are documented in
``docs/exports.md``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .errors import StoreError
from .queries import date_clauses
from .store import Store

log = logging.getLogger(__name__)

#: Plain formats (any table) and event formats (the events table only).
FORMATS = ("parquet", "csv", "jsonl", "gdelt", "polecat")
POLECAT_VERSION = "diplograph-polecat-1"

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
) -> Path:
    """Stream ``table`` (default ``events``) to ``path`` in format ``fmt``.

    ``fmt`` is one of :data:`FORMATS`; ``gdelt`` and ``polecat`` always export the events
    table and ignore ``table``. ``since``/``until`` are inclusive ISO date
    prefixes on the row's date (see ``docs/exports.md``). ``partition_by_date`` (parquet
    only) writes a folder ``path/year=YYYY/month=M/*.parquet``; the folder must be
    absent or empty. ``include_negated`` keeps negated events in the GDELT/POLECAT files
    (they are left out by default). Returns ``path``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    if table is not None and table not in _TABLES:
        raise ValueError(f"unknown table {table!r}; choose from {', '.join(TABLES)}")
    if partition_by_date and fmt != "parquet":
        raise ValueError("partition_by_date is only available for parquet exports")
    target = Path(path)
    if fmt in ("gdelt", "polecat"):
        if table not in (None, "events"):
            log.info("the %s format exports the events table; ignoring table=%s", fmt, table)
        sql, params = (gdelt_sql if fmt == "gdelt" else polecat_sql)(
            since=since, until=until, include_negated=include_negated
        )
        _prepare(target, partitioned=False)
        store.copy_to(sql, target, "tsv" if fmt == "gdelt" else "jsonl", params)
        log.info("exported %s events to %s", fmt, target)
        return target
    table = table or "events"
    source, date_expr, order = _TABLES[table]
    if date_expr is None and (since or until or partition_by_date):
        raise ValueError(f"table {table!r} has no dates; since/until/partitions do not apply")
    where, params = date_clauses(date_expr, since, until) if date_expr else ([], [])
    columns = "t.* EXCLUDE (minhash)" if table == "articles" else "t.*"
    partition: tuple[str, ...] = ()
    if partition_by_date and date_expr:
        columns += f", {_YEAR.format(d=date_expr)} AS year, {_MONTH.format(d=date_expr)} AS month"
        partition = ("year", "month")
    if date_expr:
        order = f"{date_expr} NULLS LAST, {order}"
    where_sql = f"WHERE {' AND '.join(where)}" if where else ""
    sql = f"SELECT {columns} FROM {source} {where_sql} ORDER BY {order}"
    _prepare(target, partitioned=bool(partition))
    store.copy_to(sql, target, fmt, params, partition_by=partition)
    log.info("exported %s as %s to %s", table, fmt, target)
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


# ------------------------------------------------------------------- event exports


def _event_base(
    since: str | None, until: str | None, include_negated: bool
) -> tuple[str, list[Any]]:
    """CTEs shared by the event formats: ``ev`` (filtered events) and ``ev_actors``.

    ``ev_actors`` has one row per (event, role, position) with the actor's code, its
    surface text (from the span), name, sector and country: the name from the actor
    table (by code, then the surface text, then the state of a 3-letter code prefix),
    the sector and country from the mention that overlaps the span when there is one.
    """
    where, params = date_clauses("coalesce(e.date, a.published)", since, until)
    if not include_negated:
        where.append("NOT coalesce(e.negated, false)")
    where_sql = f"WHERE {' AND '.join(where)}" if where else ""
    sql = f"""
    WITH ev AS (
      SELECT e.*, coalesce(e.date, a.published) AS event_date, a.published, a.url,
             a.origin, a.outlet, a.title, a.lang,
             substring(a.text, s.start_char + 1, s.end_char - s.start_char) AS sentence_text
      FROM events e
      LEFT JOIN articles a ON a.id = e.article_id
      LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence
      {where_sql}
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
      LEFT JOIN articles art ON art.id = sl.article_id
      LEFT JOIN actors act ON act.id = sl.code
      LEFT JOIN actors st ON st.id = left(sl.code, 3) AND st.kind = 'state'
      LEFT JOIN mentions m ON m.article_id = sl.article_id AND m.code = sl.code
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
    base, params = _event_base(since, until, include_negated)
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
    base, params = _event_base(since, until, include_negated)
    actor = "{'code': x.code, 'name': x.name, 'sector': x.sector, 'country': x.country, " \
            "'text': x.text}"  # fmt: skip
    sql = f"""{base}
    SELECT
      ev.id AS event_id, ev.event_date, ev.date_approx AS event_date_approx,
      ev.date_reason AS event_date_reason, ev.type AS event_type, ev.mode AS event_mode,
      ev.context AS event_context, ev.quad_class, ev.cameo, ev.goldstein,
      coalesce((SELECT list({actor} ORDER BY x.pos) FROM ev_actors x
                WHERE x.event_id = ev.id AND x.role = 'source'), []) AS source_actors,
      coalesce((SELECT list({actor} ORDER BY x.pos) FROM ev_actors x
                WHERE x.event_id = ev.id AND x.role = 'target'), []) AS target_actors,
      ev.negated, ev.modality, ev.speaker, ev.confidence, ev.location AS country,
      {{'article_id': ev.article_id, 'title': ev.title, 'publisher': ev.outlet,
        'url': ev.url, 'origin': ev.origin, 'published': ev.published,
        'language': ev.lang}} AS story,
      {{'sentence': ev.sentence, 'sentence_text': ev.sentence_text, 'trigger': ev.trigger,
        'trigger_start': ev.trigger_start, 'trigger_end': ev.trigger_end,
        'extractor': ev.extractor}} AS provenance,
      '{POLECAT_VERSION}' AS version
    FROM ev
    ORDER BY ev.event_date NULLS LAST, ev.article_id, ev.trigger_start, ev.id
    """
    return sql, params


__all__ = ["FORMATS", "POLECAT_VERSION", "TABLES", "export", "gdelt_sql", "polecat_sql"]
