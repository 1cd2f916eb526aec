"""The ordered rule table and the scanner that applies it to raw text.

Rules are tried in order by :func:`match_whole` (first full match wins), and all
at once by :func:`scan` (longest, then earliest, non-overlapping match wins).
"""

from __future__ import annotations

import re

from . import timex_lexicon as L
from . import timex_rules as R
from .timex_rules import Ctx, Result, Rule

_B = r"(?<![\w$£€#-])"  # left boundary: not inside a word, number or amount
_E = r"(?![\w-])"  # right boundary
_REL = r"(?:last|this|next|past|previous|coming|following|current|present|same)"
_AMBIG_REL = r"(?:earlier|later|early|late|mid-?|the\s+(?:end|beginning|start|middle)\s+of)"
_PART = r"(?P<part>morning|afternoon|evening|night)"


def _r(name: str, pattern: str, handler: R.Handler) -> Rule:
    return Rule(name, re.compile(_B + "(?:" + pattern + ")" + _E, re.IGNORECASE), handler)


RULES: tuple[Rule, ...] = (
    _r("iso", r"(?:1[6-9]|20)\d\d-[01]\d-[0-3]\d(?:T[\d:]+Z?)?", R._iso),
    _r("numeric", r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})", R._numeric_date),
    _r(
        "month_day",
        rf"(?:(?:around|about|approximately|roughly)\s+)?"
        rf"(?:(?:{_REL}\s+|this\s+coming\s+)?{L.WEEKDAY},?\s+)?(?:{L.EDGE})?(?P<month>{L.MONTH})\s+"
        rf"(?:the\s+)?(?P<day>{L.DAYNUM}|{L.DAYWORD})(?:,?\s+(?P<year>{L.YEAR}))?",
        R._month_day,
    ),
    _r(
        "day_month",
        rf"(?:{L.WEEKDAY},?\s+)?(?:the\s+)?(?P<day>{L.DAYNUM}|{L.DAYWORD})\s+(?:of\s+)?"
        rf"(?P<month>{L.MONTH})(?:,?\s+(?P<year>{L.YEAR}))?",
        R._month_day,
    ),
    _r(
        "month",
        rf"(?:(?P<rel>{_REL}|{_AMBIG_REL}(?:\s+(?:this|last|next))?)[\s-]+)?(?P<month>{L.MONTH})"
        rf"(?:(?:\s+of|,)?\s+(?P<year>{L.YEAR})|\s+(?P<rel2>this\s+year|last\s+year|next\s+year))?",
        R._month,
    ),
    _r("fiscal_short", r"(?:fiscal(?:\s+year)?\s+|FY\s*)'?(?P<yy>\d\d)(?!\d)", R._short_fiscal),
    _r(
        "quarter",
        rf"(?:(?:the(?!\s+(?:fiscal\s+)?\w+-quarter)|this\s+year's|last\s+year's|"
        rf"(?P<pyear>{L.YEAR4})'s)\s+)?"
        rf"(?:(?P<rel>last\s+year's|last|this|current|fiscal|latest|year-ago|year-earlier|"
        r"year\s+earlier|previous\s+year's|prior-year|prior\s+year's)\s+)?"
        rf"(?:fiscal\s+)?(?P<q>{L.ORD4}|last|latter)[\s-]+(?:fiscal[\s-]+)?(?:(?P<qq>quarter)|(?P<half>half))"
        rf"(?:\s+of\s+(?:the\s+)?(?:fiscal\s+(?:year\s+)?)?(?P<year>{L.YEAR})|\s+(?P<year2>{L.YEAR4}))?",
        lambda m, c: R._quarter(_fold_year2(m), c),
    ),
    _r(
        "year_period",
        rf"(?:the\s+)?(?P<year>{L.YEAR4})(?:'s)?\s+(?:(?P<q>{L.ORD4})[\s-]+)?(?:fiscal\s+)?"
        r"(?P<what>quarter|period|half|first\s+half|second\s+half)",
        R._year_period,
    ),
    _r(
        "q_code",
        rf"(?P<q>[1-4])Q|Q(?P<q2>[1-4])\s*(?P<year>{L.YEAR4})?",
        lambda m, c: R._quarter(_QCode(m), c),
    ),
    _r(
        "year",
        rf"(?:{L.EDGE}(?:the\s+year\s+)?)?(?:(?:fiscal|calendar|financial)(?:\s+year)?\s+|FY\s*)?"
        rf"(?P<year>{L.YEAR})",
        R._year,
    ),
    _r(
        "decade",
        r"(?:the\s+)?(?:(?:early|mid|late)[\s-]+|(?:first|second|last|latter)\s+half\s+of\s+"
        r"(?:the\s+)?)?(?:(?P<dec4>(?:1[6-9]|20)\d0)'?s|"
        r"(?P<dec2>'\d0)s|(?P<decw>(?:nineteen[\s-]+)?"
        r"(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)))",
        R._decade,
    ),
    _r(
        "century",
        r"(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?P<ord>\d\dth|21st|nineteenth|twentieth|"
        r"twenty-first|eighteenth)\s+century",
        R._century,
    ),
    _r(
        "season",
        rf"(?:(?P<rel>(?:(?:the|this|last|next|past|coming|early|late|mid|this\s+past)[\s-]+)+))?"
        rf"(?P<season>{L.SEASON})(?:(?:\s+of)?\s+(?P<year>{L.YEAR}))?",
        R._season,
    ),
    _r(
        "ana_quarter",
        # the same period one year before: "the corresponding quarter last year", "last
        # year's period", "the quarter a year ago"
        r"(?P<rel3>(?:the\s+)?(?:corresponding|comparable|same)\s+(?:quarter|period)\s+"
        r"(?:of\s+)?(?:last\s+year|the\s+(?:previous|prior)\s+year|a\s+year\s+(?:ago|earlier))|"
        r"(?:last|the\s+(?:previous|prior))\s+year's\s+(?:quarter|period)|"
        r"the\s+(?:quarter|period)\s+a\s+year\s+(?:ago|earlier))|"
        r"(?P<rel>(?:the|this|its)(?:\s+(?:latest|current|last|previous|past|recent|fiscal|"
        r"comparable|same|year-earlier|year-ago|year\s+earlier|most\s+recent))*|last|"
        r"this|the\s+year-ago|the\s+year-earlier|year-ago|year-earlier)\s+quarter|"
        r"(?P<rel2>the\s+(?:latest|year-earlier|year-ago|comparable|same)|year-earlier|year-ago)"
        r"\s+period",
        lambda m, c: R._ana_quarter(_RelFold(m), c),
    ),
    _r(
        "ago",
        rf"{L.MOD}(?P<num>{L.NUM})\s+(?:more\s+)?(?P<unit>{L.UNIT})\s+"
        r"(?:or\s+so\s+)?(?P<dir>ago|earlier|later|from\s+now|hence|back)",
        R._ago,
    ),
    _r("year_adj", r"(?:year|year's)[\s-](?:earlier|ago)", R._year_adj),
    _r(
        "rel_unit",
        rf"(?P<rel>(?:{_AMBIG_REL}\s+)?(?:the\s+)?(?:this\s+(?:coming|past)|{_REL})|the\s+(?:end|beginning|"
        rf"start|middle)\s+of\s+the|the|that|{_AMBIG_REL}(?:\s+that)?)\s+"
        r"(?:(?:fiscal|full|calendar)\s+)?"
        r"(?P<unit>day|week|weekend|month|"
        r"quarter|year|decade|century)(?:'s\s+end)?",
        R._rel_unit,
    ),
    _r(
        "year_end",
        r"(?:around\s+|about\s+)?(?:the\s+)?(?P<rel>)year[\s-]end|(?P<unit>year)'s\s+end",
        lambda m, c: R._deictic(c, "year"),
    ),
    _r(
        "future_day",
        r"someday|(?:"
        + "|".join(
            rf"(?<=\b{w}\s)"
            for w in ("will", "would", "could", "might", "may", "can", "shall", "'ll", "’ll")
        )
        + r")(?:one|some)\s+day(?!\s*(?:,\s*)?(?:later|earlier|before|after|ago|or|and|of)\b)",
        R._ref("FUTURE_REF"),
    ),
    _r(
        "duration",
        rf"{L.MOD}(?:(?:the\s+|each\s+of\s+the\s+)?(?:past|last|next|coming|first|previous|"
        r"latest|final|following|recent|remaining|preceding)\s+|the\s+(?=\S+\s+\w+s\b))?"
        rf"(?P<num>{L.NUM})(?P<half>\s+1/2|\s+and\s+an?\s+half|-and-a-half)?"
        rf"(?:\s+(?:to|or)\s+(?P<num2>{L.NUM}))?[\s-]+(?:more\s+)?"
        rf"(?P<unit>{L.UNIT})(?:[\s-]+long)?(?![\s-]+old\b)",
        R._dur,
    ),
    _r(
        "dur_vague",
        r"(?:the\s+)?(?:past|last|next|ensuing|following)\s+"
        r"(?:(?:few|several|many|couple\s+of)\s+)?(?P<unit>seconds|minutes|hours|days|weeks|"
        r"months|quarters|years|decades)",
        R._dur_bare,
    ),
    _r(
        "dur_bare",
        r"(?<=\bfor\s)(?P<unit>seconds|minutes|hours|days|weeks|months|years|decades|"
        r"centuries)",
        R._dur_bare,
    ),
    _r(
        "today",
        r"(?:(?:late|early|later|earlier)\s+)?(?P<word>today|yesterday|tomorrow)(?!'s)",
        R._today,
    ),
    _r(
        "present",
        r"now|currently|at\s+present|presently|nowadays|these\s+days|"
        r"at\s+the\s+moment|current(?=\s+(?:level|rate|price|situation|period|conditions))",
        R._ref("PRESENT_REF"),
    ),
    _r(
        "past",
        r"(?:more\s+)?recently|lately|previously|formerly|the\s+past|"
        r"(?:recent|(?<!the\s)past)\s+(?:days|weeks|months|quarters|years|decades|times)",
        R._ref("PAST_REF"),
    ),
    _r(
        "future",
        r"soon|the\s+(?:near\s+|distant\s+)?future|the\s+(?:near|short|long)\s+term|"
        r"(?:the\s+)?coming\s+(?:days|weeks|months|quarters|years|decades)|"
        r"(?:the\s+)?(?:days|weeks|months|years)\s+ahead",
        R._ref("FUTURE_REF"),
    ),
    _r(
        "weekday",
        rf"(?:(?P<rel>last|this|next|past|previous|following|coming|this\s+past|this\s+coming|"
        rf"the\s+previous|the\s+following|early|late|earlier|later)\s+)?(?P<wd>{L.WEEKDAY})"
        rf"(?:\s+{_PART})?",
        R._weekday,
    ),
    _r(
        "part_of_day",
        rf"(?P<rel>this|last|yesterday|tomorrow|early\s+this|late\s+last|"
        rf"late|early|mid|mid-)[\s-]*{_PART}(?:\s+(?P<dword>today|yesterday|tomorrow))?|"
        r"(?P<tonight>tonight|overnight)",
        lambda m, c: R._part_of_day(_Tonight(m), c),
    ),
    _r(
        "clock",
        r"(?:(?:about|around|at\s+about|shortly\s+after|just\s+before)\s+)?(?:(?P<h>[01]?\d|2[0-4])"
        r"(?::(?P<min>[0-5]\d))?\s*(?P<ampm>a\.m\.?|p\.m\.?|am|pm)|(?P<named>noon|midnight))"
        r"(?:\s+(?:EST|EDT|GMT|UTC|CET|PST|PDT|local\s+time))?"
        rf"(?:,?\s+(?:(?P<dword>today|yesterday|tomorrow)|(?P<wd>{L.WEEKDAY})|"
        rf"(?P<month>{L.MONTH})\s+(?P<day>{L.DAYNUM})))?",
        R._clock,
    ),
    _r(
        "set",
        rf"(?:every|each|per)\s+(?:other\s+)?(?P<what>(?P<month>{L.MONTH})|(?P<wd>{L.WEEKDAY})|"
        r"day|week|month|quarter|year|summer|winter|spring|fall|autumn|hour|night)|"
        r"(?:(?<=\bonce\s)|(?<=\btwice\s)|(?<=\btimes\s))an?\s+(?P<what2>day|week|month|year)|"
        r"(?P<what3>(?-i:(?:[Dd]aily|[Ww]eekly|[Mm]onthly|[Qq]uarterly|[Aa]nnually|[Yy]early|"
        r"[Hh]ourly|[Nn]ightly)(?!\s+[A-Z])(?!\s+(?!(?:and|or|but|to|in|at|by|for|on|from|"
        r"since|until|with|as|the|a|an|through|during|over|basis)\b)[a-z])))|"
        rf"(?P<what4>(?P<wd2>(?-i:Mondays|Tuesdays|Wednesdays|Thursdays|Fridays|Saturdays|Sundays)))|"
        rf"(?P<what5>(?P<wd3>{L.WEEKDAY})\s+(?P<part>mornings|afternoons|evenings|nights))",
        lambda m, c: R._set(_SetFold(m), c),
    ),
)
RULE_BY_NAME = {rule.name: rule for rule in RULES}


