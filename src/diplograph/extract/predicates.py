"""The predicate vocabulary of canonical claims (``data/predicates.toml`` plus user files).

Public API::

    load_vocabulary(paths=()) -> Vocabulary      (cached per tuple of paths)
    contradicts(a, b, vocab=None) -> str | None  (why two claims cannot both hold)

A :class:`Predicate` lists the trigger phrases that signal it (as lemmas, ``"..."``
allowing up to three words in between), the phrases that state it *no longer* holds
(``negating_triggers``: "leave" for ``member_of``), the actor kinds its object may have,
and a few flags read by :mod:`.canonical` and by reconcile (``symmetric``, ``opposite``,
``single_start``). See the comments at the top of ``predicates.toml``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..model import Claim

Words = tuple[str, ...]


@dataclass(frozen=True)
class Predicate:
    """One entry of the predicate vocabulary."""

    name: str
    description: str
    triggers: tuple[Words, ...]
    object: str = "required"  # required | optional | none
    symmetric: bool = False
    opposite: str | None = None
    negating_triggers: tuple[Words, ...] = ()
    object_kinds: frozenset[str] = frozenset()  # empty: any kind
    implicit_object_triggers: tuple[Words, ...] = ()
    possessor: str = "subject"  # subject | object
    modifier: str = "subject"  # subject | object: "Russian mediation" / "a NATO member"
    priority: int = 0
    single_start: bool = False
    intent: bool = False  # the predicate is itself an intention (seeks_membership)
    user: bool = False  # from a user file: wins a tie with a built-in trigger


@dataclass(frozen=True)
class Trigger:
    """One trigger phrase of a predicate; ``negating`` for a "no longer holds" phrase."""

    words: Words
    predicate: Predicate
    negating: bool = False

    @property
    def implicit_object(self) -> bool:
        return self.words in self.predicate.implicit_object_triggers

    @property
    def size(self) -> int:
        return len([w for w in self.words if w != "..."])


@dataclass(frozen=True)
class Vocabulary:
    """The predicate vocabulary, bloc lists for contradictions, and object fallbacks."""

    predicates: dict[str, Predicate]
    military_blocs: frozenset[str] = frozenset()
    non_aligned_groups: frozenset[str] = frozenset()
    objects: dict[str, str] = field(default_factory=dict)

    def trigger_list(self) -> list[Trigger]:
        """Every trigger, longest first; equal lengths from a user file first, then by
        predicate ``priority``.

        Built once per vocabulary (canonicalization asks for it for every span).
        """
        cached: tuple[Trigger, ...] | None = self.__dict__.get("_trigger_list")
        if cached is None:
            out = [Trigger(t, p) for p in self.predicates.values() for t in p.triggers]
            out += [Trigger(t, p, True) for p in self.predicates.values()
                    for t in p.negating_triggers]  # fmt: skip
            # at equal length a negating phrase first: "withdraw ... recognition" holds the
            # affirming "recognition of" and must win over it
            cached = tuple(sorted(out, key=lambda t: (-t.size, -t.predicate.user,
                                                      -t.predicate.priority, not t.negating)))
            object.__setattr__(self, "_trigger_list", cached)
        return list(cached)

    def triggers(self) -> list[tuple[Words, Predicate]]:
        """Every (trigger words, predicate) that affirms its predicate, longest first."""
        return [(t.words, t.predicate) for t in self.trigger_list() if not t.negating]


def _words(trigger: str) -> Words:
    return tuple(trigger.lower().replace("-", " - ").split())


def _phrases(entry: dict[str, Any], key: str, name: str, origin: str) -> tuple[Words, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f"{origin}: predicate {name!r}: {key} must be a list of strings", code="E510"
        )
    return tuple(_words(t) for t in value)


def _merge(raw: dict[str, Any], into: dict[str, Predicate], origin: str) -> None:
    for name, entry in raw.get("predicates", {}).items():
        if not isinstance(entry, dict) or not entry.get("triggers"):
            raise ConfigError(f"{origin}: predicate {name!r} needs a triggers list", code="E510")
        if entry.get("object", "required") not in {"required", "optional", "none"}:
            raise ConfigError(f"{origin}: predicate {name!r}: bad object kind", code="E510")
        for role in ("possessor", "modifier"):
            if entry.get(role, "subject") not in {"subject", "object"}:
                raise ConfigError(
                    f"{origin}: predicate {name!r}: {role} is subject or object", code="E510"
                )
        into[name] = Predicate(
            name=name,
            description=str(entry.get("description", "")),
            triggers=_phrases(entry, "triggers", name, origin),
            object=entry.get("object", "required"),
            symmetric=bool(entry.get("symmetric", False)),
            opposite=entry.get("opposite"),
            negating_triggers=_phrases(entry, "negating_triggers", name, origin),
            object_kinds=frozenset(entry.get("object_kinds", [])),
            implicit_object_triggers=_phrases(entry, "implicit_object_triggers", name, origin),
            possessor=entry.get("possessor", "subject"),
            modifier=entry.get("modifier", "subject"),
            priority=int(entry.get("priority", 0)),
            single_start=bool(entry.get("single_start", False)),
            intent=bool(entry.get("intent", False)),
            user=origin != "builtin",
        )


def load_vocabulary(paths: Sequence[str | Path] = ()) -> Vocabulary:
    """The shipped ``data/predicates.toml`` extended (or overridden) by user TOML files."""
    return _load_vocabulary(tuple(str(p) for p in paths))


@lru_cache(maxsize=8)
def _load_vocabulary(paths: tuple[str, ...]) -> Vocabulary:
    text = resources.files("diplograph").joinpath("data", "predicates.toml").read_text("utf-8")
    sources = [("builtin", tomllib.loads(text))]
    for p in paths:
        try:
            sources.append((p, tomllib.loads(Path(p).read_text("utf-8"))))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(
                f"{p}: cannot read predicate vocabulary ({exc})", code="E510"
            ) from exc
    preds: dict[str, Predicate] = {}
    military: set[str] = set()
    groups: set[str] = set()
    objects: dict[str, str] = {}
    for origin, raw in sources:
        _merge(raw, preds, origin)
        military.update(raw.get("blocs", {}).get("military", []))
        groups.update(raw.get("blocs", {}).get("non_aligned", []))
        objects.update({k.lower(): v for k, v in raw.get("objects", {}).items()})
    return Vocabulary(preds, frozenset(military), frozenset(groups), objects)


def contradicts(a: Claim, b: Claim, vocab: Vocabulary | None = None) -> str | None:
    """Why two claims about the same subject cannot both hold, or ``None``.

    ``"polarity"``: same triple, one affirmed and one negated. ``"opposite"``: opposite
    predicates (supports/opposes) for the same subject and object. ``"non-alignment"``:
    non-alignment (``non_aligned``, or ``member_of`` a non-aligned group such as NAM)
    against membership of, or seeking membership of, a military bloc (NATO, CSTO).
    Claims that assert nothing (questions, hypothetical) never contradict; two ``future``
    claims (plans, intentions, forecasts) contradict only by ``"polarity"``.
    """
    vocab = vocab or load_vocabulary()
    if a.subject is None or a.subject != b.subject or not a.predicate or not b.predicate:
        return None
    same = (a.predicate, a.object) == (b.predicate, b.object) and a.polarity != b.polarity
    if a.modality == b.modality == "future":
        return "polarity" if same else None
    if a.modality not in {"asserted", "reported"} or b.modality not in {"asserted", "reported"}:
        return None
    if same:
        return "polarity"
    pa = vocab.predicates.get(a.predicate)
    if (
        pa
        and pa.opposite == b.predicate
        and a.object == b.object
        and a.polarity == b.polarity == "affirmed"
    ):
        return "opposite"

    def non_aligned(c: Claim) -> bool:
        return c.polarity == "affirmed" and (
            c.predicate == "non_aligned"
            or (c.predicate == "member_of" and c.object in vocab.non_aligned_groups)
        )

    def in_bloc(c: Claim) -> bool:
        return (
            c.polarity == "affirmed"
            and c.predicate in {"member_of", "seeks_membership"}
            and (c.object in vocab.military_blocs)
        )

    if (non_aligned(a) and in_bloc(b)) or (non_aligned(b) and in_bloc(a)):
        return "non-alignment"
    return None


__all__ = ["Predicate", "Trigger", "Vocabulary", "contradicts", "load_vocabulary"]
