"""Evaluate the event coder against public gold data.

``evaluate_events(gold_path, fmt) -> dict`` with ``fmt`` one of ``plover``,
``conflibert-class``, ``conflibert-ner``, ``petrarch``. Every score is computed on the
held-out ``test`` split of :mod:`diplograph.evaluate.event_data` (deterministic, by text
hash, duplicates always on one side), which ``scripts/train_events.py`` never trains on;
the JSON says ``"split"`` and ``"n"``. PETRARCH records are never trained on, so they are
scored whole (``"split": "all"``).

Actors come from the project's actor pipeline (``resolve.load_gazetteer`` +
``extract.extract``) when it is installed, else from spaCy NER as unresolved mentions
(code scores are then meaningless and the JSON says ``"actor_source": "ner-fallback"``).
PETRARCH's fictional actors get an in-memory user dictionary built from the records.

``python -m diplograph.evaluate.events GOLD --format plover [--encoder auto|off] [--rules-only]``
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..errors import DiplographError
from ..model import Article, Event, Mention, TimeExpr, content_id
from .event_data import GoldItem, read_gold

__all__ = ["evaluate_events", "main"]

log = logging.getLogger(__name__)
Annotator = Callable[[GoldItem], tuple[Any, Article, list[Mention], list[TimeExpr]]]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "fp": fp, "fn": fn}


def _article(item: GoldItem) -> Article:
    return Article(id=content_id(item.text), text=item.text, title=None, outlet=None,
                   author=None, published=item.date, published_source="sidecar",
                   origin=f"gold:{item.id}", url=None, lang="en",
                   word_count=len(item.text.split()))


# ----------------------------------------------------------------------------- actors


class DictMentioner:
    """A tiny in-memory user dictionary: names -> actor codes, with sector agent words."""

    def __init__(self, names: dict[str, str], agents: dict[str, str] | None = None) -> None:
        self.names = names
        self.agents = agents or {}
        alts = sorted(names, key=len, reverse=True)
        self._re = re.compile(r"\b(" + "|".join(map(re.escape, alts)) + r")(?:'s)?\b") if alts else None

    def __call__(self, doc: Any, article: Article) -> list[Mention]:
        from ..model import record_id

        out: list[Mention] = []
        if self._re is None:
            return out
        for m in self._re.finditer(article.text):
            code = self.names[m.group(1)]
            window = article.text[max(0, m.start() - 25):m.end() + 30].lower()
            sector = next((s for w, s in self.agents.items() if re.search(rf"\b{w}\b", window)), "")
            out.append(Mention(
                id=record_id(article.id, m.start(), m.end(), "mention"), article_id=article.id,
                sentence=0, start=m.start(), end=m.end(1), text=m.group(1), actor_id=code,
                code=code + sector, sector=sector or None, org=code, label="DICT", resolved=True,
                method="dictionary", extractor="eval-user-dict"))
        return out


PETRARCH_AGENTS = {
    "government": "GOV", "president": "GOV", "minister": "GOV", "officials?": "GOV",
    "ambassadors?": "GOV", "foreign ministry": "GOV", "police": "COP", "soldiers": "MIL",
    "troops": "MIL", "army": "MIL", "military": "MIL", "cleric": "REL", "parliament": "LEG",
    "legislators?": "LEG", "rebels": "REB", "opposition": "OPP", "students": "EDU",
}


def petrarch_dictionary(items: Sequence[GoldItem]) -> DictMentioner:
    """Build a user dictionary from PETRARCH records: a capitalized word whose first
    three letters spell a record's actor-code prefix names that actor (Arnor -> ARN)."""
    names: dict[str, str] = {}
    for it in items:
        prefixes = {str(e[k])[:3] for e in it.events for k in ("source", "target")}
        for w in set(re.findall(r"\b[A-Z][A-Za-z_]+\b", it.text)):
            p = w[:3].upper()
            if p in prefixes and p.isalpha():
                names.setdefault(w, p)
    return DictMentioner(names, PETRARCH_AGENTS)


