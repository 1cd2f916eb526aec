"""The records that flow between pipeline stages: the contract of diplograph.

Every stage is a function ``Iterable[In] -> Iterator[Out]`` over these plain, frozen
records. They hold no I/O and import nothing heavier than the standard library, so
executors (local pool, Ray) can pickle them and the store can map them to tables.

Provenance rule: every fact carries ``article_id`` plus character offsets
(``start``/``end``, end exclusive) into ``Article.text``, and the sentence index it
was found in, so an analyst can always see *why* diplograph believes something.

Identity rule: ids are deterministic hashes of content (articles) or of
(article_id, offsets, kind) (everything found inside an article), so a re-run never
duplicates a row.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

SCHEMA_VERSION = 1

ActorKind = Literal["state", "igo", "programme", "mission", "person", "group", "unresolved"]
Granularity = Literal["day", "month", "year", "unknown"]

_WS = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Normalize text for hashing: NFKC, case-folded, whitespace collapsed."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def content_id(text: str) -> str:
    """Stable article id: the first 16 hex digits of sha256 over the normalized text."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()[:16]


def record_id(*parts: object) -> str:
    """Deterministic id for a record found inside an article (mention, event, ...)."""
    raw = "\x1f".join(str(p) for p in parts)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def slugify(name: str) -> str:
    """``"Jens Stoltenberg"`` -> ``"jens-stoltenberg"`` (ASCII, lower case, hyphens)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "unnamed"


class Record:
    """Mixin: conversion to a plain dict (for the store, JSON and Parquet)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload, no-any-return]

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]  # type: ignore[arg-type]


# --------------------------------------------------------------------------- ingest


@dataclass(frozen=True, slots=True)
class RawDocument(Record):
    """One input before cleaning: a file's bytes, a JSONL line or a fetched page."""

    origin: str  # path or URL, as given by the user
    kind: Literal["txt", "html", "jsonl", "url"]
    text: str | None = None  # plain text (txt, jsonl "text")
    html: str | None = None  # raw HTML (html files, jsonl "html", URLs)
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    sidecar: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Article(Record):
    """A cleaned article. ``id`` is the content hash of ``text``."""

    id: str
    text: str
    title: str | None
    outlet: str | None
    author: str | None
    published: str | None  # ISO date "YYYY-MM-DD", or None when unknown
    published_source: str  # metadata | sidecar | jsonl | dateline | text | unknown
    origin: str  # first path or URL it was ingested from
    url: str | None
    lang: str
    word_count: int
    reprint_of: str | None = None  # id of the earlier article this one reprints
    similarity: float | None = None  # estimated Jaccard similarity to reprint_of
    reprinted_from: str | None = None  # outlet or URL the text says it reprints


@dataclass(frozen=True, slots=True)
class IngestError(Record):
    """A bad input, recorded and skipped. ``code`` is searchable (see errors.py)."""

    origin: str
    code: str
    reason: str


# --------------------------------------------------------------------------- actors


@dataclass(frozen=True, slots=True)
class Role(Record):
    """A time-bound role of a person: who they act for, in which sector, when."""

    person: str  # actor id of the person
    org: str  # actor id of the state or organization they act for
    sector: str  # GOV, MIL, LEG, JUD, ELI, BUS, MED, NGO, ...
    title: str
    valid_from: str | None = None  # ISO date, inclusive; None = open
    valid_to: str | None = None  # ISO date, exclusive; None = open

    def valid_at(self, date: str | None) -> bool:
        """True when the role holds on ``date`` (ISO); unknown dates match any role."""
        if date is None:
            return True
        if self.valid_from and date < self.valid_from:
            return False
        return not (self.valid_to and date >= self.valid_to)


@dataclass(frozen=True, slots=True)
class Actor(Record):
    """A canonical actor: a state (ISO3), an IGO, a programme, a mission, a person."""

    id: str  # AZE, NATO, PFP, jens-stoltenberg, or "?name-slug" when unresolved
    name: str
    kind: ActorKind
    country: str | None = None  # ISO3 the actor belongs to (persons, national bodies)
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    source: str = "builtin"  # builtin | user:<path> | unresolved
    parent: str | None = None  # actor id of the body that runs it (PFP -> NATO, EUMA -> EU)


@dataclass(frozen=True, slots=True)
class Sentence(Record):
    article_id: str
    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention(Record):
    """A span of an article that names an actor, resolved at the article's date."""

    id: str
    article_id: str
    sentence: int
    start: int
    end: int
    text: str
    actor_id: str  # canonical id, or "?slug" for an unresolved name
    code: str  # CAMEO/PLOVER-style actor code, e.g. "AZEMIL", "NATO", "USAGOV"
    sector: str | None  # sector of the role in force, if a person
    org: str | None  # state or organization the actor acts for at that date
    label: str  # spaCy NER label, or DICT for dictionary-only matches
    resolved: bool
    method: str  # dictionary | role | demonym | metonym | ner-unresolved
    extractor: str  # name@version


# ------------------------------------------------------------- later-stage records


@dataclass(frozen=True, slots=True)
class TimeExpr(Record):
    """A temporal expression normalized to a TIMEX3-style value."""

    id: str
    article_id: str
    sentence: int
    start: int
    end: int
    text: str
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str  # TIMEX3 value: 2019-05-04, 2019-05, 199X, PAST_REF, P2Y, XXXX-05-04 ...
    anchor: str | None  # the date it was resolved against
    anchor_source: str  # publication | preceding | inferred (undated article) | none
    uncertain: bool
    extractor: str


@dataclass(frozen=True, slots=True)
class Event(Record):
    """Who did what to whom, when and where; PLOVER-coded with CAMEO equivalents."""

    id: str
    article_id: str
    sentence: int
    trigger_start: int
    trigger_end: int
    trigger: str
    type: str  # PLOVER event type
    mode: str | None
    context: str | None
    cameo: str | None  # CAMEO root code, "04"
    quad_class: int | None  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material
    goldstein: float | None
    sources: tuple[str, ...]  # actor codes
    targets: tuple[str, ...]
    source_spans: tuple[tuple[int, int], ...]
    target_spans: tuple[tuple[int, int], ...]
    negated: bool
    modality: str  # asserted | hypothetical | future | conditional | reported
    speaker: str | None  # actor id of the reporter, for reported speech
    date: str | None
    date_approx: bool
    date_reason: str
    location: str | None  # ISO3
    confidence: float
    extractor: str


@dataclass(frozen=True, slots=True)
class Claim(Record):
    """A quote or assertion, with its speaker and canonical (subject, predicate, object)."""

    id: str
    article_id: str
    sentence: int
    start: int  # content span
    end: int
    text: str
    kind: Literal["direct", "indirect", "according_to", "assertion"]
    speaker: str | None  # actor id; None for the outlet's own assertions
    speaker_text: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_role: str | None
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    subject: str | None
    predicate: str | None
    object: str | None
    polarity: Literal["affirmed", "negated"]
    modality: str
    date: str | None
    extractor: str
    # why ``date``: "governing-timex:<cue> <text>" (the date expression governing the
    # claim's trigger, "governing-timex:since 2005"), "statement-timex:<cue> <text>" (the
    # date of the saying: "said last month"), "offset:...", "publication" or "unknown"
    date_reason: str = "publication"


@dataclass(frozen=True, slots=True)
class Annotations(Record):
    """Everything extract/ found in one article: the unit the store writes atomically."""

    article_id: str
    extractor: str
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    timexes: tuple[TimeExpr, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
