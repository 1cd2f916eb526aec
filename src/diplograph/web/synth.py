"""A large synthetic store for load tests, generated with SQL inside DuckDB.

:func:`build_synthetic_store` writes, through :class:`~diplograph.store.Store`, a store
shaped like a real one: states (three-letter ids), organizations, people with dated
roles, articles with Zipf-distributed vocabulary and publication dates over ten years,
mentions, PLOVER events with CAMEO quad classes and Goldstein scores, and claims.
Actor popularity is skewed (a few actors appear in most events), so the busiest
actor pages are much heavier than the median one, as in real news.

Random draws are seeded (``seed``) but DuckDB runs them in parallel, so two builds
have the same distributions rather than the same rows. It takes about a minute for the default
100,000 articles and 1,000,000 events on two cores. Used by ``benchmarks/bench_web.py``.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from ..store import Store

log = logging.getLogger(__name__)

#: (PLOVER type, quad class, Goldstein) drawn uniformly for synthetic events.
EVENT_TYPES = [
    ("CONSULT", 1, 1.0), ("AGREE", 1, 3.0), ("SUPPORT", 1, 3.5), ("COOPERATE", 2, 6.0),
    ("AID", 2, 7.0), ("CONCEDE", 2, 5.0), ("ACCUSE", 3, -2.0), ("REJECT", 3, -4.0),
    ("THREATEN", 3, -6.0), ("PROTEST", 4, -6.5), ("SANCTION", 4, -8.0), ("ASSAULT", 4, -9.0),
    ("MOBILIZE", 4, -7.0), ("RETREAT", 2, 4.0),
]  # fmt: skip


def build_synthetic_store(
    path: str | Path,
    *,
    articles: int = 100_000,
    events: int = 1_000_000,
    states: int = 200,
    orgs: int = 50,
    people: int = 250,
    mentions_per_article: int = 8,
    claims: int = 200_000,
    words_per_article: int = 160,
    vocabulary: int = 5_000,
    seed: float = 0.42,
) -> dict[str, Any]:
    """Create (or replace the contents of) a synthetic store at ``path``; return counts."""
    started = time.perf_counter()
    n_actors = states + orgs + people
    types = ", ".join(f"('{t}', {q}, {g})" for t, q, g in EVENT_TYPES)
    steps = [
        # actors: states AAA.., organizations ORG001.., people person-0001.. (ids 0..n-1)
        f"""CREATE OR REPLACE TEMP TABLE syn_actors AS
            SELECT i,
              CASE WHEN i < {states}
                THEN chr(65 + (i // 676) % 26) || chr(65 + (i // 26) % 26) || chr(65 + i % 26)
                WHEN i < {states + orgs} THEN 'ORG' || lpad(CAST(i - {states} AS VARCHAR), 3, '0')
                ELSE 'person-' || lpad(CAST(i - {states + orgs} AS VARCHAR), 4, '0') END AS id,
              CASE WHEN i < {states} THEN 'state' WHEN i < {states + orgs} THEN 'igo'
                   ELSE 'person' END AS kind
            FROM (SELECT CAST(range AS INTEGER) AS i FROM range({n_actors}))""",
        """INSERT INTO actors (id, name, kind, country, aliases, source)
           SELECT id, 'Actor ' || upper(id), kind,
                  CASE WHEN kind = 'state' THEN id END, [], 'synthetic' FROM syn_actors""",
        f"""INSERT INTO roles (person, org, sector, title, valid_from, valid_to)
            SELECT p.id, s.id, 'GOV', 'Minister',
                   CAST(DATE '2014-01-01' + CAST(random() * 2000 AS INTEGER) AS VARCHAR),
                   CAST(DATE '2020-01-01' + CAST(random() * 2000 AS INTEGER) AS VARCHAR)
            FROM syn_actors p JOIN syn_actors s ON s.i = (p.i * 7) % {states}
            WHERE p.kind = 'person'""",
        f"""CREATE OR REPLACE TEMP TABLE syn_vocab AS
            SELECT list('w' || CAST(i AS VARCHAR) || chr(97 + i % 26) || chr(97 + (i // 26) % 26)
                        ORDER BY i) AS words
            FROM (SELECT CAST(range AS INTEGER) AS i FROM range({vocabulary}))""",
        f"""INSERT INTO articles (id, text, title, outlet, author, published, published_source,
                                  origin, url, lang, word_count)
            SELECT md5('article' || i)[:16],
                   'Report ' || i || '. ' || array_to_string(list_transform(range({words_per_article}),
                       lambda x: v.words[1 + CAST(pow(random(), 2.5) * {vocabulary - 1} AS INTEGER)]), ' '),
                   'Synthetic report ' || i || ' ' || v.words[1 + CAST(pow(random(), 2) * 500 AS INTEGER)],
                   'Outlet ' || (i % 40), NULL,
                   CAST(DATE '2015-01-01' + CAST(i * 3650 // {articles} AS INTEGER) AS VARCHAR),
                   'metadata', 'synthetic:' || i,
                   'https://outlet' || (i % 40) || '.example/' || i, 'en', {words_per_article + 2}
            FROM range({articles}) t(i), syn_vocab v""",
        """CREATE OR REPLACE TEMP TABLE syn_art AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, published FROM articles""",
        f"""INSERT INTO mentions (id, article_id, sentence, start_char, end_char, text, actor_id,
                                  code, sector, org, label, resolved, method, extractor)
            SELECT md5('mention' || r.m)[:16], a.id, 0, (r.m % {mentions_per_article}) * 6,
                   (r.m % {mentions_per_article}) * 6 + 5, 'Actor', x.id, x.id, NULL, NULL,
                   'DICT', true, 'dictionary', 'synthetic@1'
            FROM (SELECT m, CAST(pow(random(), 3) * {n_actors - 1} AS INTEGER) AS xi
                  FROM range({articles * mentions_per_article}) t(m)) r
            JOIN syn_art a ON a.k = r.m // {mentions_per_article}
            JOIN syn_actors x ON x.i = r.xi""",
        f"""CREATE OR REPLACE TEMP TABLE syn_types AS
            SELECT row_number() OVER () - 1 AS j, * FROM (VALUES {types}) v(type, quad, goldstein)""",
        f"""INSERT INTO events (id, article_id, sentence, trigger_start, trigger_end, trigger,
                                type, mode, context, cameo, quad_class, goldstein, sources,
                                targets, source_spans, target_spans, negated, modality, speaker,
                                date, date_approx, date_reason, location, confidence, extractor)
            SELECT md5('event' || e)[:16], a.id, 0, 0, 6, 'Report', ty.type, NULL, NULL,
                   lpad(CAST(ty.j + 1 AS VARCHAR), 2, '0'), ty.quad, ty.goldstein,
                   [CASE WHEN s.kind = 'state' AND e % 3 = 0 THEN s.id || 'GOV' ELSE s.id END],
                   [t.id], [[1000000, 1000001]], [[1000002, 1000003]], e % 17 = 0, 'asserted',
                   NULL, a.published, true, 'publication', NULL, 0.8, 'synthetic@1'
            FROM (SELECT e, CAST(pow(random(), 2.2) * {states + orgs - 1} AS INTEGER) AS si,
                         CAST(pow(random(), 2.2) * {states + orgs - 1} AS INTEGER) AS ti,
                         CAST(random() * {len(EVENT_TYPES) - 1} AS INTEGER) AS tj
                  FROM range({events}) r(e)) r
            JOIN syn_art a ON a.k = r.e % {articles}
            JOIN syn_actors s ON s.i = r.si
            JOIN syn_actors t ON t.i = CASE WHEN r.ti = r.si THEN (r.ti + 1) % {states + orgs} ELSE r.ti END
            JOIN syn_types ty ON ty.j = r.tj""",
        f"""INSERT INTO claims (id, article_id, sentence, start_char, end_char, text, kind,
                                speaker, speaker_text, subject, predicate, object, polarity,
                                modality, date, extractor)
            SELECT md5('claim' || c)[:16], a.id, 0, 0, 40,
                   'Synthetic claim number ' || c, 'indirect', s.id, 'Actor', o.id,
                   'supports', s.id, CASE WHEN c % 9 = 0 THEN 'negated' ELSE 'affirmed' END,
                   'asserted', a.published, 'synthetic@1'
            FROM (SELECT c, CAST(pow(random(), 3) * {n_actors - 1} AS INTEGER) AS si,
                         CAST(pow(random(), 3) * {n_actors - 1} AS INTEGER) AS oi
                  FROM range({claims}) r(c)) r
            JOIN syn_art a ON a.k = (r.c * 13) % {articles}
            JOIN syn_actors s ON s.i = r.si JOIN syn_actors o ON o.i = r.oi""",
        """INSERT INTO extracted (article_id, extractor) SELECT id, 'synthetic@1' FROM articles""",
    ]
    with Store.open(path) as store:
        if store.scalar("SELECT count(*) FROM articles"):
            raise ValueError(f"{path} already holds articles; give a new path")
        store.query("SELECT setseed(?)", [seed])
        for sql in steps:
            t0 = time.perf_counter()
            with store.transaction():
                store.query(sql)
            log.info("synthetic step done in %.1fs: %s", time.perf_counter() - t0, sql.split()[:4])
        counts: dict[str, Any] = dict(store.counts())
        store.query("CHECKPOINT")
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts
