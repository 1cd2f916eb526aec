"""What reconcile reads: articles with their independent-source keys, claims, events, the
predicate vocabulary, and partial ISO dates as day intervals.

Independence rule (corroboration counts sources, not articles): an article's
``source_key`` is

1. the source key of the article it reprints (``reprint_of``), when that article is in
   the store (followed transitively);
2. else the outlet named by its credit line (``reprinted_from``: "X reprints the
   article"), so a credited reprint counts as its original outlet;
3. else its own outlet (case-folded, whitespace collapsed), else the host of its URL,
   else ``article:<id>`` (an article of unknown origin is its own source).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError
from ..store import Store

FACTUAL_MODALITIES = frozenset({"asserted", "reported"})
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_WS = re.compile(r"\s+")
# 6-letter CAMEO-style codes: a state code plus a sector ("AZEMIL" -> "AZE")
_SECTORS = frozenset(
    ["GOV", "MIL", "LEG", "JUD", "COP", "SPY", "MED", "BUS", "NGO", "ELI", "OPP", "REB", "CVL", "IGO", "REF", "LAB", "EDU", "HLH", "ENV"]
)


# ------------------------------------------------------------------------------ dates


@lru_cache(maxsize=65536)
def day_range(value: str | None) -> tuple[int, int] | None:
    """``"2019"`` -> (ordinal of 2019-01-01, of 2019-12-31); ``None`` for no usable date.

    Accepts ISO prefixes (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, also with a time);
    TIMEX values such as ``199X`` or ``PAST_REF`` give ``None``.
    """
    if not value:
        return None
    m = _ISO.match(str(value))
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    try:
        if month is None:
            return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        if day is None:
            last = date(year + month // 12, month % 12 + 1, 1).toordinal() - 1
            return date(year, month, 1).toordinal(), last
        d = date(year, month, day).toordinal()
        return d, d
    except ValueError:
        return None


def iso(ordinal: int | None) -> str | None:
    return date.fromordinal(ordinal).isoformat() if ordinal else None


# ------------------------------------------------------------------------ vocabulary


@dataclass(frozen=True)
class Vocabulary:
    """Predicate metadata read from ``data/predicates.toml`` (plus user files)."""

    opposite: dict[str, str]
    symmetric: frozenset[str]
    military_blocs: frozenset[str]
    non_aligned_groups: frozenset[str]
    single_start: frozenset[str] = frozenset()  # relations that start once (member_of)
    ending_starts: frozenset[str] = frozenset()  # an end verb starts them (suspensions)
    needs_object: frozenset[str] = frozenset()  # contradict only with an object (mediates)


def load_vocabulary(paths: Sequence[str | Path] = ()) -> Vocabulary:
    """The shipped predicate vocabulary, extended by user TOML files of the same shape."""
    return _load_vocabulary(tuple(str(p) for p in paths))


@lru_cache(maxsize=8)
def _load_vocabulary(paths: tuple[str, ...]) -> Vocabulary:
    text = resources.files("diplograph").joinpath("data", "predicates.toml").read_text("utf-8")
    raws = [tomllib.loads(text)]
    for p in paths:
        try:
            raws.append(tomllib.loads(Path(p).read_text("utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{p}: cannot read predicate vocabulary ({exc})", code="E510") from exc
    opposite: dict[str, str] = {}
    symmetric: set[str] = set()
    single: set[str] = set()
    ending: set[str] = set()
    needs: set[str] = set()
    military: set[str] = set()
    groups: set[str] = set()
    for raw in raws:
        for name, entry in raw.get("predicates", {}).items():
            symmetric.discard(name)
            single.discard(name)
            ending.discard(name)
            needs.discard(name)
            opposite.pop(name, None)
            if entry.get("contradict_needs_object"):
                needs.add(name)
            if entry.get("symmetric"):
                symmetric.add(name)
            if entry.get("single_start"):
                single.add(name)
            if entry.get("ending_starts"):
                ending.add(name)
            if entry.get("opposite"):
                opposite[name] = str(entry["opposite"])
        military.update(raw.get("blocs", {}).get("military", []))
        groups.update(raw.get("blocs", {}).get("non_aligned", []))
    for name, other in list(opposite.items()):
        opposite.setdefault(other, name)
    return Vocabulary(opposite, frozenset(symmetric), frozenset(military), frozenset(groups),
                      frozenset(single), frozenset(ending), frozenset(needs))


# ------------------------------------------------------------------------- articles


def outlet_key(outlet: str | None) -> str | None:
    return _WS.sub(" ", outlet).strip().casefold() or None if outlet else None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


@dataclass
class ArticleInfo:
    """An article as reconcile sees it (text kept for the credibility checks)."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    origin: str
    url: str | None
    word_count: int
    reprint_of: str | None
    reprinted_from: str | None
    text: str
    own_key: str = ""  # the article's own outlet key
    source_key: str = ""  # the independent source it counts as
    reprint_status: str = "original"  # original | credited | uncredited

    @property
    def where(self) -> str:
        """The article's original URL, else the path it was ingested from."""
        return self.url or self.origin

    @property
    def label(self) -> str:
        """A readable name of the article's source."""
        return self.outlet or _host(self.url) or Path(self.origin).name


