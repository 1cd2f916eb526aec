"""Benchmark: what the quote attribution tagger adds to the spaCy parse of the same texts.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_quotes.py [--limit N]

Corpus: the PolNeAR dev texts (``../shared/eval/polnear/dev``, read at run time, never
copied). Single process, one thread: parse time (one ``nlp`` call per article) against the
attribution step on the parsed docs (rules + CRF tagger + repairs), with the setting
``quote_encoder`` ``off`` (the default) and, when the ``[ml]`` extra is installed, ``auto``
(MiniLM token vectors + head + the second CRF); the encoder's own share is timed apart.
Issue 5 sets no budget here, so nothing is asserted but that both paths find
attributions. ``make bench`` writes ``work/bench/quotes.json``; run directly, it prints one
JSON object.
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

from diplograph.evaluate.quotes import read_polnear
from diplograph.extract import build_nlp
from diplograph.extract.attribution_tagger import encoder_available, load_tagger
from diplograph.extract.quotes import rule_attributions
from diplograph.settings import Settings

DEV = ROOT.parent / "shared" / "eval" / "polnear" / "dev"


def measure(limit: int | None = None) -> dict[str, object]:
    import torch

    torch.set_num_threads(1)
    texts = sorted({g.name: g.text for g in read_polnear(DEV)}.items())[:limit]
    nlp = build_nlp(Settings())
    nlp(texts[0][1])  # warm
    started = time.perf_counter()
    docs = [nlp(text) for _, text in texts]
    parse = time.perf_counter() - started
    out: dict[str, object] = {"articles": len(docs), "words": sum(len(t.split()) for _, t in texts),
                              "parse_s": round(parse, 2)}
    modes = ["off", "auto"] if encoder_available() else ["off"]
    for mode in modes:
        tagger = load_tagger(mode)
        assert tagger is not None, "the quote tagger model is not installed"
        tagger.attributions(docs[0], rule_attributions(docs[0]))  # warm (loads MiniLM)
        started = time.perf_counter()
        found = sum(len(tagger.attributions(d, rule_attributions(d))) for d in docs)
        took = time.perf_counter() - started
        out[mode] = {"seconds": round(took, 2), "pct_of_parse": round(100 * took / parse, 1),
                     "attributions": found}
        if tagger.encoder is not None:
            started = time.perf_counter()
            for d in docs:
                tagger.encoder.probs(d)
            out[mode]["encoder_seconds"] = round(time.perf_counter() - started, 2)  # type: ignore[index]
    return out


@pytest.mark.bench
def test_quote_tagger_speed() -> None:
    if not DEV.is_dir():
        pytest.skip("PolNeAR dev not available")
    result = measure()
    out = ROOT / "work" / "bench" / "quotes.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    assert result["off"]["attributions"] > 1000  # type: ignore[index]
    if "auto" in result:
        assert result["auto"]["attributions"] > 1000  # type: ignore[index]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    print(json.dumps(measure(parser.parse_args().limit)))
