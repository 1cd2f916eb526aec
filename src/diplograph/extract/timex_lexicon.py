"""Word lists and regular-expression building blocks for English temporal expressions.

Everything here is general English temporal vocabulary (month and weekday names,
number words, calendar units, deictic adverbs); nothing is keyed to any corpus.
"""

from __future__ import annotations

import re

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}  # fmt: skip
SEASON_CODES = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
    "tonight": "NI",
}  # fmt: skip
_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    "twenty-first": 21, "twenty-second": 22, "twenty-third": 23, "twenty-fourth": 24,
    "twenty-fifth": 25, "twenty-sixth": 26, "twenty-seventh": 27, "twenty-eighth": 28,
    "twenty-ninth": 29, "thirty-first": 31,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "19th": 19, "20th": 20, "21st": 21,
}  # fmt: skip
VAGUE = ("a few", "few", "several", "many", "some", "a number of", "a couple of", "couple of")
UNIT_CODES = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W",
    "weekend": "WE", "month": "M", "quarter": "Q", "year": "Y", "decade": "DE",
    "century": "CE", "millennium": "ML",
}  # fmt: skip


def alt(words: object) -> str:
    """A non-capturing alternation, longest words first so they win."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items) + ")"


_CAP_MONTHS = [m.capitalize() for m in MONTHS if len(m) > 4 or m in ("may", "june", "july")]
_ABBR_MONTHS = [
    m.capitalize() + r"\." for m in MONTHS if len(m) <= 4 and m not in ("may", "june", "july")
]
# Month and weekday names must be capitalized ("May" but not the modal "may").
MONTH = "(?-i:" + "|".join(sorted(_CAP_MONTHS, key=len, reverse=True)) + "|" + "|".join(
    sorted(_ABBR_MONTHS, key=len, reverse=True)) + r"|Sept\b)"  # fmt: skip
WEEKDAY = "(?-i:" + "|".join(d.capitalize() for d in WEEKDAYS) + ")"
SEASON = alt(SEASON_CODES)
_NUMWORD = "(?:" + alt(_TENS) + r"(?:[-\s]" + alt(_ONES[1:10]) + ")?|" + alt(_ONES[1:]) + ")"
NUM = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|(?:a|one|two|three|four|five)?\s*hundred|"
    + _NUMWORD + "|" + alt(VAGUE) + r"|an?(?=\s)|couple)"
)  # fmt: skip
UNIT_SG = alt(["second", "minute", "hour", "day", "night", "week", "weekend", "month",
               "quarter", "year", "decade", "century", "millennium"])  # fmt: skip
UNIT_PL = alt(["seconds", "minutes", "hours", "days", "nights", "weeks", "weekends", "months",
               "quarters", "years", "decades", "centuries", "millennia"])  # fmt: skip
UNIT = f"(?:(?:trading|business|working|calendar)\\s+)?(?:{UNIT_PL}|{UNIT_SG})"
YEAR4 = r"(?:1[6-9]\d\d|20\d\d)(?![\d,.%]\d|\s*%|\s+percent)"
SPELLED_YEAR = (
    r"(?:nineteen[-\s]" + _NUMWORD + r"|(?:the\s+year\s+)?two\s+thousand(?:\s+and)?(?:\s+"
    + _NUMWORD + ")?)"
)  # fmt: skip
YEAR = f"(?:{YEAR4}|{SPELLED_YEAR})"
DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
DAYWORD = alt(k for k, v in ORDINALS.items() if v <= 31 and not k[0].isdigit())
ORD4 = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
MOD = (
    r"(?:(?:more\s+than|less\s+than|fewer\s+than|no\s+more\s+than|nearly|almost|about|"
    r"around|roughly|approximately|over(?!\s+the\b)|under|at\s+least|at\s+most|up\s+to|"
    r"well\s+over|some)\s+)?"
)
EDGE = r"(?:(?:early|late|mid|the\s+(?:end|beginning|start|middle)\s+of|the\s+turn\s+of)[-\s]+)"
PREPOSITIONS = re.compile(
    r"^(?:in|on|at|since|from|by|until|till|during|for|of|through|throughout|before|after|over|within|"
    r"to|between|as\s+of|starting|beginning|until)\s+",
    re.IGNORECASE,
)


def number_value(text: str) -> int | None:
    """The integer a number phrase denotes; None for vague quantities ("several")."""
    t = re.sub(r"\s+", " ", text.strip().lower())
    if not t or any(t == v or t.startswith(v + " ") for v in VAGUE) or t == "couple":
        return 2 if "couple" in t else None
    if t in ("a", "an"):
        return 1
    t = t.replace(",", "")
    try:
        return int(float(t))
    except ValueError:
        pass
    if t.endswith("hundred"):
        head = t[: -len("hundred")].strip()
        return 100 * (number_value(head) or 1) if head else 100
    total = 0
    for part in re.split(r"[-\s]+", t):
        if part in _ONES:
            total += _ONES.index(part)
        elif part in _TENS:
            total += 20 + 10 * _TENS.index(part)
        elif part in ("and",):
            continue
        else:
            return None
    return total


def year_value(text: str) -> int | None:
    """``"1998"``, ``"nineteen ninety-six"``, ``"the year two thousand"`` -> the year."""
    t = re.sub(r"\s+", " ", text.strip().lower())
    if re.fullmatch(r"\d{4}", t):
        return int(t)
    t = t.removeprefix("the year ").strip()
    if t.startswith("nineteen "):
        rest = number_value(t[len("nineteen ") :])
        return 1900 + rest if rest is not None and rest < 100 else None
    if t.startswith("two thousand"):
        tail = t[len("two thousand") :].replace("and", "").strip()
        extra = number_value(tail) if tail else 0
        return 2000 + extra if extra is not None else None
    return None


def day_value(text: str) -> int | None:
    """``"4"``, ``"4th"``, ``"fourth"`` -> 4."""
    t = text.strip().lower()
    m = re.match(r"\d+", t)
    if m:
        return int(m.group())
    return ORDINALS.get(t)


def month_value(text: str) -> int | None:
    """``"Sept."`` -> 9."""
    return MONTHS.get(text.strip().lower().rstrip("."))
