"""The actor dictionary's file format: entries parsed and validated, and name keys.

``resolve.py`` builds the :class:`~.resolve.Gazetteer` from what this module reads. A
dictionary file is TOML or JSONL (the format is described in ``docs/actors.md``):
:func:`parse_into` validates every entry (an unknown field, kind or sector, a malformed date
or role is a :class:`ResolutionError` naming the file and entry) and merges it into a
:class:`DictionaryData`, where a later entry with the same ``id`` replaces an earlier one,
or extends it with ``extend = true``. :func:`normalize` and :func:`fold` give the keys names
are looked up by.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date as _Date
from typing import Any

from .errors import ResolutionError

KINDS = ("state", "igo", "programme", "mission", "group", "person")
_TRANS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "–": "-", "—": "-"})
_EDGE = ' ,;:"()[]'


def strip_surface(surface: str) -> str:
    """Collapse whitespace, unify apostrophes, drop a leading "the" and a possessive."""
    s = " ".join(unicodedata.normalize("NFKC", surface).translate(_TRANS).split()).strip(_EDGE)
    if s[:4].lower() == "the ":
        s = s[4:]
    if s[-2:] in ("'s", "'S"):
        s = s[:-2].rstrip()
    elif s.endswith("'") and len(s) > 1:
        s = s[:-1]
    return s.strip(_EDGE)


def normalize(surface: str) -> str:
    """Lookup key of a name: case-folded, whitespace collapsed, no "the", no "'s"."""
    return strip_surface(surface).casefold()


def fold(key: str) -> str:
    """ASCII-folded form of a key (``erdoğan`` -> ``erdogan``)."""
    return unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()


@dataclass
class Entry:
    """One actor entry as written in a dictionary file (validated)."""

    id: str
    name: str
    kind: str
    source: str
    aliases: list[str] = field(default_factory=list)
    cased: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    metonyms: list[str] = field(default_factory=list)
    bodies: dict[str, list[str]] = field(default_factory=dict)
    country: str | None = None
    parent: str | None = None
    sector: str | None = None
    title: str | None = None
    roles: list[dict[str, str | None]] = field(default_factory=list)
    short: list[str] | None = None


@dataclass
class DictionaryData:
    entries: dict[str, Entry] = field(default_factory=dict)
    context: dict[str, dict[str, Any]] = field(default_factory=dict)
    ignore: list[str] = field(default_factory=list)
    agents: dict[str, str] = field(default_factory=dict)  # noun -> sector

    def canonical(self) -> dict[str, Any]:
        entries = {k: {**asdict(v), "source": None} for k, v in self.entries.items()}
        return {"e": entries, "c": self.context, "i": self.ignore, "a": self.agents}


_LISTS = ("aliases", "cased", "demonyms", "metonyms")
_SCALARS = ("name", "kind", "country", "parent", "sector", "title")
_FIELDS = {"id", "extend", "note", "bodies", "roles", "short", *_LISTS, *_SCALARS}
_ROLE_FIELDS = {"org", "sector", "title", "from", "to", "note"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SECTOR = re.compile(r"^[A-Z]{2,5}$")
_SPECIAL = ("ignore", "agents", "context")


def _bad(where: str, what: str) -> ResolutionError:
    return ResolutionError(f"{where}: {what}", code="E303")


def _str_list(value: Any, where: str, name: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list):
        raise _bad(where, f"{name!r} must be a list of strings")
    if not all(isinstance(v, str) and v.strip() for v in value):
        raise _bad(where, f"{name!r} must hold non-empty strings")
    return list(value)


def _date(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, _Date):
        return value.isoformat()
    if isinstance(value, str) and _DATE.match(value):
        return value
    raise _bad(where, f"role date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")


def _role(raw: Any, where: str) -> dict[str, str | None]:
    if not isinstance(raw, dict):
        raise _bad(where, "each role must be a table")
    unknown = set(raw) - _ROLE_FIELDS
    missing = {"org", "sector", "title"} - set(raw)
    if unknown or missing:
        raise _bad(where, f"role fields: unknown {sorted(unknown)}, missing {sorted(missing)}")
    if not isinstance(raw["sector"], str) or not _SECTOR.match(raw["sector"]):
        raise _bad(where, f"role sector {raw['sector']!r} must be 2-5 capital letters")
    start, end = _date(raw.get("from"), where), _date(raw.get("to"), where)
    if start and end and end <= start:
        raise _bad(where, f"role {raw['title']!r} ends before it starts")
    return {"org": str(raw["org"]), "sector": raw["sector"], "title": str(raw["title"]),
            "from": start, "to": end}  # fmt: skip


def _merge(data: DictionaryData, raw: Mapping[str, Any], kind: str | None, where: str, source: str) -> None:
    """Validate one actor entry and add it to ``data`` (replacing or extending by id)."""
    if not isinstance(raw, Mapping):
        raise _bad(where, "an actor entry must be a table/object")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise _bad(where, f"unknown field(s) {sorted(unknown)}")
    actor_id = raw.get("id")
    if not isinstance(actor_id, str) or not actor_id.strip() or actor_id.startswith("?"):
        raise _bad(where, "every actor needs a string 'id' (not starting with '?')")
    where = f"{where} (id {actor_id!r})"
    old = data.entries.get(actor_id)
    if old is not None and old.source == source and not raw.get("extend"):
        raise _bad(where, "this id is defined twice in the same file")
    extend = bool(raw.get("extend")) and old is not None
    kind = raw.get("kind") or kind or (old.kind if extend and old else None)
    if kind not in KINDS:
        raise _bad(where, f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if not extend and not isinstance(raw.get("name"), str):
        raise _bad(where, "'name' is required (a string)")
    entry = old if extend and old is not None else Entry(actor_id, raw["name"], kind, source)
    entry.source, entry.kind = source, kind
    for name in _SCALARS:
        if name in raw and name != "kind":
            if not isinstance(raw[name], str):
                raise _bad(where, f"{name!r} must be a string")
            setattr(entry, name, raw[name])
    for name in _LISTS:
        if name in raw:
            merged = getattr(entry, name) + _str_list(raw[name], where, name)
            setattr(entry, name, list(dict.fromkeys(merged)))
    if "short" in raw:
        new = _str_list(raw["short"], where, "short")
        entry.short = list(dict.fromkeys((entry.short or []) + new)) if extend else new
    if "bodies" in raw:
        if not isinstance(raw["bodies"], Mapping):
            raise _bad(where, "'bodies' must map a sector to a list of names")
        for sector, names in raw["bodies"].items():
            if not _SECTOR.match(sector):
                raise _bad(where, f"body sector {sector!r} must be 2-5 capital letters")
            entry.bodies[sector] = entry.bodies.get(sector, []) + _str_list(names, where, sector)
    if "roles" in raw:
        if not isinstance(raw["roles"], list):
            raise _bad(where, "'roles' must be a list of tables")
        entry.roles = entry.roles + [_role(r, where) for r in raw["roles"]]
    if entry.sector is not None and not _SECTOR.match(entry.sector):
        raise _bad(where, f"sector {entry.sector!r} must be 2-5 capital letters")
    data.entries[actor_id] = entry


def _merge_item(data: DictionaryData, key: str, value: Any, where: str, source: str) -> None:
    if key == "ignore":
        data.ignore.extend(_str_list(value, where, "ignore"))
    elif key == "agents":
        if not isinstance(value, Mapping):
            raise _bad(where, "'agents' must map a sector to a list of nouns")
        for sector, nouns in value.items():
            if not _SECTOR.match(sector):
                raise _bad(where, f"agent sector {sector!r} must be 2-5 capital letters")
            for noun in _str_list(nouns, where, sector):
                data.agents[noun] = sector
    elif key == "context":
        rules = value if isinstance(value, list) else [value]
        for i, rule in enumerate(rules):
            w = f"{where} context[{i}]"
            if not isinstance(rule, Mapping) or not isinstance(rule.get("alias"), str):
                raise _bad(w, "a context rule needs an 'alias' string")
            unknown = set(rule) - {"alias", "when", "default", "cased", "note"}
            if unknown:
                raise _bad(w, f"unknown field(s) {sorted(unknown)}")
            if not isinstance(rule.get("when", {}), Mapping):
                raise _bad(w, "'when' must map an actor id to the resulting actor id")
            data.context[normalize(rule["alias"])] = dict(rule)
    elif key in KINDS or key == "actor":
        entries = value if isinstance(value, list) else [value]
        for i, raw in enumerate(entries):
            _merge(data, raw, None if key == "actor" else key, f"{where} {key}[{i}]", source)
    else:
        raise _bad(where, f"unknown top-level key {key!r}")


def parse_into(data: DictionaryData, text: str, fmt: str, where: str, source: str) -> None:
    if fmt == "toml":
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ResolutionError(f"{where}: invalid TOML ({exc})", code="E302") from exc
        for key, value in doc.items():
            _merge_item(data, key, value, where, source)
        return
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ResolutionError(f"{where}:{n}: invalid JSON ({exc})", code="E302") from exc
        special = isinstance(obj, dict) and len(obj) == 1 and next(iter(obj)) in _SPECIAL
        if special:
            key = next(iter(obj))
            _merge_item(data, key, obj[key], f"{where}:{n}", source)
        else:
            _merge(data, obj, None, f"{where}:{n}", source)
