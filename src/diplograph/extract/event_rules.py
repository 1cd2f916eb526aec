"""Lexicon and dependency rules that find PLOVER event candidates in a parsed sentence.

The lexicon (``data/event_lexicon.toml``) maps verb, phrase and noun lemmas to CAMEO
codes; ``data/cameo_plover.json`` maps CAMEO codes to PLOVER type, mode and context and
CAMEO roots to QuadClass and Goldstein score. This module walks spaCy dependency trees:

* triggers: verbs, "verb object" phrases and nominal triggers (with light verbs);
* absorption: a trigger inside the complement of a frame verb ("agreed *to cooperate*")
  belongs to the frame's event, and a cooperative act under an intent word ("willing to
  withdraw") becomes AGREE;
* arguments: subjects and ``by`` agents are sources; objects, passive subjects and the
  objects of ``with/to/against/on...`` are targets; ``in/at`` places give the location;
* modality: negation, conditional, hypothetical, future, and reported speech with speaker.
"""

from __future__ import annotations

import functools
import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from spacy.tokens import Span, Token

from ..errors import ConfigError
from ..model import Mention

COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "AGREE"})
TARGET_PREPS = frozenset(
    {"with", "to", "against", "on", "toward", "towards", "into", "over", "from", "for",
     "upon", "between", "among", "of", "onto", "at"}
)
PLACE_PREPS = frozenset({"in", "at", "near", "inside", "across", "throughout"})
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "ROOT", "parataxis", "csubj"})
ABSORB_DEPS = frozenset(
    {"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acomp", "attr", "oprd", "compound",
     "advcl"}
)
PRONOUNS = frozenset({"he", "she", "it", "they", "his", "her", "its", "their", "him", "them"})
QUESTION_STARTERS = frozenset(
    {"will", "would", "does", "do", "did", "is", "are", "was", "were", "can", "could",
     "should", "shall", "has", "have", "may", "might", "must", "what", "why", "how", "who",
     "where", "when", "which"}
)


@dataclass(frozen=True)
class CodeInfo:
    """Everything the mapping file says about one CAMEO code."""

    code: str
    type: str
    mode: str | None
    context: str | None
    root: str
    quad_class: int
    goldstein: float


@dataclass(frozen=True)
class CameoMap:
    """The CAMEO -> PLOVER mapping plus QuadClass and Goldstein per root."""

    codes: dict[str, dict[str, str | None]]
    roots: dict[str, dict[str, float]]
    default_code: dict[str, str]
    legacy: dict[str, str]
    types: tuple[str, ...]

    def info(self, code: str) -> CodeInfo:
        """Describe ``code``; unknown sub-codes fall back to their parents."""
        probe = code
        while probe and probe not in self.codes:
            probe = probe[:-1]
        if len(probe) < 3:
            probe = code[:2] + "0"
        row = self.codes.get(probe)
        if row is None:
            raise KeyError(f"unknown CAMEO code {code!r}")
        root = code[:2]
        r = self.roots[root]
        return CodeInfo(code, str(row["event"]), row["mode"], row["context"], root,
                        int(r["quad_class"]), float(r["goldstein"]))

    def for_type(self, plover_type: str) -> CodeInfo:
        """The default CAMEO code of a PLOVER type (legacy names accepted)."""
        t = self.legacy.get(plover_type, plover_type)
        return self.info(self.default_code[t])

    def canonical_type(self, name: str) -> str:
        """A PLOVER type name, legacy names (DEMAND, FIGHT, ...) mapped to current ones."""
        return self.legacy.get(name.upper(), name.upper())


@functools.cache
def load_cameo_map() -> CameoMap:
    """Load ``data/cameo_plover.json`` once per process."""
    raw = resources.files("diplograph").joinpath("data/cameo_plover.json").read_text("utf-8")
    d = json.loads(raw)
    return CameoMap(d["cameo"], d["roots"], d["default_code"], d["legacy_types"],
                    tuple(d["plover_types"]))


