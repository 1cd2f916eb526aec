"""Small helpers every annotator shares: sentences, sentence lookup, results so far.

The extract stage computes the article's sentences once per document and stores them
on the ``Doc`` (``doc.user_data``), together with the records earlier annotators
returned, so later annotators (events need mentions and timexes) can read them::

    from diplograph.extract.records import found, sentence_of

    mentions = found(doc).get("mentions", ())
    index = sentence_of(doc, token.i)
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from spacy.attrs import LEMMA, LOWER, POS
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Doc, Span, Token

from ..model import Mention, Sentence

__all__ = [
    "CONCLUDING_VERBS",
    "LEMMA_FIXES",
    "RESULTS_KEY",
    "ROLE_NOUNS",
    "STATE_ID",
    "found",
    "governing_preposition",
    "included",
    "lemma",
    "paragraph_start",
    "person_mention",
    "previous_paragraph_start",
    "semicolon_before",
    "sentence_of",
    "sentence_starts",
    "sentences",
    "sentences_before",
    "text_of",
    "token_forms",
    "token_pos",
]

#: An actor id of the state form (ISO 3166 alpha-3: "AZE"); a group may share the form
#: ("RSF"), so where it matters the actor's kind is checked too.
STATE_ID = re.compile(r"[A-Z]{3}")

RESULTS_KEY = "diplograph.results"  # doc.user_data key: {field: tuple of records}
_STARTS_KEY = "diplograph.sent_starts"  # doc.user_data key: token index of each sentence start
_TEXT_KEY = "diplograph.text"  # doc.user_data key: the doc's text, built once
_FORMS_KEY = "diplograph.forms"  # doc.user_data key: (lower_, lemma_.lower()) per token
_POS_KEY = "diplograph.pos"  # doc.user_data key: pos_ per token


#: Relative pronouns: "Iran, *which* arms the Houthis"; "the PfP, *which* Armenia joined".
RELATIVE_PRONOUNS = frozenset({"which", "who", "whom", "that"})


def semicolon_before(clause: Token, at: int) -> bool:
    """A semicolon stands between the end of ``clause`` and token ``at``: a clause set
    before another's with a semicolon, which spaCy may make its complement ("Georgia
    freezes EU talks*;* Washington suspends ..."), is no part of it."""
    return any(t.text == ";" for t in clause.doc[clause.right_edge.i + 1 : at])


def paragraph_start(text: str, at: int) -> int:
    """Offset where the paragraph holding offset ``at`` starts: just after the last line
    break before it (cleaned article text has one paragraph per line)."""
    return text.rfind("\n", 0, at) + 1


#: Nouns of a person's role: "the *minister*", "Kenya's *president*".
ROLE_NOUNS = {
    "minister", "spokesman", "spokeswoman", "spokesperson", "president", "official",
    "ambassador", "diplomat", "secretary", "general", "chief", "leader", "premier",
    "chancellor", "envoy", "head", "director", "chairman", "chair", "expert", "analyst",
    "lawmaker", "deputy", "senator", "commander", "representative", "mp",
}


def person_mention(m: Mention) -> bool:
    """A mention of a person: a dictionary person (their ids are lower-case name slugs,
    whatever label the parser gave the surname) or an unknown name tagged PERSON."""
    if m.actor_id.startswith("?"):
        return m.label == "PERSON"
    return m.actor_id[:1].islower()


def previous_paragraph_start(text: str, para: int) -> int:
    """Offset where the paragraph before the one starting at ``para`` starts (0 for the
    first paragraph)."""
    return paragraph_start(text, len(text[:para].rstrip())) if para else 0


def sentences_before(sent: Span, n: int = 2) -> Iterator[Span]:
    """Up to ``n`` sentences before ``sent``, nearest first, within its paragraph."""
    doc, at = sent.doc, sent.start
    for _ in range(n):
        if at == 0:
            return
        prev = doc[at - 1].sent
        if "\n" in text_of(doc)[prev.end_char : sent.start_char]:
            return
        yield prev
        at = prev.start


def governing_preposition(doc: Doc, start: int, end: int) -> str | None:
    """The preposition (lower case) whose object is the noun phrase of the span
    ``[start, end)``, through its modifiers ("at *NATO* headquarters": "at"), else None."""
    span = doc.char_span(start, end, alignment_mode="expand")
    root = span.root if span is not None and len(span) else None
    while root is not None and root.dep_ in ("compound", "amod", "poss", "nmod"):
        root = root.head
    return root.head.lower_ if root is not None and root.dep_ == "pobj" else None


#: Prepositions that name members of a group noun: "countries *including* X", "*like* X".
_INCLUDING = frozenset({"including", "like", "notably"})


