"""Claims: quotes and assertions with a speaker and a canonical (subject, predicate, object).

:func:`extract_claims` turns the attributions found by :mod:`.quotes` into
:class:`~diplograph.model.Claim` records. Each one gets

- a **speaker** (:mod:`.speakers`): the actor of the :class:`~diplograph.model.Mention`
  inside the source span; pronouns and role nouns (``he``, ``the minister``) reach back to the last named
  speaker or person mention in the same paragraph (``it`` to the last state,
  organization or agent that was a subject there, ``they`` to the last plural one), a
  surname to the full name used earlier in the article, ``who`` to the noun its clause
  modifies;
- a **speaker role**: the title the article gives the speaker (``head of the Atlas
  Research Center``, ``NATO Secretary General``) and the mention's org/sector at the
  article date, as ``"<title> (<org>/<sector>)"``;
- a **canonical form** (:mod:`.canonical`) from the predicate vocabulary
  (:mod:`.predicates`: ``data/predicates.toml`` plus user files): subject and object
  actors, the predicate, polarity and modality (``asserted``, ``question``, ``future``,
  ``hypothetical``, ``conditional``, ``normative``);
- a **date** (:mod:`.claim_dates`): the value of the date expression that governs the
  claim's trigger ("joined the PfP in 1994" -> ``1994``), else the publication date, with
  the reason in ``date_reason`` (``governing-timex:in 1994``, ``publication``, ``unknown``).

The outlet's own clauses outside every attribution become ``assertion`` claims (speaker
``None``) when they match the vocabulary with a subject actor; a quote with no reading
stays a claim with ``predicate None``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..model import Article, Claim, Mention, TimeExpr, record_id
from .canonical import Canonical, builtin_kind, canonicalize, polarity_and_modality
from .claim_dates import claim_date
from .interviews import with_interview_answers
from .predicates import Predicate, Vocabulary, contradicts, load_vocabulary
from .quotes import (
    EXTRACTOR,
    QUOTE_CHARS,
    Attribution,
    find_attributions,
    load_cue_lexicon,
)
from .records import CONCLUDING_VERBS, participants, text_of
from .speakers import SpeakerState, resolve_speaker, speaker_role

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

log = logging.getLogger(__name__)


def extract_claims(
    doc: Doc,
    article: Article,
    mentions: Iterable[Mention],
    *,
    vocabulary: Vocabulary | None = None,
    gazetteer: Any = None,
    timexes: Iterable[TimeExpr] | None = None,
    quote_encoder: str = "off",
) -> list[Claim]:
    """Quotes and assertions of one article as :class:`Claim` records (see module doc).

    With a ``resolve.Gazetteer``, a resolved speaker's title is its role at the article
    date (``Secretary General``) instead of the title found in the text, and actor kinds
    come from it (else from the built-in dictionary). ``timexes`` are the article's time
    expressions (``dates.find_timexes``); without them every claim is dated by publication.
    ``quote_encoder`` is the setting of that name (``quotes.find_attributions``).
    """
    vocab = vocabulary or load_vocabulary()
    # places ("Florida", "Kirkuk": method "place") locate events; they are not parties to
    # claims ("endorsed her challenger in Florida" is not "supports USA")
    ments = sorted((m for m in mentions if m.method != "place"), key=lambda m: m.start)
    full = text_of(doc)
    # nor is a cited source or anything else in parentheses ("(Armenpress, August 10)")
    parties = participants(ments, full)
    kinds = _kind_lookup(gazetteer)
    tx = tuple(timexes or ())

    def dating(trigger: tuple[int, int], when: tuple[int, int] | None = None) -> tuple[str | None, str]:
        if when is not None:  # a gapped reading: "... and Sweden *in 2024*"
            for t in tx:
                if t.type == "DATE" and when[0] <= t.start and t.end <= when[1]:
                    cue = full[when[0]:t.start].strip()
                    return t.value, f"governing-timex:{cue + ' ' if cue else ''}{t.text}"
        return claim_date(doc, trigger, tx if trigger[0] >= 0 else (), article.published)

    state = SpeakerState(full, ments)
    attributions = with_interview_answers(doc, ments, find_attributions(doc, encoder=quote_encoder))
    claims: list[Claim] = []
    covered: list[tuple[int, int]] = []
    for att in attributions:
        speaker = resolve_speaker(doc, att, state)
        if not att.content:  # a tagged cue without content: nothing to claim
            continue
        if _NO_COMMENT.fullmatch(" ".join(full[a:b] for a, b in att.content).strip(" .,")):
            continue  # "A mission spokesperson *declined* to comment further": nothing said
        readings: list[Canonical] = []
        parts = [doc.char_span(a, b, alignment_mode="expand") for a, b in att.content]
        for part in parts:
            if part is not None:
                # "Serbia *wants* to join the EU": the cue is part of the predicate (an
                # intention), so the cue's clause is read, not only its infinitive
                whole = _with_intent_cue(doc, att, part)
                found = canonicalize(whole, parties, vocab, kind_of=kinds, we=_we(speaker))
                if whole is not part:  # only the cue's own clause: not what an apposition
                    # or a relative clause of the source says ("Denmark, *a NATO member*, has
                    # pledged to ...", "The EU, *which Serbia wants to join*, urged ..."):
                    # the outlet's own assertion, or another attribution, read elsewhere
                    keep = [(part.start_char, part.end_char), att.cue,
                            *(_source_proper(doc, att.source) if att.source else ())]
                    found = [r for r in found if any(a <= r.trigger[0] < b for a, b in keep)]
                readings.extend(found)
        if _unsaid(doc, att):  # "Putin *did not say* that Russian missiles struck the
            # plane": the speaker does not assert what follows
            readings = [replace(r, modality="hypothetical") if r.modality in (
                "asserted", "future") else r for r in readings]
        if not readings and _bare_phrase(parts, full, att.content):
            # "Armenia confirmed its attendance", "they discussed the matter": a stance or an
            # act with a noun phrase, not something said; the outlet's own clause stays readable
            continue
        if not readings and (_bare_phrase(parts, full, att.content, clauses=False)
                             or _cue_relative(parts, att)):
            # "signed a memorandum that would give it access to the sea", "a plan that many
            # survivors rejected": nothing said either, but the clause inside the noun phrase
            # is read only as the attribution's ("rejected calls to join NATO" is no
            # membership), except what a signed deal commits to: "signed a contract *to
            # deliver jets to Baku*" is the outlet's reading of the signer's act
            if _cue_lemma(doc, att) not in CONCLUDING_VERBS:  # (a deal's cue)
                covered.extend(att.content)
            continue
        covered.extend(att.content)
        # the cue is not covered: a tagged cue can be the predicate itself (PolNeAR tags
        # intentions and stances, "Azerbaijan is seeking membership"), which the outlet asserts
        if att.source:
            covered.extend(_source_proper(doc, att.source))
        start, end = att.content_span
        text = " \u2026 ".join(full[a:b] for a, b in att.content)
        base = {
            "article_id": article.id, "sentence": att.sentence, "start": start, "end": end, "text": text,
            "kind": att.kind, "speaker": speaker.actor_id if speaker else None,
            "speaker_text": full[att.source[0]:att.source[1]] if att.source else None,
            "speaker_start": att.source[0] if att.source else None,
            "speaker_end": att.source[1] if att.source else None,
            "speaker_role": speaker_role(speaker, state.titles, gazetteer, article.published),
            "cue": full[att.cue[0]:att.cue[1]], "cue_start": att.cue[0], "cue_end": att.cue[1],
            "extractor": EXTRACTOR,
        }
        claims.extend(_with_readings(base, readings, _said_when(att, doc, dating),
                                     bare_modality="hypothetical" if _unsaid(doc, att) else "asserted"))
    for index, sent in enumerate(doc.sents):
        at = (sent.start_char, sent.end_char)
        if _about_a_publication(sent):
            continue
        # the outlet's own clauses: readings whose trigger is outside every attribution
        readings = [r for r in canonicalize(sent, parties, vocab, kind_of=kinds)
                    if not any(a < r.trigger[1] and r.trigger[0] < b for a, b in covered)]  # fmt: skip
        if not readings:
            continue
        base = {
            "article_id": article.id, "sentence": index, "start": at[0], "end": at[1],
            "text": sent.text.strip(), "kind": "assertion", "speaker": None, "speaker_text": None,
            "speaker_start": None, "speaker_end": None, "speaker_role": None, "cue": None,
            "cue_start": None, "cue_end": None, "extractor": EXTRACTOR,
        }
        claims.extend(_with_readings(base, readings, dating))
    return claims


def _cue_lemma(doc: Doc, att: Attribution) -> str:
    cue = doc.char_span(att.cue[0], att.cue[1], alignment_mode="expand")
    return cue.root.lemma_.lower() if cue is not None and len(cue) else ""


def _unsaid(doc: Doc, att: Attribution) -> bool:
    """A negated cue ("did *not* say", "has *never* claimed"): what it governs is not
    said. ("X *denied* that ..." is said, with the content's polarity turned.)"""
    cue = doc.char_span(att.cue[0], att.cue[1], alignment_mode="expand")
    if cue is None:
        return False
    root = cue.root
    return root.lemma_.lower() in _SAYING and any(ch.dep_ == "neg" for ch in root.children)


#: Verbs that report speech; negated, they say nothing ("has not ratified", "is not
#: planning to" are stances the tagger may also cue, and stay asserted).
_SAYING = frozenset({"say", "tell", "state", "claim", "confirm", "announce", "mention", "specify",
                     "explain", "acknowledge", "admit", "report", "write", "declare", "assert",
                     "allege", "suggest", "indicate", "disclose", "reveal", "add"})


def _source_proper(doc: Doc, source: tuple[int, int]) -> list[tuple[int, int]]:
    """The source span without what an apposition or a relative clause of its head says
    about the speaker, which is the outlet's own assertion ("Paraguay, *Taiwan's only
    remaining ally in South America*, has no plans ..." is a partner_of claim)."""
    span = doc.char_span(source[0], source[1], alignment_mode="expand")
    if span is None or not len(span):
        return [source]
    cuts = sorted((c.left_edge.idx, c.right_edge.idx + len(c.right_edge))
                  for c in span.root.children if c.dep_ in ("appos", "relcl")
                  and span.start <= c.left_edge.i and c.right_edge.i < span.end)  # fmt: skip
    out, at = [], source[0]
    for a, b in cuts:
        if a > at:
            out.append((at, a))
        at = max(at, b)
    if at < source[1]:
        out.append((at, source[1]))
    return out


def _bare_phrase(
    parts: Sequence[Any], full: str, spans: Sequence[tuple[int, int]], *, clauses: bool = True
) -> bool:
    """True when a content is only noun phrases: no verb in any part and no quotation (a
    quoted noun phrase, "a 'close partner'", is still something said). With ``clauses``
    false, a verb inside a clause of a noun in the part does not count either."""
    if any(q in full[a:b] for a, b in spans for q in QUOTE_CHARS):
        return False
    return not any(t.pos_ in ("VERB", "AUX") and (clauses or not _in_noun_clause(t, part))
                   for part in parts if part is not None for t in part)


#: Contents that say nothing was said: "declined *to comment further*", "refused to elaborate".
_NO_COMMENT = re.compile(r"(?i)(?:to )?(?:comment|elaborate|give (?:any |further )?details|"
                         r"say more|be drawn|(?:confirm|deny|discuss|disclose|specify|"
                         r"speculate)(?: or (?:confirm|deny))?(?: it| this| that| them| the \w+)?)"
                         r"(?: further| immediately| publicly| on (?:it|the \w+))?")


def _with_intent_cue(doc: Doc, att: Attribution, part: Span) -> Span:
    """``part``, or the cue's whole clause when ``part`` is the infinitive of a cue verb
    (PolNeAR tags "wants", "plans", "hopes" as cues of their infinitive)."""
    cue = doc.char_span(att.cue[0], att.cue[1], alignment_mode="expand")
    if cue is None or not len(cue) or cue.root.pos_ != "VERB":
        return part
    verb = cue.root
    if not any(c.dep_ == "xcomp" and part.start <= c.i < part.end for c in verb.children):
        return part
    sent = verb.sent
    # the cue's own clause: its subject, auxiliaries and negation, not a clause the parser
    # hangs before it ("Moscow accuses Serbia of arming Ukraine; Vucic *promises* to look
    # into it": "accuses" is a ccomp of "promises")
    lefts = [c.left_edge.i for c in verb.lefts if c.dep_ in _CUE_CLAUSE]
    lo = max(min([verb.i, part.start, *lefts]), sent.start)
    hi = min(max(verb.i + 1, part.end), sent.end)
    return doc[lo:hi]


_CUE_CLAUSE = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "neg", "advmod", "expl"})


