"""Evaluate the temporal normalizer against TimeML (``.tml``) gold files.

``evaluate_dates(gold_dir)`` reads every ``.tml`` file, takes the TIMEX3 with
``functionInDocument="CREATION_TIME"`` as the document creation time (the anchor
for relative expressions) and leaves it out of scoring, runs the extractor over
the text of ``<TEXT>``, and scores:

* span precision / recall / F1, strict (same offsets) and relaxed (overlap, one to one);
* type accuracy and value accuracy on relaxed matches (overall and for DATE), and
  TempEval-3 style value F1 (correct values over predicted / over gold);
* a breakdown by expression kind, assigned by a rule on the gold text (see :func:`kind_of`).

Splits: files sorted by name; index ``% 5 == 0`` is the held-out ``test`` split,
the rest is ``dev``. ``python -m diplograph.evaluate.dates DIR [--split dev|test|all]``.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = ["GoldTimex", "TimeMLDoc", "evaluate_dates", "kind_of", "read_timeml", "split_files"]

_TAG = re.compile(r"<(/?)(\w+)([^>]*?)(/?)>", re.DOTALL)
_ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
_YEARISH = re.compile(
    r"\b(?:1[0-9]|20)\d\d\b|'\d\d\b|\bnineteen\b|\btwo\s+thousand\b", re.IGNORECASE
)
_DEICTIC = re.compile(
    r"\b(?:today|tonight|yesterday|tomorrow|now|current(?:ly)?|this|last|next|ago|past|"
    r"coming|recent(?:ly)?|these)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class TimeMLDoc:
    name: str
    text: str
    dct: str | None
    timexes: tuple[GoldTimex, ...]


def _dct_value(raw: str) -> str | None:
    for m in re.finditer(r"<TIMEX3\b([^>]*)>", raw):
        attrs = dict(_ATTR.findall(m.group(1)))
        if attrs.get("functionInDocument") == "CREATION_TIME":
            return attrs.get("value")
    return None


def read_timeml(path: str | Path) -> TimeMLDoc:
    """Read one TimeML file: plain text of ``<TEXT>``, its DCT and its TIMEX3 spans."""
    p = Path(path)
    raw = p.read_text("utf-8")
    m = re.search(r"<TEXT>(.*)</TEXT>", raw, re.DOTALL)
    if m is None:
        raise InputError(f"{p}: no <TEXT> element", code="E110")
    body = m.group(1)
    parts: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    timexes: list[GoldTimex] = []
    pos = 0
    for tag in _TAG.finditer(body):
        chunk = html.unescape(body[pos : tag.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = tag.end()
        closing, name = tag.group(1) == "/", tag.group(2)
        if name != "TIMEX3" or tag.group(4):
            continue
        if not closing:
            open_timex.append((length, dict(_ATTR.findall(tag.group(3)))))
        elif open_timex:
            start, attrs = open_timex.pop()
            if attrs.get("functionInDocument") != "CREATION_TIME":
                text = "".join(parts)[start:length]
                timexes.append(
                    GoldTimex(start, length, text, attrs.get("type", ""), attrs.get("value", ""))
                )
    parts.append(html.unescape(body[pos:]))
    return TimeMLDoc(p.name, "".join(parts), _dct_value(raw), tuple(timexes))


def split_files(gold_dir: str | Path, split: str = "all") -> list[Path]:
    """The ``.tml`` files of ``gold_dir`` in a split: dev (sorted index % 5 != 0), test, all."""
    files = sorted(Path(gold_dir).glob("*.tml"))
    if not files:
        raise InputError(f"no .tml files in {gold_dir}", code="E111")
    if split == "all":
        return files
    if split not in ("dev", "test"):
        raise ValueError(f"split must be dev, test or all, not {split!r}")
    return [f for i, f in enumerate(files) if (i % 5 == 0) == (split == "test")]


def kind_of(gold: GoldTimex) -> str:
    """Expression kind by a rule on the gold annotation.

    set / duration (by type), reference (``*_REF`` values), absolute (the text names a
    year), deictic (relative to the moment of writing: today, last week, two years
    ago, this quarter), relative (everything else: underspecified or anaphoric,
    e.g. "Friday", "Oct. 19", "the quarter", "a year earlier").
    """
    if gold.type == "SET":
        return "set"
    if gold.type == "DURATION":
        return "duration"
    if gold.value.endswith("_REF"):
        return "reference"
    if _YEARISH.search(gold.text):
        return "absolute"
    if _DEICTIC.search(gold.text):
        return "deictic"
    return "relative"


def _prf(tp_p: int, tp_g: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _match(gold: Sequence[GoldTimex], pred: Sequence[Any]) -> list[tuple[GoldTimex, Any]]:
    """One-to-one relaxed (overlap) matching, preferring exact, then largest overlap."""
    pairs = []
    for g in gold:
        for p in pred:
            ov = min(g.end, p.end) - max(g.start, p.start)
            if ov > 0:
                pairs.append((-(g.start == p.start and g.end == p.end), -ov, id(g), g, p))
    pairs.sort(key=lambda x: (x[0], x[1], x[3].start))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, _, _, g, p in pairs:
        if id(g) in used_g or id(p) in used_p:
            continue
        used_g.add(id(g))
        used_p.add(id(p))
        out.append((g, p))
    return out


def evaluate_dates(
    gold_dir: str | Path,
    *,
    split: str = "all",
    nlp: Any | None = None,
    errors: bool = False,
) -> dict[str, Any]:
    """Score :func:`diplograph.extract.dates.find_timexes` on the TimeML files of a folder.

    Returns a JSON-able dict of counts and scores (see the module docstring). With
    ``errors=True`` it also lists every missed, spurious and wrongly valued expression.
    """
    from ..extract.dates import find_timexes_in_texts

    docs = [read_timeml(f) for f in split_files(gold_dir, split)]
    preds = find_timexes_in_texts(((d.text, d.dct) for d in docs), nlp=nlp)
    c: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = {}
    problems: list[dict[str, Any]] = []
    for doc, pred in zip(docs, preds, strict=True):
        c["gold"] += len(doc.timexes)
        c["predicted"] += len(pred)
        exact = {(g.start, g.end) for g in doc.timexes}
        c["strict_tp"] += sum((p.start, p.end) in exact for p in pred)
        pairs = _match(doc.timexes, pred)
        c["relaxed_tp"] += len(pairs)
        matched = {id(g): p for g, p in pairs}
        for g in doc.timexes:
            k = kinds.setdefault(kind_of(g), Counter())
            k["gold"] += 1
            p = matched.get(id(g))
            if p is None:
                if errors:
                    problems.append({"doc": doc.name, "miss": g.text, "gold": g.value})
                continue
            k["matched"] += 1
            type_ok, value_ok = p.type == g.type, p.value == g.value
            c["type_ok"] += type_ok
            c["value_ok"] += value_ok
            k["value_ok"] += value_ok
            if g.type == "DATE":
                c["date_matched"] += 1
                c["date_value_ok"] += value_ok
            if errors and (p.start, p.end) != (g.start, g.end):
                problems.append({"doc": doc.name, "span_gold": g.text, "span_pred": p.text})
            if errors and not value_ok:
                problems.append(
                    {
                        "doc": doc.name,
                        "text": g.text,
                        "pred_text": p.text,
                        "gold": f"{g.type} {g.value}",
                        "pred": f"{p.type} {p.value}",
                        "dct": doc.dct,
                    }
                )
        if errors:
            hit = {id(p) for p in matched.values()}
            problems += [
                {"doc": doc.name, "spurious": p.text, "pred": p.value}
                for p in pred
                if id(p) not in hit
            ]
    result: dict[str, Any] = {
        "split": split,
        "documents": len(docs),
        "counts": {k: c[k] for k in ("gold", "predicted", "strict_tp", "relaxed_tp")},
        "span_strict": _prf(c["strict_tp"], c["strict_tp"], c["predicted"], c["gold"]),
        "span_relaxed": _prf(c["relaxed_tp"], c["relaxed_tp"], c["predicted"], c["gold"]),
        "type_accuracy": _ratio(c["type_ok"], c["relaxed_tp"]),
        "value_accuracy": _ratio(c["value_ok"], c["relaxed_tp"]),
        "value_accuracy_date": _ratio(c["date_value_ok"], c["date_matched"]),
        "value_f1": _prf(c["value_ok"], c["value_ok"], c["predicted"], c["gold"])["f1"],
        "by_kind": {
            name: {
                "gold": k["gold"],
                "recall_relaxed": _ratio(k["matched"], k["gold"]),
                "value_accuracy": _ratio(k["value_ok"], k["matched"]),
            }
            for name, k in sorted(kinds.items())
        },
    }
    if errors:
        result["errors"] = problems
    return result


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m diplograph.evaluate.dates DIR [--split dev|test|all] [--errors]``."""
    ap = argparse.ArgumentParser(prog="python -m diplograph.evaluate.dates")
    ap.add_argument("gold_dir")
    ap.add_argument("--split", default="all", choices=["all", "dev", "test"])
    ap.add_argument("--errors", action="store_true", help="list every error (dev split only)")
    args = ap.parse_args(list(argv) if argv is not None else None)
    result = evaluate_dates(args.gold_dir, split=args.split, errors=args.errors)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
