"""The ``diplograph`` command line: a thin adapter over the library.

Each command parses its options, builds the settings object, calls one library
function, formats the result and maps :class:`~diplograph.errors.DiplographError` to an
exit code (1 for a failed job, 2 for bad usage or configuration). No logic lives here.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from . import __version__, tables
from .cli_eval import eval_app
from .cli_support import (
    emit,
    err,
    errors_to_exit,
    open_store,
    out,
    print_json,
    print_skipped,
    progress_bar,
    settings_for,
)
from .errors import ConfigError

app = typer.Typer(
    name="diplograph",
    help="Turn news about international relations into a source-attributed, time-aware "
    "model of actors, events and claims.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(eval_app, name="eval")

DbOpt = Annotated[
    str | None, typer.Option("--db", help="DuckDB store path.", envvar="DIPLOGRAPH_DB")
]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Settings TOML file.")]
SetOpt = Annotated[list[str], typer.Option("--set", help="Override a setting: name=value.")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")]
LimitOpt = Annotated[int | None, typer.Option("--limit", help="At most this many rows.")]
ExecutorOpt = Annotated[str | None, typer.Option("--executor", help="local (process pool) or ray.")]
RayAddressOpt = Annotated[
    str | None, typer.Option("--ray-address", help="Join this Ray cluster instead of starting one.")
]
SinceOpt = Annotated[str | None, typer.Option("--since", help="From this ISO date (inclusive).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Up to this ISO date (inclusive).")]
ActorsOpt = Annotated[
    list[str], typer.Option("--actors", help="Extra actor dictionary file (repeatable).")
]


def version_callback(value: bool) -> None:
    if value:
        out.print(f"diplograph {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@app.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders, .jsonl files or http(s) URLs.")
    ],
    db: DbOpt = None,
    config: ConfigOpt = None,
    set_: SetOpt = [],  # noqa: B006
    max_bytes: Annotated[int | None, typer.Option(help="Size cap per input, bytes.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit non-zero if any input was rejected.")] = False,
) -> None:
    """Ingest articles: clean them, recover metadata, detect reprints, store them."""
    from .pipeline import ingest_into

    with errors_to_exit():
        settings = settings_for(config, set_, db=db, max_bytes=max_bytes)
        progress, advance = progress_bar()
        with open_store(settings) as store, progress:
            stats = ingest_into(store, paths, settings, progress=advance, on_error=print_skipped)
    err.print(
        f"ingested {stats.new} new, {stats.known} already known, {stats.reprints} reprints, "
        f"{len(stats.errors)} rejected",
        markup=False,
    )
    if stats.seen == 0 or (strict and stats.errors):
        raise typer.Exit(1)


@app.command()
def extract(
    db: DbOpt = None,
    config: ConfigOpt = None,
    set_: SetOpt = [],  # noqa: B006
    actors: ActorsOpt = [],  # noqa: B006
    processes: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    executor: ExecutorOpt = None,
    ray_address: RayAddressOpt = None,
) -> None:
    """Extract mentions, dates, events and claims from articles not yet extracted."""
    from .pipeline import extract_pending

    with errors_to_exit():
        settings = settings_for(
            config,
            set_,
            db=db,
            actors=actors,
            processes=processes,
            executor=executor,
            ray_address=ray_address,
        )
        progress, advance = progress_bar()
        with open_store(settings) as store, progress:
            stats = extract_pending(store, settings, progress=advance)
    err.print(json.dumps(stats.as_dict()), markup=False, highlight=False)


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, .jsonl files or URLs.")],
    db: DbOpt = None,
    config: ConfigOpt = None,
    set_: SetOpt = [],  # noqa: B006
    actors: ActorsOpt = [],  # noqa: B006
    report: Annotated[Path | None, typer.Option(help="Write the HTML report here.")] = None,
    processes: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    executor: ExecutorOpt = None,
    ray_address: RayAddressOpt = None,
) -> None:
    """Ingest, extract, reconcile and report in one go (what `make demo` runs)."""
    from . import pipeline, reports

    with errors_to_exit():
        settings = settings_for(
            config,
            set_,
            db=db,
            actors=actors,
            processes=processes,
            executor=executor,
            ray_address=ray_address,
        )
        progress, advance = progress_bar()
        with open_store(settings) as store:
            with progress:
                stats = pipeline.run(
                    store, paths, settings, progress=advance, on_error=print_skipped
                )
            target = reports.write_report(store, report or Path(settings.db).with_suffix(".html"))
    err.print(json.dumps(stats.as_dict()), markup=False, highlight=False)
    err.print(f"report written to {target}", markup=False)
    if stats.ingest.seen == 0:
        raise typer.Exit(1)


@app.command()
def actors(
    db: DbOpt = None,
    kind: Annotated[
        str | None, typer.Option(help="state, igo, programme, mission, person, unresolved.")
    ] = None,
    fmt: FormatOpt = "table",
    limit: LimitOpt = None,
) -> None:
    """List actors found in the store, with mention counts."""
    from . import queries

    with errors_to_exit(), open_store(settings_for(db=db), read_only=True) as store:
        rows = queries.actors(store, kind=kind, limit=limit)
    emit(rows, fmt, "actors", hide=("aliases", "source"))


@app.command()
def mentions(
    db: DbOpt = None,
    actor: Annotated[
        str | None, typer.Option(help="Actor id or code prefix (AZE, NATO, jens-stoltenberg).")
    ] = None,
    article: Annotated[str | None, typer.Option(help="Article id.")] = None,
    fmt: FormatOpt = "table",
    limit: LimitOpt = None,
) -> None:
    """List actor mentions with their article, sentence and character offsets."""
    from . import queries

    with errors_to_exit(), open_store(settings_for(db=db), read_only=True) as store:
        rows = queries.mentions(store, actor=actor, article=article, limit=limit)
    emit(rows, fmt, "mentions", hide=tables.MENTION_HIDDEN)


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run against the store (read-only).")],
    db: DbOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Run a read-only SQL query against the store."""
    with errors_to_exit(), open_store(settings_for(db=db), read_only=True) as store:
        columns, rows = store.execute_sql(query)
    emit([dict(zip(columns, r)) for r in rows], fmt)


