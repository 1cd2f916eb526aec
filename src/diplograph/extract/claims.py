"""Claims: quotes and assertions with a speaker and a canonical (subject, predicate, object).

:func:`extract_claims` turns the attributions found by :mod:`.quotes` into
:class:`~diplograph.model.Claim` records. Each one gets

- a **speaker**: the actor of the :class:`~diplograph.model.Mention` inside the source
  span; pronouns and role nouns (``he``, ``the minister``) reach back to the last named
  speaker or person mention in the same paragraph, a surname to the full name used
  earlier in the article, ``who`` to the noun its clause modifies;
- a **speaker role**: the title the article gives the speaker (``head of the Atlas
  Research Center``, ``NATO Secretary General``) and the mention's org/sector at the
  article date, as ``"<title> (<org>/<sector>)"``;
- a **canonical form** from the predicate vocabulary (``data/predicates.toml`` plus user
  files): subject and object actors, the predicate, polarity (negation cues such as
  ``not``, ``no plans to``, ``never``) and modality (``asserted``, ``future``,
  ``hypothetical``, ``conditional``, ``normative``).

The outlet's own sentences outside any attribution become ``assertion`` claims
(speaker ``None``) when they match the vocabulary with a subject actor.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from ..model import Article, Claim, Mention, record_id
from .quotes import EXTRACTOR, PRONOUNS, Attribution, find_attributions

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

log = logging.getLogger(__name__)

NEGATORS = {"not", "n't", "no", "never", "neither", "nor", "without", "nobody", "none"}
NEGATING_VERBS = {"deny", "refuse", "reject", "decline", "abandon", "rule", "drop"}
MODALS = {
    "will": "future", "shall": "future", "'ll": "future", "going": "future",
    "may": "hypothetical", "might": "hypothetical", "could": "hypothetical",
    "would": "hypothetical", "should": "normative", "must": "normative",
    "ought": "normative", "need": "normative",
}
ROLE_NOUNS = {
    "minister", "spokesman", "spokeswoman", "spokesperson", "president", "official",
    "ambassador", "diplomat", "secretary", "general", "chief", "leader", "premier",
    "chancellor", "envoy", "head", "director", "chairman", "chair", "expert", "analyst",
    "lawmaker", "deputy", "senator", "commander", "representative", "mp",
}


@dataclass(frozen=True)
class Predicate:
    """One entry of the predicate vocabulary."""

    name: str
    description: str
    triggers: tuple[tuple[str, ...], ...]
    object: str = "required"  # required | optional | none
    symmetric: bool = False
    opposite: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    """The predicate vocabulary, bloc lists for contradictions, and object fallbacks."""

    predicates: dict[str, Predicate]
    military_blocs: frozenset[str] = frozenset()
    non_aligned_groups: frozenset[str] = frozenset()
    objects: dict[str, str] = field(default_factory=dict)

    def triggers(self) -> list[tuple[tuple[str, ...], Predicate]]:
        """Every (trigger words, predicate), longest first."""
        out = [(t, p) for p in self.predicates.values() for t in p.triggers]
        return sorted(out, key=lambda x: -len([w for w in x[0] if w != "..."]))


def _words(trigger: str) -> tuple[str, ...]:
    return tuple(trigger.lower().replace("-", " - ").split())


def _merge(raw: dict, into: dict[str, Predicate], origin: str) -> None:  # type: ignore[type-arg]
    for name, entry in raw.get("predicates", {}).items():
        if not isinstance(entry, dict) or not entry.get("triggers"):
            raise ConfigError(f"{origin}: predicate {name!r} needs a triggers list", code="E510")
        if entry.get("object", "required") not in {"required", "optional", "none"}:
            raise ConfigError(f"{origin}: predicate {name!r}: bad object kind", code="E510")
        into[name] = Predicate(
            name=name,
            description=str(entry.get("description", "")),
            triggers=tuple(_words(t) for t in entry["triggers"]),
            object=entry.get("object", "required"),
            symmetric=bool(entry.get("symmetric", False)),
            opposite=entry.get("opposite"),
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
            raise ConfigError(f"{p}: cannot read predicate vocabulary ({exc})", code="E510") from exc
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


# --------------------------------------------------------------------------- canonical


@dataclass(frozen=True, slots=True)
class Canonical:
    """A (subject, predicate, object) reading of a span, with polarity and modality."""

    subject: str | None
    predicate: str
    object: str | None
    polarity: str
    modality: str
    trigger: tuple[int, int]


def _match(tokens: Sequence[Token], words: tuple[str, ...], at: int) -> list[int] | None:
    """Indices of the tokens matching ``words`` from ``tokens[at]`` ("..." skips up to 3)."""
    i = at
    hit: list[int] = []
    k = 0
    while k < len(words):
        if words[k] == "...":
            k += 1
            j = next((i + g for g in range(4) if i + g < len(tokens) and _is(tokens[i + g], words[k])), None)
            if j is None:
                return None
            i = j
        if i >= len(tokens) or not _is(tokens[i], words[k]):
            return None
        hit.append(i)
        i += 1
        k += 1
    return hit


def _is(tok: Token, word: str) -> bool:
    return tok.lower_ == word or tok.lemma_.lower() == word


def _mention_at(mentions: Sequence[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if m.start < end and start < m.end]


def polarity_and_modality(tok: Token, limit: tuple[int, int] | None = None) -> tuple[str, str]:
    """Negation and modality of the clause governing ``tok`` (within ``limit`` offsets)."""
    negated = False
    modality = "asserted"
    chain = [tok, *tok.ancestors]
    for node in chain:
        if limit and not (limit[0] <= node.idx < limit[1]) and node is not tok:
            break
        for c in node.children:
            low = c.lower_
            if c.dep_ == "neg" or (low in NEGATORS and c.dep_ in {"det", "advmod", "neg", "preconj"}):
                negated = not negated if c.i != tok.i else negated
            if c.dep_ in {"aux", "auxpass"} and low in MODALS and modality == "asserted":
                modality = MODALS[low]
            if c.dep_ == "mark" and low in {"if", "unless"}:
                modality = "conditional"
        if node is not tok and node.lemma_.lower() in NEGATING_VERBS:
            negated = not negated
    return ("negated" if negated else "affirmed"), modality


def canonicalize(
    span: Span, mentions: Sequence[Mention], vocab: Vocabulary
) -> list[Canonical]:
    """Every vocabulary reading of ``span``: subject before the trigger, object after it."""
    tokens = list(span)
    out: list[Canonical] = []
    taken: set[int] = set()
    inside = sorted(_mention_at(mentions, span.start_char, span.end_char), key=lambda m: m.start)
    for words, pred in vocab.triggers():
        for at in range(len(tokens)):
            if at in taken:
                continue
            hit = _match(tokens, words, at)
            if hit is None:
                continue
            t0, t1 = tokens[hit[0]], tokens[hit[-1]]
            trig = (t0.idx, t1.idx + len(t1.text))
            if any(m.start < tokens[i].idx + len(tokens[i]) and tokens[i].idx < m.end
                   for m in inside for i in hit):
                continue  # the trigger is part of a name ("Partnership for Peace")
            subject = _subject_for(t0, inside, trig)
            obj = _object_for(t1, inside, trig, vocab, span)
            if obj is None:
                gap = [m for m in inside if trig[0] < m.start and m.end <= trig[1]]
                obj = gap[0].actor_id if gap else None
            if pred.object == "none":
                obj = None
            if subject is None or (pred.object == "required" and obj is None) or obj == subject:
                continue
            polarity, modality = polarity_and_modality(t0, (span.start_char, span.end_char))
            out.append(Canonical(subject, pred.name, obj, polarity, modality, trig))
            taken.update(range(hit[0], hit[-1] + 1))
    return sorted(out, key=lambda c: c.trigger)


def _subject_for(t0: Token, inside: list[Mention], trig: tuple[int, int]) -> str | None:
    """The syntactic subject's actor if a mention covers it, else the nearest actor before."""
    for node in [t0, *t0.ancestors]:
        subj = next((c for c in node.children if c.dep_ in {"nsubj", "nsubjpass", "poss"}), None)
        if subj is not None and subj.idx < trig[0]:
            lo, hi = subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge.text)
            hits = [m for m in inside if m.start < hi and lo < m.end]
            if hits:
                return hits[0].actor_id
    before = [m for m in inside if m.end <= trig[0]]
    return before[-1].actor_id if before else None


