"""When a claim holds: the date expression that governs its trigger, else the publication date.

Issue 4: "Each event and claim gets its date from the expression that governs it, else the
publication date, with the reason recorded." A DATE time expression (``TimeExpr``, found
earlier in the same document) *governs* a claim's trigger when both hang off the same
clause: walking up the dependency tree from the expression reaches the trigger, or the
first verb above it is the first verb above the trigger. "Azerbaijan joined the PfP in
1994" -> ``1994``; "has had an IPAP with NATO since 2005" -> ``2005``; in "joined the PfP
in 1994 and, since 2014, has worked with NATO" the ``2014`` belongs to "worked", not to
"joined". Expressions in parentheses (source citations, "(NATO press release, 17
March)") and values that are not calendar dates (``PRESENT_REF``, ``199X``) never govern.

Among several governing expressions the one with a start cue (since, from, as of) wins,
then one introduced by another preposition ("in 1994, the same year as ..." -> ``1994``),
then the nearest in the tree. The reason is
``"governing-timex:<cue> <text>"`` (``governing-timex:since 2005``); reconcile reads the cue
the same way for ``valid_from``/``valid_to`` (``reconcile/relations.py``): a start cue
or a start verb ("joined ... in 1994") gives the start of the relation, an end cue
("until 2014") its end. Otherwise the date is the publication date (reason
``publication``), or ``None`` (reason ``unknown``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..model import TimeExpr
from .records import text_of
from .timex_lexicon import number_value

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
START_CUES = ("since", "from", "as of", "starting", "beginning")
END_CUES = ("until", "till", "through", "up to", "ending")
_CUE_WORDS = {"since", "from", "until", "till", "through", "in", "on", "at", "by", "after",
              "before", "during", "to", "of", "starting", "beginning", "ending"}  # fmt: skip


def _clause_head(tok: Token) -> Token:
    """The first verb at or above ``tok`` (the sentence root when there is none).

    An apposition is its own clause: in "Armenia, a founding member of the CSTO, froze
    its participation last month", "last month" dates the freezing, not the membership.
    """
    for node in [tok, *tok.ancestors]:
        if node.pos_ in {"VERB", "AUX"} or node.dep_ == "appos":
            return node
    return tok.sent.root


def _path(tok: Token) -> list[Token]:
    """``tok`` and its ancestors up to (and including) its clause head."""
    out = [tok]
    for node in tok.ancestors:
        out.append(node)
        if node.pos_ in {"VERB", "AUX"}:
            break
    return out


def _in_parentheses(text: str, start: int, end: int) -> bool:
    left = text.rfind("(", max(0, start - 200), start)
    if left < 0 or text.find(")", left, start) >= 0:
        return False
    right = text.find(")", end, end + 200)
    return right >= 0 and text.find("(", end, right) < 0


def _cue(doc: Doc, root: Token, start: int) -> str | None:
    """The preposition that introduces the expression ("since", "in", "as of"), if any."""
    before = text_of(doc)[max(0, start - 12) : start].lower()
    if re.search(r"\bas of\s+$", before):
        return "as of"
    if re.search(r"\bup to\s+$", before):
        return "up to"
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in _CUE_WORDS:
        return head.lower_
    prev = text_of(doc)[:start].rstrip().rsplit(None, 1)
    word = prev[-1].lower() if prev else ""
    return word if word in _CUE_WORDS else None


def _rank(cue: str | None) -> int:
    """Start cues first, then other prepositions ("in 1994"), then bare phrases ("the same
    year", "last month"), then end cues."""
    if cue in START_CUES:
        return 0
    if cue in END_CUES:
        return 3
    return 1 if cue else 2


def governing_timex(
    doc: Doc, trigger: tuple[int, int], timexes: Iterable[TimeExpr]
) -> tuple[TimeExpr, str | None] | None:
    """The DATE expression that governs the trigger at ``trigger`` offsets, with its cue."""
    span = doc.char_span(trigger[0], trigger[1], alignment_mode="expand")
    if span is None or not len(span):
        return None
    tokens = set(span)
    heads = {_clause_head(t) for t in span}
    sent = span[0].sent
    best: tuple[tuple[int, int, int], TimeExpr, str | None] | None = None
    for tx in timexes:
        if tx.type != "DATE" or not _ISO.match(tx.value or ""):
            continue
        if not (sent.start_char <= tx.start and tx.end <= sent.end_char):
            continue
        if _in_parentheses(text_of(doc), tx.start, tx.end):
            continue
        tspan = doc.char_span(tx.start, tx.end, alignment_mode="expand")
        if tspan is None or not len(tspan) or tokens & set(tspan):
            continue
        root = tspan.root
        path = _path(root)
        hits = [i for i, node in enumerate(path) if node in tokens or node in heads]
        if not hits:
            continue
        cue = _cue(doc, root, tx.start)
        key = (_rank(cue), hits[0], abs(tx.start - trigger[0]))
        if best is None or key < best[0]:
            best = (key, tx, cue)
    return (best[1], best[2]) if best else None


#: Units of an offset: (months, days).
_UNITS = {"year": (12, 0), "decade": (120, 0), "century": (1200, 0), "month": (1, 0),
          "week": (0, 7), "day": (0, 1)}


def _amount(noun: Token) -> int | None:
    """The number of ``noun`` units: "seven years", "forty-seven years", "a decade"; None
    when it is vague ("several years") or absent."""
    words = [ch for ch in noun.children if ch.dep_ in ("nummod", "det", "quantmod") and ch.i < noun.i]
    if not words:
        return None
    lo, hi = min(t.left_edge.idx for t in words), max(t.right_edge.idx + len(t.right_edge) for t in words)
    return number_value(text_of(noun.doc)[lo:hi]) or None


def _duration(holders: Iterable[Token]) -> tuple[int, int] | None:
    """``(months, days)`` of the duration noun ("seven years") on one of ``holders``."""
    for h in holders:
        for n in [h] if h.dep_ == "npadvmod" else list(h.children):
            unit = _UNITS.get(n.lemma_.lower()) if n.dep_ == "npadvmod" else None
            amount = _amount(n) if unit else None
            if unit and amount:
                return unit[0] * amount, unit[1] * amount
    return None


def offset_of(tok: Token) -> tuple[Token, int, int] | None:
    """``(verb, months, days)`` when ``tok`` lies in a phrase that dates its act by an
    exact amount of time before or after the act of ``verb``: "reopened embassies in 2023,
    *seven years after cutting ties*" -> (reopened, -84, 0); "four years after Tokyo
    removed Seoul"; "joined in 1994, two years *before* Georgia signed" -> +24. None when
    there is no such phrase or its amount is vague ("years after")."""
    node = tok
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") and node.i != tok.i and node.dep_ not in ("pcomp", "advcl"):
            return None  # only the trigger's own clause
        prep = None
        if node.dep_ in ("pcomp", "pobj") and node.head.lower_ in ("after", "before"):
            prep = node.head
        elif node.dep_ == "advcl":
            prep = next((c for c in node.children if c.dep_ == "mark"
                         and c.lower_ in ("after", "before")), None)
        if prep is not None:
            anchor = node.head if prep.dep_ == "mark" else prep.head
            holders = [prep, node, anchor]
            if anchor.dep_ == "npadvmod":  # "a decade after": the noun holds the prep
                anchor = anchor.head
            found = _duration(holders) if anchor.pos_ in ("VERB", "AUX") else None
            if found is None:
                return None
            sign = -1 if prep.lower_ == "after" else 1
            return anchor, sign * found[0], sign * found[1]
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def anchored(verb: Token, reason: str) -> bool:
    """Whether an offset may be counted from ``verb``'s date, found for the reason
    ``reason``: always from a stated date; from the publication date only when ``verb`` is in
    the present ("Two weeks after X visited Baku, officials *have been* at pains"), since a
    past verb happened at some unstated time ("Two days before the invasion, Aliyev
    *signed* ...")."""
    if not reason.startswith("publication"):
        return True
    return verb.tag_ in ("VBZ", "VBP") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP") for c in verb.children)


def shift(value: str, months: int, days: int = 0) -> str:
    """``value`` (YYYY, YYYY-MM or YYYY-MM-DD) moved by ``months`` and ``days``, kept at
    its own precision (days count as months of 30 days at month precision)."""
    import calendar
    from datetime import date, timedelta

    parts = [int(p) for p in value.split("-")]
    if days and len(parts) == 3:
        moved = date(*parts) + timedelta(days=days)
        parts = [moved.year, moved.month, moved.day]
    elif days:
        months += round(days / 30)
    if len(parts) == 1:
        return f"{parts[0] + round(months / 12):04d}"
    y, m = divmod(parts[0] * 12 + parts[1] - 1 + months, 12)
    if len(parts) == 2:
        return f"{y:04d}-{m + 1:02d}"
    return f"{y:04d}-{m + 1:02d}-{min(parts[2], calendar.monthrange(y, m + 1)[1]):02d}"


def offset_label(months: int, days: int) -> str:
    """"-84 months" style label of an offset, for the date reason."""
    return f"{months:+d} months" if months else f"{days:+d} days"


def claim_date(
    doc: Doc, trigger: tuple[int, int], timexes: Iterable[TimeExpr], published: str | None
) -> tuple[str | None, str]:
    """``(date, date_reason)`` of a claim whose trigger is at ``trigger`` (see module doc)."""
    candidates = tuple(timexes)
    span = doc.char_span(trigger[0], trigger[1], alignment_mode="expand") if trigger[0] >= 0 else None
    off = offset_of(span.root) if span is not None and len(span) else None
    if off is not None:  # "seven years after cutting ties": the other act's date, moved
        verb, months, days = off
        base, reason = claim_date(doc, (verb.idx, verb.idx + len(verb)), candidates, published)
        if base is not None and _ISO.match(base) and anchored(verb, reason):
            return shift(base, months, days), f"offset:{offset_label(months, days)} from {reason}"
    found = governing_timex(doc, trigger, candidates) if candidates and trigger[0] >= 0 else None
    if found is not None:
        tx, cue = found
        inferred = " (year inferred)" if tx.anchor_source == "inferred" else ""
        return tx.value, f"governing-timex:{cue + ' ' if cue else ''}{tx.text}{inferred}"
    if published:
        return published, "publication"
    return None, "unknown"


__all__ = ["END_CUES", "START_CUES", "anchored", "claim_date", "governing_timex", "offset_label", "offset_of", "shift"]
