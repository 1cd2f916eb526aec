"""The actor gazetteer: who a name refers to, and whom that actor acts for on a date.

The built-in dictionary ``data/actors.toml`` is loaded first, then any user files
(``--actors PATH`` / ``settings.actors``; TOML or JSONL in the same format, described in
``docs/actors.md``; parsed by ``actor_dictionary.py``). A later entry with the same ``id``
replaces the earlier one, or extends it when it says ``extend = true``.

Public API::

    load_gazetteer(extra_paths=()) -> Gazetteer
    Gazetteer.lookup(surface, date=None) -> Actor | None
    Gazetteer.role_at(actor, date) -> Role | None
    Gazetteer.code_for(actor, date, sector=None) -> (code, org, sector)
    Gazetteer.unresolved(name, actor_id=None) -> Actor  ("?slug", kind "unresolved")
    Gazetteer.actors() -> Iterator[Actor]

Ambiguity is handled conservatively: an alias shared by two actors resolves to neither
(except people told apart by the roles they hold on the article date); short acronyms
written in capitals ("US", "EU") match only in capitals; context aliases ("Brussels",
"the Alliance") resolve through the other actors the article names.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .actor_dictionary import (
    DictionaryData,
    Entry,
    fold,
    normalize,
    parse_into,
    strip_surface,
)
from .errors import ResolutionError
from .model import Actor, Role, slugify

__all__ = [
    "UNKNOWN_CODE",
    "AliasHit",
    "ContextRule",
    "Gazetteer",
    "fold",
    "load_gazetteer",
    "normalize",
]

log = logging.getLogger(__name__)

UNKNOWN_CODE = "---"  # Mention.code of an actor with no code (unresolved names)


@dataclass(frozen=True, slots=True)
class AliasHit:
    """One way of naming an actor, with the constraints on its written form."""

    actor_id: str
    method: str  # dictionary | demonym | metonym
    sector: str | None = None  # bodies: "the Pentagon" -> MIL
    exact: str | None = None  # cased aliases ("US"): the form must match exactly
    upper: bool = True  # in running text the first letter must be a capital
    needs_the: bool = False  # the alias was written with "the" ("the States")

    def accepts(self, surface: str, *, running_text: bool = False) -> bool:
        """True when ``surface`` is an acceptable way of writing this alias."""
        if self.needs_the and surface.lstrip()[:4].lower() != "the ":
            return False
        stripped = strip_surface(surface)
        if self.exact is not None:
            return stripped == self.exact or fold(stripped) == fold(self.exact)
        if running_text and self.upper:
            return stripped[:1].isupper() or stripped[:1].isdigit()
        return True


@dataclass(frozen=True, slots=True)
class ContextRule:
    """An alias whose actor depends on what else the article names.

    ``when`` is tried in order: the first ``(named, result)`` whose ``named`` actor (or a
    body it is the parent of) appears in the article gives ``result``; else ``default``
    (None: the alias is not a mention).
    """

    key: str
    form: AliasHit
    when: tuple[tuple[str, str], ...]
    default: str | None = None

    def resolve(self, named: Iterable[str]) -> str | None:
        present = set(named)
        for cond, result in self.when:
            if cond in present:
                return result
        return self.default


def _form(actor_id: str, alias: str, method: str, sector: str | None, cased: bool) -> AliasHit:
    needs_the = alias[:4].lower() == "the "
    letters = [ch for ch in alias if ch.isalpha()]
    auto_cased = bool(letters) and alias.isupper() and len(letters) <= 3  # "US", "U.K."
    exact = strip_surface(alias) if (cased or auto_cased) else None
    first = strip_surface(alias)[:1]
    return AliasHit(actor_id, method, sector, exact, first.isupper() or first.isdigit(), needs_the)


def _variants(alias: str) -> set[str]:
    """Written variants the phrase matcher needs: ASCII-folded, curly apostrophes."""
    out = {alias}
    ascii_form = fold(alias)
    if ascii_form.strip() and ascii_form != alias:
        out.add(ascii_form)
    out |= {v.replace("'", "’") for v in out if "'" in v}
    return out


def _plurals(demonym: str) -> list[str]:
    """Plural demonyms: Azerbaijani -> Azerbaijanis; none for British, Chinese, Swiss."""
    if demonym.endswith(("ese", "sh", "ch", "s", "x", "z")) or " " in demonym:
        return []
    return [demonym + "s"]


# --------------------------------------------------------------------- the gazetteer


class Gazetteer:
    """The loaded actor dictionary and its indexes. Build it with :func:`load_gazetteer`."""

    def __init__(self, data: DictionaryData, sources: tuple[str, ...] = ("builtin",)) -> None:
        self.sources = sources
        self._actors: dict[str, Actor] = {}
        self._aliases: dict[str, list[AliasHit]] = {}
        self._short: dict[str, list[str]] = {}  # short-name key -> person ids
        self._short_of: dict[str, tuple[str, ...]] = {}
        self._context: dict[str, ContextRule] = {}
        self._ignore: set[str] = set()
        self.agents: dict[str, str] = {normalize(n): s for n, s in data.agents.items()}
        self._forms: dict[tuple[str, str], set[str]] = {}  # (category, key) -> written forms
        for entry in data.entries.values():
            self._add_entry(entry)
        for key, rule in data.context.items():
            form = _form("", rule["alias"], "context", None, bool(rule.get("cased")))
            when = tuple((str(k), str(v)) for k, v in rule.get("when", {}).items())
            self._context[key] = ContextRule(key, form, when, rule.get("default"))
            self._forms.setdefault(("C", key), set()).update(_variants(rule["alias"]))
        for phrase in data.ignore:
            self._ignore.add(normalize(phrase))
            self._forms.setdefault(("I", normalize(phrase)), set()).update(_variants(phrase))
        for noun in data.agents:
            self._forms.setdefault(("N", normalize(noun)), set()).update(_variants(noun))
        self._check_references()
        blob = json.dumps(data.canonical(), sort_keys=True, ensure_ascii=False, default=str)
        self.version = hashlib.sha1(blob.encode("utf-8")).hexdigest()[:12]

    def _index(self, hit: AliasHit, alias: str) -> None:
        key = normalize(alias)
        if not key:
            return
        for k in {key, fold(key)}:
            bucket = self._aliases.setdefault(k, [])
            if hit not in bucket:
                bucket.append(hit)
        self._forms.setdefault(("A", key), set()).update(_variants(alias))

    def _add_entry(self, e: Entry) -> None:
        cased = set(e.cased)
        names = list(dict.fromkeys([e.name, *e.aliases, *e.cased]))
        groups: list[tuple[str, str | None, list[str]]] = [
            ("dictionary", None, names),
            ("demonym", None, [p for d in e.demonyms for p in (d, *_plurals(d))]),
            ("metonym", None, e.metonyms),
            *(("metonym", sector, aliases) for sector, aliases in e.bodies.items()),
        ]
        for method, sector, aliases in groups:
            for alias in aliases:
                self._index(_form(e.id, alias, method, sector, alias in cased), alias)
        roles = tuple(Role(e.id, r["org"] or "", r["sector"] or "", r["title"] or "",
                           r["from"], r["to"]) for r in e.roles)  # fmt: skip
        if e.sector and e.country and not roles:
            roles = (Role(e.id, e.country, e.sector, e.title or e.name),)
        every = [a for _, _, aliases in groups for a in aliases]
        self._actors[e.id] = Actor(
            id=e.id,
            name=e.name,
            kind=e.kind,  # type: ignore[arg-type]
            country=e.country,
            aliases=tuple(dict.fromkeys(a for a in every if a != e.name)),
            roles=roles,
            source=e.source,
            parent=e.parent,
        )
        if e.kind == "person":
            parts = e.name.split()
            shorts = e.short if e.short is not None else (parts[-1:] if len(parts) > 1 else [])
            self._short_of[e.id] = tuple(shorts)
            for s in shorts:
                for k in {normalize(s), fold(normalize(s))}:
                    ids = self._short.setdefault(k, [])
                    if e.id not in ids:
                        ids.append(e.id)
                self._forms.setdefault(("S", normalize(s)), set()).update(_variants(s))

    def _check_references(self) -> None:
        for actor in self._actors.values():
            refs: list[tuple[str, str | None]] = [("role org", r.org) for r in actor.roles]
            refs += [("parent", actor.parent), ("country", actor.country)]
            for what, ref in refs:
                if ref is not None and ref not in self._actors:
                    raise ResolutionError(
                        f"actor {actor.id!r} ({actor.source}): {what} {ref!r} is not an actor id",
                        code="E304",
                    )
        for rule in self._context.values():
            targets: list[str | None] = [x for pair in rule.when for x in pair]
            for ref in [*targets, rule.default]:
                if ref is not None and ref not in self._actors:
                    raise ResolutionError(
                        f"context alias {rule.key!r}: {ref!r} is not an actor id", code="E304"
                    )

    # ----------------------------------------------------------------- reading

    def __len__(self) -> int:
        return len(self._actors)

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._actors

    def get(self, actor_id: str) -> Actor | None:
        """The actor with this id, or None."""
        return self._actors.get(actor_id)

    def actors(self) -> Iterator[Actor]:
        """Every dictionary actor, for the store (unresolved placeholders not included)."""
        return iter(list(self._actors.values()))

    def short_names(self, actor_id: str) -> tuple[str, ...]:
        """The short names ("Stoltenberg") a person is called after the first mention."""
        return self._short_of.get(actor_id, ())

    def lookup(self, surface: str, date: str | None = None) -> Actor | None:
        """The actor a name refers to: insensitive to case, whitespace, "the" and "'s".

        Cased acronyms keep their capitals (``lookup("us")`` is None). An alias shared by
        several actors gives None unless ``date`` tells people apart by their roles.
        """
        hit = self.match(surface, date)
        return self._actors[hit.actor_id] if hit else None

    def match(
        self, surface: str, date: str | None = None, *, running_text: bool = False
    ) -> AliasHit | None:
        """The alias hit for ``surface`` (with its method and sector), or None."""
        return self.match_key(normalize(surface), surface, date, running_text=running_text)

    def match_key(
        self, key: str, surface: str, date: str | None = None, *, running_text: bool = False
    ) -> AliasHit | None:
        """:meth:`match` with a precomputed :func:`normalize` key.

        ``running_text`` applies the capital-letter rule ("turkey" is not Turkey).
        """
        hits = self._aliases.get(key) or self._aliases.get(fold(key))
        if not hits:
            return None
        ok = [h for h in hits if h.accepts(surface, running_text=running_text)]
        ids = list(dict.fromkeys(h.actor_id for h in ok))
        if len(ids) > 1:
            chosen = self._by_roles(ids, date)
            ids = [chosen] if chosen else []
        return next((h for h in ok if h.actor_id == ids[0]), None) if ids else None

    def by_short_name(
        self, surface: str, date: str | None, among: Iterable[str] | None = None
    ) -> Actor | None:
        """The person a short name ("Aliyev") refers to, conservatively.

        ``among``: the people the article already named in full; one of them wins
        outright. Otherwise the candidates are the dictionary's people with that short
        name, and exactly one must hold a role on ``date`` (an open-ended role when the
        date is unknown).
        """
        if among is not None:
            ids = list(dict.fromkeys(among))
            if len(ids) == 1:
                return self._actors.get(ids[0])
        else:
            key = normalize(surface)
            ids = self._short.get(key) or self._short.get(fold(key)) or []
        chosen = self._by_roles(ids, date)
        return self._actors.get(chosen) if chosen else None

    def _by_roles(self, ids: Iterable[str], date: str | None) -> str | None:
        live = []
        for actor_id in ids:
            actor = self._actors.get(actor_id)
            if actor is None or not actor.roles:
                continue
            if date is None:
                if any(r.valid_to is None for r in actor.roles):
                    live.append(actor_id)
            elif any(r.valid_at(date[:10]) for r in actor.roles):
                live.append(actor_id)
        return live[0] if len(live) == 1 else None

    def context_rule(self, key: str) -> ContextRule | None:
        """The context rule of a normalized alias ("brussels"), if any."""
        return self._context.get(key)

    def is_ignored(self, key: str) -> bool:
        """True for phrases that must not yield a mention ("Latin America")."""
        return key in self._ignore

    def agent_sector(self, key: str) -> str | None:
        """The sector of a generic agent noun key ("army" -> MIL), or None."""
        return self.agents.get(key)

    def patterns(self) -> Iterator[tuple[str, str, str]]:
        """``(category, key, written form)`` for the phrase matcher of extract/.

        Categories: ``A`` alias, ``S`` short name, ``C`` context alias, ``I`` ignored
        phrase, ``N`` agent noun.
        """
        for (category, key), forms in self._forms.items():
            for form in sorted(forms):
                yield category, key, form

    # ----------------------------------------------------------------- roles and codes

    def role_at(self, actor: Actor, date: str | None) -> Role | None:
        """The role ``actor`` holds on ``date`` (ISO; partial dates allowed).

        Roles are listed in priority order: on a date, the first valid one wins. With
        no date, the first listed role (the actor's primary role) is returned, and
        extract/ flags such mentions ``method="role-undated"``.
        """
        if not actor.roles:
            return None
        if date is None:
            return actor.roles[0]
        for role in actor.roles:
            if role.valid_at(date[:10]):
                return role
        return None

    def code_for(
        self, actor: Actor, date: str | None, sector: str | None = None
    ) -> tuple[str, str | None, str | None]:
        """``(code, org, sector)`` of ``actor`` on ``date``, CAMEO style.

        States: ``AZE``, or ``AZEMIL`` with a sector. IGOs, programmes, missions: their
        own id, org = the parent body if any. People and groups: the role in force gives
        ``org + sector`` for a state (``RUSGOV``) and the org id for anything else
        (``NATO``); without a role, the country code; unresolved: ``"---"``.
        An explicit ``sector`` (from "the Azerbaijani army") overrides the role.
        """
        kind = actor.kind
        if kind == "state":
            return actor.id + (sector or ""), actor.id, sector
        if kind in ("igo", "programme", "mission"):
            return actor.id, actor.parent or actor.id, sector
        if kind == "unresolved":
            return UNKNOWN_CODE, None, None
        role = self.role_at(actor, date) if sector is None else None
        if role is None:
            if actor.country:
                return actor.country + (sector or ""), actor.country, sector
            return (actor.id if kind == "group" else UNKNOWN_CODE), None, sector
        org = self._actors.get(role.org)
        if org is not None and org.kind == "state":
            return role.org + role.sector, role.org, role.sector
        return role.org, role.org, role.sector

    def unresolved(self, name: str, actor_id: str | None = None) -> Actor:
        """A deterministic placeholder for a name the dictionary does not know; its id is
        ``"?" + slug(name)`` unless ``actor_id`` is given (a mention's placeholder id, which
        a short name shares with the full name: "Clinton" after "Hillary Clinton")."""
        clean = strip_surface(name) or " ".join(name.split()) or "unnamed"
        return Actor(id=actor_id or "?" + slugify(clean), name=clean, kind="unresolved",
                     source="unresolved")


# --------------------------------------------------------------------- loading


@lru_cache(maxsize=1)
def _builtin_data() -> str:
    return resources.files("diplograph").joinpath("data/actors.toml").read_text("utf-8")


def load_gazetteer(extra_paths: Iterable[str | Path] = ()) -> Gazetteer:
    """The built-in dictionary plus user files (TOML or JSONL); later ids override.

    Raises :class:`~diplograph.errors.ResolutionError` naming the file and entry:
    ``E301`` unreadable, ``E302`` syntax, ``E303`` bad entry, ``E304`` unknown
    reference, ``E305`` unsupported file type.
    """
    data = DictionaryData()
    parse_into(data, _builtin_data(), "toml", "builtin actors.toml", "builtin")
    sources = ["builtin"]
    for p in extra_paths:
        path = Path(p)
        fmt = {".toml": "toml", ".jsonl": "jsonl"}.get(path.suffix.lower())
        if fmt is None:
            raise ResolutionError(f"{path}: actor files must be .toml or .jsonl", code="E305")
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ResolutionError(f"{path}: cannot read actor file ({exc})", code="E301") from exc
        parse_into(data, text, fmt, str(path), f"user:{path}")
        sources.append(f"user:{path}")
    gazetteer = Gazetteer(data, tuple(sources))
    log.debug("gazetteer %s: %d actors from %s", gazetteer.version, len(gazetteer), sources)
    return gazetteer