@dataclass(frozen=True)
class Lexicon:
    """The project-written trigger lexicon (see ``data/event_lexicon.toml``)."""

    verbs: dict[str, str]
    phrases: dict[tuple[str, str], str]
    nouns: dict[str, str]
    light: frozenset[str]
    frames: frozenset[str]
    intent: frozenset[str]
    speech: frozenset[str]
    modality: dict[str, frozenset[str]]
    context: dict[str, frozenset[str]]


def _invert(table: dict[str, list[str]], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, words in table.items():
        for w in words:
            if w in out and out[w] != code:
                raise ConfigError(f"event lexicon: {what} {w!r} has two codes", code="E506")
            out[w] = code
    return out


@functools.cache
def load_lexicon() -> Lexicon:
    """Load ``data/event_lexicon.toml`` once per process."""
    raw = resources.files("diplograph").joinpath("data/event_lexicon.toml").read_text("utf-8")
    d = tomllib.loads(raw)
    phrases = {tuple(p.split(None, 1)): c for p, c in _invert(d["phrases"], "phrase").items()}
    return Lexicon(
        verbs=_invert(d["verbs"], "verb"),
        phrases=phrases,  # type: ignore[arg-type]
        nouns=_invert(d["nouns"], "noun"),
        light=frozenset(d["light"]["verbs"]),
        frames=frozenset(d["frames"]["verbs"]),
        intent=frozenset(d["intent"]["words"]),
        speech=frozenset(d["speech"]["verbs"]),
        modality={k: frozenset(v) for k, v in d["modality"].items()},
        context={k: frozenset(v) for k, v in d["context"].items()},
    )


@dataclass
class Candidate:
    """A trigger found by the rules, with its arguments and modality."""

    token: Token
    code: str
    kind: str  # verb | phrase | noun
    start: int
    end: int
    sources: list[Mention] = field(default_factory=list)
    targets: list[Mention] = field(default_factory=list)
    fallback_target: bool = False
    absorbed_by: Candidate | None = None
    inner: list[Candidate] = field(default_factory=list)
    negated: bool = False
    modality: str = "asserted"
    speaker: Mention | None = None
    location: str | None = None
    intent: bool = False


class MentionIndex:
    """Token -> mention lookup for one document."""

    def __init__(self, doc_mentions: Iterable[Mention]) -> None:
        self.mentions = sorted(doc_mentions, key=lambda m: (m.start, m.end))
        self._by_char: dict[int, Mention] = {}
        for m in self.mentions:
            for c in range(m.start, m.end):
                self._by_char.setdefault(c, m)

    def at(self, tok: Token) -> Mention | None:
        return self._by_char.get(tok.idx)

    def in_span(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end]

    def before(self, char: int, lo: int) -> Mention | None:
        best = None
        for m in self.mentions:
            if lo <= m.start and m.end <= char:
                best = m
        return best


# ----------------------------------------------------------------------------- triggers


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def find_triggers(sent: Span, lex: Lexicon) -> list[Candidate]:
    """All lexicon triggers of a sentence; a phrase beats the bare verb."""
    out: list[Candidate] = []
    for tok in sent:
        lem = _lemma(tok)
        code, kind, end_tok = None, "", tok
        if tok.pos_ in ("VERB", "ADJ", "AUX", "NOUN") or tok.tag_.startswith("VB"):
            for child in tok.children:
                key = (lem, _lemma(child))
                if child.dep_ in ("dobj", "prt", "prep", "xcomp", "acomp", "attr", "npadvmod",
                                  "dative", "advmod", "amod", "compound") and key in lex.phrases:
                    code, kind, end_tok = lex.phrases[key], "phrase", child
                    break
                if child.dep_ == "prep":
                    for gc in child.children:
                        if gc.dep_ == "pobj" and (lem, _lemma(gc)) in lex.phrases:
                            code, kind, end_tok = lex.phrases[(lem, _lemma(gc))], "phrase", gc
                            break
        if code is None and tok.pos_ in ("NOUN", "PROPN"):  # "hunger strike"
            for child in tok.children:
                if child.dep_ in ("compound", "amod") and (_lemma(child), lem) in lex.phrases:
                    code, kind = lex.phrases[(_lemma(child), lem)], "noun"
                    break
        verbal = tok.pos_ in ("VERB", "ADJ") or tok.tag_.startswith("VB")
        if code is None and verbal and lem in lex.verbs and tok.dep_ not in ("amod", "compound") and (
            tok.pos_ != "ADJ" or tok.dep_ in ("acomp", "ROOT", "conj", "xcomp")
        ):
            code, kind = lex.verbs[lem], "verb"
        if code is None and tok.pos_ in ("NOUN", "PROPN") and lem in lex.nouns:
            code, kind = lex.nouns[lem], "noun"
        if code is None:
            continue
        span_end = end_tok if end_tok.i > tok.i and end_tok.i - tok.i <= 3 else tok
        out.append(Candidate(tok, code, kind, tok.idx, span_end.idx + len(span_end.text)))
    return out


# ----------------------------------------------------------------------------- structure


def clause_head(tok: Token) -> Token:
    """The token heading ``tok``'s clause (climbing xcomp/aux chains)."""
    t = tok
    while t.dep_ not in CLAUSE_DEPS and t.head is not t:
        if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX"):
            break
        t = t.head
    return t


def _path_to_clause(tok: Token) -> list[Token]:
    path = [tok]
    t = tok
    while t.dep_ not in CLAUSE_DEPS and t.head is not t:
        if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX"):
            break
        t = t.head
        path.append(t)
    return path


def mark_absorbed(cands: list[Candidate], lex: Lexicon) -> None:
    """Attach triggers governed by a frame or nominal-object relation to that frame."""
    by_tok = {c.token.i: c for c in cands}
    for c in cands:
        t = c.token
        hops = 0
        while t.dep_ in ABSORB_DEPS and t.head is not t and hops < 5:
            head = t.head
            hops += 1
            frame = by_tok.get(head.i)
            purpose = t is c.token and t.dep_ in ("xcomp", "advcl") and any(
                ch.dep_ == "aux" and ch.lower_ == "to" for ch in t.children)
            if frame is not None and frame is not c and (
                _lemma(head) in lex.frames or c.kind == "noun" and t is c.token or purpose
            ):
                c.absorbed_by = frame
                frame.inner.append(c)
                break
            t = head


def _all_lemmas(tokens: Iterable[Token]) -> set[str]:
    return {_lemma(t) for t in tokens} | {t.lower_ for t in tokens}


def apply_intent(c: Candidate, lex: Lexicon, cmap: CameoMap) -> None:
    """A cooperative act governed by an intent word is AGREE (express intent)."""
    path = _path_to_clause(c.token)[1:]
    if any(_lemma(t) in lex.intent for t in path):
        c.intent = True


def modality_of(c: Candidate, sent: Span, lex: Lexicon, idx: MentionIndex) -> None:
    """Set ``negated``, ``modality`` and ``speaker`` of a candidate."""
    path = _path_to_clause(c.token)
    near: list[Token] = []
    for t in path:
        near.extend(ch for ch in t.children if ch.dep_ in ("aux", "neg", "advmod", "mark",
                                                            "det", "auxpass", "preconj"))
    near_words = _all_lemmas(near)
    path_words = _all_lemmas(path[1:])
    mod = lex.modality
    c.negated = any(ch.dep_ == "neg" for t in path for ch in t.children) or bool(
        {"no", "never", "without"} & near_words
    )
    head = path[-1]
    marks = {_lemma(ch) for ch in head.children if ch.dep_ == "mark"}
    if head.dep_ == "advcl" and marks & mod["conditional"]:
        c.modality = "conditional"
    elif near_words & mod["hypothetical"] or path_words & {"consider", "whether", "possibility"}:
        c.modality = "hypothetical"
    elif near_words & mod["future"] or path_words & {"about", "going", "plan", "intend"} or (
        c.intent
    ):
        c.modality = "future"
    # reported speech: the clause is the complement of a speech verb
    h = head
    for _ in range(3):
        if h.dep_ in ("ccomp", "parataxis", "xcomp") or (h.dep_ == "ROOT" and h is not head):
            gov = h.head if h.dep_ != "ROOT" else h
            if _lemma(gov) in lex.speech:
                c.speaker = _subject_mention(gov, idx)
                if c.modality == "asserted":
                    c.modality = "reported"
                return
        if h.head is h:
            break
        h = h.head
    if _lemma(head) in lex.speech:  # "X said" as parataxis root of a quote
        return
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
            for ch in tok.nbor().children:
                if ch.dep_ == "pobj":
                    c.speaker = _best_mention(ch, idx)
            if c.modality == "asserted":
                c.modality = "reported"
            return
    root = sent.root
    if root is not head and _lemma(root) in lex.speech and c.token.i not in range(
        root.i - 1, root.i + 2
    ):
        # quotes: '"...," X said.' parses the quote as a ccomp/parataxis of "said"
        for ch in root.children:
            if ch.dep_ in ("ccomp", "parataxis") and c.token in list(ch.subtree):
                c.speaker = _subject_mention(root, idx)
                if c.modality == "asserted":
                    c.modality = "reported"


HOSTILE = frozenset({"SANCTION", "COERCE", "ASSAULT", "MOBILIZE", "PROTEST"})
OBLIGATION = frozenset({"must", "should", "need", "ought"})


def apply_irrealis(c: Candidate, cmap: CameoMap) -> None:
    """CAMEO's coding of unrealized acts: "X said Y must do Z" is a REQUEST from X to Y;
    a future, hypothetical or intended cooperative act is AGREE (express intent), and a
    hostile one is THREATEN. Negated candidates keep their type."""
    if c.negated or c.modality in ("asserted", "reported") and not c.intent:
        return
    info = cmap.info(c.code)
    words = {ch.lower_ for t in _path_to_clause(c.token) for ch in t.children if ch.dep_ == "aux"}
    if words & OBLIGATION and c.speaker is not None and info.type != "REQUEST":
        subject = list(c.sources)
        if c.speaker.code not in {m.code for m in subject}:
            c.code, c.sources, c.targets = "100", [c.speaker], subject or c.targets
            return
    if info.type in COOPERATIVE and info.type != "AGREE":
        c.code = "036" if info.type == "CONSULT" else "030"
    elif info.type in HOSTILE:
        c.code = "133" if info.type == "PROTEST" else "138" if info.type == "ASSAULT" else "130"


def is_question(sent: Span, tok: Token) -> bool:
    """True when the line holding ``tok`` is a question or a headline question."""
    text = sent.doc.text
    lo = text.rfind("\n", sent.start_char, tok.idx) + 1 or sent.start_char
    hi = text.find("\n", tok.idx, sent.end_char)
    hi = sent.end_char if hi < 0 else hi
    line = text[max(lo, sent.start_char):hi].strip()
    if line.endswith("?"):
        return True
    words = line.split()
    if not words or words[0].lower() not in QUESTION_STARTERS:
        return False
    # a headline question: inverted auxiliary, no final full stop, title-like line
    return not line.endswith((".", "!", '"', "”")) and words[0][0].isupper()


# ----------------------------------------------------------------------------- arguments


def _best_mention(tok: Token, idx: MentionIndex, depth: int = 0) -> Mention | None:
    """The actor a noun phrase headed by ``tok`` names (resolved mentions preferred)."""
    m = idx.at(tok)
    if m is not None and m.resolved:
        return m
    fallback = m
    for ch in tok.children:
        if ch.dep_ in ("compound", "amod", "poss", "appos", "nmod", "npadvmod") or (
            ch.dep_ == "prep" and (ch.lower_ in ("of", "from") or ch.lower_ == "in" and m is None)
        ):
            probe = ch if ch.dep_ != "prep" else next(
                (g for g in ch.children if g.dep_ == "pobj"), None
            )
            if probe is None or depth > 3:
                continue
            found = _best_mention(probe, idx, depth + 1)
            if found is not None and (found.resolved or fallback is None):
                if found.resolved:
                    return found
                fallback = fallback or found
    if fallback is None and tok.lower_ in PRONOUNS:
        sent = tok.sent
        fallback = idx.before(tok.idx, sent.start_char)
    return fallback


def phrase_actors(tok: Token, idx: MentionIndex) -> list[Mention]:
    """Actors of a noun phrase, with its coordinated members ("X, Y and Z")."""
    out: list[Mention] = []
    stack = [tok]
    seen: set[int] = set()
    while stack:
        t = stack.pop(0)
        if t.i in seen:
            continue
        seen.add(t.i)
        m = _best_mention(t, idx)
        if m is not None and m not in out:
            out.append(m)
        stack.extend(ch for ch in t.children if ch.dep_ == "conj")
        if m is None or idx.at(t) is None:  # "officials" <- amod "Hungarian" conj "Romanian"
            for ch in t.children:
                if ch.dep_ in ("amod", "compound", "nmod"):
                    stack.extend(c2 for c2 in ch.children if c2.dep_ == "conj")
    return out


def _subject_mention(verb: Token, idx: MentionIndex) -> Mention | None:
    for ch in verb.children:
        if ch.dep_ in ("nsubj", "nsubjpass"):
            return _best_mention(ch, idx)
    return None


def _subject_token(tok: Token) -> tuple[Token | None, bool]:
    """(subject token, passive) of a predicate, climbing xcomp/conj/acomp chains."""
    t = tok
    for _ in range(6):
        passive = any(ch.dep_ == "auxpass" for ch in t.children)
        for ch in t.children:
            if ch.dep_ == "nsubj" or (ch.dep_ == "nsubjpass" and not passive):
                return ch, False
            if ch.dep_ == "nsubjpass":
                return ch, True
        if t.dep_ in ("xcomp", "conj", "acomp", "advcl", "pcomp") and t.head is not t:
            t = t.head
            if t.dep_ == "prep":
                t = t.head
            continue
        if t.dep_ == "relcl":
            return t.head, False
        break
    return None, False


def _agent(tok: Token) -> Token | None:
    for ch in tok.children:
        if ch.dep_ == "agent" or (ch.dep_ == "prep" and ch.lower_ == "by"):
            for g in ch.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _prep_objects(tok: Token, preps: frozenset[str]) -> list[Token]:
    out = []
    for ch in tok.children:
        if ch.dep_ in ("prep", "agent") and ch.lower_ in preps:
            out.extend(g for g in ch.children if g.dep_ == "pobj")
    return out


def arguments(c: Candidate, idx: MentionIndex, lex: Lexicon) -> None:
    """Fill sources, targets and location of a candidate from the parse."""
    tok = c.token
    sources: list[Mention] = []
    targets: list[Mention] = []
    place_toks: list[Token] = []
    if c.kind == "noun":
        carrier = tok.head if tok.dep_ in ("dobj", "attr", "nsubjpass", "pobj") else None
        for ch in tok.children:
            if ch.dep_ in ("poss", "compound", "amod", "nmod"):
                sources += phrase_actors(ch, idx)
        ag = _agent(tok) or next((a for ch in tok.children if ch.dep_ == "acl"
                                  for a in [_agent(ch)] if a is not None), None)
        if ag is not None:
            sources += phrase_actors(ag, idx)
        for p in _prep_objects(tok, frozenset({"between", "among"})):
            sources += phrase_actors(p, idx)
        if not sources and carrier is not None and tok.dep_ != "pobj" and (
            _lemma(carrier) in lex.light or carrier.pos_ in ("VERB", "AUX")
        ):
            s, passive = _subject_token(carrier)
            if s is not None and not passive:
                sources += phrase_actors(s, idx)
            for p in _prep_objects(carrier, TARGET_PREPS - {"of", "from", "for"}):
                targets += phrase_actors(p, idx)
            place_toks += _prep_objects(carrier, PLACE_PREPS)
        if tok.dep_ in ("nsubj",) and not sources:
            for p in _prep_objects(tok.head, frozenset({"between", "among", "with"})):
                sources += phrase_actors(p, idx)
        for p in _prep_objects(tok, TARGET_PREPS - {"between", "among", "at"}):
            targets += phrase_actors(p, idx)
        place_toks += _prep_objects(tok, PLACE_PREPS)
    else:
        subj, passive = _subject_token(tok)
        ag = _agent(tok)
        if passive:
            if ag is not None:
                sources += phrase_actors(ag, idx)
            if subj is not None:
                targets += phrase_actors(subj, idx)
        elif subj is not None:
            sources += phrase_actors(subj, idx)
        preps = set(TARGET_PREPS - {"at", "from"} if c.kind != "phrase" else TARGET_PREPS)
        for ch in tok.children:
            if ch.dep_ in ("dobj", "dative", "attr", "oprd"):
                found = phrase_actors(ch, idx)
                if not found:  # "restored ties with X", "made contributions to X"
                    for p in _prep_objects(ch, frozenset(preps | {"of"})):
                        found += phrase_actors(p, idx)
                targets += found
            if ch.dep_ in ("prep",) and ch.lower_ in preps:
                targets += [m for g in ch.children if g.dep_ == "pobj"
                            for m in phrase_actors(g, idx)]
            if ch.dep_ == "prep" and c.kind == "phrase" and ch.lower_ in ("in", "at"):
                targets += [m for g in ch.children if g.dep_ == "pobj"
                            for m in phrase_actors(g, idx)]
        for x in tok.children:  # "urged X to ...": the object of the frame; xcomp's objects
            if x.dep_ == "xcomp" and not targets:
                for ch in x.children:
                    if ch.dep_ in ("dobj", "dative"):
                        targets += phrase_actors(ch, idx)
                    if ch.dep_ == "prep" and ch.lower_ in preps:
                        targets += [m for g in ch.children if g.dep_ == "pobj"
                                    for m in phrase_actors(g, idx)]
        place_toks += _prep_objects(tok, PLACE_PREPS)
    for inner in c.inner:  # a frame with no target takes its absorbed event's target
        if not targets:
            targets = list(inner.targets)
    src_keys = {(m.start, m.end) for m in sources}
    c.sources = _dedupe(sources)
    c.targets = [m for m in _dedupe(targets) if (m.start, m.end) not in src_keys]
    if not place_toks:  # "met with X in Baku": the place may attach to the object
        place_toks = [g for t in clause_head(tok).subtree if t.dep_ == "prep"
                      and t.lower_ in PLACE_PREPS for g in t.children if g.dep_ == "pobj"]
    used_spans = {(m.start, m.end) for m in c.sources + c.targets}
    for p in place_toks:
        m = _best_mention(p, idx)
        if m is not None and (m.start, m.end) in used_spans:
            continue
        if m is not None and len(m.code) >= 3 and m.code[:3].isupper():
            c.location = m.code[:3]
            break
    if c.sources and not c.targets:  # nearest other actor in the trigger's clause
        head = clause_head(tok)
        used = {(m.start, m.end) for m in c.sources}
        if c.speaker is not None:
            used.add((c.speaker.start, c.speaker.end))
        lo = min(t.idx for t in head.subtree)
        hi = max(t.idx + len(t) for t in head.subtree)
        rest = [m for m in idx.in_span(lo, hi) if (m.start, m.end) not in used
                and m.code not in {s.code for s in c.sources} and m.resolved
                and (c.location is None or m.code[:3] != c.location)]
        if rest:
            rest.sort(key=lambda m: abs(m.start - tok.idx))
            c.targets = [rest[0]]
            c.fallback_target = True


def _dedupe(ms: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in ms:
        if all((m.start, m.end) != (o.start, o.end) for o in out):
            out.append(m)
    return out


def context_of(info: CodeInfo, sent: Span, lex: Lexicon) -> str | None:
    """PLOVER context: the code's own, else the cue class most present in the sentence."""
    if info.context:
        return info.context
    lemmas = [_lemma(t) for t in sent]
    best, score = None, 0
    for name, cues in lex.context.items():
        n = sum(1 for lm in lemmas if lm in cues)
        if n > score:
            best, score = name, n
    return best