def _cue_relative(parts: Sequence[Any], att: Attribution) -> bool:
    """True when every content part is a relative clause of the cue noun itself ("..., *a
    plan* that many survivors rejected"): what others did about it, not what was said."""
    def relative(part: Any) -> bool:
        root = part.root if part is not None and len(part) else None
        return root is not None and root.dep_ == "relcl" and (
            att.cue[0] <= root.head.idx < att.cue[1])
    return bool(parts) and all(relative(p) for p in parts)


def _in_noun_clause(tok: Token, part: Span) -> bool:
    """``tok`` lies in a relative, participial or infinitive clause of a noun inside ``part``:
    "signed *a memorandum* that would give it access to the sea" is still a noun phrase."""
    for node in [tok, *tok.ancestors]:
        if not part.start <= node.i < part.end:
            return False
        if node.dep_ in ("relcl", "acl") and node.head.pos_ in ("NOUN", "PROPN") and (
            part.start <= node.head.i < part.end
        ):
            return True
    return False


#: Verbs and nouns of a sentence that describes a publication rather than the world:
#: "The X website has published an article analysing ... cooperation with NATO".
_PUBLISHING = frozenset({"publish", "republish", "reprint", "run", "carry", "post"})
_PIECES = frozenset({"article", "analysis", "piece", "op-ed", "story", "report", "editorial",
                     "commentary", "column", "interview"})  # fmt: skip


