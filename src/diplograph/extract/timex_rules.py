"""Rules that recognize English temporal expressions and normalize them to TIMEX3 values.

Each :class:`Rule` pairs one compiled pattern with a handler. ``scan(text)`` finds
candidate spans (longest match wins, TimeML span conventions: leading prepositions
excluded, determiners and modifiers such as "the past", "nearly" included);
``apply(rule, match, ctx)`` resolves a match against the document creation time
(``ctx.dct``) or the nearest preceding date (``ctx.preceding``).

Values whose anchor is missing stay symbolic (``XXXX-05-04``, ``XXXX``) and are
flagged uncertain: a missing publication date is never filled from today's date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import timex_lexicon as L
from .timex_values import Point, coarsen, shift, value_to_range, weekday_near

_I = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class Ctx:
    """What relative expressions are resolved against."""

    dct: Point | None
    preceding: Point | None = None
    tense: str | None = None  # past | future | None
    # The reporting period: the latest-ending quarter or half named so far that was over
    # by the publication date ("the third quarter" in a results story). Comparisons such
    # as "a year ago", "the year-earlier period" and "the latest quarter" refer to it.
    period: Point | None = None


@dataclass(frozen=True, slots=True)
class Result:
    type: str  # DATE | TIME | DURATION | SET
    value: str
    source: str  # none | publication | preceding
    uncertain: bool = False
    focus: bool = False  # names the period in focus, though its rule usually shifts one


Handler = Callable[[re.Match[str], Ctx], Result | None]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler


_SYM = {"day": "XXXX-XX-XX", "month": "XXXX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE",
        "quarter": "XXXX-QX", "half": "XXXX-HX", "season": "XXXX-XX", "year": "XXXX",
        "decade": "XXX", "century": "XX"}  # fmt: skip


def _deictic(ctx: Ctx, gran: str, amount: int = 0, unit: str | None = None) -> Result:
    """A point relative to the publication date, e.g. last month = (month, -1)."""
    if ctx.dct is None:
        return Result("DATE", _SYM.get(gran, "XXXX"), "none", True)
    p = coarsen(ctx.dct, gran)
    if amount:
        p = shift(p, amount, unit or gran)
    return Result("DATE", p.value(), "publication", gran != ctx.dct.gran and _finer(gran, ctx.dct))


def _finer(gran: str, dct: Point) -> bool:
    order = ["day", "week", "weekend", "month", "quarter", "half", "season", "year"]
    return gran in order and dct.gran in order and order.index(gran) < order.index(dct.gran)


def _anaphoric(ctx: Ctx, gran: str, amount: int, unit: str) -> Result:
    """A point relative to the preceding date, or to the publication date if none."""
    if ctx.preceding is not None:
        base = ctx.preceding if ctx.preceding.gran == gran else coarsen(ctx.preceding, gran)
        return Result("DATE", shift(base, amount, unit).value(), "preceding")
    return _deictic(ctx, gran, amount, unit)


# Without a tense, an unyeared month is the occurrence nearest the publication date,
# looking further back than ahead (news reports more than it announces): from seven
# months before the publication month to four months after it.
_MONTHS_BACK, _MONTHS_AHEAD = 7, 4


def _year_for(month: int, ctx: Ctx) -> tuple[int | None, str]:
    """The year of an unyeared month, from the publication date and the tense.

    Past tense: the latest such month up to the publication month; future tense: the
    next one from it; no tense: the nearest one (see ``_MONTHS_BACK``).
    """
    if ctx.dct is None:
        return None, "none"
    y = ctx.dct.year
    dm = ctx.dct.n if ctx.dct.gran in ("day", "month") else None
    if dm is None:
        return y, "publication"
    if ctx.tense == "past":
        return (y - 1 if month > dm else y), "publication"
    if ctx.tense == "future":
        return (y + 1 if month < dm else y), "publication"
    if month - dm > _MONTHS_AHEAD:
        return y - 1, "publication"
    if dm - month > _MONTHS_BACK:
        return y + 1, "publication"
    return y, "publication"


def _unit(word: str) -> str:
    w = word.lower().split()[-1]
    w = {"centuries": "century", "millennia": "millennium"}.get(w, w)
    return w[:-1] if w.endswith("s") and w[:-1] in L.UNIT_CODES else w


def _duration(n: int | None, unit: str, half: bool = False) -> str:
    """``(2, "year") -> "P2Y"``; ``half`` adds one half unit: ``"P2Y6M"``; None -> ``"PXY"``."""
    code = L.UNIT_CODES[unit]
    clock = unit in ("second", "minute", "hour")
    if n is None:
        return f"PTX{code}" if clock else f"PX{code}"
    if half:
        halves = {"year": f"P{n}Y6M", "month": f"P{n}M15D", "week": f"P{7 * n + 3}DT12H",
                  "day": f"P{n}DT12H", "hour": f"PT{n}H30M", "minute": f"PT{n}M30S",
                  "decade": f"P{10 * n + 5}Y", "century": f"P{100 * n + 50}Y"}  # fmt: skip
        if unit in halves:
            return halves[unit]
    return f"PT{n}{code}" if clock else f"P{n}{code}"


# ------------------------------------------------------------------- handlers


def _iso(m: re.Match[str], ctx: Ctx) -> Result | None:
    return Result("DATE", m.group(0)[:10], "none")


_LISTED_YEAR = re.compile(r"(?:\s*,\s*(?:and\s+)?\d{1,2}\b)+,?\s+((?:1[6-9]|20)\d\d)\b")


def _month_day(m: re.Match[str], ctx: Ctx) -> Result | None:
    g = m.groupdict()
    month = L.month_value(g["month"])
    day = L.day_value(g["day"])
    if month is None or day is None or not 1 <= day <= 31:
        return None
    if g.get("year"):
        year = L.year_value(g["year"])
        return Result("DATE", f"{year:04d}-{month:02d}-{day:02d}", "none") if year else None
    listed = _LISTED_YEAR.match(m.string, m.end())
    if listed:  # "August 1, 10, 2018": the year at the end of the list applies to each day
        return Result("DATE", f"{listed.group(1)}-{month:02d}-{day:02d}", "none")
    year, src = _year_for(month, ctx)
    if year is None:
        return Result("DATE", f"XXXX-{month:02d}-{day:02d}", "none", True)
    return Result("DATE", f"{year:04d}-{month:02d}-{day:02d}", src)


def _month(m: re.Match[str], ctx: Ctx) -> Result | None:
    g = m.groupdict()
    month = L.month_value(g["month"])
    if month is None:
        return None
    if g.get("year"):
        year = L.year_value(g["year"])
        return Result("DATE", f"{year:04d}-{month:02d}", "none") if year else None
    rel = (g.get("rel") or g.get("rel2") or "").lower()
    if ctx.dct is None:
        return Result("DATE", f"XXXX-{month:02d}", "none", True)
    dy = ctx.dct.year
    dm = ctx.dct.n if ctx.dct.gran in ("day", "month") else month
    if rel.endswith("last year") or rel == "last year":
        return Result("DATE", f"{dy - 1:04d}-{month:02d}", "publication")
    if rel.endswith("next year"):
        return Result("DATE", f"{dy + 1:04d}-{month:02d}", "publication")
    if rel in ("last", "past", "previous"):
        return Result("DATE", f"{dy - (month >= dm):04d}-{month:02d}", "publication")
    if rel in ("next", "coming"):
        return Result("DATE", f"{dy + (month <= dm):04d}-{month:02d}", "publication")
    if rel.startswith("this"):
        return Result("DATE", f"{dy:04d}-{month:02d}", "publication")
    year, src = _year_for(month, ctx)
    return Result("DATE", f"{year:04d}-{month:02d}", src)


def _numeric_date(m: re.Match[str], ctx: Ctx) -> Result | None:
    a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    if y < 100:
        y += 1900 if y > 40 else 2000
    month, day = (a, b) if a <= 12 else (b, a)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return Result("DATE", f"{y:04d}-{month:02d}-{day:02d}", "none")


def _year(m: re.Match[str], ctx: Ctx) -> Result | None:
    y = L.year_value(m.group("year"))
    return Result("DATE", f"{y:04d}", "none") if y else None


def _short_fiscal(m: re.Match[str], ctx: Ctx) -> Result | None:
    yy = int(m.group("yy"))
    if ctx.dct is not None:
        century = ctx.dct.year // 100 * 100
        y = century + yy
        if y > ctx.dct.year + 20:
            y -= 100
        return Result("DATE", f"{y:04d}", "publication")
    return Result("DATE", f"XX{yy:02d}", "none", True)


def _decade(m: re.Match[str], ctx: Ctx) -> Result | None:
    g = m.groupdict()
    if g.get("dec4"):
        return Result("DATE", g["dec4"][:3], "none")
    tens = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
            "seventies": 7, "eighties": 8, "nineties": 9}  # fmt: skip
    word = (g.get("decw") or "").lower()
    digit = int(g["dec2"][1]) if g.get("dec2") else tens.get(word.split()[-1])
    if digit is None:
        return None
    if word.startswith("nineteen"):
        return Result("DATE", f"19{digit}", "none")
    if ctx.dct is None:
        return Result("DATE", f"XX{digit}", "none", True)
    century = ctx.dct.year // 100
    if digit * 10 > ctx.dct.year % 100:
        century -= 1
    return Result("DATE", f"{century:02d}{digit}", "publication")


def _century(m: re.Match[str], ctx: Ctx) -> Result | None:
    n = L.ORDINALS.get(m.group("ord").lower())
    return Result("DATE", f"{n - 1:02d}", "none") if n else None


def _quarter(m: re.Match[str], ctx: Ctx) -> Result | None:
    g = m.groupdict()
    word = (g.get("q") or "").lower()
    h = g.get("half")
    q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 2 if h else 4,
         "latter": 2}.get(word) or int(word[0])  # fmt: skip
    if g.get("year") or g.get("pyear"):
        y = L.year_value(g.get("year") or g["pyear"])
        if y is None:
            return None
        return Result("DATE", f"{y:04d}-{'H' if h else 'Q'}{q}", "none")
    if ctx.dct is None:
        return Result("DATE", f"XXXX-{'H' if h else 'Q'}{q}", "none", True)
    dq = coarsen(ctx.dct, "quarter").n if ctx.dct.gran != "year" else 4
    y = ctx.dct.year
    rel = re.sub(r"\s+", " ", (g.get("rel") or "").lower())
    if rel == "last" or "year" in rel or not h and q > dq and ctx.tense == "past":
        y -= 1
    return Result("DATE", f"{y:04d}-{'H' if h else 'Q'}{q}", "publication")


def _year_period(m: re.Match[str], ctx: Ctx) -> Result | None:
    """ "the 1988 third quarter", "the 1989 period" (the period under discussion, that year)."""
    g = m.groupdict()
    y = int(g["year"][:4])
    what = g["what"].lower()
    if g.get("q"):
        q = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(g["q"].lower()) or int(g["q"][0])
        return Result("DATE", f"{y:04d}-{'H' if 'half' in what else 'Q'}{q}", "none")
    if "half" in what:
        return Result("DATE", f"{y:04d}-H{2 if what.startswith('second') else 1}", "none")
    p = _reported(ctx)
    if p is not None:
        return Result("DATE", f"{y:04d}-{p.value()[5:]}", "preceding")
    return Result("DATE", f"{y:04d}", "none")


def _reported(ctx: Ctx) -> Point | None:
    """The period a comparison refers to: the reporting period (``ctx.period``) while the
    text is still about it (no other date in focus, or a day or month inside it, such as
    the "Sept. 30" of "the quarter ended Sept. 30"), else a quarter or half in focus."""
    p, period = ctx.preceding, ctx.period
    if period is not None and (
        p is None
        or p.gran in ("quarter", "half")
        or (p.gran in ("day", "month") and _within(p, period))
    ):
        return period
    if p is not None and p.gran in ("quarter", "half"):
        return p
    return None


def _within(p: Point, period: Point) -> bool:
    start, end = value_to_range(period.value()) or ("", "")
    return start <= p.date().isoformat() < end


_ENDED = re.compile(
    rf"\s*,?\s+(?:that\s+|which\s+)?(?P<how>ended|ending|ends)\s+(?:on\s+)?"
    rf"(?P<month>{L.MONTH})\s+(?P<day>\d{{1,2}})(?!\d)(?:,?\s+(?P<year>{L.YEAR4}))?"
)


def _ended_quarter(m: re.Match[str], ctx: Ctx) -> Result | None:
    """ "the quarter ended July 31": a three-month period named by its last day is the
    calendar quarter that holds most of it (May to July: the second quarter)."""
    e = _ENDED.match(m.string, m.end())
    if e is None:
        return None
    month, day = L.month_value(e.group("month")), int(e.group("day"))
    if month is None or not 1 <= day <= 31:
        return None
    if e.group("year"):
        year: int | None = int(e.group("year"))
    else:
        tense = "past" if e.group("how") == "ended" else ctx.tense
        year, _src = _year_for(month, Ctx(ctx.dct, tense=tense))
    if year is None:
        return Result("DATE", "XXXX-QX", "none", True)
    # the month before the last one of the period is the middle of the three
    idx = year * 12 + month - 1 - (1 if day >= 15 else 2)
    q = Point("quarter", idx // 12, (idx % 12) // 3 + 1)
    return Result("DATE", q.value(), "none" if e.group("year") else "publication", focus=True)


def _ana_quarter(m: re.Match[str], ctx: Ctx) -> Result | None:
    """ "the quarter", "the latest period", "the year-earlier quarter" ..."""
    rel = re.sub(r"\s+", " ", (m.group("rel") or "").lower())
    if rel in ("this", "current", "the current"):
        return _deictic(ctx, "quarter")
    if rel in ("last", "previous", "the previous", "the last", "past", "the past"):
        return _deictic(ctx, "quarter", -1)
    in_focus = ctx.preceding is not None and ctx.preceding.gran in ("quarter", "half")
    if not in_focus and rel in ("the", "the fiscal", "its", "its fiscal"):
        ended = _ended_quarter(m, ctx)  # a named quarter in focus keeps its (fiscal) name
        if ended is not None:
            return ended
    latest = "latest" in rel or "recent" in rel
    if (latest or "year" in rel) and _reported(ctx) is not None:
        base, src = _reported(ctx), "preceding"
    elif not latest and in_focus:
        base, src = ctx.preceding, "preceding"
    elif not latest and ctx.period is not None:  # a results story stays on its period
        base, src = ctx.period, "preceding"
    elif ctx.dct is not None:  # the last quarter that is over by the publication date
        base, src = shift(coarsen(ctx.dct, "quarter"), -1, "quarter"), "publication"
    else:
        return Result("DATE", "XXXX-QX", "none", True)
    assert base is not None
    if "year" in rel:
        return Result("DATE", shift(base, -1, "year").value(), src)
    return Result("DATE", base.value(), src, focus=latest and src == "publication")


def _season(m: re.Match[str], ctx: Ctx) -> Result | None:
    g = m.groupdict()
    code = L.SEASON_CODES[g["season"].lower()]
    if g["season"].lower() in ("fall", "spring") and not (g.get("rel") or g.get("year")):
        return None  # "prices fall", "a spring": not seasons without a determiner or year
    if g.get("year"):
        y = L.year_value(g["year"])
        return Result("DATE", f"{y:04d}-{code}", "none") if y else None
    if ctx.dct is None:
        return Result("DATE", f"XXXX-{code}", "none", True)
    rel = (g.get("rel") or "").lower().split()
    cur = coarsen(ctx.dct, "season") if ctx.dct.gran in ("day", "month") else None
    idx = ("SP", "SU", "FA", "WI").index(code)
    y = cur.year if cur else ctx.dct.year
    if "last" in rel or "past" in rel or "previous" in rel:
        y = y - 1 if cur is None or idx >= cur.n else y
    elif "next" in rel or "coming" in rel:
        y = y + 1 if cur is None or idx <= cur.n else y
    return Result("DATE", f"{y:04d}-{code}", "publication")


_REL_AMOUNT = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1,
               "coming": 1, "following": 1, "same": 0, "present": 0}  # fmt: skip


_PERIOD_END = re.compile(r"\s+(?:ended|ending|to|through)\b", re.IGNORECASE)


def _rel_unit(m: re.Match[str], ctx: Ctx) -> Result | None:
    """ "last week", "the previous day", "earlier this month", "the end of the year" ..."""
    g = m.groupdict()
    unit = _unit(g["unit"])
    rel = re.sub(r"\s+", " ", (g.get("rel") or "this").lower())
    word = rel.split()[-1]
    amount = _REL_AMOUNT.get(word, 0)
    if unit == "weekend":
        if ctx.dct is None:
            return Result("DATE", "XXXX-WXX-WE", "none", True)
        p = coarsen(ctx.dct, "week")
        if word in ("the", "this") and ctx.dct.gran == "day" and ctx.dct.date().weekday() < 5:
            amount = -1 if ctx.tense != "future" else 0
        p = shift(p, amount, "week")
        return Result("DATE", f"{p.year:04d}-W{p.n:02d}-WE", "publication")
    gran = {"night": "day"}.get(unit, unit)
    if rel == "the" and unit == "year" and _PERIOD_END.match(m.string, m.end()):
        return Result("DURATION", "P1Y", "none")  # "the year ended Sept. 30": a 12-month period
    if word in ("previous", "following") or (rel.startswith("the ") and word == "next"):
        return _anaphoric(ctx, gran, amount, gran)
    if rel.split()[-1] == "that" or (rel == "the" and unit == "day"):
        return _anaphoric(ctx, gran, 0, gran)  # "later that year", "the day": the date in focus
    return _deictic(ctx, gran, amount)


def _ago(m: re.Match[str], ctx: Ctx) -> Result | None:
    """ "two years ago", "three days later", "a year earlier", "nearly a decade before"."""
    g = m.groupdict()
    n = L.number_value(g["num"])
    unit = _unit(g["unit"])
    direction = g["dir"].lower()
    sign = 1 if direction in ("later", "after", "from now", "hence") else -1
    if n is None:
        return Result("DATE", "FUTURE_REF" if sign > 0 else "PAST_REF", "none")
    gran = {"night": "day", "weekend": "week"}.get(unit, unit)
    if gran in ("second", "minute", "hour"):
        return None
    reported = _reported(ctx) if gran == "year" else None
    if reported is not None:
        # "up from $2 a year ago" after "the third quarter": the same quarter, a year before
        return Result("DATE", shift(reported, sign * n, "year").value(), "preceding")
    if direction in ("earlier", "later", "before", "after"):
        return _anaphoric(ctx, gran, sign * n, gran)
    if gran == "week":
        gran = "day" if ctx.dct is not None and ctx.dct.gran == "day" else "week"
        return _deictic(ctx, gran, sign * n, "week")
    return _deictic(ctx, gran, sign * n)


def _year_adj(m: re.Match[str], ctx: Ctx) -> Result | None:
    """ "year-earlier", "year-ago": the same unit one year before the preceding date."""
    reported = _reported(ctx)
    if reported is not None:
        return Result("DATE", shift(reported, -1, "year").value(), "preceding")
    if ctx.preceding is not None:
        return Result("DATE", shift(ctx.preceding, -1, "year").value(), "preceding")
    return _deictic(ctx, "year", -1)


def _dur(m: re.Match[str], ctx: Ctx) -> Result | None:
    g = m.groupdict()
    unit = _unit(g["unit"])
    num = (g.get("num") or "").lower()
    n = L.number_value(num) if num else None
    if unit == "second" and num in ("a", "an", "one"):
        return None  # "a second time", "a second option": an ordinal, not a duration
    if unit == "quarter" and re.search(r"\w-quarters?\b", m.group(0) or ""):
        return None  # "three-quarters": a fraction
    if g.get("num2"):
        n = None
    return Result("DURATION", _duration(n, unit, bool(g.get("half"))), "none")


def _dur_bare(m: re.Match[str], ctx: Ctx) -> Result | None:
    return Result("DURATION", _duration(None, _unit(m.group("unit"))), "none")


def _ref(value: str) -> Handler:
    return lambda m, ctx: Result("DATE", value, "none")


def _today(m: re.Match[str], ctx: Ctx) -> Result | None:
    word = m.group("word").lower()
    offset = {"today": 0, "yesterday": -1, "tomorrow": 1}[word]
    if ctx.dct is None:
        return Result("DATE", "XXXX-XX-XX", "none", True)
    if ctx.dct.gran != "day":
        return _deictic(ctx, "day", offset)
    return Result("DATE", shift(ctx.dct, offset, "day").value(), "publication")


def _weekday(m: re.Match[str], ctx: Ctx) -> Result | None:
    g = m.groupdict()
    wd = L.WEEKDAYS[g["wd"].lower()]
    rel = (g.get("rel") or "").lower()
    if ctx.dct is None or ctx.dct.gran != "day":
        return Result("DATE", f"XXXX-WXX-{wd + 1}", "none", True)
    if ("previous" in rel or "following" in rel) and (
        ctx.preceding is not None and ctx.preceding.gran == "day"
    ):
        # strictly before / after the day in focus: "the previous Friday", said of a
        # Friday, is a week earlier
        back = "previous" in rel
        day = weekday_near(shift(ctx.preceding, -1 if back else 1, "day"), wd, -1 if back else 1)
        return Result("DATE", day.value(), "preceding")
    if "last" in rel or "previous" in rel or "past" in rel:
        day = weekday_near(shift(ctx.dct, -1, "day"), wd, -1)
    elif "next" in rel or "coming" in rel or "following" in rel:
        day = weekday_near(shift(ctx.dct, 1, "day"), wd, 1)
    elif rel == "this":
        day = weekday_near(ctx.dct, wd, 1 if ctx.tense == "future" else 0)
    else:
        day = weekday_near(ctx.dct, wd, 1 if ctx.tense == "future" else -1)
    part = g.get("part")
    if part:
        return Result("TIME", f"{day.value()}T{L.PARTS_OF_DAY[part.lower()]}", "publication")
    return Result("DATE", day.value(), "publication")


def _part_of_day(m: re.Match[str], ctx: Ctx) -> Result | None:
    g = m.groupdict()
    part = L.PARTS_OF_DAY[(g.get("part") or "tonight").lower()]
    rel = (g.get("rel") or "").lower()
    dword = (g.get("dword") or "").lower()
    offset = -1 if rel in ("last", "yesterday") or dword == "yesterday" else 0
    offset = 1 if rel == "tomorrow" or dword == "tomorrow" else offset
    if ctx.dct is None or ctx.dct.gran != "day":
        return Result("TIME", f"XXXX-XX-XXT{part}", "none", True)
    return Result("TIME", f"{shift(ctx.dct, offset, 'day').value()}T{part}", "publication")


def _clock(m: re.Match[str], ctx: Ctx) -> Result | None:
    g = m.groupdict()
    if g.get("named"):
        hour, minute = (12, 0) if g["named"].lower() == "noon" else (24, 0)
    else:
        hour, minute = int(g["h"]), int(g["min"] or 0)
        ampm = (g.get("ampm") or "").lower().replace(".", "")
        if hour > 24 or minute > 59:
            return None
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
    day = _day_of(g, ctx)
    if day is None:
        return Result("TIME", f"XXXX-XX-XXT{hour:02d}:{minute:02d}", "none", True)
    return Result("TIME", f"{day.value()}T{hour:02d}:{minute:02d}", "publication")


def _day_of(g: dict[str, str | None], ctx: Ctx) -> Point | None:
    """The day a time of day belongs to: a named day, a weekday, or the publication date."""
    month_text, day_text, wd_text = g.get("month"), g.get("day"), g.get("wd")
    named = None
    if month_text and day_text:
        month, day = L.month_value(month_text), L.day_value(day_text)
        if month and day and ctx.dct is not None:
            named = Point("day", ctx.dct.year, month, day)
    if named is not None or ctx.dct is None or ctx.dct.gran != "day":
        return named
    if wd_text:
        return weekday_near(
            ctx.dct, L.WEEKDAYS[wd_text.lower()], 1 if ctx.tense == "future" else -1
        )
    offset = {"yesterday": -1, "tomorrow": 1}.get((g.get("dword") or "").lower(), 0)
    return shift(ctx.dct, offset, "day")


def _set(m: re.Match[str], ctx: Ctx) -> Result | None:
    g = m.groupdict()
    what = re.sub(r"\s+", " ", g["what"].lower())
    if g.get("month"):
        month = L.month_value(g["month"])
        return Result("SET", f"XXXX-{month:02d}", "none")
    if g.get("wd"):
        day = L.WEEKDAYS[g["wd"].lower().removesuffix("s")] + 1
        part = (g.get("part") or "").lower().removesuffix("s")
        suffix = f"T{L.PARTS_OF_DAY[part]}" if part in L.PARTS_OF_DAY else ""
        return Result("SET", f"XXXX-WXX-{day}{suffix}", "none")
    adverbs = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M",
               "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H", "nightly": "P1D"}  # fmt: skip
    if what in adverbs:
        return Result("SET", adverbs[what], "none")
    if what in L.SEASON_CODES:
        return Result("SET", f"XXXX-{L.SEASON_CODES[what]}", "none")
    unit = _unit(what)
    if unit in L.UNIT_CODES:
        return Result("SET", _duration(1, unit), "none")
    return None