def _object_for(
    t1: Token, inside: list[Mention], trig: tuple[int, int], vocab: Vocabulary, span: Span
) -> str | None:
    """The first actor in the phrase the trigger governs (last one before its head noun)."""
    heads = [c for c in t1.children if c.dep_ in {"pobj", "dobj", "attr", "pcomp"} and c.i > t1.i]
    for h in heads:
        lo, hi = h.left_edge.idx, h.right_edge.idx + len(h.right_edge.text)
        hits = [m for m in inside if lo <= m.start and m.end <= hi]
        upto = [m for m in hits if m.start <= h.idx + len(h.text)]
        if upto:
            return upto[-1].actor_id
        phrase = span.doc[h.left_edge.i : h.right_edge.i + 1].text.lower()
        for key, actor in vocab.objects.items():
            if key in phrase:
                return actor
    window = [m for m in inside if m.start >= trig[1]][:1]
    if window and window[0].start - trig[1] < 60:
        return window[0].actor_id
    return None


# --------------------------------------------------------------------------- speakers


def _paragraph_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _person(m: Mention) -> bool:
    return m.label == "PERSON" or m.sector is not None or m.actor_id[:1].islower() or (
        m.actor_id.startswith("?") and m.label in {"PERSON", "DICT"}
    )


def _personish(m: Mention) -> bool:
    """A person, or an unresolved name (NER often labels unknown surnames ORG)."""
    return _person(m) or m.actor_id.startswith("?")


