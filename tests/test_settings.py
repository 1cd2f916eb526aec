"""Settings flow one way: defaults -> file -> environment -> overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplograph.errors import ConfigError
from diplograph.settings import Settings, load_settings, parse_set_options, shipped_defaults


def test_shipped_defaults_cover_every_setting() -> None:
    assert set(shipped_defaults()) == set(Settings.__dataclass_fields__)


def test_load_order(tmp_path: Path) -> None:
    cfg = tmp_path / "d.toml"
    cfg.write_text('batch_size = 7\nmax_bytes = 100\nspacy_model = "file"\n')
    s = load_settings(
        cfg,
        overrides={"max_bytes": "200"},
        environ={"DIPLOGRAPH_BATCH_SIZE": "9", "DIPLOGRAPH_MIN_WORDS": "3"},
    )
    assert s.spacy_model == "file"  # file over defaults
    assert s.batch_size == 9  # env over file
    assert s.max_bytes == 200  # overrides over env, coerced to int
    assert s.min_words == 3


def test_bad_settings_raise_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_settings(overrides={"nope": 1}, environ={})
    with pytest.raises(ConfigError):
        load_settings(overrides={"max_bytes": "lots"}, environ={})
    with pytest.raises(ConfigError):
        load_settings(tmp_path / "missing.toml", environ={})
    with pytest.raises(ConfigError):
        parse_set_options(["no-equals"])


def test_tuple_settings_from_env() -> None:
    s = load_settings(environ={"DIPLOGRAPH_ACTORS": "a.toml:b.toml"})
    assert s.actors == ("a.toml", "b.toml")
