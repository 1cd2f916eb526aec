"""Features and labels of the attribution tagger (``attribution_tagger.py``).

Cheap strings per spaCy token, read from the existing parse through cached token arrays
(:class:`TokenArrays`): word, lemma, POS, tag, dependency, head, named-entity IOB and type,
shape, quotation-mark context, sentence and paragraph position, the reporting-verb lexicon
(``data/quote_cues.toml``), the dependency path to the nearest reporting verb and to the
sentence root, a learned lemma -> cue-ratio table (:func:`cue_ratio_table` over
:func:`count_cue_lemmas`), neighbours +-2, and the roles the rule-based extractor gave each
token (:func:`doc_features`). :func:`gold_labels` turns PolNeAR annotations into the BIO
labels the CRF learns (``O B-SRC I-SRC B-CUE I-CUE B-CON I-CON``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .quotes import Attribution, CueLexicon, load_cue_lexicon, quote_spans
from .records import text_of as _doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc

ROLES = {"source": "SRC", "cue": "CUE", "content": "CON"}
LABELS = ("O", "B-SRC", "I-SRC", "B-CUE", "I-CUE", "B-CON", "I-CON")
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_ARRAYS_KEY = "diplograph.quote_arrays"  # doc.user_data key for the cached token arrays
_NEWLINES = re.compile(r"\n+")

Spans = tuple[tuple[int, int], ...]
TokenSpan = tuple[str, int, int]  # (role, first token, end token exclusive)



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
    arr = TokenArrays.of(doc)
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
class TokenArrays:
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
    def of(cls, doc: Doc) -> TokenArrays:
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
    i: int, arr: TokenArrays, verbs: frozenset[str], cue_lemmas: Mapping[str, str]
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
    arr = TokenArrays.of(doc)
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
            if d in SUBJECTS:
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


def encoder_features(probs: Any) -> list[list[str]]:
    """Extra CRF features from the fine-tuned MiniLM tagger's label probabilities (``(n, 7)``, rows in
    :data:`LABELS` order; :mod:`.attribution_encoder`): the token's most likely label,
    alone and after its left neighbour's, the neighbours' most likely labels, and each
    role label of probability >= 0.05 with a bucket (0: < 0.2, 1: < 0.5, 2: < 0.8, 3)."""
    best = [LABELS[k] for k in probs.argmax(1)] if len(probs) else []
    out: list[list[str]] = []
    for i, row in enumerate(probs.tolist()):
        feats = [f"e={best[i]}", f"e={best[i]}|{best[i - 1] if i else 'BOS'}"]
        for label, p in zip(LABELS[1:], row[1:]):
            if p >= 0.05:
                feats.append(f"e{label}={(p >= 0.2) + (p >= 0.5) + (p >= 0.8)}")
        if i:
            feats.append(f"e-1={best[i - 1]}")
        if i + 1 < len(best):
            feats.append(f"e+1={best[i + 1]}")
        out.append(feats)
    return out


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
