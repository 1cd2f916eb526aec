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

from diplograph.evaluate.events import _score_plover, make_annotator
from diplograph.extract.event_model import NONE, EventModel
from diplograph.extract.event_rules import load_cameo_map
from diplograph.extract.events import code_events

FOLDS = 5


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
    p_train, c_train, _files = te.train_items(args.eval_dir)
    annotate, _ = make_annotator()
    classes = [*load_cameo_map().types, NONE]
    items = [te.item_rows(annotate, it, "plover", classes)[:2] for it in p_train]
    extra = [r for it in c_train for r in te.item_rows(annotate, it, "conflibert-class", classes)[1]]
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