def load_articles(store: Store) -> dict[str, ArticleInfo]:
    """Every stored article, with its ``own_key``, ``source_key`` and reprint status."""
    arts = {a.id: ArticleInfo(
        id=a.id, title=a.title, outlet=a.outlet, published=a.published, origin=a.origin,
        url=a.url, word_count=a.word_count or 0, reprint_of=a.reprint_of,
        reprinted_from=a.reprinted_from, text=a.text,
    ) for a in store.iter_articles()}  # fmt: skip
    for a in arts.values():
        a.own_key = outlet_key(a.outlet) or _host(a.url) or f"article:{a.id}"
    for a in arts.values():
        a.source_key = _source_key(a, arts)
        a.reprint_status = _reprint_status(a, arts)
    return arts


def _source_key(a: ArticleInfo, arts: dict[str, ArticleInfo]) -> str:
    """Follow ``reprint_of`` to the first article in the store, then its credit or outlet."""
    seen = {a.id}
    cur = a
    while cur.reprint_of and cur.reprint_of in arts and cur.reprint_of not in seen:
        cur = arts[cur.reprint_of]
        seen.add(cur.id)
    return outlet_key(cur.reprinted_from) or cur.own_key


def _reprint_status(a: ArticleInfo, arts: dict[str, ArticleInfo]) -> str:
    """``credited`` (says whom it reprints), ``uncredited`` (a near-copy of another outlet's
    article that does not say so) or ``original``."""
    if a.reprinted_from and outlet_key(a.reprinted_from) != a.own_key:
        return "credited"
    original = arts.get(a.reprint_of or "")
    if original is not None and original.own_key != a.own_key:
        return "uncredited"
    return "original"


# --------------------------------------------------------------------- claims/events


@dataclass
class Record:
    """A claim or an event, flattened for merging (``kind``: claim | quote | event)."""

    id: str
    kind: str
    article_id: str
    sentence: int | None
    start: int
    end: int
    text: str
    date: str | None
    subject: str | None
    predicate: str | None
    object: str | None
    polarity: str
    modality: str
    speaker: str | None = None
    claim_kind: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def factual(self) -> bool:
        return self.modality in FACTUAL_MODALITIES


def load_claims(store: Store) -> list[Record]:
    """Claims as records. ``date`` is when the claim was *reported*: the article's
    publication date (merging and time overlap compare reports). The date the claim
    itself states (``claims.date``, "joined the PfP in 1994") and its ``date_reason``
    are kept in ``extra["stated"]`` and ``extra["date_reason"]``."""
    rows = store.query(
        "SELECT c.id, c.article_id, c.sentence, c.start_char, c.end_char, c.text, c.kind, "
        "c.speaker, c.speaker_text, c.subject, c.predicate, c.object, c.polarity, c.modality, "
        "c.date, c.date_reason, a.published FROM claims c LEFT JOIN articles a ON a.id = c.article_id "
        "ORDER BY c.article_id, c.start_char, c.id"
    )
    return [Record(
        id=r["id"], kind="claim" if r["predicate"] else "quote", article_id=r["article_id"],
        sentence=r["sentence"], start=r["start_char"] or 0, end=r["end_char"] or 0,
        text=r["text"] or "", date=_reported(r), subject=r["subject"],
        predicate=r["predicate"], object=r["object"], polarity=r["polarity"] or "affirmed",
        modality=_modality(r["modality"], r["text"]), speaker=r["speaker"],
        claim_kind=r["kind"], extra={"stated": r["date"], "date_reason": r["date_reason"],
                                     "speaker_text": r["speaker_text"]},
    ) for r in rows]  # fmt: skip


def _reported(row: dict[str, Any]) -> str | None:
    """The report date of a claim row: its own date unless that date comes from a date
    expression in the text (``governing-timex:...``), then its article's publication date."""
    if str(row["date_reason"] or "").startswith("governing-timex:"):
        return row["published"]  # type: ignore[no-any-return]
    return row["date"]  # type: ignore[no-any-return]


def _modality(modality: str | None, text: str | None) -> str:
    """The claim's modality; a claim whose own text is a question asserts nothing."""
    if (text or "").rstrip(" \"'”’").endswith("?"):
        return "question"
    return modality or "asserted"


