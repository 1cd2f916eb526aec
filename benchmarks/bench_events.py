"""Benchmark: how much event coding adds to the spaCy parse of the same corpus.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_events.py [--repeat 3] [--no-model] [--encoder auto|off|both]

Corpus: the seed articles (``../shared/corpus/seeds``) plus the PLOVER and ConfliBERT
sentences of ``../shared/eval`` (read at run time, never copied). Timing is single-process
on one core: parse time (``nlp.pipe``) versus ``code_events`` time, with the actor mentions
computed beforehand (they belong to the actor stage, not to event coding). The issue's
budget is event coding <= 30% of parse time. Two paths are timed: ``off`` (rules + LR, the
fast path) and ``auto`` (rules + the fine-tuned MiniLM on gated sentences, when the
``[ml]`` extra is installed). ``make bench`` runs it as a pytest benchmark (result in
``work/bench/events.json``; the budget is asserted on the fast path); run directly, it
prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from diplograph.evaluate.event_data import GoldItem, read_conflibert_class, read_plover
from diplograph.evaluate.events import make_annotator
from diplograph.extract.event_model import load_event_model
from diplograph.extract.event_rules import MentionIndex
from diplograph.extract.events import code_events, gate, resolve_encoder, sentence_candidates


def corpus(shared: Path, which: str = "all") -> list[GoldItem]:
    """The seed articles, plus (``which="all"``) the PLOVER and ConfliBERT sentences."""
    items = [GoldItem(p.name, p.read_text("utf-8")) for p in sorted((shared / "corpus" / "seeds").glob("*.txt"))]
    ev = shared / "eval"
    if which == "all" and (ev / "plover").exists():
        items += read_plover(ev / "plover" / "PLOVER_GSR_CAMEO.json")
        items += read_conflibert_class(ev / "conflibert" / "cameo_class_train.tsv")
    return items


def run_bench(shared: Path = ROOT.parent / "shared", repeat: int = 3,
              use_model: bool = True, encoders: tuple[str, ...] = ("off", "auto"),
              which: str = "all") -> dict[str, object]:
    """Time parse and event coding over the corpus; the best of ``repeat`` runs per path."""
    items = corpus(shared, which)
    annotate, actor_source = make_annotator()
    import spacy  # benchmarks may import spaCy directly

    from diplograph.settings import load_settings

    nlp = spacy.load(load_settings().spacy_model)
    texts = [it.text for it in items]
    words = sum(len(t.split()) for t in texts)
    prepared = [annotate(it) for it in items]  # mentions/timexes, outside the timing
    model = load_event_model() if use_model else None
    parse_s: list[float] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=32))
        parse_s.append(time.perf_counter() - t0)
    p = min(parse_s)
    n_sents = sum(1 for d in docs for _ in d.sents)
    n_gated = 0
    for doc, (_d, _art, mentions, _tx) in zip(docs, prepared):
        idx = MentionIndex(mentions)
        n_gated += sum(gate(s, sentence_candidates(s, idx), idx) for s in doc.sents)
    out: dict[str, object] = {
        "corpus": which, "docs": len(texts), "words": words, "sentences": n_sents,
        "encoder_gated_sentences": n_gated, "actors": actor_source,
        "parse_s": round(p, 3), "parse_words_per_s": round(words / p), "budget_pct": 30,
        "threads": os.environ.get("OMP_NUM_THREADS"),
    }
    for mode in encoders:
        enc = resolve_encoder(mode)
        if mode != "off" and enc is None:
            out[mode] = "encoder not installed (needs the [ml] extra)"
            continue
        if enc is not None:
            enc.predict(["warm up the encoder."])
        code_s, n_events = [], 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            n_events = 0
            for doc, (_d, art, mentions, timexes) in zip(docs, prepared):
                n_events += len(code_events(doc, art, mentions, timexes, model=model, encoder=enc))
            code_s.append(time.perf_counter() - t0)
        c = min(code_s)
        out[mode] = {
            "model": "rules+encoder" if enc is not None else "rules" if model is None else "rules+lr",
            "events": n_events, "events_s": round(c, 3), "events_words_per_s": round(words / c),
            "overhead_pct_of_parse": round(100 * c / p, 1),
        }
    return out


@pytest.mark.bench
def test_bench_events(save_result) -> None:  # type: ignore[no-untyped-def]
    if not (ROOT.parent / "shared" / "eval").exists():
        pytest.skip("../shared/eval absent")
    result = run_bench()
    save_result("events", result)
    assert result["off"]["overhead_pct_of_parse"] <= 30  # type: ignore[index]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-model", action="store_true", help="rules only on the fast path")
    ap.add_argument("--encoder", default="both", choices=["both", "off", "auto"])
    ap.add_argument("--corpus", default="all", choices=["all", "seeds"],
                    help="seeds: only the multi-sentence seed articles")
    args = ap.parse_args()
    modes = ("off", "auto") if args.encoder == "both" else (args.encoder,)
    res = run_bench(args.shared, args.repeat, not args.no_model, modes, args.corpus)
    sys.stdout.write(json.dumps(res, indent=1) + "\n")


if __name__ == "__main__":
    main()
