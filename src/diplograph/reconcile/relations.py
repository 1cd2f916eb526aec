"""Relations over time: what the claims say holds between two actors, and since when.

A *relation* is one (subject, predicate, object) over every factual claim fact with that
triple (symmetric predicates put the two actors in sorted order). Its dates:

- ``valid_from`` (inclusive): the earliest start the text gives in a supporting claim:
  the date expression that governs the claim (extract's ``date_reason``
  ``governing-timex:...``) when it has a start cue ("since", "from", "as of", "starting")
  or the sentence a start verb ("joined the PfP in 1994"); for claims without one, a
  date timex of the sentence after such a cue; else the first report's date.
- ``valid_to`` (exclusive, like ``Role.valid_to``): the day after the earliest end the
  text gives ("until 2014", "through 2014", or a governing date in a sentence with an end
  verb such as "left", "withdrew"), else the date of the first negated report that comes
  after every affirmed one (the relation *ended*). For a predicate marked
  ``ending_starts`` (``suspended_participation``) an end verb starts the relation.

``state``: ``holds`` (affirmed only), ``does_not_hold`` (negated only), ``ended``
(negated reports after all affirmed ones), ``started`` (affirmed reports after all
negated ones, one of them with a start verb: "joined"; ``valid_from`` is then the first
affirmed report after them) or
``disputed`` (affirmed and negated reports interleave, or are undated).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ..model import record_id
from .inputs import ArticleInfo, Record, Vocabulary, day_range, iso
from .merge import Fact

_START_CUE = re.compile(r"\b(?:since|from|as of|starting(?: in)?|beginning(?: in)?)\s*$", re.IGNORECASE)
_END_CUE = re.compile(r"\b(?:until|till|through|up to|ending(?: in)?)\s*$", re.IGNORECASE)
_START_VERB = re.compile(
    r"\b(?:(?:re)?join(?:s|ed)?|accede[sd]?|admitted|bec(?:a|o)me|(?:re-?)?establish(?:ed|es)?|"
    r"launch(?:ed|es)?|sign(?:ed|s)?|start(?:ed|s)?|began|entered|restor(?:e|ed|es)|"
    r"reopen(?:s|ed)?|resum(?:e|ed|es))\b", re.IGNORECASE)  # fmt: skip
_END_VERB = re.compile(
    r"\b(?:left|leave[s]?|withdr[ae]w[ns]?|quit|ended|suspend(?:ed|s)?|froze|expelled|"
    r"terminated|pulled out|severed|cut|broke off)\b", re.IGNORECASE)  # fmt: skip

COLUMNS = (
    "id", "subject", "predicate", "object", "is_symmetric", "state", "valid_from", "valid_to",
    "valid_from_text", "valid_to_text", "first_reported", "last_reported", "sources",
    "against", "facts_for", "facts_against",
)  # fmt: skip


Bound = tuple[int, str]  # (date ordinal, the phrase that states it)


def _classify(
    rec: Record, rng: tuple[int, int], own: str, before: str, *, verbs: bool, ending_starts: bool
) -> tuple[str, Bound] | None:
    """Whether a date phrase states the start or the end of the claim's relation.

    Cues decide first; with ``verbs``, a start or end verb in the claim's text decides a
    phrase without a cue. ``ending_starts``: the predicate is itself the state an end
    verb begins ("froze its participation in February" starts the suspension).
    """
    cue = _START_CUE.search(before) or _END_CUE.search(before)
    phrase = f"{cue.group().strip()} {own}" if cue else own
    low = own.lower()
    if _START_CUE.search(before) or low.startswith(("since ", "from ", "as of ", "starting ")):
        return "start", (rng[0], phrase)
    if _END_CUE.search(before) or low.startswith(("until ", "till ", "through ", "up to ")):
        return "end", (rng[1] + 1, phrase)
    if not verbs:
        return None
    ends = bool(_END_VERB.search(rec.text))
    if ending_starts and ends:
        return "start", (rng[0], phrase)
    if _START_VERB.search(rec.text) and not ends:
        return "start", (rng[0], phrase)
    if ends:
        return "end", (rng[1] + 1, phrase)
    return None


def time_bounds(
    rec: Record,
    art: ArticleInfo | None,
    timexes: Sequence[dict[str, Any]],
    vocab: Vocabulary | None = None,
) -> tuple[Bound | None, Bound | None]:
    """(start, end) stated for a claim; each ``(ordinal, text)``, the end ordinal being the
    day after the stated period.

    A claim that extract dated by the expression governing its trigger (``date_reason``
    ``"governing-timex:<cue> <text>"``, see ``extract/claim_dates.py``) has that one
    bound: its cue, else a start or end verb of its text, says whether it starts or ends
    the relation. For other claims (dated by publication, or built without
    ``date_reason``) a date timex of their sentence or span counts only after an explicit
    cue ("since 1994", "until 2014"): extract found no expression governing the claim,
    so "signed ... in June 2021" elsewhere in the sentence is not its start.
    """
    ending_starts = vocab is not None and rec.predicate in vocab.ending_starts
    reason = str(rec.extra.get("date_reason") or "")
    stated = day_range(rec.extra.get("stated"))
    if reason.startswith("governing-timex:") and stated is not None:
        phrase = reason.split(":", 1)[1]
        words = phrase.split(None, 1)
        cue, own = (words[0] + " ", words[1]) if len(words) == 2 and _is_cue(words[0]) else ("", phrase)
        if phrase.lower().startswith(("as of ", "up to ")):
            cue, own = phrase[:6], phrase[6:]
        found = _classify(rec, stated, own, cue, verbs=True, ending_starts=ending_starts)
        if found is None:
            return None, None
        return (found[1], None) if found[0] == "start" else (None, found[1])
    text = art.text if art else ""
    start: Bound | None = None
    end: Bound | None = None
    for t in timexes:
        inside = rec.start <= t["start_char"] and t["end_char"] <= rec.end
        if not inside and t["sentence"] != rec.sentence:
            continue
        rng = day_range(t["value"])
        if rng is None:
            continue
        before = text[max(0, t["start_char"] - 20) : t["start_char"]]
        cand = _classify(rec, rng, (t["text"] or "").strip(), before, verbs=False,
                         ending_starts=ending_starts)  # fmt: skip
        if cand is None:
            continue
        if cand[0] == "start" and (start is None or cand[1][0] < start[0]):
            start = cand[1]
        elif cand[0] == "end" and (end is None or cand[1][0] < end[0]):
            end = cand[1]
    return start, end


def _is_cue(word: str) -> bool:
    return word.lower() in {"since", "from", "starting", "beginning", "until", "till",
                            "through", "ending", "in", "on", "at", "by", "after", "before",
                            "during", "to", "of"}  # fmt: skip



def build_relations(
    facts: Sequence[Fact],
    arts: dict[str, ArticleInfo],
    timexes: dict[str, list[dict[str, Any]]],
    vocab: Vocabulary,
) -> list[dict[str, Any]]:
    """One row per (subject, predicate, object) of factual claim facts (see module doc)."""
    groups: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.kind == "claim" and f.factual and f.subject and f.object and f.predicate:
            s, o = f.subject, f.object
            if f.predicate in vocab.symmetric and o < s:
                s, o = o, s
            groups[(s, f.predicate, o)].append(f)
    rows = []
    for (s, p, o), group in sorted(groups.items()):
        pro = [f for f in group if f.polarity == "affirmed"]
        con = [f for f in group if f.polarity == "negated"]
        starts, ends = [], []
        for f in pro:
            for m in f.members:
                a, b = m.record.extra.get("bounds") or time_bounds(
                    m.record, arts.get(m.record.article_id), timexes.get(m.record.article_id, []),
                    vocab)  # fmt: skip
                starts += [a] if a else []
                ends += [b] if b else []
        pro_dates = sorted(d for f in pro for d in (f.first, f.last) if d is not None)
        con_dates = sorted(d for f in con for d in (f.first, f.last) if d is not None)
        state, vf, vt = _state(pro, con, pro_dates, con_dates)
        start = min(starts) if starts else None
        end = min(ends) if ends else None
        if end is not None and start is None and vf is not None and vf >= end[0]:
            vf = None  # "until 2014" in a 2019 report: the start is unknown, not 2019
        all_dates = pro_dates + con_dates
        rows.append({
            "id": record_id("relation", s, p, o), "subject": s, "predicate": p, "object": o,
            "is_symmetric": p in vocab.symmetric, "state": state,
            "valid_from": iso(start[0]) if start else iso(vf),
            "valid_to": iso(end[0]) if end else iso(vt),
            "valid_from_text": start[1] if start else None,
            "valid_to_text": end[1] if end else None,
            "first_reported": iso(min(all_dates)) if all_dates else None,
            "last_reported": iso(max(all_dates)) if all_dates else None,
            "sources": len(set().union(*(f.sources for f in pro))) if pro else 0,
            "against": len(set().union(*(f.sources for f in con))) if con else 0,
            "facts_for": sorted(f.id for f in pro), "facts_against": sorted(f.id for f in con),
        })  # fmt: skip
    return rows


def _state(pro: list[Fact], con: list[Fact], pro_dates: list[int],
           con_dates: list[int]) -> tuple[str, int | None, int | None]:  # fmt: skip
    """(state, valid_from, valid_to) from the reported dates alone."""
    if pro and not con:
        return "holds", (pro_dates[0] if pro_dates else None), None
    if con and not pro:
        return "does_not_hold", None, None
    undated = any(f.first is None for f in pro + con)
    if not undated and pro_dates and con_dates:
        if con_dates[0] > pro_dates[-1] and _says_it_ended(con):
            return "ended", pro_dates[0], con_dates[0]
        if pro_dates[0] > con_dates[-1] and _says_it_started(pro):
            return "started", pro_dates[0], None
    return "disputed", (pro_dates[0] if pro_dates else None), None


_NO_LONGER = re.compile(r"\b(?:no longer|any ?more|former(?:ly)?|ceased|stopped)\b", re.IGNORECASE)


def _says_it_ended(con: list[Fact]) -> bool:
    """A later denial ends a relation only when it says so ("has left", "withdrew", "is no
    longer a member"); a bare "is still not a member" after "joined" disputes it."""
    return any(_END_VERB.search(m.record.text) or _NO_LONGER.search(m.record.text)
               for f in con for m in f.members)


def _says_it_started(pro: list[Fact]) -> bool:
    """A later affirmation starts a relation only when it says so ("joined", "rejoined",
    "restored"); "has not left" after "has left" disputes the denial."""
    return any(_START_VERB.search(m.record.text) for f in pro for m in f.members)


def in_force(row: dict[str, Any], at: str) -> bool | None:
    """Whether a relation row holds on ``at`` (ISO prefix; its first day counts).

    ``True`` from ``valid_from`` (or the first report) until ``valid_to``; ``False``
    after ``valid_to``, for ``does_not_hold``, and before a start the text states (or a
    ``started`` relation's start); ``None`` (unknown) before the first report when no
    start is stated, and for undated relations.
    """
    rng = day_range(at)
    if rng is None:
        raise ValueError(f"at must be an ISO date (YYYY[-MM[-DD]]), got {at!r}")
    if row["state"] == "does_not_hold":
        return False
    end = day_range(row["valid_to"])
    if end is not None and rng[0] >= end[0]:
        return False
    start = day_range(row["valid_from"] or row["first_reported"])
    if start is None:
        return None
    if rng[0] >= start[0]:
        return True
    return False if (row["valid_from_text"] or row["state"] == "started") else None


__all__ = ["COLUMNS", "build_relations", "in_force", "time_bounds"]
