"""Train the learned part of the event coder (``extract/event_model.py``).

Usage (from the repository root; needs the ``[ml]`` extra for scikit-learn)::

    .venv/bin/python scripts/train_events.py [--eval-dir ../shared/eval] [--out PATH]
        [--no-encoder]

After the LR model, when torch is installed and ``--no-encoder`` is not given, it also
runs ``scripts/train_events_encoder.py`` (prepare + train the shipped configuration,
about an hour on 2 CPU cores, minutes on a GPU), so ``make train`` rebuilds both.

Reads only public data under ``../shared/eval`` and only its ``train`` split
(``evaluate/event_data.split_of``: by hash of the normalized text, so copies of a text are
never on both sides). As an extra guard against near-duplicates, a training sentence that
shares three or more six-word shingles with any held-out sentence of any file is dropped.

Writes ``src/diplograph/data/models/events_lr.npz`` (float16 weights, ~1-2 MB) and
``events_lr.json`` (classes, threshold, seed, sha256 of every input file, counts, CV
scores). Deterministic: fixed seed, sorted inputs, single-threaded liblinear-free solver.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from diplograph.evaluate.event_data import (
    GoldItem,
    file_sha256,
    read_conflibert_class,
    read_conflibert_ner,
    read_plover,
    text_key,
)
from diplograph.evaluate.events import make_annotator
from diplograph.extract.event_model import (
    N_FEATURES,
    NONE,
    EventModel,
    candidate_features,
    default_model_path,
    hash_features,
    save_event_model,
    sentence_features,
)
from diplograph.extract.event_rules import MentionIndex, load_cameo_map
from diplograph.extract.events import sentence_candidates

SEED = 13
log = logging.getLogger("train_events")


def _shingles(text: str) -> set[str]:
    w = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(w[i:i + 6]) for i in range(max(0, len(w) - 5))}


def leakage_filter(train: list[GoldItem], test_texts: list[str]) -> list[GoldItem]:
    """Drop training items that repeat, or nearly repeat, a held-out text."""
    test_keys = {text_key(t) for t in test_texts}
    test_sh: dict[str, int] = {}
    for t in test_texts:
        for s in _shingles(t):
            test_sh[s] = test_sh.get(s, 0) + 1
    out = []
    for it in train:
        if text_key(it.text) in test_keys:
            continue
        if sum(1 for s in _shingles(it.text) if s in test_sh) >= 3:
            continue
        out.append(it)
    return out


def _gold_spans(it: GoldItem) -> list[tuple[int, int, str]]:
    cmap = load_cameo_map()
    spans = []
    for e in it.events:
        t = cmap.canonical_type(str(e["type"]))
        for trig in e["triggers"]:  # type: ignore[union-attr]
            for w in str(trig).split():
                pos = it.text.find(w)
                if pos >= 0:
                    spans.append((pos, pos + len(w), t))
    return spans


def item_rows(annotate, it: GoldItem, source: str, classes: list[str]):  # type: ignore[no-untyped-def]
    """One training item's candidate rows ``(hashed features, class index, weight)``, with
    its annotation, its rule candidates and its PentaClass. A PLOVER candidate is labelled
    with the gold event whose trigger it overlaps (else the sentence's only event when it is
    the only candidate, else NONE; weight 1); a ConfliBERT class candidate with its own
    type when that type's QuadClass is the sentence's PentaClass, NONE in a neutral sentence,
    and is left out otherwise (weight 0.5)."""
    cmap = load_cameo_map()
    doc, art, mentions, tx = annotate(it)
    idx = MentionIndex(mentions)
    cands = [c for s in doc.sents for c in sentence_candidates(s, idx)]
    top = [c for c in cands if c.absorbed_by is None]
    rows = []
    if source == "plover":
        gold = _gold_spans(it)
        first = cmap.canonical_type(str(it.events[0]["type"]))
        penta = cmap.for_type(first).quad_class
        for c in top:
            hit = next((g[2] for g in gold if c.start < g[1] and g[0] < c.end), None)
            label = hit or (first if len(top) == 1 and len(it.events) == 1 else NONE)
            rows.append((hash_features(candidate_features(c.token.sent, c, cands)),
                         classes.index(label), 1.0))
    else:
        penta = int(it.penta or 0)
        for c in top:
            info = cmap.info(c.code)
            if penta and info.quad_class != penta:
                continue
            label = NONE if penta == 0 else info.type
            rows.append((hash_features(candidate_features(c.token.sent, c, cands)),
                         classes.index(label), 0.5))
    return (doc, art, mentions, tx), rows, cands, penta


def train_items(eval_dir: str | Path) -> tuple[list[GoldItem], list[GoldItem], dict[str, Path]]:
    """The PLOVER and ConfliBERT class train items after the leakage filter, and the files."""
    ev = Path(eval_dir)
    files = {
        "plover": ev / "plover" / "PLOVER_GSR_CAMEO.json",
        "conflibert-class": ev / "conflibert" / "cameo_class_train.tsv",
        "conflibert-ner": ev / "conflibert" / "cameo_ner_train.txt",
    }
    plover, cls, ner = (read_plover(files["plover"]), read_conflibert_class(files["conflibert-class"]),
                        read_conflibert_ner(files["conflibert-ner"]))
    test_texts = [it.text for src in (plover, cls, ner) for it in src if it.split == "test"]
    p_train = leakage_filter([it for it in plover if it.split == "train"], test_texts)
    c_train = leakage_filter([it for it in cls if it.split == "train"], test_texts)
    return p_train, c_train, files


def build_examples(args: argparse.Namespace) -> dict[str, object]:
    p_train, c_train, files = train_items(args.eval_dir)
    if args.limit:
        p_train, c_train = p_train[: args.limit], c_train[: args.limit]
    annotate, actor_source = make_annotator()
    cmap = load_cameo_map()
    classes = [*cmap.types, NONE]
    cx: list[np.ndarray] = []
    cy: list[int] = []
    cw: list[float] = []
    sx: list[np.ndarray] = []
    sy: list[int] = []
    for source, items in (("plover", p_train), ("conflibert-class", c_train)):
        for it in items:
            (doc, _art, _mentions, _tx), rows, cands, penta = item_rows(annotate, it, source, classes)
            for x, y, w in rows:
                cx.append(x)
                cy.append(y)
                cw.append(w)
            sx.append(hash_features(sentence_features(doc[:], cands)))
            sy.append(penta)
    return {"cand": (cx, cy, cw), "sent": (sx, sy), "classes": classes, "files": files,
            "counts": {"plover_train": len(p_train), "conflibert_class_train": len(c_train),
                       "candidates": len(cy), "sentences": len(sy)},
            "actors": actor_source}


def _csr(rows: list[np.ndarray]):  # type: ignore[no-untyped-def]
    from scipy.sparse import csr_matrix

    indptr = np.cumsum([0] + [len(r) for r in rows])
    data = np.ones(int(indptr[-1]), dtype=np.float32)
    indices = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    return csr_matrix((data, indices, indptr), shape=(len(rows), N_FEATURES))


def _compact(x):  # type: ignore[no-untyped-def]
    """Keep only the hashed columns that occur (much faster lbfgs)."""
    used = np.unique(x.indices)
    return x[:, used], used


def _fit(x, y, w, c: float, n_classes: int):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    xs, used = _compact(x)
    clf = LogisticRegression(C=c, max_iter=1000, random_state=SEED)
    clf.fit(xs, y, sample_weight=w)
    full_w = np.zeros((N_FEATURES, n_classes), dtype=np.float32)
    full_b = np.full(n_classes, -30.0, dtype=np.float32)  # classes never seen stay off
    for j, k in enumerate(clf.classes_):
        coef = clf.coef_[j] if len(clf.classes_) > 2 else (clf.coef_[0] if j else -clf.coef_[0])
        full_w[used, k] = coef
        full_b[k] = clf.intercept_[j] if len(clf.classes_) > 2 else 0.0
    return clf, full_w, full_b


def _cv(x, y, w, c: float, folds: int = 5) -> float:  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    x, _ = _compact(x)
    rng = np.random.default_rng(SEED)
    order = rng.permutation(len(y))
    y = np.asarray(y)
    accs = []
    for f in range(folds):
        te = order[f::folds]
        tr = np.setdiff1d(order, te)
        clf = LogisticRegression(C=c, max_iter=1000, random_state=SEED)
        clf.fit(x[tr], y[tr], sample_weight=np.asarray(w)[tr])
        accs.append(float((clf.predict(x[te]) == y[te]).mean()))
    return float(np.mean(accs))


def main() -> None:
    ap = argparse.ArgumentParser(description="train the event coder's learned re-scorer")
    ap.add_argument("--eval-dir", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--out", type=Path, default=default_model_path())
    ap.add_argument("--limit", type=int, help="use only N items per source (smoke test)")
    ap.add_argument("--no-encoder", action="store_true",
                    help="skip the fine-tuned MiniLM encoder (train_events_encoder.py)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    t0 = time.time()
    data = build_examples(args)
    cx, cy, cw = data["cand"]  # type: ignore[misc]
    sx, sy = data["sent"]  # type: ignore[misc]
    classes = data["classes"]  # type: ignore[assignment]
    xc, xs = _csr(cx), _csr(sx)
    grid, grid_s = (0.3, 1.0, 3.0), (1.0, 3.0, 10.0, 30.0)
    cv_c = {c: _cv(xc, cy, cw, c) for c in grid}
    cv_s = {c: _cv(xs, sy, [1.0] * len(sy), c) for c in grid_s}
    best_c = max(grid, key=lambda c: cv_c[c])
    best_s = max(grid_s, key=lambda c: cv_s[c])
    _, cand_w, cand_b = _fit(xc, cy, cw, best_c, len(classes))
    _, sent_w, sent_b = _fit(xs, sy, None, best_s, 5)
    files: dict[str, Path] = data["files"]  # type: ignore[assignment]
    meta = {
        "extractor": "diplograph.events@1", "seed": SEED, "trained_on_split": "train",
        "data_sha256": {k: file_sha256(p) for k, p in files.items()},
        "counts": data["counts"], "actors": data["actors"],
        "cv_accuracy": {"candidate": {str(k): round(v, 4) for k, v in cv_c.items()},
                        "sentence": {str(k): round(v, 4) for k, v in cv_s.items()}},
        "C": {"candidate": best_c, "sentence": best_s},
        "seconds": round(time.time() - t0, 1),
    }
    model = EventModel(cand_w, cand_b, tuple(classes), sent_w, sent_b, 0.6, meta)
    save_event_model(args.out, model)
    log.info("wrote %s: %s", args.out, json.dumps(meta["counts"]))
    log.info("cv: %s", json.dumps(meta["cv_accuracy"]))
    if args.no_encoder or args.limit:
        return
    try:
        import torch  # noqa: F401
    except ImportError:
        log.info("torch not installed: the MiniLM event encoder is not retrained")
        return
    import subprocess

    log.info("training the MiniLM event encoder (scripts/train_events_encoder.py)")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "train_events_encoder.py"),
                    "--eval-dir", args.eval_dir], check=True)


if __name__ == "__main__":
    main()
