"""Optional later stages, probed at request time: the web UI's contract with ``reconcile``.

The pages for contradictions, source scorecards and the reconciled state of a relation
work whether or not :mod:`diplograph.reconcile` exists yet. Each hook returns a
:class:`Hook` result whose ``status`` is:

``ok``         the function ran; ``data`` holds its rows (possibly none)
``not_run``    the module or function is missing, or it found nothing to report
``error``      it raised a :class:`~diplograph.errors.DiplographError` (for example a
               table it needs does not exist yet); ``message`` says which

Expected functions (all read-only, all given the snapshot's :class:`Store`):

- ``contradictions(store) -> list[dict]``: one row per contradiction; keys such as
  ``id``, ``claim_a``, ``claim_b``, ``article_a``, ``article_b``, ``actor``/``subject``,
  ``reason``. Any JSON-able keys are shown.
- ``source_scores(store) -> list[dict]``: one row per outlet (key ``outlet``) with scores.
- ``relation(store, a, b, at=None) -> list[dict] | dict``: the reconciled state of the
  relation between actors ``a`` and ``b`` over time (or at date ``at``), for example rows
  of ``valid_from``, ``valid_to``, ``state``, ``confidence``, ``support``, ``contradict``.

Results are cached per snapshot by the caller, since a snapshot never changes.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ..errors import DiplographError
from ..store import Store

log = logging.getLogger(__name__)

Status = Literal["ok", "not_run", "error"]


@dataclass
class Hook:
    """What a reconcile hook produced, ready for a template or JSON."""

    name: str
    status: Status
    data: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "data": self.data, "message": self.message}


def jsonable(value: Any) -> Any:
    """Make a hook's output JSON-able: dates as ISO strings, tuples as lists, etc."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "to_dict"):
        return jsonable(value.to_dict())
    return str(value)


def _function(name: str) -> Any:
    try:
        module = importlib.import_module("diplograph.reconcile")
    except ImportError:
        return None
    fn = getattr(module, name, None)
    return fn if callable(fn) else None


def call(name: str, store: Store, *args: Any, **kwargs: Any) -> Hook:
    """Call ``diplograph.reconcile.<name>(store, *args, **kwargs)`` if it exists."""
    fn = _function(name)
    if fn is None:
        return Hook(name, "not_run", message="the reconcile stage has not been run yet")
    try:
        result = fn(store, *args, **kwargs)
    except DiplographError as exc:
        log.info("reconcile.%s unavailable: %s", name, exc)
        return Hook(name, "error", message=f"reconcile.{name} is not available: {exc}")
    if result is None:
        rows: list[dict[str, Any]] = []
    elif isinstance(result, dict):
        rows = [jsonable(result)]
    else:
        rows = [jsonable(r) if isinstance(r, dict) else {"value": jsonable(r)} for r in result]
    if not rows:
        return Hook(name, "not_run", message="the reconcile stage reported nothing yet")
    return Hook(name, "ok", rows)


def columns(rows: list[dict[str, Any]], limit: int = 12) -> list[str]:
    """Column names across rows, in first-seen order (at most ``limit``)."""
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)[:limit]
