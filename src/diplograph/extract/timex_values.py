"""TIMEX3 values: parsing, calendar arithmetic and conversion to date ranges.

A *point* is a calendar unit at some granularity: ``("day", 2019, 5, 4)``,
``("month", 2019, 5)``, ``("quarter", 2019, 2)``, ``("week", 2019, 18)``,
``("year", 2019)`` ... This module turns document creation times into points,
shifts points by calendar units, formats them as TIMEX3 values (``2019-05-04``,
``2019-Q2``, ``2019-W18``) and maps values back to half-open ISO date ranges.

Pure standard library: no spaCy, no I/O.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

SEASONS = ("SP", "SU", "FA", "WI")
# Months (start, end exclusive) of each season; winter runs into the next year.
_SEASON_MONTHS = {"SP": (3, 6), "SU": (6, 9), "FA": (9, 12), "WI": (12, 15)}


@dataclass(frozen=True, slots=True)
class Point:
    """A calendar unit. ``n`` is the month, quarter, half, week, day-of-year or season index."""

    gran: str  # day | week | month | quarter | half | season | year | decade | century
    year: int
    n: int = 0
    day: int = 0

    def value(self) -> str:
        """The TIMEX3 value of this point."""
        g, y = self.gran, self.year
        if g == "day":
            return f"{y:04d}-{self.n:02d}-{self.day:02d}"
        if g == "month":
            return f"{y:04d}-{self.n:02d}"
        if g == "week":
            return f"{y:04d}-W{self.n:02d}"
        if g == "weekend":
            return f"{y:04d}-W{self.n:02d}-WE"
        if g == "quarter":
            return f"{y:04d}-Q{self.n}"
        if g == "half":
            return f"{y:04d}-H{self.n}"
        if g == "season":
            return f"{y:04d}-{SEASONS[self.n]}"
        if g == "decade":
            return f"{y // 10:03d}"
        if g == "century":
            return f"{y // 100:02d}"
        return f"{y:04d}"

    def date(self) -> _dt.date:
        """The first day of this point."""
        start = value_to_range(self.value())
        assert start is not None
        return _dt.date.fromisoformat(start[0])


def parse_dct(dct: str | None) -> Point | None:
    """A publication date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD...``) as a point."""
    if not dct:
        return None
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", dct.strip())
    if not m:
        return None
    y = int(m.group(1))
    if m.group(3):
        return Point("day", y, int(m.group(2)), int(m.group(3)))
    if m.group(2):
        return Point("month", y, int(m.group(2)))
    return Point("year", y)


def parse_value(value: str | None) -> Point | None:
    """Parse a concrete TIMEX3 date value back into a point (None for symbolic values)."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value[:10])
    if m and (len(value) <= 10 or value[10] == "T"):
        y = int(m.group(1))
        if m.group(3):
            return Point("day", y, int(m.group(2)), int(m.group(3)))
        if m.group(2):
            return Point("month", y, int(m.group(2)))
        return Point("year", y)
    m = re.fullmatch(r"(\d{4})-(Q|H|W)(\d{1,2})(-WE)?", value)
    if m:
        gran = {"Q": "quarter", "H": "half", "W": "week"}[m.group(2)]
        if m.group(4):
            gran = "weekend"
        return Point(gran, int(m.group(1)), int(m.group(3)))
    m = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value)
    if m:
        return Point("season", int(m.group(1)), SEASONS.index(m.group(2)))
    if re.fullmatch(r"\d{3}", value):
        return Point("decade", int(value) * 10)
    return None


