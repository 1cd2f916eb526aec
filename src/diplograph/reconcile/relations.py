"""Relations over time: what the claims say holds between two actors, and since when.

A *relation* is one (subject, predicate, object) over every factual claim fact with that
triple (symmetric predicates put the two actors in sorted order). Its dates:

- ``valid_from`` (inclusive): the earliest start the text gives in a supporting sentence:
  a date timex after "since", "from", "as of", "starting", or any date timex in a
  sentence with a start verb ("joined the PfP in 1994"); else the first report's date.
- ``valid_to`` (exclusive, like ``Role.valid_to``): the day after the earliest end the
  text gives ("until 2014", "through 2014", or a date in a sentence with an end verb such
  as "left", "withdrew"), else the date of the first negated report that comes after
  every affirmed one (the relation *ended*).

``state``: ``holds`` (affirmed only), ``does_not_hold`` (negated only), ``ended``
(negated reports after all affirmed ones), ``started`` (affirmed reports after all
negated ones; ``valid_from`` is then the first affirmed report after them) or
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
    r"\b(?:join(?:s|ed)?|accede[sd]?|admitted|bec(?:a|o)me|establish(?:ed|es)?|launch(?:ed|es)?|"
    r"sign(?:ed|s)?|start(?:ed|s)?|began|entered)\b", re.IGNORECASE)  # fmt: skip
_END_VERB = re.compile(
    r"\b(?:left|leave[s]?|withdr[ae]w[ns]?|quit|ended|suspend(?:ed|s)?|froze|expelled|"
    r"terminated|pulled out)\b", re.IGNORECASE)  # fmt: skip

COLUMNS = (
    "id", "subject", "predicate", "object", "is_symmetric", "state", "valid_from", "valid_to",
    "valid_from_text", "valid_to_text", "first_reported", "last_reported", "sources",
    "against", "facts_for", "facts_against",
)  # fmt: skip


def time_bounds(
    rec: Record, art: ArticleInfo | None, timexes: Sequence[dict[str, Any]]
) -> tuple[tuple[int, str] | None, tuple[int, str] | None]:
    """(start, end) stated for a claim by the date timexes of its sentence or span.

    Each is ``(ordinal, text)``; the end ordinal is the day after the stated period.
    """
    text = art.text if art else ""
    start: tuple[int, str] | None = None
    end: tuple[int, str] | None = None
    for t in timexes:
        inside = rec.start <= t["start_char"] and t["end_char"] <= rec.end
        if not inside and t["sentence"] != rec.sentence:
            continue
        rng = day_range(t["value"])
        if rng is None:
            continue
        own = (t["text"] or "").strip()
        before = text[max(0, t["start_char"] - 20) : t["start_char"]]
        cue = _START_CUE.search(before) or _END_CUE.search(before)
        phrase = f"{cue.group().strip()} {own}" if cue else own
        low = own.lower()
        if _START_CUE.search(before) or low.startswith(("since ", "from ", "as of ", "starting ")):
            cand: tuple[str, tuple[int, str]] = ("start", (rng[0], phrase))
        elif _END_CUE.search(before) or low.startswith(("until ", "till ", "through ", "up to ")):
            cand = ("end", (rng[1] + 1, phrase))
        elif _START_VERB.search(rec.text) and not _END_VERB.search(rec.text):
            cand = ("start", (rng[0], phrase))
        elif _END_VERB.search(rec.text):
            cand = ("end", (rng[1] + 1, phrase))
        else:
            continue
        if cand[0] == "start" and (start is None or cand[1][0] < start[0]):
            start = cand[1]
        elif cand[0] == "end" and (end is None or cand[1][0] < end[0]):
            end = cand[1]
    return start, end


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
                a, b = time_bounds(m.record, arts.get(m.record.article_id),
                                   timexes.get(m.record.article_id, []))  # fmt: skip
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
        if con_dates[0] > pro_dates[-1]:
            return "ended", pro_dates[0], con_dates[0]
        if pro_dates[0] > con_dates[-1]:
            return "started", pro_dates[0], None
    return "disputed", (pro_dates[0] if pro_dates else None), None


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
