"""Named read queries over the store, shared by the CLI, the HTML report and the web UI.

Each function takes a :class:`~diplograph.store.Store` plus keyword filters and returns
plain data: a ``list[dict]`` of rows (or, for :func:`overview` and
:func:`article_detail`, one ``dict``). User input only ever reaches SQL as a bound
parameter; the SQL text itself is fixed.

Filter conventions:

- ``since``/``until`` are ISO date prefixes (``2024``, ``2024-05``, ``2024-05-03``) and are
  both inclusive: ``since="2024-05"`` starts on May 1st and ``until="2024-05"`` keeps
  every date in May 2024. Rows with no date never match a date filter.
- ``actor`` (in :func:`mentions`) matches a mention whose ``actor_id`` equals it, or whose
  ``code`` starts with it (case-insensitively): ``actor="AZE"`` finds mentions of
  Azerbaijan itself and of people acting for it (codes ``AZEGOV``, ``AZEMIL``).
- ``actor``/``target`` (in :func:`events`) match when any source/target code starts with
  the given prefix (case-insensitively).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .store import Store

_DATE_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

#: Article columns returned by the queries (everything but the MinHash signature).
ARTICLE_COLUMNS = (
    "id", "title", "outlet", "author", "published", "published_source", "origin", "url",
    "lang", "word_count", "reprint_of", "similarity", "reprinted_from",
)  # fmt: skip


def _check_date(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _DATE_PREFIX.match(value):
        raise ValueError(f"{name} must be an ISO date prefix (YYYY[-MM[-DD]]), got {value!r}")
    return value


def _check_limit(limit: int | None) -> int | None:
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValueError(f"limit must be a non-negative integer, got {limit!r}")
    return limit


def date_clauses(column: str, since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    """SQL conditions (and their parameters) keeping ``column`` within ``since..until``.

    ``column`` is a trusted SQL expression chosen by the caller, never user input.
    """
    since, until = _check_date("since", since), _check_date("until", until)
    where: list[str] = []
    params: list[Any] = []
    if since:
        where.append(f"{column} >= ?")
        params.append(since)
    if until:
        where.append(f"left({column}, {len(until)}) <= ?")
        params.append(until)
    return where, params


def _where(conditions: list[str]) -> str:
    return f"WHERE {' AND '.join(conditions)}" if conditions else ""


def _limit(limit: int | None, params: list[Any]) -> str:
    limit = _check_limit(limit)
    if limit is None:
        return ""
    params.append(limit)
    return "LIMIT ?"


# --------------------------------------------------------------------------- articles


def overview(store: Store) -> dict[str, Any]:
    """Counts per table, number of outlets, and the publication date range."""
    counts = store.query(
        """
        SELECT
          (SELECT count(*) FROM articles) AS articles,
          (SELECT count(*) FROM articles WHERE reprint_of IS NOT NULL) AS reprints,
          (SELECT count(*) FROM article_sources) AS article_sources,
          (SELECT count(*) FROM ingest_errors) AS ingest_errors,
          (SELECT count(*) FROM actors) AS actors,
          (SELECT count(DISTINCT actor_id) FROM mentions) AS mentioned_actors,
          (SELECT count(DISTINCT actor_id) FROM mentions
             WHERE starts_with(actor_id, '?')) AS unresolved_actors,
          (SELECT count(*) FROM sentences) AS sentences,
          (SELECT count(*) FROM mentions) AS mentions,
          (SELECT count(*) FROM timexes) AS timexes,
          (SELECT count(*) FROM events) AS events,
          (SELECT count(*) FROM claims) AS claims,
          (SELECT count(*) FROM extracted) AS extracted,
          (SELECT count(DISTINCT outlet) FROM articles) AS outlets,
          (SELECT min(published) FROM articles) AS first_date,
          (SELECT max(published) FROM articles) AS last_date,
          (SELECT count(*) FROM articles WHERE published IS NULL) AS undated
        """
    )
    return counts[0]


def articles(
    store: Store,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    *,
    with_text: bool = False,
) -> list[dict[str, Any]]:
    """Articles (oldest first) with their mention, event and origin counts.

    ``with_text`` adds each article's clean ``text``.
    """
    where, params = date_clauses("a.published", since, until)
    if outlet is not None:
        where.append("a.outlet = ?")
        params.append(outlet)
    cols = ", ".join(f"a.{c}" for c in (*ARTICLE_COLUMNS, *(("text",) if with_text else ())))
    sql = f"""
        WITH m AS (SELECT article_id, count(*) AS n FROM mentions GROUP BY article_id),
             e AS (SELECT article_id, count(*) AS n FROM events GROUP BY article_id),
             s AS (SELECT article_id, count(*) AS n FROM article_sources GROUP BY article_id)
        SELECT {cols}, coalesce(m.n, 0) AS mentions, coalesce(e.n, 0) AS events,
               coalesce(s.n, 0) AS sources
        FROM articles a
        LEFT JOIN m ON m.article_id = a.id
        LEFT JOIN e ON e.article_id = a.id
        LEFT JOIN s ON s.article_id = a.id
        {_where(where)}
        ORDER BY a.published NULLS LAST, a.outlet NULLS LAST, a.id
    """
    sql += _limit(limit, params)
    return store.query(sql, params)


def articles_by_outlet_date(store: Store) -> list[dict[str, Any]]:
    """Article counts per (outlet, published date); ``None`` for unknown values."""
    return store.query(
        "SELECT outlet, published, count(*) AS articles FROM articles "
        "GROUP BY outlet, published ORDER BY published NULLS LAST, outlet NULLS LAST"
    )


def ingest_errors(store: Store) -> list[dict[str, Any]]:
    """Recorded bad inputs, most recent first."""
    return store.query(
        "SELECT id, origin, code, reason, seen_at FROM ingest_errors "
        "ORDER BY seen_at DESC, origin, code"
    )


# ----------------------------------------------------------------------------- actors


def actors(
    store: Store,
    kind: str | None = None,
    resolved: bool | None = None,
    *,
    min_mentions: int = 0,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Known actors plus ids seen only in mentions, with mention and article counts.

    An id that appears in mentions but not in the ``actors`` table (typically an
    unresolved ``?slug``) is listed with kind ``unresolved`` and, as its name, the
    surface text it was most often mentioned by. ``resolved`` is false for those and
    for stored actors of kind ``unresolved``. Rows are ordered by mentions, then id.
    """
    params: list[Any] = []
    where: list[str] = []
    if kind is not None:
        where.append("kind = ?")
        params.append(kind)
    if resolved is not None:
        where.append("resolved = ?")
        params.append(bool(resolved))
    if min_mentions:
        where.append("mentions >= ?")
        params.append(int(min_mentions))
    sql = f"""
        WITH counts AS (
          SELECT actor_id, count(*) AS mentions, count(DISTINCT article_id) AS articles,
                 mode(text) AS top_text, list(DISTINCT code ORDER BY code) AS codes
          FROM mentions GROUP BY actor_id
        ), combined AS (
          SELECT a.id, a.name, a.kind, a.country, a.aliases, a.source, a.parent,
                 a.kind <> 'unresolved' AND NOT starts_with(a.id, '?') AS resolved,
                 coalesce(c.mentions, 0) AS mentions, coalesce(c.articles, 0) AS articles,
                 coalesce(c.codes, []) AS codes
          FROM actors a LEFT JOIN counts c ON c.actor_id = a.id
          UNION ALL
          SELECT c.actor_id, c.top_text, 'unresolved', NULL, [], 'mentions', NULL, false,
                 c.mentions, c.articles, c.codes
          FROM counts c WHERE c.actor_id NOT IN (SELECT id FROM actors)
        )
        SELECT * FROM combined {_where(where)} ORDER BY mentions DESC, id
    """
    sql += _limit(limit, params)
    return store.query(sql, params)