def _about_a_publication(sent: Any) -> bool:
    """True for a sentence whose first verb publishes a piece ("X has published an article
    analysing ..."): what the piece discusses is its topic list, not the outlet's assertion.
    The first verb rather than the root, since the parser often roots such long topic
    lists elsewhere."""
    verb = next((t for t in sent if t.pos_ == "VERB"), None)
    return verb is not None and verb.lemma_.lower() in _PUBLISHING and any(
        c.dep_ in {"dobj", "nsubjpass"} and c.lemma_.lower() in _PIECES for c in verb.children
    )


def _kind_lookup(gazetteer: Any) -> Callable[[str], str | None]:
    """Actor id -> kind, from the gazetteer when given, else the built-in dictionary."""
    if gazetteer is None:
        return builtin_kind

    def kind_of(actor_id: str) -> str | None:
        actor = gazetteer.get(actor_id)
        return str(actor.kind) if actor is not None else None

    return kind_of


def _we(speaker: Mention | None) -> str | None:
    """The actor "we" stands for in a speaker's words: the state or body they act for."""
    if speaker is None:
        return None
    if speaker.org:
        return speaker.org
    person = speaker.actor_id[:1].islower() or speaker.label == "PERSON"  # "?sanna-marin"
    return None if person else speaker.actor_id


