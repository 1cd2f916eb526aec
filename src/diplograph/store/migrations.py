"""Numbered, recorded, re-runnable schema migrations (the sqlite-utils pattern).

Each migration is ``(version, name, sql)``. ``apply(con)`` runs the ones missing from
``schema_migrations`` in order, each in its own transaction, so applying twice is a no-op
and a crash mid-migration leaves the previous version intact. Add new migrations at the
end; never edit one that has shipped.
"""

from __future__ import annotations

from typing import Any

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "articles, sources, errors, actors, roles, sentences, mentions",
        """
        CREATE TABLE articles (
            id VARCHAR PRIMARY KEY,
            text VARCHAR NOT NULL,
            title VARCHAR,
            outlet VARCHAR,
            author VARCHAR,
            published VARCHAR,
            published_source VARCHAR,
            origin VARCHAR,
            url VARCHAR,
            lang VARCHAR,
            word_count INTEGER,
            reprint_of VARCHAR,
            similarity DOUBLE,
            minhash UBIGINT[],
            ingested_at TIMESTAMP DEFAULT current_timestamp
        );
        CREATE TABLE article_sources (
            article_id VARCHAR NOT NULL,
            origin VARCHAR NOT NULL,
            url VARCHAR,
            title VARCHAR,
            outlet VARCHAR,
            published VARCHAR,
            seen_at TIMESTAMP DEFAULT current_timestamp,
            PRIMARY KEY (article_id, origin)
        );
        CREATE TABLE ingest_errors (
            id VARCHAR PRIMARY KEY,
            origin VARCHAR NOT NULL,
            code VARCHAR NOT NULL,
            reason VARCHAR NOT NULL,
            seen_at TIMESTAMP DEFAULT current_timestamp
        );
        CREATE TABLE actors (
            id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            country VARCHAR,
            aliases VARCHAR[],
            source VARCHAR
        );
        CREATE TABLE roles (
            person VARCHAR NOT NULL,
            org VARCHAR NOT NULL,
            sector VARCHAR,
            title VARCHAR NOT NULL,
            valid_from VARCHAR,
            valid_to VARCHAR
        );
        CREATE TABLE sentences (
            article_id VARCHAR NOT NULL,
            idx INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        CREATE TABLE mentions (
            id VARCHAR PRIMARY KEY,
            article_id VARCHAR NOT NULL,
            sentence INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            actor_id VARCHAR NOT NULL,
            code VARCHAR,
            sector VARCHAR,
            org VARCHAR,
            label VARCHAR,
            resolved BOOLEAN,
            method VARCHAR,
            extractor VARCHAR
        );
        CREATE INDEX mentions_actor ON mentions (actor_id);
        CREATE INDEX mentions_article ON mentions (article_id);
        CREATE TABLE extracted (
            article_id VARCHAR PRIMARY KEY,
            extractor VARCHAR NOT NULL,
            extracted_at TIMESTAMP DEFAULT current_timestamp
        );
        CREATE TABLE runs (
            id VARCHAR PRIMARY KEY,
            command VARCHAR,
            started_at TIMESTAMP,
            finished_at TIMESTAMP,
            stats VARCHAR
        );
        """,
    ),
    (
        2,
        "time expressions, events, claims",
        """
        CREATE TABLE timexes (
            id VARCHAR PRIMARY KEY,
            article_id VARCHAR NOT NULL,
            sentence INTEGER,
            start_char INTEGER,
            end_char INTEGER,
            text VARCHAR,
            type VARCHAR,
            value VARCHAR,
            anchor VARCHAR,
            anchor_source VARCHAR,
            uncertain BOOLEAN,
            extractor VARCHAR
        );
        CREATE INDEX timexes_article ON timexes (article_id);
        CREATE TABLE events (
            id VARCHAR PRIMARY KEY,
            article_id VARCHAR NOT NULL,
            sentence INTEGER,
            trigger_start INTEGER,
            trigger_end INTEGER,
            trigger VARCHAR,
            type VARCHAR,
            mode VARCHAR,
            context VARCHAR,
            cameo VARCHAR,
            quad_class INTEGER,
            goldstein DOUBLE,
            sources VARCHAR[],
            targets VARCHAR[],
            source_spans INTEGER[][],
            target_spans INTEGER[][],
            negated BOOLEAN,
            modality VARCHAR,
            speaker VARCHAR,
            date VARCHAR,
            date_approx BOOLEAN,
            date_reason VARCHAR,
            location VARCHAR,
            confidence DOUBLE,
            extractor VARCHAR
        );
        CREATE INDEX events_article ON events (article_id);
        CREATE TABLE claims (
            id VARCHAR PRIMARY KEY,
            article_id VARCHAR NOT NULL,
            sentence INTEGER,
            start_char INTEGER,
            end_char INTEGER,
            text VARCHAR,
            kind VARCHAR,
            speaker VARCHAR,
            speaker_text VARCHAR,
            speaker_start INTEGER,
            speaker_end INTEGER,
            speaker_role VARCHAR,
            cue VARCHAR,
            cue_start INTEGER,
            cue_end INTEGER,
            subject VARCHAR,
            predicate VARCHAR,
            object VARCHAR,
            polarity VARCHAR,
            modality VARCHAR,
            date VARCHAR,
            extractor VARCHAR
        );
        CREATE INDEX claims_article ON claims (article_id);
        """,
    ),
    (
        3,
        "articles.reprinted_from: the outlet a text says it reprints",
        """
        ALTER TABLE articles ADD COLUMN reprinted_from VARCHAR;
        """,
    ),
    (
        4,
        "reconcile: facts, evidence, contradictions, source scores, relations",
        # Derived tables: diplograph.reconcile replaces all their rows in one transaction,
        # so they carry no keys (ids are deterministic and unique by construction).
        """
        CREATE TABLE facts (
            id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            subject VARCHAR,
            predicate VARCHAR,
            object VARCHAR,
            polarity VARCHAR,
            modality VARCHAR,
            actors VARCHAR[],
            first_date VARCHAR,
            last_date VARCHAR,
            articles INTEGER,
            sources INTEGER,
            outlets VARCHAR[],
            corroborated BOOLEAN,
            text VARCHAR,
            method VARCHAR
        );
        CREATE TABLE fact_evidence (
            fact_id VARCHAR NOT NULL,
            record_id VARCHAR NOT NULL,
            record_kind VARCHAR NOT NULL,
            article_id VARCHAR NOT NULL,
            source_key VARCHAR,
            independent BOOLEAN,
            similarity DOUBLE
        );
        CREATE TABLE contradictions (
            id VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            subject VARCHAR,
            reason VARCHAR,
            fact_a VARCHAR,
            fact_b VARCHAR,
            claim_a VARCHAR,
            claim_b VARCHAR,
            article_a VARCHAR,
            article_b VARCHAR,
            self_articles VARCHAR[]
        );
        CREATE TABLE source_scores (
            scope VARCHAR NOT NULL,
            key VARCHAR NOT NULL,
            outlet VARCHAR,
            article_id VARCHAR,
            score DOUBLE,
            articles INTEGER,
            facts INTEGER,
            card VARCHAR
        );
        CREATE TABLE relations (
            id VARCHAR NOT NULL,
            subject VARCHAR,
            predicate VARCHAR,
            object VARCHAR,
            is_symmetric BOOLEAN,
            state VARCHAR,
            valid_from VARCHAR,
            valid_to VARCHAR,
            valid_from_text VARCHAR,
            valid_to_text VARCHAR,
            first_reported VARCHAR,
            last_reported VARCHAR,
            sources INTEGER,
            against INTEGER,
            facts_for VARCHAR[],
            facts_against VARCHAR[]
        );
        CREATE TABLE reconcile_state (
            key VARCHAR NOT NULL,
            value VARCHAR
        );
        """,
    ),
    (
        5,
        "claims.date_reason: why a claim has its date (governing-timex:<text> | publication | unknown)",
        """
        ALTER TABLE claims ADD COLUMN date_reason VARCHAR;
        """,
    ),
    (
        6,
        "incremental reconcile: cached embeddings and article checks, row digests",
        # Caches for incremental reconcile runs (docs/reconcile.md, "Incremental runs"):
        # a row is used only while its text_hash (embeddings) or names signature (article
        # checks) still matches, so stale rows are never read; reconcile prunes them.
        # row_digests: a digest per row of the derived tables Store.update_tables writes
        # (key '' holds a DuckDB hash of the whole table), to rewrite only changed rows.
        """
        CREATE TABLE reconcile_embeddings (
            record_id VARCHAR NOT NULL,
            method VARCHAR NOT NULL,
            text_hash VARCHAR NOT NULL,
            vector BLOB NOT NULL,  -- float32 values, native byte order (array('f'))
            PRIMARY KEY (record_id, method)
        );
        CREATE TABLE reconcile_article_checks (
            article_id VARCHAR PRIMARY KEY,
            names VARCHAR NOT NULL,
            findings VARCHAR NOT NULL,
            parenthetical INTEGER NOT NULL,
            according_to INTEGER NOT NULL,
            links INTEGER NOT NULL
        );
        CREATE TABLE row_digests (
            tbl VARCHAR NOT NULL,
            key VARCHAR NOT NULL,
            digest VARCHAR NOT NULL,
            PRIMARY KEY (tbl, key)
        );
        """,
    ),
    (
        7,
        "actors.parent: the body that runs a programme or mission (PFP -> NATO)",
        """
        ALTER TABLE actors ADD COLUMN parent VARCHAR;
        """,
    ),
]


def applied_versions(con: Any) -> set[int]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR,"
        " applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    return {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}


def pending(con: Any) -> list[tuple[int, str, str]]:
    done = applied_versions(con)
    return [m for m in MIGRATIONS if m[0] not in done]


def apply(con: Any) -> list[int]:
    """Apply missing migrations in order; return the versions applied now."""
    applied: list[int] = []
    for version, name, sql in pending(con):
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in (s.strip() for s in sql.split(";")):
                if statement:
                    con.execute(statement)
            con.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(version)
    if applied:
        # Fold the migrations into the database file at once. DuckDB 1.5.5 cannot replay a
        # WAL that holds ``ALTER TABLE ... ADD COLUMN`` on a table with a
        # ``DEFAULT current_timestamp`` column (migration 3 on ``articles``): after a crash
        # the store would not open ("Failure while replaying WAL file ...
        # GetDefaultDatabase"). A checkpoint leaves no such WAL behind.
        con.execute("CHECKPOINT")
    return applied


def latest_version() -> int:
    return MIGRATIONS[-1][0]
