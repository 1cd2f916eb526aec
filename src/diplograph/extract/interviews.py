"""Interviews in question-and-answer form: every answer is a direct quote of the interviewee.

A news interview prints its questions and answers as paragraphs that open with "Q:" and
"A:" (or "Question:" / "Answer:"). The answers are the interviewee's words, not the
outlet's: without this step the tagger finds no cue in them, and a statement such as
"Moldova has never threatened anyone" would be read as the outlet's own assertion.

:func:`with_interview_answers` finds such an article (at least one question and one
answer paragraph), takes as the interviewee the first person the article names outside
the questions and answers, preferring one named in a sentence about the interview ("The
foreign minister, Mihai Popsoi, *spoke to* the Review"), and turns each answer paragraph
into one direct attribution: the "A:" marker is its cue, the interviewee's mention its
source, the rest of the paragraph its content. Attributions the tagger found inside an
answer give way to it. With no person named, the article is left as it was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc

from ..model import Mention
from .quotes import Attribution
from .records import text_of

_QUESTION = re.compile(r"(?m)^[ \t]*(?:Q|Question)\s*[:.]\s+")
_ANSWER = re.compile(r"(?m)^[ \t]*(?:A|Answer)\s*[:.]\s+(?=\S)")
_FIRST_PERSON = frozenset({"i", "we"})
_SAID = frozenset({"said", "says", "told", "added", "noted", "stated", "according to"})
_ABOUT = re.compile(r"\b(?:interview\w*|spoke|speaking|talked|told)\b", re.IGNORECASE)


def _paragraphs(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int, int]]:
    """(marker start, content start, paragraph end) of the paragraphs ``pattern`` opens."""
    out = []
    for m in pattern.finditer(text):
        end = text.find("\n", m.end())
        out.append((m.start(), m.end(), len(text) if end < 0 else end))
    return out


def _interviewee(text: str, mentions: Sequence[Mention],
                 qa: Sequence[tuple[int, int, int]]) -> Mention | None:  # fmt: skip
    """The first person named outside the questions and answers, one named in a sentence
    about the interview first."""
    outside = [m for m in mentions if not any(a <= m.start < c for a, _, c in qa)]
    for m in outside:
        lo = max(text.rfind(".", 0, m.start), text.rfind("\n", 0, m.start)) + 1
        hi = min(x for x in (text.find(".", m.end), text.find("\n", m.end), len(text)) if x >= 0)
        if _person_like(m) and _ABOUT.search(text, lo, hi):
            return m
    # else the first person named in full ("Sikh", a single unknown word the parser calls a
    # person, is no interviewee)
    people = [m for m in outside if m.actor_id[:1].islower() or (
        m.label == "PERSON" and len(m.text.split()) >= 2)]
    return people[0] if people else None


def _person_like(m: Mention) -> bool:
    """A person, or an unknown name of two or three capitalized words (the small parser
    often tags an unknown minister's name ORG)."""
    if m.label == "PERSON" or m.actor_id[:1].islower():
        return True
    words = m.text.split()
    return m.actor_id.startswith("?") and 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words)


def with_interview_answers(doc: Doc, mentions: Sequence[Mention],
                           found: Sequence[Attribution]) -> list[Attribution]:  # fmt: skip
    """``found`` with each answer of a question-and-answer interview as one direct quote
    of the interviewee (module doc); unchanged for any other article."""
    text = text_of(doc)
    answers = _paragraphs(text, _ANSWER)
    questions = _paragraphs(text, _QUESTION)
    if not answers or not questions:
        return list(found)
    who = _interviewee(text, mentions, [*answers, *questions])
    if who is None:
        return list(found)
    starts = [s.start_char for s in doc.sents]
    # an answer that names its own source ("..., a Canadian official said") keeps it; the
    # tagger's other attributions inside answers give way to the interviewee
    attributed = [(lo, hi) for lo, _, hi in answers if any(
        lo <= a.cue[0] < hi and a.source is not None and lo <= a.source[0] < hi
        and text[a.cue[0]:a.cue[1]].lower() in _SAID  # (not a stance: "China *opposes* ...")
        and text[a.source[0]:a.source[1]].lower() not in _FIRST_PERSON for a in found)]
    out = [a for a in found if not any(lo <= a.cue[0] < hi for lo, _, hi in answers)
           or any(lo <= a.cue[0] < hi for lo, hi in attributed)]
    for marker, begin, end in answers:
        content_end = len(text[:end].rstrip())
        if content_end <= begin or any(lo == marker for lo, _ in attributed):
            continue
        sentence = max(i for i, s in enumerate(starts) if s <= begin) if starts[0] <= begin else 0
        cue = (marker + len(text[marker:begin]) - len(text[marker:begin].lstrip()),
               marker + len(text[marker:begin].rstrip()))  # "A:"
        out.append(Attribution("direct", sentence, cue, (who.start, who.end),
                               ((begin, content_end),), "interview"))
    return sorted(out, key=lambda a: a.cue)


__all__ = ["with_interview_answers"]
