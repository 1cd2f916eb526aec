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


def claim_date(
    doc: Doc, trigger: tuple[int, int], timexes: Iterable[TimeExpr], published: str | None
) -> tuple[str | None, str]:
    """``(date, date_reason)`` of a claim whose trigger is at ``trigger`` (see module doc)."""
    candidates = tuple(timexes)
    found = governing_timex(doc, trigger, candidates) if candidates and trigger[0] >= 0 else None
    if found is not None:
        tx, cue = found
        inferred = " (year inferred)" if tx.anchor_source == "inferred" else ""
        return tx.value, f"governing-timex:{cue + ' ' if cue else ''}{tx.text}{inferred}"
    if published:
        return published, "publication"
    return None, "unknown"


__all__ = ["END_CUES", "START_CUES", "claim_date", "governing_timex"]
