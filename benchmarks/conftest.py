"""Benchmark fixtures: where results go, and the repository paths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "work" / "bench"


@pytest.fixture
def save_result() -> Any:
    """Write a benchmark's result as ``work/bench/<name>.json``; returns the path."""

    def save(name: str, result: dict[str, Any]) -> Path:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{name}.json"
        path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", "utf-8")
        return path

    return save
