"""Derived serving tables, built inside each private snapshot (never in the user's store).

The base tables are shaped for writing (one row per record, lists of actor codes in
events). The pages ask other questions: "every event involving actor X", "every event
between A and B", "articles containing these words". :func:`prepare` answers them once
per snapshot with sorted tables, so DuckDB's min/max zone maps skip almost every row
group for a point filter on the sort key (no ART index needed), and with the "latest N"
rows of each list (``rn <= TOP``) already carrying what the page displays, as one JSON
string column ``display``:

``web_event_actors``  one row per (actor, event), sorted by actor_id, date; ``rn`` ranks
    an actor's events newest first. An argument's actor is the mention at the
    argument's span (a person such as ``jens-stoltenberg``) and the actor named by its
    code (``NATO``, or ``AZE`` for ``AZEMIL``), so the pages of a person and of the
    state or organization they act for both list the event.
``web_actor_months``  events per (actor, month, quad class): the actor timeline.
``web_pairs``         one row per event and (source actor, target actor) pair, stored in
    both orientations (``direction`` is ``out`` when ``a`` acted on ``b``), sorted by
    a, b, date; ``rn`` ranks each pair's cooperation / conflict events newest first.
``web_pair_stats``    per ordered pair: counts, cooperation/conflict, Goldstein, ``rn``
    ranking an actor's counterparts; ``web_pair_counts`` the same per unordered pair.
``web_pair_months``   per (a, b, month): the relation's state over time.
``web_claim_actors``  (actor_id, grp, claim_id) with grp ``by`` (speaker) or ``about``
    (subject/object), ranked newest first.
``web_claim_pairs``   (a, b, claim_id) for claims naming both actors, ranked.
``web_actor_articles``(actor_id, article_id, mentions) ranked newest first.
``web_actor_stats``   every actor id seen in actors, mentions or events, with counts.
``web_article_types`` (type, article_id) sorted by type: the search "type" filter.
``web_months``        events per month and quad class: the global timeline.
``web_docs``          (article_id, published) sorted by date: the search date filters.
``fts_main_articles`` DuckDB's ``fts`` index over ``articles`` (title + text): words
    split on anything but letters and digits, lower-cased, accents stripped,
    Porter-stemmed, and :data:`STOPWORDS` dropped (the query side, :func:`tokenize`,
    drops the same words). ``fts_main_articles.match_bm25`` works on it as usual.
``web_postings``      (term, article_id, impact) sorted by term: for every (stem, article)
    pair of the index, the BM25 score ``match_bm25`` gives that term in that article
    (:data:`BM25_IMPACT`). A search sums the impacts of its few terms' rows instead of
    calling ``match_bm25`` once per article row, which is what made searches slow.

The ``fts`` extension is loaded by path from the ``duckdb-extension-fts`` package
(:mod:`diplograph.store.extensions`), never downloaded; the index lives only in the
snapshot, which is read-only once served.
"""

from __future__ import annotations

import logging
import time

from ..store import Store

log = logging.getLogger(__name__)

#: Bump when the derived tables change shape.
DERIVED_VERSION = 5

#: One term's BM25 score in one document, written exactly as the ``fts`` extension's
#: ``match_bm25`` macro computes it (k1 = 1.2, b = 0.75; DuckDB's ``log`` is base 10), so
#: a sum over ``web_postings`` equals ``match_bm25`` (tests/test_web.py checks it).
BM25_IMPACT = (
    "log((st.num_docs - {df} + 0.5) / ({df} + 0.5) + 1)"
    " * (({tf} * (1.2 + 1)) / ({tf} + 1.2 * ((1 - 0.75) + 0.75 * ({len} / st.avgdl))))"
)

#: Words too common to be worth an index row (they are also dropped from queries).
STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has", "have", "he", "her", "his", "i", "in", "is", "it", "its", "of", "on", "or", "our", "said", "she", "that", "the", "their", "them", "they", "this", "to", "was", "we", "were", "which", "will", "with", "would", "you", "not", "no"]
)

#: Characters that separate words, for the index and for queries alike.
TOKEN_SPLIT = r"[^\pL\pN]+"

