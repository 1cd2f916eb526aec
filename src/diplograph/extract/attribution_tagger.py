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

Features (:func:`doc_features`) are cheap strings over the existing parse: word,
lemma, POS, tag, dependency, head, named-entity IOB and type, shape, quotation-mark
context, sentence and paragraph position, the reporting-verb lexicon
(``data/quote_cues.toml``), the dependency path to the nearest reporting verb and to
the sentence root, a learned lemma -> cue-ratio table, neighbours +-2, and the roles
the rule-based extractor (:func:`.quotes.rule_attributions`) gave each token. The model
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
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .quotes import Attribution, CueLexicon, load_cue_lexicon, quote_spans
from .records import text_of as _doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

MODEL_FILE = "quote_crf.crfsuite"
META_FILE = "quote_crf.json"
ROLES = {"source": "SRC", "cue": "CUE", "content": "CON"}
LABELS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")
_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}
_ARRAYS_KEY = "diplograph.quote_arrays"  # doc.user_data key for the cached token arrays
_NEWLINES = re.compile(r"\n+")

Spans = tuple[tuple[int, int], ...]
TokenSpan = tuple[str, int, int]  # (role, first token, end token exclusive)


# --------------------------------------------------------------------------- features


def _bucket(n: int) -> str:
    if n <= 2:
        return str(n)
    if n <= 4:
        return "3-4"
    if n <= 8:
        return "5-8"
    if n <= 16:
        return "9-16"
    return "17+"


def _rule_roles(doc: Doc, rules: Sequence[Attribution]) -> list[str]:
    """Per token: the role the rules gave it (S, C, T) with B/I, or ``-``."""
    out = ["-"] * len(doc)
    arr = _Arrays.of(doc)
    starts = arr.idx

    def mark(span: tuple[int, int] | None, role: str) -> None:
        if span is None:
            return
        lo = max(0, bisect_right(starts, span[0]) - 1)
        hi = bisect_right(starts, span[1] - 1)
        for i in range(lo, hi):
            if out[i] == "-" and starts[i] + arr.length[i] > span[0]:
                out[i] = ("B" if i == lo else "I") + role
    for att in rules:
        mark(att.cue, "C")
        mark(att.source, "S")
        for part in att.content:
            mark(part, "T")
    return out


_IOB = ("", "I", "O", "B")


@dataclass
class _Arrays:
    """Per-token attributes read once from the ``Doc`` with ``Doc.to_array``.

    Creating spaCy ``Token`` objects costs about 10 microseconds each; reading the
    attribute arrays once keeps the tagger's overhead small next to the parse.
    """

    lower: list[str]
    lemma: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    ent: list[str]
    shape: list[str]
    idx: list[int]
    length: list[int]
    head: list[int]
    space: list[bool]
    punct: list[bool]
    sentence: list[int]  # sentence index of every token
    paragraph: list[int]  # paragraph index (runs of newlines) of every token
    sents: list[tuple[int, int]]  # (start, end) token range of every sentence
    text: str  # doc.text (joined from the tokens on every access, so read once)

    @classmethod
    def of(cls, doc: Doc) -> _Arrays:
        cached = doc.user_data.get(_ARRAYS_KEY)
        if isinstance(cached, cls) and len(cached.idx) == len(doc):
            return cached
        from spacy.attrs import (
            DEP,
            ENT_IOB,
            ENT_TYPE,
            HEAD,
            IDX,
            IS_PUNCT,
            IS_SPACE,
            LEMMA,
            LENGTH,
            LOWER,
            POS,
            SENT_START,
            SHAPE,
            TAG,
        )

        strings = doc.vocab.strings
        memo: dict[int, str] = {0: ""}

        def text_of(column: Any) -> list[str]:
            out = []
            for h in column.tolist():
                v = memo.get(h)
                if v is None:
                    v = memo[h] = strings[h]
                out.append(v)
            return out

        hashes = doc.to_array([LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, SHAPE])
        nums = doc.to_array(
            [IDX, LENGTH, HEAD, IS_SPACE, SENT_START, ENT_IOB, IS_PUNCT]
        ).astype("int64")
        n = len(doc)
        starts = [i for i, v in enumerate(nums[:, 4].tolist()) if v == 1 or i == 0] if n else []
        sents = list(zip(starts, [*starts[1:], n]))
        sentence = [0] * n
        for k, (a, b) in enumerate(sents):
            sentence[a:b] = [k] * (b - a)
        idx = nums[:, 0].tolist()
        text = _doc_text(doc)
        runs = [m.start() for m in _NEWLINES.finditer(text)]
        types = text_of(hashes[:, 5])
        arrays = cls(
            lower=text_of(hashes[:, 0]),
            lemma=[x.lower() for x in text_of(hashes[:, 1])],
            pos=text_of(hashes[:, 2]),
            tag=text_of(hashes[:, 3]),
            dep=text_of(hashes[:, 4]),
            ent=[_IOB[b] + t for b, t in zip(nums[:, 5].tolist(), types)],
            shape=text_of(hashes[:, 6]),
            idx=idx,
            length=nums[:, 1].tolist(),
            head=[i + h for i, h in enumerate(nums[:, 2].tolist())],
            space=[bool(v) for v in nums[:, 3].tolist()],
            punct=[bool(v) for v in nums[:, 6].tolist()],
            sentence=sentence,
            paragraph=[bisect_right(runs, i) for i in idx],
            sents=sents,
            text=text,
        )
        doc.user_data[_ARRAYS_KEY] = arrays
        return arrays


