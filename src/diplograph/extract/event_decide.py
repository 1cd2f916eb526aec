"""How the event coder turns rule candidates plus the encoder's sentence reading into events.

The fine-tuned encoder (``event_encoder.py``) reads a whole sentence and gives a
distribution over the 16 PLOVER types and ``NONE``. The rules (``event_rules.py``) give
triggers with their arguments, modality and offsets. :func:`decide_with_encoder` joins
them, per sentence:

1. ``p(NONE) >= thresholds["none"]``: the sentence codes nothing;
2. the *primary* candidate (the one whose rule type the encoder ranks highest, then the
   most confident rule) takes the encoder's top type when that type's probability reaches
   ``thresholds["type"]``; other candidates stay only when the encoder gives their own
   type at least ``thresholds["keep"]``;
3. a sentence with no usable rule candidate but a confident encoder type
   (``>= thresholds["new_event"]``) and an actor in it gets one event on its main verb,
   with arguments from the same dependency rules (questions still code nothing).

The thresholds ship in the encoder's metadata; they were chosen on out-of-fold
predictions over the training split (``scripts/train_events_encoder.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from spacy.tokens import Span, Token

from .event_args import arguments
from .event_modality import modality_of
from .event_rules import Candidate, MentionIndex, is_question, load_cameo_map, load_lexicon

if TYPE_CHECKING:
    from .event_encoder import SentenceEncoder

DEFAULT_THRESHOLDS: dict[str, float] = {"none": 0.9, "type": 1.01, "keep": 0.5, "new_event": 0.5}


def rule_confidence(c: Candidate) -> float:
    """The rules' own confidence in a candidate (kind of trigger, arguments found)."""
    base = {"phrase": 0.7, "verb": 0.6, "noun": 0.5}[c.kind]
    if c.sources and c.targets:
        base += 0.1
    if c.fallback_target:
        base -= 0.15
    return max(0.05, min(base, 0.95))


def _main_verb(sent: Span) -> Token:
    """The sentence root when it is a verb, else its first verb (a headline's "X to visit Y")."""
    root = sent.root
    if root.pos_ in ("VERB", "AUX"):
        return root
    verbs = [t for t in sent if t.pos_ == "VERB"]
    return verbs[0] if verbs else root


def new_candidate(sent: Span, code: str, idx: MentionIndex) -> Candidate | None:
    """An event on the sentence's main verb for a type the rules did not find, with
    arguments from the dependency rules; ``None`` when it names no actor or is a question."""
    tok = _main_verb(sent)
    if is_question(sent, tok):
        return None
    c = Candidate(tok, code, "verb", tok.idx, tok.idx + len(tok.text))
    lex = load_lexicon()
    modality_of(c, sent, lex, idx)
    arguments(c, idx, lex)
    if not (c.sources or c.targets):
        return None
    return c


def decide_with_encoder(
    sent: Span,
    kept: Sequence[Candidate],
    q: np.ndarray,
    enc: SentenceEncoder,
    idx: MentionIndex,
    thresholds: Mapping[str, float] | None = None,
) -> list[tuple[Candidate, str, float]]:
    """(candidate, CAMEO code, confidence) for the events of one sentence; see the module
    docstring. ``q`` is the encoder's type distribution (``enc.labels`` order)."""
    th = {**DEFAULT_THRESHOLDS, **enc.thresholds, **(thresholds or {})}
    cmap = load_cameo_map()
    labels = list(enc.labels)
    none_i = labels.index("NONE")
    if q[none_i] >= th["none"]:
        return []
    order = [i for i in np.argsort(-q) if i != none_i]
    top_i = int(order[0])
    top_t, q_top = labels[top_i], float(q[top_i])

    def q_of(c: Candidate) -> float:
        t = cmap.info(c.code).type
        return float(q[labels.index(t)]) if t in labels else 0.0

    out: list[tuple[Candidate, str, float]] = []
    if kept:
        # ties go to the earliest candidate (max keeps the first of equal keys)
        primary = max(kept, key=lambda c: (q_of(c), rule_confidence(c)))
        for c in kept:
            if c is primary:
                code = c.code
                if cmap.info(code).type != top_t and q_top >= th["type"]:
                    code = cmap.for_type(top_t).code
                out.append((c, code, _conf(max(q_of(c), q_top) if code != c.code else q_of(c))))
            elif q_of(c) >= th["keep"]:
                out.append((c, c.code, _conf(q_of(c))))
        return out
    if q_top >= th["new_event"]:
        fresh = new_candidate(sent, cmap.for_type(top_t).code, idx)
        if fresh is not None:
            out.append((fresh, fresh.code, _conf(q_top)))
    return out


def _conf(p: float) -> float:
    return max(0.05, min(float(p), 0.99))