def _ner_mentions(doc: Any, article: Article) -> list[Mention]:
    from ..model import record_id, slugify

    return [Mention(
        id=record_id(article.id, e.start_char, e.end_char, "mention"), article_id=article.id,
        sentence=0, start=e.start_char, end=e.end_char, text=e.text,
        actor_id="?" + slugify(e.text), code="?" + slugify(e.text), sector=None, org=None,
        label=e.label_, resolved=False, method="ner-unresolved", extractor="eval-ner")
        for e in doc.ents if e.label_ in ("GPE", "NORP", "ORG", "PERSON", "LOC", "FAC")]


def make_annotator(mentioner: Callable[[Any, Article], list[Mention]] | None = None,
                   extra_actors: Sequence[str] = ()) -> tuple[Annotator, str]:
    """(annotator, actor source name). The annotator parses and finds mentions/timexes."""
    from ..settings import load_settings

    settings = load_settings()
    pipeline = None
    try:
        from .. import extract as _extract
        from .. import resolve as _resolve

        gaz = _resolve.load_gazetteer(tuple(extra_actors))
        nlp = _extract.build_nlp(settings)
        pipeline = (_extract, gaz, nlp)
    except (ImportError, AttributeError, OSError, DiplographError) as exc:
        log.warning("actor pipeline unavailable (%s): using NER fallback mentions", exc)
        import spacy

        nlp = spacy.load(settings.spacy_model)
    source = "user-dictionary" if mentioner else ("gazetteer" if pipeline else "ner-fallback")

    def annotate(item: GoldItem) -> tuple[Any, Article, list[Mention], list[TimeExpr]]:
        art = _article(item)
        doc = nlp(art.text)
        if mentioner is not None:
            return doc, art, mentioner(doc, art), []
        if pipeline is not None:
            ext, gz, _ = pipeline
            ann = next(iter(ext.extract([art], nlp, gz)))
            return doc, art, list(ann.mentions), list(ann.timexes)
        return doc, art, _ner_mentions(doc, art), []

    return annotate, source


# ----------------------------------------------------------------------------- scoring


def _type_table(gold: list[set[str]], pred: list[set[str]], types: Iterable[str]) -> dict[str, Any]:
    per: dict[str, dict[str, float]] = {}
    tp = fp = fn = 0
    for t in types:
        a = sum(1 for g, p in zip(gold, pred) if t in g and t in p)
        b = sum(1 for g, p in zip(gold, pred) if t not in g and t in p)
        c = sum(1 for g, p in zip(gold, pred) if t in g and t not in p)
        tp, fp, fn = tp + a, fp + b, fn + c
        if a + b + c:
            per[t] = {**_prf(a, b, c), "support": a + c}
    macro = sum(v["f1"] for v in per.values() if v["support"]) / max(
        1, sum(1 for v in per.values() if v["support"]))
    return {"micro": _prf(tp, fp, fn), "macro_f1": round(macro, 4), "per_class": per}


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _match(gold: list[Any], pred: list[Any], same: Callable[[Any, Any], bool]) -> int:
    used: set[int] = set()
    tp = 0
    for g in gold:
        for j, p in enumerate(pred):
            if j not in used and same(g, p):
                used.add(j)
                tp += 1
                break
    return tp


def _live(events: Sequence[Event]) -> list[Event]:
    return [e for e in events if not e.negated]


#: How the PLOVER GSR codes organizations: every intergovernmental body (the UN, NATO, the
#: EU, a peacekeeping mission) as ``IGO`` and a non-governmental group as ``NGO``, plus a sector.
_GSR_KINDS = {"igo": "IGO", "mission": "IGO", "group": "NGO"}