def included(tok: Token) -> list[Token]:
    """The members a group noun names ("several countries, *including* Suriname and Togo",
    "states *such as* Iran"), their coordinated members left to the caller."""
    if tok.pos_ not in ("NOUN", "PRON", "ADJ", "DET", "NUM"):
        return []
    out: list[Token] = []
    for ch in tok.children:
        such = ch.lower_ == "as" and any(g.lower_ == "such" for g in [*ch.children, *tok.children])
        if ch.dep_ == "prep" and (ch.lower_ in _INCLUDING or such):
            out += [g for g in ch.children if g.dep_ == "pobj"]
    return out


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once per document: spaCy rebuilds the string from the
    tokens on every ``doc.text`` access, which is linear in the article's length."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


#: Verbs that conclude a deal: their subject is a party to it ("the ceasefire *that
#: Pakistan and Afghanistan signed*"), and what the deal commits to is the outlet's claim
#: ("*signed* a contract to deliver jets").
CONCLUDING_VERBS = frozenset({"sign", "agree", "reach", "conclude", "seal", "strike", "ink",
                              "finalize", "finalise", "negotiate", "declare"})

#: Lemmas the small English model gets wrong, by the word's lower form: "hopes" -> "hop".
LEMMA_FIXES = {"hopes": "hope", "hoped": "hope", "hoping": "hope"}


def lemma(tok: Token) -> str:
    """``tok``'s lowercased lemma, with :data:`LEMMA_FIXES` applied."""
    return LEMMA_FIXES.get(tok.lower_) or tok.lemma_.lower()


def token_forms(doc: Doc) -> tuple[list[str], list[str]]:
    """``([t.lower_ ...], [t.lemma_.lower() ...])`` for every token, computed once per
    document (reading a string attribute of a spaCy token builds a ``Token`` object and
    looks the string up in the vocabulary on every access)."""
    forms = doc.user_data.get(_FORMS_KEY)
    if forms is None:
        strings = doc.vocab.strings
        lower_of: dict[int, str] = {0: ""}
        lemma_of: dict[int, str] = {0: ""}
        lowers: list[str] = []
        lemmas: list[str] = []
        for low, lem in doc.to_array([LOWER, LEMMA]).tolist():
            text = lower_of.get(low)
            if text is None:
                text = lower_of[low] = strings[low]
            lowers.append(text)
            text = lemma_of.get(lem)
            if text is None:
                text = lemma_of[lem] = strings[lem].lower()
            lemmas.append(LEMMA_FIXES.get(lowers[-1], text) if text == "hop" else text)
        forms = doc.user_data[_FORMS_KEY] = (lowers, lemmas)
    return forms  # type: ignore[no-any-return]


def token_pos(doc: Doc) -> list[str]:
    """``[t.pos_ ...]`` for every token, computed once per document."""
    tags = doc.user_data.get(_POS_KEY)
    if tags is None:
        tags = doc.user_data[_POS_KEY] = [POS_NAMES[p] for p in doc.to_array(POS).tolist()]
    return tags  # type: ignore[no-any-return]


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


_PARENS = re.compile(r"\(([^()\n]{1,300})\)")
_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)*\.[a-z]{2,6}$", re.IGNORECASE)


def participants(mentions: Iterable[Mention], text: str) -> list[Mention]:
    """The mentions that can be an event's actors or place, or a claim's parties: not a cited web source
    ("Mod.gov.az", "(Trend, May 3)") and nothing else inside parentheses ("routes (Baku-Tbilisi-Kars
    railway)"), except a parenthesis that only restates a name ("... Organization (NATO)")."""
    inside = [(m.start(1), m.end(1)) for m in _PARENS.finditer(text)]
    out: list[Mention] = []
    for m in mentions:
        if _DOMAIN.match(m.text):
            continue
        box = next(((a, b) for a, b in inside if a <= m.start and m.end <= b), None)
        if box is not None and text[box[0]:box[1]].strip() != m.text:
            continue
        if box is not None and out and out[-1].actor_id == m.actor_id and (
            not text[out[-1].end : box[0]].strip(" (")
        ):  # "The International Labor Office (ILO)": the name, once
            continue
        out.append(m)
    return out


def titled_name(noun: Token) -> Token | None:
    """The name a noun stands before as a title ("NATO *member* Georgia": the parser makes
    the noun a compound of the name, or the name its apposition), else None."""
    if noun.pos_ != "NOUN":
        return None
    if noun.dep_ == "compound" and noun.head.pos_ == "PROPN" and noun.head.i == noun.i + 1:
        return noun.head
    nxt = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    if nxt is not None and nxt.dep_ == "appos" and nxt.head.i == noun.i and nxt.pos_ == "PROPN":
        return nxt
    return None