class _Fold:
    """A match stand-in that renames optional groups, so one handler serves variants."""

    def __init__(self, m: re.Match[str], renames: dict[str, str]) -> None:
        self._m = m
        self._d = dict(m.groupdict())
        for src, dst in renames.items():
            if self._d.get(src) and not self._d.get(dst):
                self._d[dst] = self._d[src]

    def groupdict(self) -> dict[str, str | None]:
        return self._d

    def group(self, key: int | str = 0) -> str | None:
        return self._m.group(0) if key == 0 else self._d.get(key)  # type: ignore[arg-type]

    @property
    def string(self) -> str:
        return self._m.string

    def start(self) -> int:
        return self._m.start()

    def end(self) -> int:
        return self._m.end()


def _fold_year2(m: re.Match[str]) -> re.Match[str]:
    return _Fold(m, {"year2": "year"})  # type: ignore[return-value]


def _QCode(m: re.Match[str]) -> re.Match[str]:
    return _Fold(m, {"q2": "q"})  # type: ignore[return-value]


def _RelFold(m: re.Match[str]) -> re.Match[str]:
    return _Fold(m, {"rel2": "rel", "rel3": "rel"})  # type: ignore[return-value]


def _Tonight(m: re.Match[str]) -> re.Match[str]:
    return _Fold(m, {"tonight": "part"})  # type: ignore[return-value]