_STOP_SQL = ", ".join(f"'{w}'" for w in sorted(STOPWORDS))

#: Rows per actor / pair / claim group that carry display columns (the "latest N" lists).
TOP = 25

_EVENT_DATE = "coalesce(e.date, a.published)"



def _display_events(*keys: str) -> str:
    """Give the top rows a ``display`` column: the event as one JSON string.

    One string column is much cheaper to read back than a dozen (each column read
    decompresses its own segment), and only the ``rn <= TOP`` rows carry it.
    """
    on = ", ".join((*keys, "event_id"))
    return f"""
        , top AS (
            SELECT {", ".join(f"r.{k}" for k in keys)}, r.event_id,
                   to_json(struct_pack(id := r.event_id, article_id := r.article_id,
                       date := r.date, type := e.type, cameo := e.cameo,
                       quad_class := e.quad_class, goldstein := e.goldstein,
                       trigger := e.trigger, sources := e.sources, targets := e.targets,
                       negated := e.negated, modality := e.modality,
                       article := struct_pack(title := a.title, outlet := a.outlet,
                                              published := a.published)))::VARCHAR AS display
            FROM ranked r JOIN events e ON e.id = r.event_id
            LEFT JOIN articles a ON a.id = r.article_id
            WHERE r.rn <= {TOP}
        )
        SELECT r.*, top.display
        FROM ranked r LEFT JOIN top USING ({on})"""


def _display_claims(*keys: str) -> str:
    """Like :func:`_display_events`, for claims."""
    on = ", ".join((*keys, "claim_id"))
    return f"""
        , top AS (
            SELECT {", ".join(f"r.{k}" for k in keys)}, r.claim_id,
                   to_json(struct_pack(id := r.claim_id, article_id := r.article_id,
                       date := r.date, text := c.text, kind := c.kind, speaker := c.speaker,
                       speaker_text := c.speaker_text, speaker_role := c.speaker_role,
                       cue := c.cue, subject := c.subject,
                       predicate := c.predicate, object := c.object, polarity := c.polarity,
                       modality := c.modality, title := a.title, outlet := a.outlet,
                       speaker_name := k.name))::VARCHAR AS display
            FROM ranked r JOIN claims c ON c.id = r.claim_id
            LEFT JOIN articles a ON a.id = r.article_id
            LEFT JOIN actors k ON k.id = c.speaker
            WHERE r.rn <= {TOP}
        )
        SELECT r.*, top.display
        FROM ranked r LEFT JOIN top USING ({on})"""


