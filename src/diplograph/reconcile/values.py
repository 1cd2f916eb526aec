"""Mutually exclusive values: the same fact told with different dates by different reports.

Two conflicts of kind ``value`` are found (both need factual, affirmed facts):

**Start dates.** A relation that starts once (``single_start`` in predicates.toml:
``member_of``, ``has_diplomatic_relations_with``) cannot have started in two different
years. Merge splits such claims by the start year they state (``merge.split_by_start``),
so "Azerbaijan joined the Partnership for Peace in 1994" and "... in 1999" are two facts
with the same (subject, predicate, object); each pair of them with different start years
is a conflict, reason ``"AZE member_of PFP: since 1994 vs since 1999"``. Years are compared,
so "in May 1994" agrees with "in 1994". The report dates do not matter: a start date does
not change with time.

**Event dates a year apart.** Two reports of an event with the same type, source actors
and target actors ("Stoltenberg visited Baku"), each dated by a date expression of month or
day precision, that agree on the month (and the day, when both give one) but not on the
year, where both articles were published within ``near`` days after the later date and the
article with the earlier date does not itself report the later one. Reports that close to
the later date describe the same recent occasion, so one of them has the year wrong:
``"NATO CONSULT AZE: 2023-03 vs 2024-03-17 (same month, different year)"``. Events a year
apart reported long after both dates (anniversaries, yearly visits) are not compared.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations

from .inputs import Record, Vocabulary, day_range
from .merge import Fact, stated_start_year

_MONTH_OR_DAY = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


@dataclass(frozen=True)
class ValueConflict:
    """Two facts whose stated values exclude each other, and the records that state them."""

    fact_a: Fact
    fact_b: Fact
    record_a: Record
    record_b: Record
    reason: str


def _start_records(f: Fact) -> dict[int, Record]:
    """The first member stating each start year."""
    out: dict[int, Record] = {}
    for m in f.members:
        year = stated_start_year(m.record)
        if year is not None:
            out.setdefault(year, m.record)
    return out


def start_conflicts(facts: Sequence[Fact], vocab: Vocabulary) -> Iterator[ValueConflict]:
    """Facts of one single-start relation that state different start years."""
    groups: dict[tuple[str | None, str | None, str | None], list[Fact]] = defaultdict(list)
    for f in facts:
        if (f.kind == "claim" and f.factual and f.polarity == "affirmed"
                and f.predicate in vocab.single_start):  # fmt: skip
            groups[(f.subject, f.predicate, f.object)].append(f)
    for (s, p, o), group in sorted(groups.items(), key=lambda kv: tuple(map(str, kv[0]))):
        starts = [(f, _start_records(f)) for f in sorted(group, key=lambda f: f.id)]
        for (fa, ya), (fb, yb) in combinations([x for x in starts if x[1]], 2):
            if set(ya) & set(yb):
                continue
            a, b = min(ya), min(yb)
            first, second = ((fa, a, ya), (fb, b, yb)) if a < b else ((fb, b, yb), (fa, a, ya))
            yield ValueConflict(
                first[0],
                second[0],
                first[2][first[1]],
                second[2][second[1]],
                f"{s} {p} {o}: since {first[1]} vs since {second[1]}",
            )


def _stated_event_dates(f: Fact) -> list[tuple[Record, tuple[int, int, int | None]]]:
    out = []
    for m in f.members:
        rec = m.record
        if not str(rec.extra.get("date_reason") or "").startswith("timex"):
            continue
        match = _MONTH_OR_DAY.match(rec.date or "")
        if match:
            day = int(match.group(3)) if match.group(3) else None
            out.append((rec, (int(match.group(1)), int(match.group(2)), day)))
    return out


def _after(rec: Record, later: int, near: int) -> bool:
    """The record's article was published on or within ``near`` days after ``later``."""
    pub = day_range(rec.extra.get("published"))
    return pub is not None and later <= pub[0] <= later + near


Dated = tuple[Fact, Record, int, int, int | None]  # fact, report, year, month, day


def event_date_conflicts(facts: Sequence[Fact], *, near: int = 31) -> Iterator[ValueConflict]:
    """Reports of one occasion whose dates differ only in the year (see module doc).

    Reports are bucketed by (type, actors, month), so only reports of the same month of
    the year are compared.
    """
    buckets: dict[tuple[str, str, str, int], list[Dated]] = defaultdict(list)
    years: dict[tuple[str, str, str, str], set[int]] = defaultdict(set)  # per article
    for f in facts:
        if f.kind == "event" and f.factual and f.polarity == "affirmed" and f.subject and f.object:
            key = (f.subject, f.predicate or "", f.object)
            for rec, (y, m, d) in _stated_event_dates(f):
                buckets[(*key, m)].append((f, rec, y, m, d))
                years[(*key, rec.article_id)].add(y)
    found: dict[tuple[str, str, str], list[ValueConflict]] = defaultdict(list)
    for (s, p, o, _month), items in sorted(buckets.items()):
        items.sort(key=lambda x: (x[1].date or "", x[1].id))
        for i, (fa, ra, ya, _ma, xa) in enumerate(items):
            for fb, rb, yb, _mb, xb in items[i + 1 :]:
                if (
                    fa is fb
                    or ya == yb
                    or (xa and xb and xa != xb)
                    or ra.article_id == rb.article_id
                ):
                    continue
                later = day_range(rb.date)  # items are in date order: rb is the later one
                if later is None or not (_after(ra, later[0], near) and _after(rb, later[0], near)):
                    continue
                if yb in years[(s, p, o, ra.article_id)]:
                    continue  # the earlier report's article also reports the later occasion
                reason = f"{s} {p} {o}: {ra.date} vs {rb.date} (same month, different year)"
                found[(s, p, o)].append(ValueConflict(fa, fb, ra, rb, reason))
    for key in sorted(found):
        yield from _one_per_report(found[key])


def _one_per_report(found: list[ValueConflict]) -> list[ValueConflict]:
    """One conflict per dated report and other year: the best-supported, most precise,
    earliest other report ("visited in March 2023" against the tour's first day, not
    against each later stop that was coded as the same kind of event)."""

    def rank(other: Fact, rec: Record) -> tuple[int, int, str]:
        return (-len(other.sources), -len(rec.date or ""), rec.date or "")

    best: dict[tuple[str, str], ValueConflict] = {}
    for v in sorted(found, key=lambda v: rank(v.fact_b, v.record_b)):
        best.setdefault((v.fact_a.id, (v.record_b.date or "")[:4]), v)
    kept: dict[tuple[str, str], ValueConflict] = {}
    for v in sorted(best.values(), key=lambda v: rank(v.fact_a, v.record_a)):
        kept.setdefault((v.fact_b.id, (v.record_a.date or "")[:4]), v)
    return sorted(kept.values(), key=lambda v: (v.record_a.date or "", v.record_b.date or ""))


__all__ = ["ValueConflict", "event_date_conflicts", "start_conflicts"]