def _path_features(
    i: int, arr: _Arrays, verbs: frozenset[str], cue_lemmas: Mapping[str, str]
) -> list[str]:
    """Dependency-path features of token ``i``.

    - ``cue=``: the dep on the path to the nearest reporting-verb ancestor (lexicon);
    - ``cl=``/``clp=``: the learned cue ratio of the token's lemma, and of its nearest
      ancestor with a high or mid ratio, with the dep on the path;
    - ``gv=``: the nearest verb ancestor's lemma and the dep on the path;
    - ``root=``: the sentence root's lemma and the dep of the root's child on the path.
    """
    lemma, pos, dep, head = arr.lemma, arr.pos, arr.dep, arr.head
    cue = "cue=self" if lemma[i] in verbs and pos[i] in {"VERB", "NOUN"} else ""
    learned = ""
    governing = ""
    below, child, node = i, i, head[i]
    for _ in range(12):
        if node == child:
            break
        side = "L" if i < node else "R"
        head_lemma = lemma[node]
        if not cue and head_lemma in verbs and pos[node] in {"VERB", "NOUN"}:
            cue = f"cue={dep[child]}|{side}"
        if not learned and cue_lemmas.get(head_lemma) in {"hi", "mid"}:
            learned = f"clp={dep[child]}|{side}|{cue_lemmas[head_lemma]}"
        if not governing and pos[node] in {"VERB", "AUX"}:
            governing = f"gv={head_lemma}|{dep[child]}"
        below, child, node = child, node, head[node]
    top = "root=self" if child == i else f"root={lemma[child]}|{dep[below]}"
    return [
        cue or "cue=none", "cl=" + cue_lemmas.get(lemma[i], ""), learned or "clp=none",
        governing or "gv=none", top,
    ]


def cue_ratio_table(counts: Mapping[str, tuple[int, int]], min_seen: int = 3) -> dict[str, str]:
    """Lemma -> ``hi``/``mid``/``lo`` from (times in a cue, times seen) counts."""
    out = {}
    for lemma, (hits, seen) in counts.items():
        if seen < min_seen or not hits:
            continue
        ratio = hits / seen
        out[lemma] = "hi" if ratio >= 0.5 else "mid" if ratio >= 0.2 else "lo" if ratio >= 0.05 else ""
    return {k: v for k, v in sorted(out.items()) if v}