def _SetFold(m: re.Match[str]) -> re.Match[str]:
    return _Fold(
        m,
        {
            "what2": "what",
            "what3": "what",
            "what4": "what",
            "what5": "what",
            "wd2": "wd",
            "wd3": "wd",
        },
    )  # type: ignore[return-value]


Hit = tuple[int, int, Rule, "re.Match[str]"]


def scan(text: str) -> list[Hit]:
    """Candidate matches in ``text``: non-overlapping, longest first, in text order."""
    found: list[tuple[int, int, int, Rule, re.Match[str]]] = []
    for order, rule in enumerate(RULES):
        for m in rule.pattern.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), m.end(), order, rule, m))
    found.sort(key=lambda c: (c[0] - c[1], c[0], c[2]))
    taken: list[Hit] = []
    for start, end, _order, rule, m in found:
        if all(end <= s or start >= e for s, e, _, _ in taken):
            taken.append((start, end, rule, m))
    taken.sort(key=lambda c: c[0])
    return taken


def match_whole(text: str, ctx: Ctx) -> Result | None:
    """Normalize a whole phrase: the first rule that matches all of it."""
    for rule in RULES:
        m = rule.pattern.fullmatch(text)
        if m is not None:
            res = rule.handler(m, ctx)
            if res is not None:
                return res
    return None