@app.command()
def report(
    db: DbOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path(
        "diplograph-report.html"
    ),
) -> None:
    """Write a self-contained HTML report."""
    from . import reports

    with errors_to_exit(), open_store(settings_for(db=db), read_only=True) as store:
        target = reports.write_report(store, output)
    err.print(f"report written to {target}", markup=False)


@app.command()
def export(
    output: Annotated[
        Path, typer.Argument(help="File (or folder, for partitioned parquet) to write.")
    ],
    db: DbOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="parquet, csv, jsonl, gdelt or polecat.")
    ] = "parquet",
    table: Annotated[
        str | None, typer.Option(help="Table for parquet/csv/jsonl (default: events).")
    ] = None,
) -> None:
    """Export a table (streamed by DuckDB; memory stays flat)."""
    from . import export as export_mod

    with errors_to_exit(), open_store(settings_for(db=db), read_only=True) as store:
        target = export_mod.export(store, fmt, output, table=table)
    err.print(f"exported to {target}", markup=False)


@app.command()
def migrate(db: DbOpt = None) -> None:
    """Create the store or apply pending schema migrations."""
    with errors_to_exit(), open_store(settings_for(db=db)) as store:
        rows = store.query(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
        )
    emit(rows, "table", "schema migrations")


@app.command()
def events(
    db: DbOpt = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Source actor code prefix (AZE, NATO).")
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="Target actor code prefix.")
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    type_: Annotated[
        str | None, typer.Option("--type", help="PLOVER event type (COOPERATE, ...).")
    ] = None,
    location: Annotated[
        str | None, typer.Option("--location", help="Country where it happened (ISO3: IRQ).")
    ] = None,
    fmt: FormatOpt = "table",
    limit: LimitOpt = None,
) -> None:
    """List coded events (PLOVER, CAMEO root, QuadClass, Goldstein) with provenance.

    An actor the dictionary does not know (code ---) is shown by the article's words for it.
    """
    from . import queries

    with errors_to_exit(), open_store(settings_for(db=db), read_only=True) as store:
        rows = queries.events(
            store,
            actor=actor,
            target=target,
            since=since,
            until=until,
            type=type_.upper() if type_ else None,
            location=location.upper() if location else None,
            limit=limit,
        )
    emit(tables.event_lines(rows) if fmt == "table" else rows, fmt, "events")


@app.command()
def reconcile(
    db: DbOpt = None,
    config: ConfigOpt = None,
    set_: SetOpt = [],  # noqa: B006
    force: Annotated[
        bool, typer.Option(help="Recompute even when nothing changed since the last run.")
    ] = False,
) -> None:
    """Merge facts across articles, count corroboration, find contradictions, score sources.

    Incremental: skipped when nothing changed since the last run; cached embeddings and
    text checks are reused for records and articles seen before.
    """
    from . import reconcile as reconcile_mod

    with errors_to_exit():
        settings = settings_for(config, set_, db=db)
        with open_store(settings) as store:
            stats = reconcile_mod.reconcile(store, force=force)
    err.print(json.dumps(stats, default=str), markup=False, highlight=False)


