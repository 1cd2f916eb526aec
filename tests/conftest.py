"""Shared fixtures: stores, settings, and paths to the shared corpora."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplograph.settings import Settings, load_settings
from diplograph.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
EVAL = SHARED / "eval"
EXAMPLES = ROOT / "examples" / "corpus"


@pytest.fixture
def store() -> Store:
    """A fresh in-memory store per test."""
    s = Store.open(":memory:")
    yield s
    s.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default settings with the store in a temporary folder."""
    return load_settings(overrides={"db": str(tmp_path / "test.duckdb")}, environ={})


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds is not present")
    return SEEDS


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (e.g. "003")."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds is not present")
    matches = sorted(SEEDS.glob(f"{prefix}_*"))
    if not matches:
        pytest.skip(f"seed {prefix} missing")
    return matches[0]
