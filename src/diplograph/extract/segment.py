"""Sentence boundaries the parser cannot see: paragraph breaks, headlines and datelines.

spaCy's parser decides sentence boundaries from syntax alone, so a headline without a
full stop ("Azerbaijan's Dilemma: To Attend or Not Attend NATO Summit") or a dateline
("March 21, 2024") on its own line is glued to the first sentence of the next paragraph,
and every fact found there would point at a "sentence" that spans both. The
``diplograph_paragraphs`` component runs before the parser and marks a sentence start

* after a blank line (a whitespace token holding two or more line breaks), always;
* after a single line break when the line before ends in ``.``, ``?`` or ``!`` (a
  closing quote or bracket may follow), or is headline-like: at most
  :data:`HEADLINE_WORDS` words, no final punctuation, and most words capitalized.

Other single line breaks (hard-wrapped text) are left to the parser, which keeps a
sentence that continues on the next line whole. The word right after a paragraph's first
word, on the same line, is marked as no sentence start: the parser sometimes cut the first
word off as a sentence of its own ("Azerbaijan | has taken part in ..."). A wire dateline that opens a line
("WASHINGTON (AP) — ", "HEMPSTEAD, N.Y., Sept. 26 (UPI) — ", "ANKARA, April 3 - ") is a
sentence of its own too, so that the place is not read as the subject of the sentence it
precedes. The parser respects preset starts.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.attrs import IDX, IS_SPACE, LENGTH
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["COMPONENT", "DATELINE", "HEADLINE_WORDS", "add_paragraph_breaks", "dateline_span",
           "mark_paragraph_breaks"]

COMPONENT = "diplograph_paragraphs"
#: Longest line (in words) that can count as a headline or a dateline.
HEADLINE_WORDS = 20
_TERMINAL = frozenset(".?!")
#: A wire dateline: a place in capitals (3+ letters), optional ", State., Month day" parts,
#: an optional "(Agency)", and a dash.
DATELINE = re.compile(
    r"[A-Z][A-Z'’.\-]{2,}(?:[ /][A-Z][A-Z'’.\-]+){0,3}"
    r"(?:,\s*[A-Z0-9][\w.]*(?:\s+[\w.,]+){0,3}){0,3}\s*(?:\([^()\n]{1,30}\))?\s*[-–—]{1,2}\s+"
)
_CLOSERS = frozenset("\"'”’)]»")
#: How far into an article its wire dateline may open a line (after the headline).
DATELINE_REACH = 400


def dateline_span(text: str) -> tuple[int, int] | None:
    """The offsets of the wire dateline that opens one of the article's first lines
    ("BEIJING - ...", "KINGSTOWN, St Vincent - ..."), or None."""
    at = 0
    while at < min(len(text), DATELINE_REACH):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        m = DATELINE.match(text, at)
        if m is not None:
            return at, m.end()
        at = end + 1
    return None


def _headline_like(words: list[str]) -> bool:
    if not words or len(words) > HEADLINE_WORDS:
        return False
    alpha = [w for w in words if w[:1].isalpha()]
    capital = sum(w[0].isupper() for w in alpha)
    return not alpha or capital * 2 > len(alpha)


def _ends_sentence(line: str) -> bool:
    line = line.rstrip()
    while line and line[-1] in _CLOSERS:
        line = line[:-1]
    return bool(line) and line[-1] in _TERMINAL


def mark_paragraph_breaks(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on the first token after each paragraph break (see above).

    Reads the tokens' attributes as one array: building a ``Token`` object for every
    token would cost more than the rest of this step.
    """
    text = doc.text
    n = len(doc)
    rows = doc.to_array([IS_SPACE, IDX, LENGTH]).tolist() if n else []
    line_start = 0
    lines = [(0, 0)]  # (offset, token index) of each line's first token
    i = 0
    while i < n:
        space, at, length = rows[i]
        if not space or "\n" not in text[at : at + length]:
            i += 1
            continue
        j, newlines = i, 0
        while j < n and rows[j][0]:  # the whole run of whitespace tokens
            newlines += text[rows[j][1] : rows[j][1] + rows[j][2]].count("\n")
            j += 1
        if j >= n:
            break
        line, nxt_at = text[line_start:at], rows[j][1]
        if newlines >= 2 or _ends_sentence(line) or (
            _headline_like(line.split()) and text[nxt_at : nxt_at + 1].isupper()
        ):
            doc[j].is_sent_start = True
            if j + 1 < n and not rows[j + 1][0] and text[rows[j + 1][1] : rows[j + 1][1] + 1].isalnum() and (
                    text[rows[j][1] : rows[j][1] + 1].isalnum()):
                # "Azerbaijan | has taken part in ...", "NATO | Secretary General ...": the
                # parser may cut a paragraph's first word off on its own; a word right after
                # it on the same line continues the sentence
                doc[j + 1].is_sent_start = False
        line_start = nxt_at
        lines.append((nxt_at, j))
        i = j
    starts = [r[1] for r in rows]
    for at, first in lines:
        m = DATELINE.match(text, at)
        if m is None or m.end() >= len(text) or not (
            text[m.end()].isupper() or text[m.end()] in "\"“‘'"
        ):
            continue  # "NATO - the alliance - met" is no dateline
        k = bisect_left(starts, m.end())
        if 0 < k < n - 1 and starts[k] == m.end():
            for t in range(first + 1, k):  # the dateline is one sentence
                doc[t].is_sent_start = False
            doc[k].is_sent_start = True
            doc[k + 1].is_sent_start = False
    return doc


@Language.component(COMPONENT)
def _component(doc: Doc) -> Doc:
    return mark_paragraph_breaks(doc)


def add_paragraph_breaks(nlp: Language) -> Language:
    """Add the component before the parser (once); returns ``nlp``."""
    if COMPONENT not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe(COMPONENT, before=before) if before else nlp.add_pipe(COMPONENT, first=True)
    return nlp