def gsr_code(code: str) -> str:
    """A diplograph actor code in the GSR's convention: an organization's own id (``UN``,
    ``NATOGOV``) becomes ``IGO``/``NGO`` with the same sector (``IGO``, ``IGOGOV``); state and
    other codes are unchanged. Like the legacy event names, a notation mapping applied to
    every prediction, so that the code comparison measures the actor and not the notation."""
    from ..extract.canonical import builtin_kind

    for cut in range(len(code), 1, -1):
        kind = builtin_kind(code[:cut])
        if kind is not None:
            base = _GSR_KINDS.get(kind)
            return base + code[cut:] if base else code
    return code


def _score_plover(items: list[GoldItem], coded: list[list[Event]]) -> dict[str, Any]:
    from ..extract.event_rules import load_cameo_map

    cmap = load_cameo_map()
    gold_types = [{cmap.canonical_type(str(e["type"])) for e in it.events} for it in items]
    pred_types = [{e.type for e in _live(ev)} for ev in coded]
    out: dict[str, Any] = {"event_type": _type_table(gold_types, pred_types, cmap.types)}
    counts = {k: [0, 0, 0] for k in ("source_code", "source_country", "source_overlap",
                                     "source_code_native", "target_code", "target_country",
                                     "target_overlap", "target_code_native")}
    for it, ev in zip(items, coded):
        live = sorted(_live(ev), key=lambda e: -e.confidence)
        for g in it.events:
            gt = cmap.canonical_type(str(g["type"]))
            best = next((e for e in live if e.type == gt), live[0] if live else None)
            for role in ("source", "target"):
                ga = list(g[role + "s"])  # type: ignore[call-overload]
                native = list(best.sources if role == "source" else best.targets) if best else []
                codes = [gsr_code(c) for c in native]
                spans = list(best.source_spans if role == "source" else best.target_spans) if best else []
                tests = {
                    "code": (codes, lambda x, c: x.code == c),
                    "code_native": (native, lambda x, c: x.code == c),
                    "country": (codes, lambda x, c: x.code[:3] == c[:3]),
                    "overlap": (spans, lambda x, s: x.start is not None
                                and _overlap((x.start, x.start + len(x.text)), s)),
                }
                for kind, (pred, same) in tests.items():
                    pred = list(pred)  # type: ignore[call-overload]
                    tp = _match(ga, pred, same)
                    c = counts[f"{role}_{kind}"]
                    c[0] += tp
                    c[1] += len(pred) - tp
                    c[2] += len(ga) - tp
    out["actors"] = {k: _prf(*v) for k, v in counts.items()}
    return out


def _score_ner(items: list[GoldItem], coded: list[list[Event]]) -> dict[str, Any]:
    res: dict[str, Any] = {}
    for role in ("source", "target"):
        tp = fp = fn = 0
        for it, ev in zip(items, coded):
            pred = sorted({s for e in _live(ev)
                           for s in (e.source_spans if role == "source" else e.target_spans)})
            gold = it.spans.get(role, [])
            t = _match(gold, pred, _overlap)
            tp, fp, fn = tp + t, fp + len(pred) - t, fn + len(gold) - t
        res[f"{role}_overlap"] = _prf(tp, fp, fn)
    return res


def _score_petrarch(items: list[GoldItem], coded: list[list[Event]]) -> dict[str, Any]:
    from ..extract.event_rules import load_cameo_map

    cmap = load_cameo_map()

    def gold_type(code: str) -> str | None:
        try:
            return cmap.info(code).type if code[:2].isdigit() and int(code[:2]) <= 20 else None
        except KeyError:
            return None

    g_types, p_types = [], []
    tp = fp = fn = 0
    for it, ev in zip(items, coded):
        gold = {(str(e["source"])[:3], str(e["target"])[:3], gold_type(str(e["cameo"])))
                for e in it.events}
        gold = {g for g in gold if g[2] is not None}
        pred = {(s[:3], t[:3], e.type) for e in _live(ev) for s in e.sources for t in e.targets}
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
        g_types.append({g[2] for g in gold})
        p_types.append({e.type for e in _live(ev)})
    return {"event_type": _type_table(g_types, p_types, cmap.types)["micro"],  # type: ignore[dict-item,arg-type]
            "triples": _prf(tp, fp, fn)}