def doc_features(
    doc: Doc,
    rules: Sequence[Attribution] = (),
    lexicon: CueLexicon | None = None,
    cue_lemmas: Mapping[str, str] | None = None,
) -> list[list[str]]:
    """One list of string features per token of ``doc`` (the CRF's input).

    ``rules`` are the rule-based attributions (their roles become features);
    ``cue_lemmas`` the learned lemma -> cue-ratio table (see :func:`cue_ratio_table`).
    """
    lex = lexicon or load_cue_lexicon()
    verbs = lex.verbs
    ratios = cue_lemmas or {}
    arr = _Arrays.of(doc)
    text = arr.text
    inside = bytearray(len(text) + 1)
    for a, b in quote_spans(text):
        inside[a:b] = b"\x01" * (b - a)
    roles = _rule_roles(doc, rules)
    # the per-token loops below read every column once per token: local names (and
    # precomputed strings) keep them cheap next to the parse
    lemmas, head = arr.lemma, arr.head
    lowers, tags, ents, shapes = arr.lower, arr.tag, arr.ent, arr.shape
    idxs, lengths, spaces = arr.idx, arr.length, arr.space
    pos, dep = list(arr.pos), list(arr.dep)
    buckets = [_bucket(k) for k in range(18)]
    n = len(doc)
    base: list[list[str]] = []
    word: list[str] = []
    sent_of: list[tuple[int, int]] = []
    sent_i = -1
    newline_seen = True
    lex_at: list[int] = []
    for bounds in arr.sents:
        sent_i += 1
        sent_first_in_para = newline_seen
        newline_seen = False
        first = bounds[0]
        end_char = idxs[bounds[1] - 1] + lengths[bounds[1] - 1]
        quoted = "sq" if inside[idxs[first] : end_char].count(1) else "nq"
        for i in range(*bounds):
            sent_of.append(bounds)
            if spaces[i]:
                newline = "\n" in text[idxs[i] : idxs[i] + lengths[i]]
                newline_seen = newline_seen or newline
                pos[i], dep[i] = "SPACE", "sp"
                base.append(["sp", "nl" if newline else "ws"])
                word.append("_sp")
                continue
            lower = lowers[i]
            lemma = lemmas[i]
            h = head[i]
            d = dep[i]
            head_lemma = lemmas[h]
            feats = [
                "b",
                "w=" + lower,
                "l=" + lemma,
                "p=" + pos[i],
                "t=" + tags[i],
                "d=" + d,
                "hl=" + head_lemma,
                "hd=" + dep[h],
                "hp=" + pos[h],
                "dl=" + d + "|" + head_lemma,
                "e=" + ents[i],
                "sh=" + shapes[i][:4],
                "q=1" if inside[idxs[i]] else "q=0",
                "si=" + buckets[min(i - first, 17)],
                "r=" + roles[i],
                quoted,
                *_path_features(i, arr, verbs, ratios),
            ]
            if sent_first_in_para:
                feats.append("parstart")
            if sent_i == 0:
                feats.append("headline")
            if lemma in verbs:
                feats.append("lex")
                lex_at.append(i)
            if d in _SUBJECTS:
                feats.append("subj|" + head_lemma)
            base.append(feats)
            word.append(lower)
    # distance to the nearest lexicon word in the same sentence, and neighbours
    n_lex = len(lex_at)
    for i in range(n):
        feats = base[i]
        if feats[0] == "sp":
            continue
        k = bisect_right(lex_at, i)
        s_start, s_end = sent_of[i]
        left = lex_at[k - 1] if k and lex_at[k - 1] >= s_start else None
        right = lex_at[k] if k < n_lex and lex_at[k] < s_end else None
        feats.append("lexL=" + (buckets[min(i - left, 17)] if left is not None else "none"))
        feats.append("lexR=" + (buckets[min(right - i, 17)] if right is not None else "none"))
        if i >= 2:
            feats.append("-2w=" + word[i - 2])
            feats.append("-2p=" + pos[i - 2])
        else:
            feats.append("-2w=<pad>")
        if i >= 1:
            feats.append("-1w=" + word[i - 1])
            feats.append("-1p=" + pos[i - 1])
            feats.append("-1d=" + dep[i - 1])
            feats.append("-1r=" + roles[i - 1])
        else:
            feats.append("-1w=<pad>")
        if i + 1 < n:
            feats.append("1w=" + word[i + 1])
            feats.append("1p=" + pos[i + 1])
            feats.append("1d=" + dep[i + 1])
            feats.append("1r=" + roles[i + 1])
        else:
            feats.append("1w=<pad>")
        if i + 2 < n:
            feats.append("2w=" + word[i + 2])
            feats.append("2p=" + pos[i + 2])
        else:
            feats.append("2w=<pad>")
        feats.append(f"pp={pos[i - 1] if i else '<'}|{pos[i]}")
    return base


# --------------------------------------------------------------------------- labels


def gold_labels(doc: Doc, attributions: Iterable[dict[str, Spans]]) -> list[str]:
    """BIO labels for ``doc`` from gold attributions (role -> character spans)."""
    labels = ["O"] * len(doc)
    owner = [-1] * len(doc)
    starts = [t.idx for t in doc]
    for k, att in enumerate(attributions):
        for role in ("cue", "source", "content"):
            for a, b in att.get(role, ()):
                lo = max(0, bisect_right(starts, a) - 1)
                hi = bisect_right(starts, b - 1)
                first = True
                for i in range(lo, hi):
                    tok = doc[i]
                    if tok.idx + len(tok) <= a or owner[i] >= 0:
                        continue
                    labels[i] = ("B-" if first else "I-") + ROLES[role]
                    owner[i] = k
                    first = False
    return labels


