"""PLOVER event coding: spaCy parse + project lexicon + a small learned re-scorer.

Public API::

    code_events(doc, article, mentions, timexes=(), model="default") -> list[Event]
    load_event_model(path=None) -> EventModel | None      (cached per process)

Each event carries a PLOVER type, mode and context, the CAMEO code of its trigger with
the root's QuadClass and Goldstein score, source and target actor codes (from the actor
``Mention`` records), negation, modality (asserted | hypothetical | future | conditional |
reported) with the speaker of reported speech, a date (the governing TIMEX, else the
publication date marked approximate) and a country-level location.

Questions, including headline questions ("Will X Invade Y"), code nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span

from ..model import Article, Event, Mention, TimeExpr, record_id
from .event_model import EventModel, load_event_model
from .event_rules import (
    CameoMap,
    Candidate,
    MentionIndex,
    apply_intent,
    apply_irrealis,
    arguments,
    context_of,
    find_triggers,
    is_question,
    load_cameo_map,
    load_lexicon,
    mark_absorbed,
    modality_of,
)

__all__ = [
    "EXTRACTOR",
    "annotate_events",
    "code_events",
    "load_event_model",
    "pentaclass",
    "sentence_candidates",
]

log = logging.getLogger(__name__)
EXTRACTOR = "diplograph.events@1"
_FULL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def sentence_candidates(sent: Span, idx: MentionIndex) -> list[Candidate]:
    """Rule candidates of one sentence (questions removed, absorption and args applied)."""
    lex, cmap = load_lexicon(), load_cameo_map()
    cands = [c for c in find_triggers(sent, lex) if not is_question(sent, c.token)]
    if not cands:
        return []
    mark_absorbed(cands, lex)
    for c in cands:
        apply_intent(c, lex, cmap)
        modality_of(c, sent, lex, idx)
    # absorbed (inner) triggers first, so frames can inherit their targets
    for c in sorted(cands, key=lambda c: c.absorbed_by is None):
        arguments(c, idx, lex)
        apply_irrealis(c, cmap)
    return cands


def _date_for(
    c: Candidate, sent: Span, timexes: Sequence[TimeExpr], article: Article
) -> tuple[str | None, bool, str]:
    """(date, approximate, reason): the timex in the trigger's clause, else publication."""
    head = c.token
    while head.dep_ not in ("ROOT", "ccomp", "advcl", "relcl", "parataxis") and head.head is not head:
        head = head.head
    clause = {t.idx for t in head.subtree}
    inside = [tx for tx in timexes if sent.start_char <= tx.start < sent.end_char]
    for tx in sorted(inside, key=lambda t: abs(t.start - c.start)):
        if tx.start in clause and tx.type in ("DATE", "TIME"):
            value = tx.value[:10]
            if _FULL_DATE.match(value):
                return value, len(value) < 10 or tx.uncertain, f"timex:{tx.id}"
    if article.published:
        return article.published, True, "publication"
    return None, True, "unknown"


def _actor_codes(ms: Iterable[Mention]) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]]:
    ms = list(ms)
    return tuple(m.code for m in ms), tuple((m.start, m.end) for m in ms)


def _to_event(
    c: Candidate,
    code: str,
    confidence: float,
    sent: Span,
    sent_index: int,
    article: Article,
    timexes: Sequence[TimeExpr],
    cmap: CameoMap,
) -> Event:
    info = cmap.info(code)
    src, src_spans = _actor_codes(c.sources)
    tgt, tgt_spans = _actor_codes(c.targets)
    date, approx, reason = _date_for(c, sent, timexes, article)
    text = sent.doc.text[c.start:c.end]
    return Event(
        id=record_id(article.id, c.start, c.end, "event"),
        article_id=article.id,
        sentence=sent_index,
        trigger_start=c.start,
        trigger_end=c.end,
        trigger=text,
        type=info.type,
        mode=info.mode,
        context=context_of(info, sent, load_lexicon()),
        cameo=info.root,
        quad_class=info.quad_class,
        goldstein=info.goldstein,
        sources=src,
        targets=tgt,
        source_spans=src_spans,
        target_spans=tgt_spans,
        negated=c.negated,
        modality=c.modality,
        speaker=c.speaker.actor_id if c.speaker is not None else None,
        date=date,
        date_approx=approx,
        date_reason=reason,
        location=c.location,
        confidence=round(confidence, 3),
        extractor=EXTRACTOR,
    )


def _rule_confidence(c: Candidate) -> float:
    base = {"phrase": 0.7, "verb": 0.6, "noun": 0.5}[c.kind]
    if c.sources and c.targets:
        base += 0.1
    if c.fallback_target:
        base -= 0.15
    return max(0.05, min(base, 0.95))


def code_events(
    doc: Doc,
    article: Article,
    mentions: Sequence[Mention],
    timexes: Sequence[TimeExpr] = (),
    model: EventModel | str | None = "default",
) -> list[Event]:
    """Code the PLOVER events of one parsed article.

    ``doc`` is the spaCy ``Doc`` of ``article.text``; ``mentions`` are its actor mentions
    (``extract.actors``); ``timexes`` its temporal expressions (``extract.dates``).
    ``model`` is the learned re-scorer: ``"default"`` loads the shipped one when present,
    ``None`` uses the rules alone.
    """
    if doc.text != article.text:
        raise ValueError("code_events: doc.text must be article.text (offsets would drift)")
    scorer = load_event_model() if model == "default" else model
    if isinstance(scorer, str):
        raise TypeError(f"model must be an EventModel, None or 'default', not {scorer!r}")
    cmap = load_cameo_map()
    idx = MentionIndex(mentions)
    events: list[Event] = []
    for s_i, sent in enumerate(doc.sents):
        cands = sentence_candidates(sent, idx)
        kept = [c for c in cands if c.absorbed_by is None and (c.sources or c.targets)]
        if not kept:
            continue
        decisions = scorer.decide(sent, kept) if scorer is not None else None
        for k, c in enumerate(kept):
            code, conf = c.code, _rule_confidence(c)
            if decisions is not None:
                new_type, p_event = decisions[k]
                if new_type is None:
                    continue
                if cmap.info(code).type != new_type:
                    code = cmap.for_type(new_type).code
                conf = p_event
            events.append(_to_event(c, code, conf, sent, s_i, article, timexes, cmap))
    return events


def annotate_events(doc: Doc, article: Article, gazetteer: object = None) -> dict[str, tuple[Event, ...]]:
    """The extract-stage annotator: codes events from the mentions and timexes found so far
    (``records.found(doc)``); register it after actors and dates."""
    from .records import found

    done = found(doc)
    events = code_events(doc, article, done.get("mentions", ()), done.get("timexes", ()))
    return {"events": tuple(events)}


def pentaclass(events: Sequence[Event]) -> int:
    """ConfliBERT PentaClass of a sentence's events: 0 none/neutral, else the QuadClass
    of the most confident asserted, non-negated event."""
    live = [e for e in events if not e.negated and e.quad_class is not None]
    if not live:
        return 0
    best = max(live, key=lambda e: (e.confidence, -e.trigger_start))
    return int(best.quad_class or 0)