@dataclass
class _SpeakerState:
    """Running context for coreference: the last named speaker and known titles."""

    text: str
    mentions: list[Mention]
    last: tuple[int, Mention] | None = None  # (paragraph start, mention)
    titles: dict[str, str] = field(default_factory=dict)


def _resolve_speaker(doc: Doc, att: Attribution, state: _SpeakerState) -> Mention | None:
    if att.source is None:
        return None
    start, end = att.source
    para = _paragraph_start(state.text, start)
    hits = _mention_at(state.mentions, start, end)
    persons = [m for m in hits if _person(m)]
    first = doc.char_span(start, end, alignment_mode="expand")
    lead = first[0] if first is not None and len(first) else None
    if lead is not None and lead.lower_ in {"who", "which", "that"} and lead.head.dep_ == "relcl":
        noun = lead.head.head
        hits = _mention_at(state.mentions, noun.left_edge.idx, noun.idx + len(noun.text))
        persons = [m for m in hits if _person(m)]
    root = first.root if first is not None and len(first) else None
    at_root = [m for m in hits if root is not None and m.start <= root.idx < m.end]
    chosen = at_root[0] if at_root else (persons[0] if persons else (hits[0] if hits else None))
    words = state.text[start:end].lower().split()
    is_anaphor = bool(words) and (
        (len(words) == 1 and words[0] in PRONOUNS)
        or (words[0] in {"the", "this", "that"} and any(w in ROLE_NOUNS for w in words) and not hits)
    )
    title = _title_from_text(doc, chosen, att.source) if chosen is not None else None
    if chosen is None and is_anaphor:
        if state.last and state.last[0] == para:
            chosen = state.last[1]
        else:
            earlier = [m for m in state.mentions if para <= m.start < start and _person(m)]
            chosen = earlier[-1] if earlier else None
    elif chosen is None and lead is not None and lead.pos_ == "PROPN":
        chosen = _by_surname(state.text[start:end], start, state.mentions)
    if chosen is not None and chosen.actor_id.startswith("?"):
        chosen = _full_name(chosen, state.mentions)
    if chosen is not None:
        state.last = (para, chosen)
        if title and chosen.actor_id not in state.titles:
            state.titles[chosen.actor_id] = title
    return chosen