def count_cue_lemmas(pairs: Iterable[tuple[Doc, Sequence[str]]]) -> dict[str, tuple[int, int]]:
    """Lemma -> (tokens labelled cue, tokens seen) over (doc, BIO labels) pairs."""
    hits: dict[str, int] = {}
    seen: dict[str, int] = {}
    for doc, labels in pairs:
        for tok, lab in zip(doc, labels):
            if tok.is_space or tok.is_punct:
                continue
            lemma = tok.lemma_.lower()
            seen[lemma] = seen.get(lemma, 0) + 1
            if lab.endswith("CUE"):
                hits[lemma] = hits.get(lemma, 0) + 1
    return {k: (hits.get(k, 0), n) for k, n in seen.items()}


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


def _offsets(arr: _Arrays, start: int, end: int) -> tuple[int, int] | None:
    """Token range -> character offsets, without edge spaces and punctuation."""
    while start < end and (arr.space[start] or arr.punct[start]):
        start += 1
    while end > start and (arr.space[end - 1] or arr.punct[end - 1]):
        end -= 1
    if start >= end:
        return None
    return arr.idx[start], arr.idx[end - 1] + arr.length[end - 1]


def _subject_of_cue(arr: _Arrays, src: TokenSpan, cue: TokenSpan) -> bool:
    """True when a token of the source span is the subject/agent of a token in the cue."""
    for i in range(src[1], src[2]):
        head = arr.head[i]
        if arr.dep[i] in _SUBJECTS and cue[1] <= head < cue[2]:
            return True
        if arr.dep[i] == "pobj" and arr.dep[head] == "agent" and cue[1] <= arr.head[head] < cue[2]:
            return True
    return False


def _sentence_pieces(lay: _Arrays, span: TokenSpan) -> list[TokenSpan]:
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


def _nearest_cue(lay: _Arrays, con: TokenSpan, cues: Sequence[TokenSpan]) -> int | None:
    """Index of the cue a content span belongs to: same paragraph, or the next one when
    the content opens with a quotation mark (a quote running on over paragraphs)."""
    best: tuple[int, int] | None = None
    opens_quote = lay.text[lay.idx[con[1]] : lay.idx[con[1]] + 1] in _OPENING_QUOTES or (
        con[1] > 0 and lay.lower[con[1] - 1] in _OPENING_QUOTES
    )
    for k, cue in enumerate(cues):
        para_gap = lay.paragraph[con[1]] - lay.paragraph[cue[1]]
        if lay.paragraph[con[2] - 1] < lay.paragraph[cue[1]] or para_gap > 1:
            continue
        if para_gap == 1 and not opens_quote:
            continue
        score = _gap((con[1], con[2]), (cue[1], cue[2]))
        if lay.sentence[con[1]] > lay.sentence[cue[1]] or lay.sentence[con[2] - 1] < lay.sentence[cue[1]]:
            score += 30
        score += 200 * max(0, para_gap)
        if best is None or score < best[0]:
            best = (score, k)
    return best[1] if best is not None else None


def group(doc: Doc, spans: Sequence[TokenSpan]) -> list[Attribution]:
    """Tagged spans -> attributions: one per cue, with its source and content parts."""
    lay = arr = _Arrays.of(doc)
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
        if k not in sources and at < cues[k][1] and lay.sentence[at] == lay.sentence[cues[k][1]]:
            sources[k] = src
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
    out = []
    for k, cue in enumerate(cues):
        cue_at = _offsets(arr, cue[1], cue[2]) or (arr.idx[cue[1]], arr.idx[cue[2] - 1] + arr.length[cue[2] - 1])
        found_src = sources.get(k)
        src_at = _offsets(arr, found_src[1], found_src[2]) if found_src else None
        parts = [p for p in (_offsets(arr, c[1], c[2]) for c in contents.get(k, [])) if p]
        direct = any(arr.text[max(0, p[0] - 1) : p[0] + 1].strip(" ")[:1] in {'"', "\u201c"} for p in parts)
        kind = "according_to" if arr.lower[cue[1]] == "according" else ("direct" if direct else "indirect")
        out.append(Attribution(kind, lay.sentence[cue[1]], cue_at, src_at, tuple(sorted(parts)), "crf"))
    return out


