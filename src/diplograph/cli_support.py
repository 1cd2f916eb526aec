"""What the command-line modules share: consoles, settings and store opening, the error
mapping and the output formats (table, JSON, CSV). No command lives here."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import ConfigError, DiplographError
from .settings import Settings, load_settings, parse_set_options

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def settings_for(
    config: Path | None = None, sets: list[str] | None = None, **overrides: Any
) -> Settings:
    values = parse_set_options(sets or [])
    values.update({k: v for k, v in overrides.items() if v not in (None, [], ())})
    return load_settings(config, values)


def open_store(settings: Settings, *, read_only: bool = False):  # type: ignore[no-untyped-def]
    from .store import Store

    return Store.open(settings.db, read_only=read_only, memory_limit=settings.memory_limit)


@contextmanager
def errors_to_exit() -> Iterator[None]:
    """Map library errors to a one-line message and an exit code (no tracebacks)."""
    try:
        yield
    except DiplographError as exc:
        err.print(f"error {exc}", markup=False, highlight=False)
        raise typer.Exit(2 if isinstance(exc, ConfigError) else 1) from None
    except ValueError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(2) from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


def _table_cell(value: Any) -> str:
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value):
        return ", ".join(str(v) for v in value)
    return _cell(value)


def emit(
    rows: list[dict[str, Any]], fmt: str, title: str | None = None, hide: tuple[str, ...] = ()
) -> None:
    """Print rows as a rich table, JSON or CSV; ``hide`` drops wide columns from tables."""
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
        names = [n for n in rows[0] if n not in hide] if rows else ["(no rows)"]
        for name in names:
            table.add_column(str(name), overflow="fold")
        for row in rows:
            table.add_row(*(_table_cell(row[n]) for n in names), style=None)
        out.print(table, markup=False, highlight=False)
    else:
        raise typer.BadParameter(f"unknown format {fmt!r}; use table, json or csv")


def progress_bar() -> tuple[Progress, Any]:
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


def print_skipped(item: Any) -> None:
    err.print(f"skipped {item.origin}: [{item.code}] {item.reason}", markup=False, highlight=False)


def print_json(result: Any) -> None:
    """One JSON document on stdout (the ``eval`` and ``bench`` results)."""
    sys.stdout.write(json.dumps(result, indent=1, default=str, ensure_ascii=False) + "\n")
