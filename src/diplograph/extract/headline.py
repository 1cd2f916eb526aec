"""Parse a title-case headline as the sentence it is.

The small English model parses "Kazakhstan Joins Abraham Accords and Seeks NATO Membership"
as one long name: "Joins" and "Seeks" come out as proper nouns, and the claim read from it
had the Abraham Accords seeking NATO membership. Headlines written in sentence case
("Kazakhstan joins Abraham Accords and seeks NATO membership") parse as clauses.

:func:`sentence_cased` lowers the capital of each headline word that is not a name: a
word keeps its capital when it is the first one, an acronym, or written with a capital
somewhere in the body other than at a sentence start (the names the article repeats).
Words of the names the actor dictionary knows keep their capital too.
Lowering a capital never changes the length of the text, so every offset stays the same.
The parse of the re-cased text is then moved back onto the original words by
:func:`with_original_words`: the annotations (tags, lemmas, dependencies, entities) are
the re-cased parse's, the text is the article's own.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import TYPE_CHECKING, cast

from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG
from spacy.tokens import Doc

from .segment import HEADLINE_WORDS

if TYPE_CHECKING:
    from thinc.types import Ints2d

__all__ = ["sentence_cased", "with_original_words"]

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
#: Small words a title-case headline capitalizes too.
_SMALL = frozenset({"a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for",
                    "with", "by", "as", "from", "over", "after", "into", "amid", "is", "are"})


def _title_case(line: str) -> bool:
    """A short line without final punctuation whose content words are mostly capitalized."""
    line = line.strip()
    words = _WORD.findall(line)
    if not 3 <= len(words) <= HEADLINE_WORDS or line.endswith((".", "!")):
        return False
    content = [w for w in words[1:] if w.lower() not in _SMALL and len(w) > 3]
    capital = [w for w in content if w[0].isupper() and not w.isupper()]
    return len(content) >= 2 and len(capital) >= 0.6 * len(content)


def _headline(text: str) -> tuple[int, int] | None:
    """The span of the first non-empty line when it reads as a title-case headline."""
    lo = len(text) - len(text.lstrip())
    hi = text.find("\n", lo)
    if hi < 0 or not _title_case(text[lo:hi]):
        return None
    return lo, hi


def _names_in(body: str) -> set[str]:
    """Words the body writes with a capital other than at a sentence start (title-case
    lines, such as the headline repeated above the text, do not count)."""
    names: set[str] = set()
    body = "\n".join(line for line in body.split("\n") if not _title_case(line))
    for m in _WORD.finditer(body):
        word = m.group()
        if not word[0].isupper():
            continue
        before = body[max(0, m.start() - 3) : m.start()].rstrip(" \"'“‘(")
        if before and before[-1] not in ".!?:\n":
            names.add(word)
    return names


def sentence_cased(text: str, known: Collection[str] = frozenset()) -> str | None:
    """``text`` with its title-case headline in sentence case, or None when the text opens
    with no such headline (or re-casing would change its length). ``known``: words of the
    names the actor dictionary knows ("Washington", "Caucasus"), which keep their capital."""
    span = _headline(text)
    if span is None:
        return None
    lo, hi = span
    names = _names_in(text[hi:]) | set(known)
    line = text[lo:hi]
    spans = [(lo, hi)]
    at = text.find(line, hi)  # the headline repeated above the text (a page's title and h1)
    while at >= 0:
        if (at == 0 or text[at - 1] == "\n") and text[at + len(line) : at + len(line) + 1] in ("\n", ""):
            spans.append((at, at + len(line)))
        at = text.find(line, at + len(line))
    out = []
    last = 0
    for a, b in spans:
        first = True
        for m in _WORD.finditer(text, a, b):
            word = m.group()
            keep = first or word.isupper() or not word[0].isupper() or word in names or (
                text[a : m.start()].rstrip().endswith(":"))  # "Opinion: The Doha truce ..."
            first = False
            out.append(text[last : m.start()])
            out.append(word if keep else word[0].lower() + word[1:])
            last = m.end()
    out.append(text[last:])
    cased = "".join(out)
    return cased if cased != text and len(cased) == len(text) else None


_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]


def with_original_words(doc: Doc, original: str) -> Doc:
    """``doc`` (a parse of a re-cased ``original``) on the original words, or ``doc``
    itself when the two texts do not line up token by token."""
    if len(doc.text) != len(original):
        return doc
    words = [original[t.idx : t.idx + len(t)] for t in doc]
    spaces = [bool(t.whitespace_) for t in doc]
    out = Doc(doc.vocab, words=words, spaces=spaces)
    if out.text != original:
        return doc
    values = cast("Ints2d", doc.to_array(_ATTRS).astype("uint64"))
    out.from_array(_ATTRS, values)
    out.user_data.update(doc.user_data)
    # lemmas of the words kept as written are the re-cased parse's; a re-cased word's
    # lemma is already its lower form's
    return out
