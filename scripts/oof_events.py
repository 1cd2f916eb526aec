"""Out-of-fold check of the fast path's learned re-scorer on the PLOVER train split.

Each PLOVER train item is coded by an LR re-scorer trained without it (5 folds by item,
seed 13; the ConfliBERT class train items are in every fold's training, as in
``train_events.py``), and the event-type micro-F1 and actor overlap F1 are scored as
``diplograph eval events`` scores them. Three ways of using the re-scorer are compared:

* ``rules``: the rules alone;
* ``keep-drop``: the shipped use, the model keeps or drops a rule candidate;
* ``retype``: the model may also replace a candidate's rule type by its own best type
  (the behaviour before events@10).

Only the train split is read (the held-out test split never is)::

    .venv/bin/python scripts/oof_events.py
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import train_events as te

from diplograph.evaluate.event_data import (
    read_conflibert_class,
    read_conflibert_ner,
    read_plover,
)
from diplograph.evaluate.events import _score_plover, make_annotator
from diplograph.extract.event_model import (
    NONE,
    EventModel,
    candidate_features,
    hash_features,
)
from diplograph.extract.event_rules import MentionIndex, load_cameo_map
from diplograph.extract.events import code_events, sentence_candidates

FOLDS = 5


def _rows(annotate, item, source: str, classes: list[str]):  # type: ignore[no-untyped-def]
    """(annotation, training rows) of one item, labelled as train_events.build_examples does."""
    cmap = load_cameo_map()
    doc, art, mentions, tx = annotate(item)
    idx = MentionIndex(mentions)
    cands = [c for s in doc.sents for c in sentence_candidates(s, idx)]
    top = [c for c in cands if c.absorbed_by is None]
    rows = []
    if source == "plover":
        gold = te._gold_spans(item)
        first = cmap.canonical_type(str(item.events[0]["type"]))
        for c in top:
            hit = next((g[2] for g in gold if c.start < g[1] and g[0] < c.end), None)
            label = hit or (first if len(top) == 1 and len(item.events) == 1 else NONE)
            rows.append((hash_features(candidate_features(c.token.sent, c, cands)),
                         classes.index(label), 1.0))
    else:
        penta = int(item.penta or 0)
        for c in top:
            info = cmap.info(c.code)
            if penta and info.quad_class != penta:
                continue
            label = NONE if penta == 0 else info.type
            rows.append((hash_features(candidate_features(c.token.sent, c, cands)),
                         classes.index(label), 0.5))
    return (doc, art, mentions, tx), rows


class _Retyping(EventModel):
    """The re-scorer as it was before events@10: a kept candidate takes the model's best type."""

    def decide(self, sent, kept):  # type: ignore[no-untyped-def]
        out = super().decide(sent, kept)
        probs = self.candidate_probs(sent, kept)
        none_i = self.cand_classes.index(NONE)
        res = []
        for (kind, p_event), p in zip(out, probs):
            if kind is not None and p[none_i] < self.none_threshold:
                q = p.copy()
                q[none_i] = -1.0
                kind = self.cand_classes[int(q.argmax())]
            res.append((kind, p_event))
        return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", default=str(ROOT.parent / "shared" / "eval"))
    args = ap.parse_args()
    ev = Path(args.eval_dir)
    plover = read_plover(ev / "plover" / "PLOVER_GSR_CAMEO.json")
    cls = read_conflibert_class(ev / "conflibert" / "cameo_class_train.tsv")
    ner = read_conflibert_ner(ev / "conflibert" / "cameo_ner_train.txt")
    test_texts = [it.text for src in (plover, cls, ner) for it in src if it.split == "test"]
    p_train = te.leakage_filter([it for it in plover if it.split == "train"], test_texts)
    c_train = te.leakage_filter([it for it in cls if it.split == "train"], test_texts)
    annotate, _ = make_annotator()
    classes = [*load_cameo_map().types, NONE]
    items = [_rows(annotate, it, "plover", classes) for it in p_train]
    extra = [r for it in c_train for r in _rows(annotate, it, "conflibert", classes)[1]]
    order = np.random.default_rng(te.SEED).permutation(len(items))
    fold_of = np.empty(len(items), dtype=int)
    for f in range(FOLDS):
        fold_of[order[f::FOLDS]] = f
    models: dict[str, list[EventModel]] = {"keep-drop": [], "retype": []}
    for f in range(FOLDS):
        rows = [r for i, (_, rs) in enumerate(items) if fold_of[i] != f for r in rs] + extra
        _, w, b = te._fit(te._csr([r[0] for r in rows]), [r[1] for r in rows],
                          [r[2] for r in rows], 1.0, len(classes))
        parts = (w, b, tuple(classes), np.zeros((1, 5)), np.zeros(5), 0.6, {})
        models["keep-drop"].append(EventModel(*parts))
        models["retype"].append(_Retyping(*parts))
    out = {"plover_train_items": len(items), "conflibert_train_items": len(c_train), "folds": FOLDS}
    for name in ("rules", "keep-drop", "retype"):
        coded = [code_events(doc, art, ms, tx, encoder="off",
                             model=None if name == "rules" else models[name][fold_of[i]])
                 for i, ((doc, art, ms, tx), _) in enumerate(items)]
        r = _score_plover(p_train, coded)
        out[name] = {"event_type_micro": r["event_type"]["micro"],
                     "source_overlap_f1": r["actors"]["source_overlap"]["f1"],
                     "target_overlap_f1": r["actors"]["target_overlap"]["f1"]}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