def _from_date(d: _dt.date, gran: str) -> Point:
    if gran == "day":
        return Point("day", d.year, d.month, d.day)
    if gran in ("week", "weekend"):
        iso = d.isocalendar()
        return Point(gran, iso[0], iso[1])
    if gran == "month":
        return Point("month", d.year, d.month)
    if gran == "quarter":
        return Point("quarter", d.year, (d.month - 1) // 3 + 1)
    if gran == "half":
        return Point("half", d.year, 1 if d.month <= 6 else 2)
    if gran == "season":
        if d.month in (1, 2):
            return Point("season", d.year - 1, 3)
        return Point("season", d.year, (d.month - 3) // 3)
    return Point(gran, d.year)


def coarsen(p: Point, gran: str) -> Point:
    """The unit of granularity ``gran`` that contains (the start of) ``p``."""
    if p.gran == gran:
        return p
    if gran in ("year", "decade", "century"):
        return Point(gran, p.year)
    if p.gran == "day" or (p.gran in ("week", "weekend") and gran in ("month", "quarter")):
        return _from_date(p.date(), gran)
    if p.gran == "month" and gran in ("quarter", "half", "season"):
        return _from_date(_dt.date(p.year, p.n, 1), gran)
    if p.gran == "month" and gran in ("week", "weekend", "day"):
        return p  # cannot refine: stay at month granularity
    return p


def shift(p: Point, amount: int, unit: str) -> Point:
    """Move ``p`` by ``amount`` calendar ``unit``s, keeping the granularity of ``p``."""
    if unit == "day" and p.gran == "day":
        return _from_date(p.date() + _dt.timedelta(days=amount), "day")
    if unit in ("week", "weekend") and p.gran in ("day", "week", "weekend"):
        return _from_date(p.date() + _dt.timedelta(weeks=amount), p.gran)
    months = {"month": 1, "quarter": 3, "half": 6, "season": 3, "year": 12}.get(unit)
    decade_years = {"decade": 10, "century": 100}.get(unit)
    if decade_years:
        return Point(p.gran, p.year + amount * decade_years, p.n, p.day)
    if months is None:
        return p
    if p.gran in ("year", "decade", "century"):
        return Point(p.gran, p.year + (amount * months) // 12)
    if p.gran == "quarter":
        idx = p.year * 4 + p.n - 1 + (amount * months) // 3
        return Point("quarter", idx // 4, idx % 4 + 1)
    if p.gran == "half":
        idx = p.year * 2 + p.n - 1 + (amount * months) // 6
        return Point("half", idx // 2, idx % 2 + 1)
    if p.gran == "season":
        idx = p.year * 4 + p.n + (amount * months) // 3
        return Point("season", idx // 4, idx % 4)
    if p.gran == "month":
        idx = p.year * 12 + p.n - 1 + amount * months
        return Point("month", idx // 12, idx % 12 + 1)
    if p.gran == "day":
        idx = p.year * 12 + p.n - 1 + amount * months
        y, m = idx // 12, idx % 12 + 1
        last = (_dt.date(y + (m == 12), m % 12 + 1, 1) - _dt.timedelta(days=1)).day
        return Point("day", y, m, min(p.day, last))
    if p.gran in ("week", "weekend"):
        return _from_date(p.date() + _dt.timedelta(days=round(amount * months * 30.44)), p.gran)
    return p


def weekday_near(anchor: Point, weekday: int, direction: int) -> Point:
    """The ``weekday`` (0=Monday) nearest ``anchor``: -1 on/before, +1 on/after, 0 same week."""
    d = anchor.date()
    diff = weekday - d.weekday()
    if direction < 0 and diff > 0:
        diff -= 7
    elif direction > 0 and diff < 0:
        diff += 7
    return _from_date(d + _dt.timedelta(days=diff), "day")


def _add_months(y: int, m: int, k: int) -> str:
    idx = y * 12 + m - 1 + k
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}-01"


def value_to_range(value: str | None) -> tuple[str, str] | None:
    """The half-open ISO date range ``[start, end)`` that a TIMEX3 date value covers.

    ``"2019-05" -> ("2019-05-01", "2019-06-01")``; ``"2019-Q2" -> ("2019-04-01",
    "2019-07-01")``; ``"199" -> ("1990-01-01", "2000-01-01")``. Symbolic values
    (``PAST_REF``, ``XXXX-05-04``), durations and sets give None.
    """
    if not value:
        return None
    v = value.split("T")[0] if re.match(r"\d{4}-\d{2}-\d{2}T", value) else value
    try:
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", v)
        if m:
            d = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d.isoformat(), (d + _dt.timedelta(days=1)).isoformat()
        m = re.fullmatch(r"(\d{4})-(\d{2})", v)
        if m and 1 <= int(m.group(2)) <= 12:
            y, mo = int(m.group(1)), int(m.group(2))
            return f"{y:04d}-{mo:02d}-01", _add_months(y, mo, 1)
        m = re.fullmatch(r"(\d{4})-(Q|H)([1-4])", v)
        if m:
            y, size, k = int(m.group(1)), 3 if m.group(2) == "Q" else 6, int(m.group(3))
            return _add_months(y, 1, (k - 1) * size), _add_months(y, 1, k * size)
        m = re.fullmatch(r"(\d{4})-W(\d{2})(-WE)?", v)
        if m:
            start = _dt.date.fromisocalendar(
                int(m.group(1)), int(m.group(2)), 6 if m.group(3) else 1
            )
            days = 2 if m.group(3) else 7
            return start.isoformat(), (start + _dt.timedelta(days=days)).isoformat()
        m = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", v)
        if m:
            y, (a, b) = int(m.group(1)), _SEASON_MONTHS[m.group(2)]
            return _add_months(y, 1, a - 1), _add_months(y, 1, b - 1)
    except ValueError:
        return None
    m = re.fullmatch(r"(\d{4})", v)
    if m:
        y = int(m.group(1))
        return f"{y:04d}-01-01", f"{y + 1:04d}-01-01"
    m = re.fullmatch(r"(\d{3})X?", v)
    if m:
        y = int(m.group(1)) * 10
        return f"{y:04d}-01-01", f"{y + 10:04d}-01-01"
    m = re.fullmatch(r"(\d{2})(?:XX)?", v)
    if m:
        y = int(m.group(1)) * 100
        return f"{y:04d}-01-01", f"{y + 100:04d}-01-01"
    return None