_STATEMENTS: list[tuple[str, str]] = [
    (
        "web_tmp_args",  # one row per (event, side, code, actor id): the resolved arguments
        """
        CREATE OR REPLACE TEMP TABLE web_tmp_args AS
        WITH args AS (
            SELECT id AS event_id, article_id, 'source' AS side,
                   unnest(sources) AS code, unnest(source_spans) AS span
            FROM events
            UNION ALL
            SELECT id, article_id, 'target', unnest(targets), unnest(target_spans)
            FROM events
        ), resolved AS (
            SELECT x.event_id, x.article_id, x.side, x.code, m.actor_id AS mention_actor,
                   coalesce(k1.id, k2.id) AS code_actor
            FROM args x
            LEFT JOIN mentions m ON m.article_id = x.article_id
                 AND m.start_char = x.span[1] AND m.end_char = x.span[2]
            LEFT JOIN actors k1 ON k1.id = x.code
            LEFT JOIN actors k2 ON k2.id = left(x.code, 3)
            WHERE x.code IS NOT NULL
        )
        SELECT event_id, article_id, side, code, mention_actor AS actor_id
        FROM resolved WHERE mention_actor IS NOT NULL
        UNION
        SELECT event_id, article_id, side, code, code_actor
        FROM resolved WHERE code_actor IS NOT NULL
        UNION
        SELECT event_id, article_id, side, code, code
        FROM resolved WHERE mention_actor IS NULL AND code_actor IS NULL
        """,
    ),
    (
        "web_event_actors",
        f"""
        CREATE OR REPLACE TABLE web_event_actors AS
        WITH x AS (
            SELECT actor_id, event_id, any_value(article_id) AS article_id,
                   CASE WHEN count(DISTINCT side) > 1 THEN 'both' ELSE any_value(side) END AS side
            FROM web_tmp_args GROUP BY actor_id, event_id
        ), ranked AS (
            SELECT x.actor_id, x.event_id, x.article_id, x.side,
                   left({_EVENT_DATE}, 10) AS date, left({_EVENT_DATE}, 7) AS month,
                   e.type, e.quad_class, e.goldstein, e.negated, e.modality,
                   row_number() OVER (PARTITION BY x.actor_id
                                      ORDER BY {_EVENT_DATE} DESC NULLS LAST, x.event_id) AS rn
            FROM x JOIN events e ON e.id = x.event_id
            LEFT JOIN articles a ON a.id = x.article_id
        )
        {_display_events("actor_id")}
        ORDER BY r.actor_id, r.date, r.event_id
        """,
    ),
    (
        "web_actor_months",
        """
        CREATE OR REPLACE TABLE web_actor_months AS
        SELECT actor_id, month, quad_class, count(*) AS events
        FROM web_event_actors GROUP BY ALL ORDER BY actor_id, month, quad_class
        """,
    ),
    (
        "web_pairs",
        f"""
        CREATE OR REPLACE TABLE web_pairs AS
        WITH one AS (
            SELECT DISTINCT s.actor_id AS src, t.actor_id AS tgt, s.event_id
            FROM web_tmp_args s
            JOIN web_tmp_args t ON t.event_id = s.event_id AND t.side = 'target'
            WHERE s.side = 'source' AND s.actor_id <> t.actor_id
        ), both_ways AS (
            SELECT src AS a, tgt AS b, 'out' AS direction, event_id FROM one
            UNION ALL
            SELECT tgt, src, 'in', event_id FROM one
        ), ranked AS (
            SELECT p.a, p.b, p.direction, p.event_id, x.article_id, x.date, x.month, x.type,
                   x.quad_class, x.goldstein, x.negated, x.modality,
                   CASE WHEN x.quad_class IN (1, 2) THEN 'cooperation'
                        WHEN x.quad_class IN (3, 4) THEN 'conflict' ELSE 'other' END AS grp,
                   row_number() OVER (
                       PARTITION BY p.a, p.b,
                           CASE WHEN x.quad_class IN (1, 2) THEN 1
                                WHEN x.quad_class IN (3, 4) THEN 2 ELSE 0 END
                       ORDER BY x.date DESC NULLS LAST, p.event_id) AS rn
            FROM both_ways p
            JOIN web_event_actors x ON x.actor_id = p.a AND x.event_id = p.event_id
        )
        {_display_events("a", "b", "grp")}
        ORDER BY r.a, r.b, r.date, r.event_id
        """,
    ),
    (
        "web_pair_stats",
        """
        CREATE OR REPLACE TABLE web_pair_stats AS
        SELECT a, b, count(*) AS events,
               count(*) FILTER (WHERE direction = 'out') AS outgoing,
               count(*) FILTER (WHERE direction = 'in') AS incoming,
               count(*) FILTER (WHERE grp = 'cooperation') AS cooperation,
               count(*) FILTER (WHERE grp = 'conflict') AS conflict,
               round(avg(goldstein), 2) AS goldstein, min(date) AS first, max(date) AS last,
               row_number() OVER (PARTITION BY a ORDER BY count(*) DESC, b) AS rn
        FROM web_pairs GROUP BY a, b
        ORDER BY a, rn
        """,
    ),
    (
        "web_pair_counts",
        """
        CREATE OR REPLACE TABLE web_pair_counts AS
        SELECT a, b, events, cooperation, conflict, goldstein, first, last
        FROM web_pair_stats WHERE a < b ORDER BY events DESC, a, b
        """,
    ),
    (
        "web_pair_months",
        """
        CREATE OR REPLACE TABLE web_pair_months AS
        SELECT a, b, month, count(*) AS events,
               count(*) FILTER (WHERE direction = 'out') AS a_to_b,
               count(*) FILTER (WHERE direction = 'in') AS b_to_a,
               count(*) FILTER (WHERE grp = 'cooperation') AS cooperation,
               count(*) FILTER (WHERE grp = 'conflict') AS conflict,
               round(avg(goldstein), 2) AS goldstein
        FROM web_pairs GROUP BY a, b, month ORDER BY a, b, month
        """,
    ),
    (
        "web_claim_actors",
        f"""
        CREATE OR REPLACE TABLE web_claim_actors AS
        WITH roles AS (
            SELECT speaker AS actor_id, id AS claim_id, 'by' AS grp
            FROM claims WHERE speaker IS NOT NULL
            UNION
            SELECT subject, id, 'about' FROM claims
            WHERE subject IS NOT NULL AND subject IS DISTINCT FROM speaker
            UNION
            SELECT object, id, 'about' FROM claims
            WHERE object IS NOT NULL AND object IS DISTINCT FROM speaker
        ), ranked AS (
            SELECT r.actor_id, r.grp, r.claim_id, c.article_id,
                   coalesce(c.date, a.published) AS date,
                   row_number() OVER (PARTITION BY r.actor_id, r.grp
                       ORDER BY coalesce(c.date, a.published) DESC NULLS LAST, r.claim_id) AS rn
            FROM roles r JOIN claims c ON c.id = r.claim_id
            LEFT JOIN articles a ON a.id = c.article_id
        )
        {_display_claims("actor_id", "grp")}
        ORDER BY r.actor_id, r.grp, r.rn
        """,
    ),
    (
        "web_claim_pairs",  # claims naming both actors (as speaker, subject or object)
        f"""
        CREATE OR REPLACE TABLE web_claim_pairs AS
        WITH roles AS (
            SELECT DISTINCT claim_id, actor_id FROM web_claim_actors
        ), ranked AS (
            SELECT x.actor_id AS a, y.actor_id AS b, x.claim_id, c.article_id,
                   coalesce(c.date, ar.published) AS date,
                   row_number() OVER (PARTITION BY x.actor_id, y.actor_id
                       ORDER BY coalesce(c.date, ar.published) DESC NULLS LAST, x.claim_id) AS rn
            FROM roles x JOIN roles y ON y.claim_id = x.claim_id AND y.actor_id <> x.actor_id
            JOIN claims c ON c.id = x.claim_id
            LEFT JOIN articles ar ON ar.id = c.article_id
        )
        {_display_claims("a", "b")}
        ORDER BY r.a, r.b, r.rn
        """,
    ),
    (
        "web_actor_articles",
        f"""
        CREATE OR REPLACE TABLE web_actor_articles AS
        WITH ranked AS (
            SELECT m.actor_id, m.article_id, count(*) AS mentions,
                   any_value(a.published) AS published,
                   row_number() OVER (PARTITION BY m.actor_id
                       ORDER BY any_value(a.published) DESC NULLS LAST, m.article_id) AS rn
            FROM mentions m LEFT JOIN articles a ON a.id = m.article_id
            GROUP BY m.actor_id, m.article_id
        )
        , top AS (
            SELECT r.actor_id, r.article_id, a.title, a.outlet
            FROM ranked r JOIN articles a ON a.id = r.article_id WHERE r.rn <= {TOP}
        )
        SELECT r.*, top.title, top.outlet
        FROM ranked r LEFT JOIN top USING (actor_id, article_id)
        ORDER BY r.actor_id, r.rn
        """,
    ),
    (
        "web_actor_stats",
        """
        CREATE OR REPLACE TABLE web_actor_stats AS
        WITH m AS (
            SELECT actor_id, count(*) AS mentions, count(DISTINCT article_id) AS articles,
                   mode(text) AS top_text
            FROM mentions GROUP BY actor_id
        ), ev AS (
            SELECT actor_id, count(*) AS events, min(date) AS first, max(date) AS last
            FROM web_event_actors GROUP BY actor_id
        ), ids AS (
            SELECT id AS actor_id FROM actors
            UNION SELECT actor_id FROM m UNION SELECT actor_id FROM ev
        )
        SELECT ids.actor_id AS id, coalesce(k.name, m.top_text, ids.actor_id) AS name,
               coalesce(k.kind, 'unresolved') AS kind, k.country,
               coalesce(m.mentions, 0) AS mentions, coalesce(m.articles, 0) AS articles,
               coalesce(ev.events, 0) AS events, ev.first, ev.last
        FROM ids LEFT JOIN actors k ON k.id = ids.actor_id
        LEFT JOIN m ON m.actor_id = ids.actor_id
        LEFT JOIN ev ON ev.actor_id = ids.actor_id
        ORDER BY events + mentions DESC, id
        """,
    ),
    (
        "web_article_types",
        """
        CREATE OR REPLACE TABLE web_article_types AS
        SELECT DISTINCT type, article_id FROM events WHERE type IS NOT NULL
        ORDER BY type, article_id
        """,
    ),
    (
        "web_months",
        """
        CREATE OR REPLACE TABLE web_months AS
        SELECT left(coalesce(e.date, a.published), 7) AS month, e.quad_class,
               count(*) AS events
        FROM events e LEFT JOIN articles a ON a.id = e.article_id
        GROUP BY ALL ORDER BY month, quad_class
        """,
    ),
    (
        "web_docs",  # the search filters' table: every article and its publication date
        """
        CREATE OR REPLACE TABLE web_docs AS
        SELECT id AS article_id, published FROM articles ORDER BY published, id
        """,
    ),
    (
        "web_tmp_stopwords",
        f"CREATE OR REPLACE TEMP TABLE web_tmp_stopwords AS SELECT unnest([{_STOP_SQL}]) AS sw",
    ),
    (
        "fts_main_articles",  # DuckDB's full-text index over title + text (schema fts_main_articles)
        f"""
        PRAGMA create_fts_index('articles', 'id', 'title', 'text', stemmer = 'porter',
            stopwords = 'web_tmp_stopwords', ignore = '{TOKEN_SPLIT}', strip_accents = 1,
            lower = 1, overwrite = 1)
        """,
    ),
    ("drop_stopwords", "DROP TABLE IF EXISTS web_tmp_stopwords"),
    (
        "web_postings",  # match_bm25's per-term score, precomputed from the index, by term
        f"""
        CREATE OR REPLACE TABLE web_postings AS
        WITH tf AS (SELECT docid, termid, count(*) AS tf FROM fts_main_articles.terms GROUP BY ALL),
             st AS (SELECT num_docs, avgdl FROM fts_main_articles.stats)
        SELECT dict.term, docs.name AS article_id,
               {BM25_IMPACT.format(tf="tf.tf", df="dict.df", len="docs.len")} AS impact
        FROM tf JOIN fts_main_articles.dict dict USING (termid)
             JOIN fts_main_articles.docs docs USING (docid), st
        ORDER BY dict.term, docs.name
        """,
    ),
    ("drop_args", "DROP TABLE IF EXISTS web_tmp_args"),
    (
        "web_meta",
        f"""
        CREATE OR REPLACE TABLE web_meta AS
        SELECT {DERIVED_VERSION} AS version, (SELECT count(*) FROM articles) AS articles,
               now() AS built_at
        """,
    ),
]


def prepare(store: Store) -> None:
    """Build every derived table in ``store`` (a writable private snapshot)."""
    if store.read_only:
        raise ValueError("derived tables are built in a writable snapshot")
    started = time.perf_counter()
    store.load_fts()  # StoreError E440/E441 when the packaged extension is missing
    store.query("SET enable_progress_bar = false")
    for name, sql in _STATEMENTS:
        t0 = time.perf_counter()
        with store.transaction():
            store.query(sql)
        log.debug("built %s in %.2fs", name, time.perf_counter() - t0)
    log.info("derived serving tables built in %.2fs", time.perf_counter() - started)


def attach(store: Store) -> None:
    """Make a served (read-only) snapshot searchable: load the ``fts`` extension."""
    store.load_fts()


def tokenize(text: str) -> list[str]:
    """Split a query the way the index splits articles (lower case, no stop words)."""
    spaced = "".join(c if c.isalpha() or c.isnumeric() else " " for c in text.lower())
    return [w for w in spaced.split() if 2 <= len(w) <= 40 and w not in STOPWORDS]
