"""Small helpers every annotator shares: sentences, sentence lookup, results so far.

The extract stage computes the article's sentences once per document and stores them
on the ``Doc`` (``doc.user_data``), together with the records earlier annotators
returned, so later annotators (events need mentions and timexes) can read them::

    from diplograph.extract.records import found, sentence_of

    mentions = found(doc).get("mentions", ())
    index = sentence_of(doc, token.i)
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

from spacy.tokens import Doc

from ..model import Sentence

__all__ = ["RESULTS_KEY", "found", "sentence_of", "sentence_starts", "sentences", "text_of"]

RESULTS_KEY = "diplograph.results"  # doc.user_data key: {field: tuple of records}
_STARTS_KEY = "diplograph.sent_starts"  # doc.user_data key: token index of each sentence start
_TEXT_KEY = "diplograph.text"  # doc.user_data key: the doc's text, built once


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once per document: spaCy rebuilds the string from the
    tokens on every ``doc.text`` access, which is linear in the article's length."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def sentences(doc: Doc, article_id: str) -> tuple[Sentence, ...]:
    """The article's sentences with character offsets (end exclusive), in order.

    Whitespace-only sentences (blank lines the parser split off) are kept so the indices
    stay aligned with ``doc.sents``.
    """
    starts: list[int] = []
    out: list[Sentence] = []
    has_sents = doc.has_annotation("SENT_START")
    spans = list(doc.sents) if has_sents and len(doc) else [doc[:]]
    for i, sent in enumerate(spans):
        starts.append(sent.start)
        out.append(Sentence(article_id, i, sent.start_char, sent.end_char))
    doc.user_data[_STARTS_KEY] = starts
    return tuple(out)


def sentence_starts(doc: Doc) -> list[int]:
    """Token index of each sentence start (computed once per document)."""
    starts = doc.user_data.get(_STARTS_KEY)
    if starts is None:
        sentences(doc, "")
        starts = doc.user_data[_STARTS_KEY]
    return starts  # type: ignore[no-any-return]


def sentence_of(doc: Doc, token_index: int) -> int:
    """Index of the sentence that contains token ``token_index``."""
    return max(0, bisect_right(sentence_starts(doc), token_index) - 1)


def found(doc: Doc) -> Mapping[str, tuple[Any, ...]]:
    """The records produced so far for this document (``sentences``, ``mentions``, ...)."""
    return doc.user_data.get(RESULTS_KEY, {})  # type: ignore[no-any-return]