def _by_surname(name: str, before: int, mentions: Sequence[Mention]) -> Mention | None:
    """A name the NER missed (``Musabayov``): the earlier person mention ending with it."""
    last = name.split()[-1].lower().removesuffix("'s").removesuffix("\u2019s") if name.split() else ""
    found = [m for m in mentions if m.start < before and _personish(m)
             and m.text.split() and m.text.split()[-1].lower() == last]
    return found[0] if found else None


def _full_name(m: Mention, mentions: Sequence[Mention]) -> Mention:
    """``Musabayov`` -> the earlier ``Rasim Musabayov`` mention (same surname)."""
    last = m.text.split()[-1].lower() if m.text.split() else ""
    for other in mentions:
        if other.start >= m.start:
            break
        words = other.text.split()
        if len(words) > 1 and words[-1].lower() == last and _personish(other):
            return other
    return m


def _title_from_text(doc: Doc, m: Mention, source: tuple[int, int]) -> str | None:
    """The apposition (``X, head of Y,``) or the title before a name (``NATO Secretary General X``)."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    for c in root.children:
        if c.dep_ == "appos":
            t = doc[c.left_edge.i : c.right_edge.i + 1].text.strip(" ,")
            if t:
                return t
    pre = [t for t in root.lefts if t.dep_ in {"compound", "amod", "nmod"} and t.i < span.start]
    if pre:
        lo = min(t.left_edge.i for t in pre)
        text = doc[lo : span.start].text.strip(" ,")
        if text and source[0] <= doc[lo].idx:
            return text
    return None


def _role(
    m: Mention | None, titles: dict[str, str], gazetteer: Any = None, date: str | None = None
) -> str | None:
    if m is None:
        return None
    title = titles.get(m.actor_id)
    if gazetteer is not None and not m.actor_id.startswith("?"):
        actor = gazetteer.get(m.actor_id)
        role = gazetteer.role_at(actor, date) if actor is not None else None
        if role is not None and role.title:
            title = role.title
    org = f"{m.org}/{m.sector}" if m.org and m.sector else (m.org or None)
    if title and org:
        return f"{title} ({org})"
    return title or org


# --------------------------------------------------------------------------- claims


def extract_claims(
    doc: Doc,
    article: Article,
    mentions: Iterable[Mention],
    *,
    vocabulary: Vocabulary | None = None,
    gazetteer: Any = None,
) -> list[Claim]:
    """Quotes and assertions of one article as :class:`Claim` records (see module doc).

    With a ``resolve.Gazetteer``, a resolved speaker's title is its role at the article
    date (``Secretary General``) instead of the title found in the text.
    """
    vocab = vocabulary or load_vocabulary()
    ments = sorted(mentions, key=lambda m: m.start)
    full = doc.text
    state = _SpeakerState(full, ments)
    attributions = find_attributions(doc)
    claims: list[Claim] = []
    covered: list[tuple[int, int]] = []
    for att in attributions:
        speaker = _resolve_speaker(doc, att, state)
        covered.extend(att.content)
        covered.append(att.cue)
        if att.source:
            covered.append(att.source)
        readings: list[Canonical] = []
        for a, b in att.content:
            part = doc.char_span(a, b, alignment_mode="expand")
            if part is not None:
                readings.extend(canonicalize(part, ments, vocab))
        start, end = att.content_span
        text = " \u2026 ".join(full[a:b] for a, b in att.content)
        base = {
            "article_id": article.id, "sentence": att.sentence, "start": start, "end": end, "text": text,
            "kind": att.kind, "speaker": speaker.actor_id if speaker else None,
            "speaker_text": full[att.source[0]:att.source[1]] if att.source else None,
            "speaker_start": att.source[0] if att.source else None,
            "speaker_end": att.source[1] if att.source else None,
            "speaker_role": _role(speaker, state.titles),
            "cue": full[att.cue[0]:att.cue[1]], "cue_start": att.cue[0], "cue_end": att.cue[1],
            "date": article.published, "extractor": EXTRACTOR,
        }
        claims.extend(_with_readings(base, readings))
    for index, sent in enumerate(doc.sents):
        at = (sent.start_char, sent.end_char)
        if any(a < at[1] and at[0] < b for a, b in covered):
            continue
        readings = canonicalize(sent, ments, vocab)
        if not readings:
            continue
        base = {
            "article_id": article.id, "sentence": index, "start": at[0], "end": at[1],
            "text": sent.text.strip(), "kind": "assertion", "speaker": None, "speaker_text": None,
            "speaker_start": None, "speaker_end": None, "speaker_role": None, "cue": None,
            "cue_start": None, "cue_end": None, "date": article.published, "extractor": EXTRACTOR,
        }
        claims.extend(_with_readings(base, readings))
    return claims


def annotate(doc: Doc, article: Article, gazetteer: Any) -> dict[str, tuple[Claim, ...]]:
    """Annotator hook for ``extract.register_annotator``: claims from the found mentions."""
    from .records import found

    mentions = found(doc).get("mentions", ())
    return {"claims": tuple(extract_claims(doc, article, mentions, gazetteer=gazetteer))}


def _with_readings(base: dict, readings: list[Canonical]) -> list[Claim]:  # type: ignore[type-arg]
    """One claim per canonical reading (or one bare claim for an unmatched quote)."""
    if not readings:
        if base["kind"] == "assertion":
            return []
        rid = record_id(base["article_id"], base["start"], base["end"], base["kind"])
        return [Claim(id=rid, subject=None, predicate=None, object=None,
                      polarity="affirmed", modality="asserted", **base)]
    out = []
    seen: set[tuple[str | None, str, str | None, str]] = set()
    for r in readings:
        key = (r.subject, r.predicate, r.object, r.polarity)
        if key in seen:
            continue
        seen.add(key)
        rid = record_id(base["article_id"], base["start"], base["end"], base["kind"],
                        r.predicate, r.subject, r.object, r.trigger[0])
        out.append(Claim(id=rid, subject=r.subject, predicate=r.predicate, object=r.object,
                         polarity=r.polarity, modality=r.modality, **base))  # type: ignore[arg-type]
    return out


def contradicts(a: Claim, b: Claim, vocab: Vocabulary | None = None) -> str | None:
    """Why two claims about the same subject cannot both hold, or ``None``.

    ``"polarity"``: same triple, one affirmed and one negated. ``"opposite"``: opposite
    predicates (supports/opposes) for the same subject and object. ``"non-alignment"``:
    non-alignment (``non_aligned``, or ``member_of`` a non-aligned group such as NAM)
    against membership of, or seeking membership of, a military bloc (NATO, CSTO).
    """
    vocab = vocab or load_vocabulary()
    if a.subject is None or a.subject != b.subject or not a.predicate or not b.predicate:
        return None
    if (a.predicate, a.object) == (b.predicate, b.object) and a.polarity != b.polarity:
        return "polarity"
    pa = vocab.predicates.get(a.predicate)
    if pa and pa.opposite == b.predicate and a.object == b.object and a.polarity == b.polarity == "affirmed":
        return "opposite"

    def non_aligned(c: Claim) -> bool:
        return c.polarity == "affirmed" and (
            c.predicate == "non_aligned"
            or (c.predicate == "member_of" and c.object in vocab.non_aligned_groups)
        )

    def in_bloc(c: Claim) -> bool:
        return c.polarity == "affirmed" and c.predicate in {"member_of", "seeks_membership"} and (
            c.object in vocab.military_blocs
        )

    if (non_aligned(a) and in_bloc(b)) or (non_aligned(b) and in_bloc(a)):
        return "non-alignment"
    return None