def annotate(doc: Doc, article: Article, gazetteer: Any, quote_encoder: str = "off"
             ) -> dict[str, tuple[Claim, ...]]:
    """Annotator hook for ``extract.register_annotator``: claims from the found mentions."""
    from .records import found

    results = found(doc)
    mentions = results.get("mentions", ())
    timexes = results.get("timexes", ())
    return {"claims": tuple(extract_claims(doc, article, mentions, gazetteer=gazetteer,
                                           timexes=timexes, quote_encoder=quote_encoder))}


def make_annotator(quote_encoder: str = "off") -> Callable[..., dict[str, tuple[Claim, ...]]]:
    """:func:`annotate` with the ``quote_encoder`` setting bound; the tagger (and, with
    ``"auto"``, the MiniLM encoder) is loaded here, once per worker."""
    from .attribution_tagger import load_tagger

    load_tagger(quote_encoder)

    def annotate_claims(doc: Doc, article: Article, gazetteer: Any) -> dict[str, tuple[Claim, ...]]:
        return annotate(doc, article, gazetteer, quote_encoder)

    return annotate_claims


Dating = Callable[[tuple[int, int], "tuple[int, int] | None"], tuple[str | None, str]]


def _said_when(att: Attribution, doc: Doc, dating: Dating) -> Dating:
    """``dating`` for the claims of one attribution: what it says is dated by its own date
    expression, else by the date of the saying ("Grigoryan *said last month* that Yerevan
    had no plans to leave", "Pashinyan said *in June 2024* that ..."), reason
    ``statement-timex:<cue> <text>``, else by publication. A statement's date is when its
    speaker held it: a 2019 quote in a 2024 article is compared with others as of 2019."""
    cue = doc.char_span(att.cue[0], att.cue[1], alignment_mode="expand")
    # the cue's verb ("has repeatedly *said*"), not a date the tagger took into the cue
    # ("said *last month*"): its reporting verb, else its first word
    verbs = load_cue_lexicon().verbs
    pick = next((t for t in cue if t.lemma_.lower() in verbs), cue[0]) if cue is not None and len(cue) else None
    verb = (pick.idx, pick.idx + len(pick)) if pick is not None else att.cue

    def dated(trigger: tuple[int, int], when: tuple[int, int] | None = None) -> tuple[str | None, str]:
        date, reason = dating(trigger, when)
        if reason != "publication":
            return date, reason
        said, why = dating(verb, None)
        if why.startswith("governing-timex:"):
            return said, "statement-timex:" + why[len("governing-timex:"):]
        return date, reason
    return dated


