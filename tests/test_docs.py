"""Docs are generated and tested: the CLI reference and settings table stay current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _gen():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current() -> None:
    gen = _gen()
    assert (ROOT / "docs" / "cli.md").read_text("utf-8") == gen.cli_markdown(), (
        "docs/cli.md is stale: run python scripts/gen_docs.py"
    )


def test_settings_reference_is_current() -> None:
    gen = _gen()
    assert (ROOT / "docs" / "settings.md").read_text("utf-8") == gen.settings_markdown()


def test_every_setting_is_documented_with_a_comment() -> None:
    from diplograph.settings import Settings

    body = (ROOT / "docs" / "settings.md").read_text("utf-8")
    for name in Settings.__dataclass_fields__:
        row = next((line for line in body.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, f"setting {name} missing from docs/settings.md"
        assert not row.rstrip().endswith("|  |"), f"setting {name} has no description"


def test_readme_names_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")