@app.command()
def claims(
    db: DbOpt = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Claims about this actor (subject or object).")
    ] = None,
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Claims by this speaker.")
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """List claims and quotes with speaker, canonical form and provenance."""
    from . import reconcile as reconcile_mod

    with errors_to_exit(), open_store(settings_for(db=db), read_only=True) as store:
        rows = reconcile_mod.claims(store, actor=actor, speaker=speaker)
    emit(tables.claim_lines(rows) if fmt == "table" else rows, fmt, "claims")


@app.command()
def contradictions(db: DbOpt = None, fmt: FormatOpt = "table") -> None:
    """List contradictions between (or within) sources, both sides with provenance."""
    from . import reconcile as reconcile_mod

    with errors_to_exit(), open_store(settings_for(db=db), read_only=True) as store:
        rows = reconcile_mod.contradictions(store)
    emit(tables.contradiction_lines(rows) if fmt == "table" else rows, fmt, "contradictions")


@app.command()
def sources(db: DbOpt = None, fmt: FormatOpt = "table") -> None:
    """Source credibility scorecards, with every component shown."""
    from . import reconcile as reconcile_mod

    with errors_to_exit(), open_store(settings_for(db=db), read_only=True) as store:
        rows = reconcile_mod.source_scores(store)
    emit(tables.scorecard_lines(rows) if fmt == "table" else rows, fmt, "sources")


@app.command()
def relation(
    a: Annotated[str, typer.Argument(help="First actor (AZE).")],
    b: Annotated[str, typer.Argument(help="Second actor (NATO).")],
    db: DbOpt = None,
    at: Annotated[
        str | None, typer.Option("--at", help="State of the relation at this date.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """The relation between two actors over time, with supporting and contradicting evidence."""
    from . import reconcile as reconcile_mod

    with errors_to_exit(), open_store(settings_for(db=db), read_only=True) as store:
        result = reconcile_mod.relation(store, a, b, at=at)
    if fmt == "json":
        sys.stdout.write(json.dumps(result, indent=2, default=str, ensure_ascii=False) + "\n")
        return
    title = f"{a} - {b}" + (f" at {at}" if at else "")
    emit(tables.relation_lines(result["relations"], at) or [{"relations": "none reconciled"}],
         "table", f"relations {title}")  # fmt: skip
    emit(tables.relation_event_lines(result["events"]) or [{"events": "none reconciled"}],
         "table", f"events {title}")  # fmt: skip


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[
        str, typer.Option(help="Interface to bind (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    allow_ingest: Annotated[
        bool, typer.Option(help="Enable the token-protected upload endpoint.")
    ] = False,
    token: Annotated[
        str | None,
        typer.Option(help="Upload token (or DIPLOGRAPH_TOKEN).", envvar="DIPLOGRAPH_TOKEN"),
    ] = None,
) -> None:
    """Serve the web UI and JSON API (read-only unless --allow-ingest)."""
    try:
        from .web.app import serve as serve_app
    except ImportError as exc:
        err.print(
            f"error: the web UI needs the [web] extra: pip install 'diplograph[web]' ({exc})",
            markup=False,
        )
        raise typer.Exit(1) from None
    with errors_to_exit():
        settings = settings_for(db=db)
        if allow_ingest and not token:
            raise ConfigError(
                "--allow-ingest requires a token (--token or DIPLOGRAPH_TOKEN)", code="E520"
            )
        serve_app(
            settings.db,
            host=host,
            port=port,
            allow_ingest=allow_ingest,
            token=token,
            settings=settings,
        )


@app.command()
def bench(
    articles: Annotated[
        int, typer.Option("--articles", help="Synthetic articles to generate.")
    ] = 300,
    executor: Annotated[str, typer.Option("--executor", help="local or ray.")] = "local",
    processes: Annotated[int, typer.Option(help="Worker processes.")] = 2,
    seed: Annotated[int, typer.Option(help="Corpus seed.")] = 0,
    scaling: Annotated[
        bool, typer.Option("--scaling/--no-scaling", help="Also run 1 worker, for scaling efficiency.")
    ] = True,
) -> None:
    """Benchmark the whole pipeline on a synthetic corpus; prints JSON."""
    from .bench import run_bench

    with errors_to_exit():
        print_json(run_bench(articles, executor, processes, seed=seed, scaling=scaling))


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
