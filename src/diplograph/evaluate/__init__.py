"""Evaluations of diplograph's extractors against annotated gold data.

Each submodule exposes one ``evaluate_<stage>(gold_dir, ...) -> dict`` function that
returns JSON-able scores; the CLI (``diplograph eval <stage> --gold DIR``) prints them.
Submodules are imported on first use, so ``python -m diplograph.evaluate.dates`` runs
cleanly and importing this package stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["evaluate_dates"]

_LAZY = {"evaluate_dates": ".dates"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