def mentions(
    store: Store,
    actor: str | None = None,
    article: str | Sequence[str] | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Mentions in article order, with their article's title, outlet and date.

    ``actor`` matches ``actor_id`` exactly or any ``code`` starting with it
    (case-insensitive), so ``AZE`` finds Azerbaijan and its officials (``AZEMIL``).
    ``article`` is one article id or a list of them.
    """
    where: list[str] = []
    params: list[Any] = []
    if actor is not None:
        where.append("(m.actor_id = ? OR starts_with(upper(m.code), upper(?)))")
        params += [actor, actor]
    if isinstance(article, str):
        where.append("m.article_id = ?")
        params.append(article)
    elif article is not None:
        where.append("list_contains(?, m.article_id)")
        params.append([str(a) for a in article])
    sql = f"""
        SELECT m.id, m.article_id, m.sentence, m.start_char, m.end_char, m.text,
               m.actor_id, m.code, m.sector, m.org, m.label, m.resolved, m.method,
               m.extractor, a.title, a.outlet, a.published
        FROM mentions m LEFT JOIN articles a ON a.id = m.article_id {_where(where)}
        ORDER BY a.published NULLS LAST, m.article_id, m.start_char, m.end_char, m.id
    """
    sql += _limit(limit, params)
    return store.query(sql, params)


def co_mentions(store: Store, min_count: int = 1, limit: int | None = 200) -> list[dict[str, Any]]:
    """Pairs of actors named in the same sentence.

    A pair ``(actor_a, actor_b)`` (``actor_a < actor_b``) is counted once per sentence
    that mentions both: ``sentences`` is that count, ``articles`` the number of distinct
    articles those sentences come from. ``min_count`` applies to ``sentences``.
    """
    params: list[Any] = [int(min_count)]
    sql = """
        WITH per_sentence AS (
          SELECT DISTINCT article_id, sentence, actor_id FROM mentions
        )
        SELECT x.actor_id AS actor_a, y.actor_id AS actor_b,
               count(*) AS sentences, count(DISTINCT x.article_id) AS articles
        FROM per_sentence x JOIN per_sentence y
          ON x.article_id = y.article_id AND x.sentence = y.sentence
             AND x.actor_id < y.actor_id
        GROUP BY x.actor_id, y.actor_id
        HAVING count(*) >= ?
        ORDER BY sentences DESC, articles DESC, actor_a, actor_b
    """
    sql += _limit(limit, params)
    return store.query(sql, params)


# ------------------------------------------------------------------ article detail


def article_detail(store: Store, article_id: str) -> dict[str, Any] | None:
    """One article with its text, origins, sentences, mentions, timexes, events, claims.

    Returns ``None`` when no article has that id.
    """
    cols = ", ".join(ARTICLE_COLUMNS)
    rows = store.query(f"SELECT {cols}, text FROM articles WHERE id = ?", [article_id])
    if not rows:
        return None
    detail = rows[0]
    params = [article_id]
    detail["sources"] = store.query(
        "SELECT origin, url, title, outlet, published, seen_at FROM article_sources "
        "WHERE article_id = ? ORDER BY seen_at, origin",
        params,
    )
    detail["sentences"] = store.query(
        "SELECT idx AS index, start_char, end_char FROM sentences WHERE article_id = ? "
        "ORDER BY idx",
        params,
    )
    detail["mentions"] = mentions(store, article=article_id)
    for table, order in (
        ("timexes", "start_char, id"),
        ("events", "trigger_start, id"),
        ("claims", "start_char, id"),
    ):
        detail[table] = store.query(
            f"SELECT * FROM {table} WHERE article_id = ? ORDER BY sentence, {order}", params
        )
    extracted = store.query(
        "SELECT extractor, extracted_at FROM extracted WHERE article_id = ?", params
    )
    detail["extracted"] = extracted[0] if extracted else None
    return detail


# ----------------------------------------------------------------------------- events


def events(
    store: Store,
    actor: str | None = None,
    target: str | None = None,
    since: str | None = None,
    until: str | None = None,
    type: str | None = None,
    *,
    location: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Coded events, oldest first, with their article's outlet, date and title.

    ``actor``/``target`` keep events where any source/target code starts with the
    given prefix; ``source_names``/``target_names`` are the article's words for each
    source/target (the code of an unresolved name is ``---``). Dates filter on
    ``event_date``: the event's own date, else the
    article's publication date. ``type`` is the PLOVER event type and ``location`` the
    ISO3 code of the country where it happened (exact matches).
    """
    where, params = date_clauses("coalesce(e.date, a.published)", since, until)
    for prefix, column in ((actor, "e.sources"), (target, "e.targets")):
        if prefix is not None:
            where.append(
                f"EXISTS (SELECT 1 FROM unnest({column}) AS u(c) "
                "WHERE starts_with(upper(u.c), upper(?)))"
            )
            params.append(prefix)
    if type is not None:
        where.append("e.type = ?")
        params.append(type)
    if location is not None:
        where.append("e.location = ?")
        params.append(location)
    sql = f"""
        SELECT e.id, e.article_id, e.sentence, e.trigger_start, e.trigger_end, e.trigger,
               e.type, e.mode, e.context, e.cameo, e.quad_class, e.goldstein,
               e.sources, e.targets,
               list_transform(e.source_spans, x -> substr(a.text, x[1] + 1, x[2] - x[1]))
                 AS source_names,
               list_transform(e.target_spans, x -> substr(a.text, x[1] + 1, x[2] - x[1]))
                 AS target_names,
               e.negated, e.modality, e.speaker, e.date,
               e.date_approx, e.date_reason, e.location, e.confidence, e.extractor,
               coalesce(e.date, a.published) AS event_date,
               a.published, a.outlet, a.title, a.origin, a.url
        FROM events e LEFT JOIN articles a ON a.id = e.article_id {_where(where)}
        ORDER BY event_date NULLS LAST, e.article_id, e.trigger_start, e.id
    """
    sql += _limit(limit, params)
    return store.query(sql, params)


__all__ = [
    "ARTICLE_COLUMNS",
    "actors",
    "article_detail",
    "articles",
    "articles_by_outlet_date",
    "co_mentions",
    "date_clauses",
    "events",
    "ingest_errors",
    "mentions",
    "overview",
]