def evaluate_events(
    gold_path: str,
    fmt: str,
    *,
    split: str = "test",
    rules_only: bool = False,
    limit: int | None = None,
    extra_actors: Sequence[str] = (),
    encoder: str = "auto",
) -> dict[str, Any]:
    """Score the event coder on ``gold_path`` (format ``fmt``); see the module docstring.

    ``encoder`` is the ``event_encoder`` setting: ``"auto"`` uses the fine-tuned MiniLM
    when the ``[ml]`` extra is installed, ``"off"`` the fast LR path. ``rules_only``
    turns both learned parts off."""
    from ..extract.event_model import load_event_model
    from ..extract.event_rules import MentionIndex
    from ..extract.events import (
        ENCODER_TAG,
        EXTRACTOR,
        code_events,
        pentaclass,
        resolve_encoder,
        sentence_candidates,
    )

    items = read_gold(gold_path, fmt)
    if fmt == "petrarch":
        split = "all"
    if split != "all":
        items = [it for it in items if it.split == split]
    items = items[:limit] if limit else items
    mentioner = petrarch_dictionary(items) if fmt == "petrarch" else None
    annotate, actor_source = make_annotator(mentioner, extra_actors)
    enc = None if rules_only else resolve_encoder(encoder)
    model = None if rules_only or enc is not None else load_event_model()
    coded: list[list[Event]] = []
    penta_rules: list[int] = []
    penta_model: list[int] = []
    for it in items:
        doc, art, mentions, timexes = annotate(it)
        events = code_events(doc, art, mentions, timexes, model=model, encoder=enc)
        coded.append(events)
        penta_rules.append(pentaclass(events))
        if enc is not None and fmt == "conflibert-class":
            penta_model.append(int(enc.predict([it.text])[1][0].argmax()))
        elif model is not None and fmt == "conflibert-class":
            idx = MentionIndex(mentions)
            cands = [c for s in doc.sents for c in sentence_candidates(s, idx)]
            penta_model.append(model.pentaclass(doc[:], cands)[0])
    result: dict[str, Any] = {
        "format": fmt, "gold": str(gold_path), "split": split, "n": len(items),
        "actor_source": actor_source,
        "model": "rules+encoder" if enc is not None else "rules" if model is None else "rules+lr",
        "extractor": EXTRACTOR + (ENCODER_TAG if enc is not None else ""),
    }
    if fmt == "plover":
        result.update(_score_plover(items, coded))
    elif fmt == "conflibert-ner":
        result.update(_score_ner(items, coded))
    elif fmt == "petrarch":
        result.update(_score_petrarch(items, coded))
    elif fmt == "conflibert-class":
        gold = [int(it.penta or 0) for it in items]
        acc = sum(g == p for g, p in zip(gold, penta_rules)) / max(1, len(gold))
        result["pentaclass_accuracy_rules"] = round(acc, 4)
        final = penta_model or penta_rules
        result["pentaclass_accuracy"] = round(
            sum(g == p for g, p in zip(gold, final)) / max(1, len(gold)), 4)
        result["confusion"] = {f"{g}->{p}": n for (g, p), n in
                               sorted(Counter(zip(gold, final)).items())}
    return result


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m diplograph.evaluate.events")
    ap.add_argument("gold")
    ap.add_argument("--format", required=True,
                    choices=["plover", "conflibert-class", "conflibert-ner", "petrarch"])
    ap.add_argument("--split", default="test", choices=["test", "train", "all"])
    ap.add_argument("--rules-only", action="store_true")
    ap.add_argument("--encoder", default="auto", choices=["auto", "off"],
                    help="the event_encoder setting: fine-tuned MiniLM (auto) or LR (off)")
    ap.add_argument("--limit", type=int)
    args = ap.parse_args(list(argv) if argv is not None else None)
    res = evaluate_events(args.gold, args.format, split=args.split,
                          rules_only=args.rules_only, limit=args.limit, encoder=args.encoder)
    sys.stdout.write(json.dumps(res, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
