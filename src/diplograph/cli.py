"""The ``diplograph`` command line: a thin adapter over the library.

Each command parses its options, builds the settings object, calls one library
function, formats the result and maps :class:`~diplograph.errors.DiplographError` to an
exit code (1 for a failed job, 2 for bad usage or configuration). No logic lives here.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .errors import ConfigError, DiplographError
from .settings import Settings, load_settings, parse_set_options

app = typer.Typer(
    name="diplograph",
    help="Turn news about international relations into a source-attributed, time-aware "
    "model of actors, events and claims.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOpt = Annotated[Optional[str], typer.Option("--db", help="DuckDB store path.", envvar="DIPLOGRAPH_DB")]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="Settings TOML file.")]
SetOpt = Annotated[list[str], typer.Option("--set", help="Override a setting: name=value.")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")]
LimitOpt = Annotated[Optional[int], typer.Option("--limit", help="At most this many rows.")]
ActorsOpt = Annotated[
    list[str], typer.Option("--actors", help="Extra actor dictionary file (repeatable).")
]


def _settings(
    config: Path | None = None, sets: list[str] | None = None, **overrides: Any
) -> Settings:
    values = parse_set_options(sets or [])
    values.update({k: v for k, v in overrides.items() if v not in (None, [], ())})
    return load_settings(config, values)


def _open(settings: Settings, *, read_only: bool = False):  # type: ignore[no-untyped-def]
    from .store import Store

    return Store.open(settings.db, read_only=read_only)


def _fail(exc: DiplographError) -> typer.Exit:
    err.print(f"[red]error[/red] {exc}", markup=True, highlight=False)
    return typer.Exit(2 if isinstance(exc, ConfigError) else 1)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


def emit(rows: list[dict[str, Any]], fmt: str, title: str | None = None) -> None:
    """Print rows as a rich table, JSON or CSV."""
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, indent=2, default=str, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        buf = io.StringIO()
        if rows:
            writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
        sys.stdout.write(buf.getvalue())
    elif fmt == "table":
        table = Table(title=title, show_lines=False)
        for name in rows[0] if rows else ["(no rows)"]:
            table.add_column(str(name), overflow="fold")
        for row in rows:
            table.add_row(*(_cell(v) for v in row.values()), style=None)
        out.print(table, markup=False, highlight=False)
    else:
        raise typer.BadParameter(f"unknown format {fmt!r}; use table, json or csv")


def _progress() -> tuple[Progress, Any]:
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    tasks: dict[str, Any] = {}

    def advance(stage: str, n: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=None)
        progress.advance(tasks[stage], n)

    return progress, advance


def _print_error(item: Any) -> None:
    err.print(f"skipped {item.origin}: [{item.code}] {item.reason}", markup=False, highlight=False)


def version_callback(value: bool) -> None:
    if value:
        out.print(f"diplograph {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, .jsonl files or http(s) URLs.")],
    db: DbOpt = None,
    config: ConfigOpt = None,
    set_: SetOpt = [],  # noqa: B006
    max_bytes: Annotated[Optional[int], typer.Option(help="Size cap per input, bytes.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit non-zero if any input was rejected.")] = False,
) -> None:
    """Ingest articles: clean them, recover metadata, detect reprints, store them."""
    from .pipeline import ingest_into

    try:
        settings = _settings(config, set_, db=db, max_bytes=max_bytes)
        progress, advance = _progress()
        with _open(settings) as store, progress:
            stats = ingest_into(store, paths, settings, progress=advance, on_error=_print_error)
    except DiplographError as exc:
        raise _fail(exc) from None
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
    processes: Annotated[Optional[int], typer.Option(help="Worker processes.")] = None,
) -> None:
    """Extract actor mentions (and later stages) from articles not yet extracted."""
    from .pipeline import extract_pending

    try:
        settings = _settings(config, set_, db=db, actors=actors, processes=processes)
        progress, advance = _progress()
        with _open(settings) as store, progress:
            stats = extract_pending(store, settings, progress=advance)
    except DiplographError as exc:
        raise _fail(exc) from None
    err.print(json.dumps(stats.as_dict()), markup=False, highlight=False)


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, .jsonl files or URLs.")],
    db: DbOpt = None,
    config: ConfigOpt = None,
    set_: SetOpt = [],  # noqa: B006
    actors: ActorsOpt = [],  # noqa: B006
    report: Annotated[Optional[Path], typer.Option(help="Write the HTML report here.")] = None,
    processes: Annotated[Optional[int], typer.Option(help="Worker processes.")] = None,
) -> None:
    """Ingest, extract and report in one go (what `make demo` runs)."""
    from . import pipeline, reports

    try:
        settings = _settings(config, set_, db=db, actors=actors, processes=processes)
        progress, advance = _progress()
        with _open(settings) as store:
            with progress:
                stats = pipeline.run(store, paths, settings, progress=advance, on_error=_print_error)
            target = reports.write_report(store, report or Path(settings.db).with_suffix(".html"))
    except DiplographError as exc:
        raise _fail(exc) from None
    err.print(json.dumps(stats.as_dict()), markup=False, highlight=False)
    err.print(f"report written to {target}", markup=False)
    if stats.ingest.seen == 0:
        raise typer.Exit(1)


@app.command()
def actors(
    db: DbOpt = None,
    kind: Annotated[Optional[str], typer.Option(help="state, igo, programme, mission, person, unresolved.")] = None,
    fmt: FormatOpt = "table",
    limit: LimitOpt = None,
) -> None:
    """List actors found in the store, with mention counts."""
    from . import queries

    try:
        with _open(_settings(db=db), read_only=True) as store:
            rows = queries.actors(store, kind=kind, limit=limit)
    except DiplographError as exc:
        raise _fail(exc) from None
    emit(rows, fmt, "actors")


@app.command()
def mentions(
    db: DbOpt = None,
    actor: Annotated[Optional[str], typer.Option(help="Actor id or code prefix (AZE, NATO, jens-stoltenberg).")] = None,
    article: Annotated[Optional[str], typer.Option(help="Article id.")] = None,
    fmt: FormatOpt = "table",
    limit: LimitOpt = None,
) -> None:
    """List actor mentions with their article, sentence and character offsets."""
    from . import queries

    try:
        with _open(_settings(db=db), read_only=True) as store:
            rows = queries.mentions(store, actor=actor, article=article, limit=limit)
    except DiplographError as exc:
        raise _fail(exc) from None
    emit(rows, fmt, "mentions")


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run against the store (read-only).")],
    db: DbOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Run a read-only SQL query against the store."""
    try:
        with _open(_settings(db=db), read_only=True) as store:
            columns, rows = store.execute_sql(query)
    except DiplographError as exc:
        raise _fail(exc) from None
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

    try:
        with _open(_settings(db=db), read_only=True) as store:
            target = reports.write_report(store, output)
    except DiplographError as exc:
        raise _fail(exc) from None
    err.print(f"report written to {target}", markup=False)


@app.command()
def export(
    output: Annotated[Path, typer.Argument(help="File (or folder, for partitioned parquet) to write.")],
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="parquet, csv, jsonl, gdelt or polecat.")] = "parquet",
    table: Annotated[str, typer.Option(help="articles, mentions, actors, events, claims, timexes.")] = "mentions",
) -> None:
    """Export a table (streamed by DuckDB; memory stays flat)."""
    from . import export as export_mod

    try:
        with _open(_settings(db=db), read_only=True) as store:
            target = export_mod.export(store, fmt, output, table=table)
    except DiplographError as exc:
        raise _fail(exc) from None
    err.print(f"exported to {target}", markup=False)


@app.command()
def migrate(db: DbOpt = None) -> None:
    """Create the store or apply pending schema migrations."""
    try:
        with _open(_settings(db=db)) as store:
            rows = store.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
    except DiplographError as exc:
        raise _fail(exc) from None
    emit(rows, "table", "schema migrations")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