def root_code(code: str) -> str:
    """``"AZEMIL"`` -> ``"AZE"``; other codes unchanged (``"NATO"``, ``"jens-stoltenberg"``)."""
    if len(code) == 6 and code.isupper() and code[3:] in _SECTORS:
        return code[:3]
    return code


def load_events(store: Store, arts: dict[str, ArticleInfo]) -> list[Record]:
    """Events with their sentence text (the text similarity compares)."""
    rows = store.query(
        "SELECT e.id, e.article_id, e.sentence, e.trigger_start, e.trigger_end, e.trigger, "
        "e.type, e.sources, e.targets, e.negated, e.modality, e.date, e.date_approx, "
        "e.cameo, e.quad_class, e.goldstein, e.date_reason, e.location, "
        "s.start_char AS s_start, s.end_char AS s_end FROM events e "
        "LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.sentence "
        "ORDER BY e.article_id, e.trigger_start, e.id"
    )
    out = []
    for r in rows:
        art = arts.get(r["article_id"])
        lo = r["s_start"] if r["s_start"] is not None else r["trigger_start"] or 0
        hi = r["s_end"] if r["s_end"] is not None else r["trigger_end"] or 0
        text = art.text[lo:hi].strip() if art else (r["trigger"] or "")
        sources = sorted({root_code(c) for c in r["sources"] or []})
        targets = sorted({root_code(c) for c in r["targets"] or []})
        out.append(Record(
            id=r["id"], kind="event", article_id=r["article_id"], sentence=r["sentence"],
            start=lo, end=hi, text=text or (r["trigger"] or ""), date=r["date"],
            subject="+".join(sources) or None, predicate=r["type"],
            object="+".join(targets) or None,
            polarity="negated" if r["negated"] else "affirmed",
            modality=r["modality"] or "asserted",
            extra={"sources": sources, "targets": targets, "trigger": r["trigger"],
                   "date_approx": bool(r["date_approx"]), "date_reason": r["date_reason"],
                   "published": art.published if art else None, "cameo": r["cameo"],
                   "quad_class": r["quad_class"], "goldstein": r["goldstein"],
                   "location": r["location"]},
        ))  # fmt: skip
    return out


def load_timexes(store: Store) -> dict[str, list[dict[str, Any]]]:
    """DATE timexes per article (offsets, text, value), in text order."""
    out: dict[str, list[dict[str, Any]]] = {}
    for r in store.query(
        "SELECT article_id, sentence, start_char, end_char, text, value FROM timexes "
        "WHERE type = 'DATE' ORDER BY article_id, start_char"
    ):
        out.setdefault(r["article_id"], []).append(r)
    return out


def load_mentions(store: Store, article_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Resolved actor mentions of the given articles, in text order."""
    ids = sorted(set(article_ids))
    out: dict[str, list[dict[str, Any]]] = {}
    if not ids:
        return out
    for r in store.query(
        "SELECT article_id, start_char, end_char, actor_id FROM mentions "
        "WHERE list_contains(?, article_id) AND resolved ORDER BY article_id, start_char",
        [ids],
    ):
        out.setdefault(r["article_id"], []).append(r)
    return out


def known_org_names(store: Store) -> list[tuple[str, str]]:
    """(actor id, name or alias) of every organization, programme and mission.

    Read from the store's ``actors`` table (filled by extract); when that is empty, from
    the built-in actor dictionary.
    """
    kinds = ("igo", "programme", "mission", "group")
    rows = store.query(
        "SELECT id, name, aliases FROM actors WHERE list_contains(?, kind) ORDER BY id",
        [list(kinds)],
    )
    if rows:
        return [(r["id"], n) for r in rows for n in [r["name"], *(r["aliases"] or [])] if n]
    from ..resolve import load_gazetteer

    return [(a.id, n) for a in load_gazetteer().actors() if a.kind in kinds
            for n in (a.name, *a.aliases)]  # fmt: skip


def all_actor_names(store: Store) -> set[str]:
    """Case-folded names and aliases of every known actor (to tell real names apart).

    Unresolved names that extract recorded as ``?slug`` actors are not known names.
    """
    rows = store.query("SELECT name, aliases FROM actors WHERE NOT starts_with(id, '?')")
    return {n.casefold() for r in rows for n in [r["name"], *(r["aliases"] or [])] if n}


__all__ = [
    "FACTUAL_MODALITIES",
    "ArticleInfo",
    "Record",
    "Vocabulary",
    "all_actor_names",
    "day_range",
    "iso",
    "known_org_names",
    "load_articles",
    "load_claims",
    "load_events",
    "load_mentions",
    "load_timexes",
    "load_vocabulary",
    "outlet_key",
    "root_code",
]