def _with_readings(
    base: dict,  # type: ignore[type-arg]
    readings: list[Canonical],
    dating: Callable[[tuple[int, int], tuple[int, int] | None], tuple[str | None, str]],
    *,
    bare_modality: str = "asserted",
) -> list[Claim]:
    """One claim per canonical reading (or one bare claim for an unmatched quote).

    A reading is dated by ``dating(trigger offsets)``; a bare quote by publication.
    """
    if not readings:
        if base["kind"] == "assertion":
            return []
        rid = record_id(base["article_id"], base["start"], base["end"], base["kind"])
        date, reason = dating((-1, -1), None)
        return [Claim(id=rid, subject=None, predicate=None, object=None, polarity="affirmed",
                      modality=bare_modality, date=date, date_reason=reason, **base)]  # fmt: skip
    out = []
    seen: set[tuple[str | None, str, str | None, str]] = set()
    for r in readings:
        key = (r.subject, r.predicate, r.object, r.polarity)
        if key in seen:
            continue
        seen.add(key)
        rid = record_id(base["article_id"], base["start"], base["end"], base["kind"],
                        r.predicate, r.subject, r.object, r.trigger[0])
        date, reason = dating(r.trigger, r.when)
        out.append(Claim(id=rid, subject=r.subject, predicate=r.predicate, object=r.object,
                         polarity=r.polarity, modality=r.modality, date=date,  # type: ignore[arg-type]
                         date_reason=reason, **base))
    return out


__all__ = [
    "Canonical",
    "Predicate",
    "Vocabulary",
    "annotate",
    "canonicalize",
    "contradicts",
    "extract_claims",
    "load_vocabulary",
    "polarity_and_modality",
]