def backfill(found: Sequence[Attribution], rules: Sequence[Attribution]) -> list[Attribution]:
    """Give a tagged attribution that lacks a source or content the rules' one.

    Only when a rule attribution has an overlapping cue, and only with spans that no
    other tagged attribution uses (the output stays univocal).
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
            if not content and rule.content and all(free(c, att) for c in rule.content):
                content = rule.content
            if (source, content) != (att.source, att.content):
                att = Attribution(att.kind, att.sentence, att.cue, source, content, att.frame)
        out.append(att)
    return out


# --------------------------------------------------------------------------- model

#: Characters that mark quoted speech in a content span.
QUOTE_CHARS = ('"', "“", "”", "«", "»")


class AttributionTagger:
    """A trained CRF model file plus the feature function it was trained with."""

    def __init__(self, path: str | Path, meta: dict[str, Any] | None = None) -> None:
        import pycrfsuite

        self.path = Path(path)
        self.meta = meta or {}
        self.cue_lemmas: dict[str, str] = dict(self.meta.get("cue_lemmas", {}))
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.path))

    def tag(self, doc: Doc, rules: Sequence[Attribution] = ()) -> list[str]:
        """BIO labels for every token of ``doc``."""
        if not len(doc):
            return []
        return list(self._tagger.tag(doc_features(doc, rules, cue_lemmas=self.cue_lemmas)))

    def attributions(
        self, doc: Doc, rules: Sequence[Attribution] = (), *, check: bool = True
    ) -> list[Attribution]:
        """Attributions of ``doc``, in text order of their cues: the tagged ones (with
        ``check``, only the :meth:`plausible` ones), repaired, plus the rule attributions
        whose cue the tagger gives some probability (``attribution_repair``)."""
        from .attribution_repair import add_confident_rules, colon_attributions, repair

        labels = self.tag(doc, rules)  # the marginals below are those of this sequence
        found = repair(doc, backfill(group(doc, tag_spans(labels)), rules))
        found = colon_attributions(doc, found)
        found = [a for a in found if not check or self.plausible(doc, a, rules)]
        return add_confident_rules(doc, found, rules, self._cue_marginal) if labels else found

    def _cue_marginal(self, i: int) -> float:
        """P(token ``i`` is part of a cue) in the sequence tagged last."""
        return max(self._tagger.marginal("B-CUE", i), self._tagger.marginal("I-CUE", i))

    def plausible(self, doc: Doc, att: Attribution, rules: Sequence[Attribution] = ()) -> bool:
        """False for a tagged cue that nothing known supports and whose content is a bare
        noun phrase ("Armenia *froze* its participation in the CSTO"): its lemma is not a
        lexicon reporting verb and had no cue ratio in training, the rules found no cue
        there, and the content holds no verb and no quotation mark."""
        if any(r.cue == att.cue for r in rules):
            return True
        cue = doc.char_span(att.cue[0], att.cue[1], alignment_mode="expand")
        if cue is None or not len(cue):
            return True
        lemma = cue.root.lemma_.lower()
        if lemma in load_cue_lexicon().verbs or self.cue_lemmas.get(lemma):
            return True
        text = _doc_text(doc)
        for start, end in att.content:
            part = doc.char_span(start, end, alignment_mode="expand")
            if any(q in text[start:end] for q in QUOTE_CHARS) or (
                part is not None and any(t.pos_ in ("VERB", "AUX") for t in part)
            ):
                return True
        return False


def model_path() -> Path:
    """Where the shipped model lives (``diplograph/data/models/quote_crf.crfsuite``)."""
    return Path(str(resources.files("diplograph").joinpath("data", "models", MODEL_FILE)))


@lru_cache(maxsize=1)
def load_tagger() -> AttributionTagger | None:
    """The shipped tagger, or ``None`` (logged) when the model or python-crfsuite is missing."""
    path = model_path()
    if not path.is_file():
        log.warning("quote tagger model %s not found; using rule-based attributions", path)
        return None
    try:
        meta_file = path.with_name(META_FILE)
        meta = json.loads(meta_file.read_text("utf-8")) if meta_file.is_file() else {}
        return AttributionTagger(path, meta)
    except ImportError:
        log.warning("python-crfsuite is not installed; using rule-based attributions")
        return None
