"""``diplograph eval``: score the extractors against public gold data (one JSON object).

A thin adapter over :mod:`diplograph.evaluate`; see docs/evaluation.md for what is scored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli_support import errors_to_exit, print_json

eval_app = typer.Typer(
    help="Evaluate against public gold data; prints one JSON object.", no_args_is_help=True
)


@eval_app.command("dates")
def eval_dates(
    gold: Annotated[Path, typer.Option("--gold", help="Folder of TimeML .tml files.")],
    split: Annotated[str, typer.Option(help="all, dev or test (the held-out fifth).")] = "all",
) -> None:
    """Temporal expressions: span P/R/F1 (strict, relaxed), type and value accuracy."""
    from .evaluate.dates import evaluate_dates

    with errors_to_exit():
        print_json(evaluate_dates(gold, split=split))


@eval_app.command("events")
def eval_events(
    gold: Annotated[Path, typer.Option("--gold", help="Gold file.")],
    fmt: Annotated[
        str, typer.Option("--format", help="plover, conflibert-class, conflibert-ner or petrarch.")
    ] = "plover",
    split: Annotated[str, typer.Option(help="test (held out from training) or all.")] = "test",
    rules_only: Annotated[bool, typer.Option(help="Disable the learned components.")] = False,
    encoder: Annotated[
        str, typer.Option(help="auto: the fine-tuned MiniLM encoder ([ml] extra); off: the fast path.")
    ] = "auto",
    actors: Annotated[
        list[Path] | None,
        typer.Option("--actors", help="Extra actor dictionary file (repeatable)."),
    ] = None,
) -> None:
    """Event coding: type micro/macro-F1, per-class table, actor F1, PentaClass accuracy."""
    from .evaluate.events import evaluate_events

    with errors_to_exit():
        print_json(
            evaluate_events(
                str(gold), fmt, split=split, rules_only=rules_only, encoder=encoder,
                extra_actors=tuple(str(p) for p in actors or ()),
            )
        )


@eval_app.command("quotes")
def eval_quotes(
    gold: Annotated[
        Path, typer.Option("--gold", help="PolNeAR folder with text/ and attributions/.")
    ],
    fmt: Annotated[str, typer.Option("--format", help="polnear")] = "polnear",
    method: Annotated[
        str, typer.Option(help="auto (the CRF tagger when installed), tagger or rules.")
    ] = "auto",
    encoder: Annotated[
        str, typer.Option(help="auto: the tagger also reads the fine-tuned MiniLM token tagger ([ml] extra); off: CRF only.")
    ] = "auto",
    limit: Annotated[int | None, typer.Option(help="Score only the first N articles.")] = None,
) -> None:
    """Attribution: source, cue and content F1, exact and overlap."""
    from .evaluate.quotes import evaluate_quotes

    with errors_to_exit():
        print_json(evaluate_quotes(gold, fmt, method=method, encoder=encoder, limit=limit))
