"""PLOVER event coding: spaCy parse + project lexicon + a learned sentence reader.

Public API::

    code_events(doc, article, mentions, timexes=(), model="default", encoder="auto")
        -> list[Event]
    make_annotator(encoder="auto") -> annotate(doc, article, gazetteer)  (extract stage)
    resolve_encoder("auto" | "off" | SentenceEncoder) -> SentenceEncoder | None
    load_event_model(path=None) -> EventModel | None      (cached per process)

Two learned paths, chosen by the ``event_encoder`` setting:

* ``"auto"`` (default): when the ``[ml]`` extra is installed, a fine-tuned MiniLM
  (``event_encoder.py``) reads every *gated* sentence (a rule trigger or two actors), in
  one batch per article, and ``event_decide.py`` picks, filters and adds events with it;
* ``"off"``, or ``[ml]`` not installed: the rule candidates are re-scored by the
  logistic-regression model (``event_model.py``): the fast path.

Each event carries a PLOVER type, mode and context, the CAMEO code of its trigger with
the root's QuadClass and Goldstein score, source and target actor codes (from the actor
``Mention`` records), negation, modality (asserted | hypothetical | future | conditional |
reported) with the speaker of reported speech, a date (the governing TIMEX, else the
publication date marked approximate) and a country-level location.

Questions, including headline questions ("Will X Invade Y"), code nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from spacy.tokens import Doc, Span, Token

from ..model import Article, Event, Mention, TimeExpr, record_id
from ..resolve import UNKNOWN_CODE
from .claim_dates import anchored, offset_label, offset_of, shift
from .event_args import (
    SIDELINES,
    arguments,
    frame_of,
    sector_code,
)
from .event_decide import decide_with_encoder, rule_confidence
from .event_modality import NO_ACT, apply_intent, modality_of
from .event_model import EventModel, encoder_available, load_event_model, load_sentence_encoder
from .event_rules import (
    CONTRAST_MARKS,
    CameoMap,
    Candidate,
    MentionIndex,
    apply_irrealis,
    clause_head,
    context_of,
    find_triggers,
    is_question,
    load_cameo_map,
    load_lexicon,
    mark_absorbed,
)
from .polarity import not_until
from .records import governing_preposition, participants, text_of

if TYPE_CHECKING:
    from .event_encoder import SentenceEncoder

__all__ = [
    "EXTRACTOR",
    "annotate_events",
    "code_events",
    "gate",
    "load_event_model",
    "make_annotator",
    "participants",
    "pentaclass",
    "resolve_encoder",
    "sentence_candidates",
    "variant",
]

log = logging.getLogger(__name__)
EXTRACTOR = "diplograph.events@14"  # @14: conditions keep their type; until-dates; hosting weapons; "his" is a person
ENCODER_TAG = "+minilm"  # appended to Event.extractor when the encoder decided
_FULL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def sentence_candidates(sent: Span, idx: MentionIndex) -> list[Candidate]:
    """Rule candidates of one sentence (questions removed, absorption and args applied)."""
    lex, cmap = load_lexicon(), load_cameo_map()
    # a noun inside an actor's name is no act ("Collective Security *Treaty* Organization",
    # "NATO's *Partnership* for Peace programme")
    cands = [c for c in find_triggers(sent, lex) if not is_question(sent, c.token)
             and not (c.token.pos_ in ("NOUN", "PROPN") and idx.at(c.token) is not None)
             and not _asserts(c.token) and not _generic(c.token)
             and not _received_thing(c, idx) and not _broken_thing(c) and not _without_object(c)]
    if not cands:
        return []
    mark_absorbed(cands, lex)
    _mark_settings(cands)
    for c in cands:
        apply_intent(c, lex, cmap)
        modality_of(c, sent, lex, idx)
    cands = [c for c in cands if c.modality != NO_ACT]
    # absorbed (inner) triggers first, so frames can inherit their targets
    for c in sorted(cands, key=lambda c: c.absorbed_by is None):
        arguments(c, idx, lex)
        _alone(c)
        apply_irrealis(c, cmap)
    join_halves(cands, cmap)
    return cands


def _alone(c: Candidate) -> None:
    """Military cooperation with no partner is a show or build-up of force (150), not
    cooperation (062): "Maduro *ordered military exercises* along the coast", "China held
    drills *around* Taiwan", "North Korea has *trained* 500 hackers" (not "joint
    exercises", "exercises *with* Turkey", "*trained* Azerbaijan's infantry")."""
    if c.code != "062" or len(c.sources) > 1 or c.token.lemma_.lower() == "join" or any(
            t.lower_ in ("joint", "with", "together", "alongside", "combined") for t in c.token.subtree):
        return
    tok = c.token
    if tok.pos_ in ("VERB", "AUX"):  # "held military *exercises* around Taiwan"
        tok = next((ch for ch in tok.children if ch.dep_ == "dobj"), tok)
    if c.targets and tok.lemma_.lower() not in _DRILLS:
        return  # "NATO instructors *train* Azerbaijan's infantry" (no partner: "North Korea
        # has *trained* 500 hackers" builds its own force)
    if not any(ch.left_edge.idx <= m.start < ch.right_edge.idx + len(ch.right_edge)
               for ch in tok.children if ch.dep_ in ("compound", "amod", "nmod")
               for m in (*c.sources, *c.targets)):  # "*NATO-Georgia* exercises" are joint
        c.code = "150"


#: Nouns of military drills.
_DRILLS = frozenset({"exercise", "drill", "manoeuvre", "maneuver", "wargame", "war-game"})


#: Prepositions whose noun is the occasion or frame of another act, not an act of its own:
#: "held talks *at* the BRICS summit", "*during* a visit to Baku", "*under* a deal".
_SETTING_PREPS = frozenset({"at", "during"})  # and frames: "*under* / *in* a deal"


def _mark_settings(cands: Sequence[Candidate]) -> None:
    """A noun trigger that only sets the scene of another trigger is no event of its own:
    the occasion of an act ("hold talks *at the BRICS summit*", "on the sidelines of the
    summit") and a restatement of it beside its clause ("expected to hold talks ..., *their
    first meeting* in five years"). It is marked absorbed by that trigger (not as its inner
    event: it passes no arguments on)."""
    for c in cands:
        tok = c.token
        if c.kind != "noun" or c.absorbed_by is not None:
            continue
        prep = tok.head if tok.dep_ == "pobj" else None
        sidelines = prep is not None and prep.lower_ == "of" and prep.head.lemma_.lower() in SIDELINES
        if sidelines and prep is not None:  # "on the sidelines of the summit"
            prep = prep.head.head if prep.head.dep_ == "pobj" else None
        framed = frame_of(tok) is not None
        if framed and prep is not None and prep.lower_ == "of":  # "as part of a deal"
            prep = prep.head.head if prep.head.dep_ == "pobj" else None
        if prep is not None and (sidelines or framed or prep.lower_ in _SETTING_PREPS):
            above = {t.i for t in prep.ancestors}
            owner = next((o for o in cands if o is not c and o.token.i in above), None)
        elif tok.dep_ in ("npadvmod", "appos") and tok.head.pos_ in ("VERB", "AUX"):
            scope = {t.i for t in tok.head.subtree} - {t.i for t in tok.subtree}
            owner = next((o for o in cands if o is not c and o.token.i in scope
                          and o.code[:2] == c.code[:2]), None)
        else:
            owner = None
        if owner is not None:
            c.absorbed_by = owner


#: Verbs whose object names a kind of act, not an act: "the treaty *covers* attacks on
#: public vessels", "a law that *bans* protests".
_CLASSIFIERS = frozenset({"cover", "define", "ban", "prohibit", "forbid", "outlaw",
                          "criminalize", "criminalise", "regulate", "govern"})


#: Verbs that code an act only with something they act on: "*returned* the artifacts to
#: Peru" releases property; "the Taliban *returned* to power", "he *returned* to Honduras"
#: is no act of the kind.
_TRANSITIVE_ONLY = frozenset({"return"})


def _without_object(c: Candidate) -> bool:
    return c.kind == "verb" and c.token.lemma_.lower() in _TRANSITIVE_ONLY and not any(
        ch.dep_ in ("dobj", "nsubjpass", "auxpass") for ch in c.token.children)


def _generic(tok: Token) -> bool:
    """A noun act that is the object of a classifying verb names a kind of act; one that
    something is seen *as* is a view of it ("Eritrea sees the statements *as a threat*")."""
    if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ == "as":
        verb = tok.head.head
        verb = verb.head if verb.dep_ in ("dobj", "nsubjpass") else verb  # "sees *the
        return verb.lemma_.lower() in _VIEWING  # statements* as a threat"
    return tok.pos_ == "NOUN" and tok.dep_ == "dobj" and tok.head.lemma_.lower() in _CLASSIFIERS


#: Verbs of seeing something "as" something: a view, not an act.
_VIEWING = frozenset({"see", "view", "regard", "consider", "perceive", "describe", "treat",
                      "characterize", "characterise", "brand", "label", "portray", "interpret",
                      "dismiss", "denounce", "condemn", "criticize", "criticise", "reject"})


#: Nouns of people a host receives: "*received* the Iranian delegation".
_VISITORS = frozenset({"delegation", "minister", "president", "envoy", "ambassador", "visitor",
                       "counterpart", "leader", "official", "guest", "chief", "head", "king",
                       "premier", "chancellor", "secretary", "emir", "prince", "team",
                       "mission", "observer", "inspector", "monitor", "expert", "group"})


#: What a country hosts that is no visit: weapons, troops and bases stationed there.
_STATIONED = frozenset({"weapon", "arm", "missile", "warhead", "troop", "soldier", "force",
                        "base", "facility", "radar", "contingent", "battalion", "brigade",
                        "battery", "system", "refugee", "migrant", "asylum", "center", "centre",
                        "hub", "site", "airbase", "garrison", "bomber", "jet", "aircraft"})


def _received_thing(c: Candidate, idx: MentionIndex) -> bool:
    """"Receive" hosts a visit (043) only when it receives someone: "Georgia *received* EU
    candidate status", "received 500 tonnes of aid" are no meetings."""
    tok = c.token
    if c.kind != "verb" or tok.lemma_.lower() not in ("receive", "host"):
        return False
    obj = next((ch for ch in tok.children if ch.dep_ == "dobj"), None)
    if obj is None:
        return False
    if tok.lemma_.lower() == "host":  # "host talks", "hosted Aliyev"; not "*host* nuclear
        # weapons", "hosts a US base": stationing, not a meeting
        return obj.lemma_.lower() in _STATIONED
    heads = [obj, *(t for t in obj.subtree if t.dep_ == "conj" and t.head.i == obj.i)]
    return not any(idx.at(t) is not None or t.lemma_.lower() in _VISITORS for t in heads)


#: Verbs that undo the act their object names: "if Hezbollah *breaks* the agreement".
_UNDOING = frozenset({"break", "violate", "breach", "flout", "wreck", "torpedo", "derail"})


#: What an agreement or a truce does when it ends.
_ENDING = frozenset({"expire", "lapse", "end", "collapse", "terminate", "unravel", "fail"})


def _broken_thing(c: Candidate) -> bool:
    """A noun act that is broken or violated ("breaks the *agreement*", "violated the
    *ceasefire*") is no agreement or truce; the violation is coded by what was done."""
    tok = c.token
    if c.kind == "noun" and tok.dep_ == "nsubj" and c.code[:3] in ("057", "087") and (
            tok.head.lemma_.lower() in _ENDING) and not any(  # "a transit *agreement* ...
                ch.dep_ == "dobj" for ch in tok.head.children):  # *expired*", "the truce
        return True  # collapsed": only its end is told (not "the ceasefire *ended the fighting*")
    return c.kind == "noun" and tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in _UNDOING


def _asserts(verb: Token) -> bool:
    """"Insist" that reports a fact, not a demand: "officials *insist* that membership
    remains useful" (a demand takes a base form or a modal: "insisted that Russia
    withdraw / should withdraw")."""
    if verb.lemma_.lower() != "insist":
        return False
    finite = ("VBZ", "VBD", "VBP")
    for ch in verb.children:
        if ch.dep_ == "ccomp":
            auxes = [a for a in ch.children if a.dep_ in ("aux", "auxpass")]
            if any(a.lower_ in ("should", "must") for a in auxes):
                return False
            return ch.tag_ in finite or any(a.tag_ in finite for a in auxes)
    return False


def join_halves(cands: Sequence[Candidate], cmap: CameoMap) -> None:
    """One act told twice in a clause, as one trigger with only a source and another of the
    same PLOVER type with only a target ("X staged a hunger strike *in protest against* Y"),
    is one event: the first takes the target and absorbs the second."""
    top = [c for c in cands if c.absorbed_by is None]
    for a in top:
        if not a.sources or (a.targets and not a.fallback_target) or a.negated:
            continue  # a target found only by proximity gives way to a stated one
        kind = cmap.info(a.code).type
        for b in top:
            if (b is not a and b.absorbed_by is None and b.targets and not b.sources
                    and not b.fallback_target and not b.negated and cmap.info(b.code).type == kind
                    and clause_head(a.token).i == clause_head(b.token).i):
                own = {(m.start, m.end) for m in a.sources}  # not its own source: "thanked
                a.targets = [m for m in b.targets if (m.start, m.end) not in own]  # Japan
                # for its support to X" ("its" is Japan)
                a.fallback_target = False
                b.absorbed_by = a
                a.inner.append(b)
                break


def _date_for(
    c: Candidate, sent: Span, timexes: Sequence[TimeExpr], article: Article
) -> tuple[str | None, bool, str]:
    """(date, approximate, reason): the timex in the trigger's clause, else publication;
    for an act dated from another ("reopened embassies in 2023, *seven years after cutting
    ties*"), that act's date moved by the amount (approximate, reason ``offset:...``)."""
    off = offset_of(c.token)
    if off is not None:
        verb, months, days = off
        base, _, reason = _date_at(verb, verb.idx, sent, timexes, article)
        if base is not None and anchored(verb, reason):
            return shift(base, months, days), True, f"offset:{offset_label(months, days)} from {reason}"
    return _date_at(c.token, c.start, sent, timexes, article)


def _date_at(
    tok: Token, start: int, sent: Span, timexes: Sequence[TimeExpr], article: Article
) -> tuple[str | None, bool, str]:
    inside = [tx for tx in timexes if sent.start_char <= tx.start < sent.end_char]
    clause: set[int] = set()
    own: set[int] = set()
    if inside:  # the clause's tokens are only needed when the sentence has a timex
        head = tok
        while head.dep_ not in ("ROOT", "ccomp", "advcl", "relcl", "parataxis") and head.head is not head:
            if head.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
                # a conjoined clause has its own dates; of the clause it joins, only those
                # before that clause's verb ("On Monday, X met Y and *signed* Z"), not its
                # own ("X has been a member since 1992, yet has *declined* to ...")
                clause |= {t.idx for t in head.subtree}
                first = head.head
                clause |= {t.idx for t in first.subtree if t.i < first.i and t.i < head.i}
                break
            head = head.head
        else:
            clause = {t.idx for t in head.subtree}
            # nor a clause below the trigger's that hangs off another word ("accused the
            # CSTO of failing to defend Armenia *when troops crossed the border in 2021*"),
            # nor a concessive one ("does not seek membership, *although* it has taken part
            # in the PfP since 1994")
            # nor a clause that opens a period ("ended the worst fighting *since the Taliban
            # returned to power in 2021*")
            # nor what another verb of it reports ("welcomed the move and *said* the flag
            # would be raised *on Monday*")
            clause -= {t.idx for sub in head.subtree if (sub.dep_ in ("advcl", "relcl")
                       and (sub.head.i != head.i or any(
                           m.dep_ == "mark" and m.lower_ in CONTRAST_MARKS | {"since"}
                           for m in sub.children)) or sub.dep_ == "ccomp" and sub.head.i != head.i)
                       and not (sub.left_edge.i <= tok.i <= sub.right_edge.i)
                       for t in sub.subtree}
            if tok.pos_ == "NOUN":  # a noun's own phrase dates it first: "the ceasefire
                # that the two sides signed *on Sunday* ended ..."
                own = {t.idx for t in tok.subtree}
                clause |= own
    doc = sent.doc
    # a date a "since" opens is when a state began, not when an act happened: "met *for the
    # first time since 2023*" is dated by "Two weeks ago" (it is used only when no other is)
    # a date a conjoined clause opens with "since" is that clause's ("does not recognise
    # Taiwan and has maintained only unofficial ties *since 1972*")
    conjoined = {t.idx for ch in tok.children if ch.dep_ == "conj" and ch.pos_ in ("VERB", "AUX")
                 for t in ch.subtree} if tok.pos_ in ("VERB", "AUX") else set()
    # "did *not* apologise *until* October": it did, then (else an "until" date ends a period)
    delayed = any(not_until(t) for t in [tok, *tok.ancestors][:3])
    for tx in sorted(inside, key=lambda t: (_since(doc, t), t.start not in own, abs(t.start - start))):
        if tx.start in clause and tx.type in ("DATE", "TIME") and not _names_a_thing(doc, tx) and (
            not _describes_a_participant(doc, tx, tok)
        ) and not (tx.start in conjoined and _since(doc, tx)) and (
            delayed or not _until(doc, tx)):
            value = tx.value[:10]
            if _FULL_DATE.match(value):
                return value, len(value) < 10 or tx.uncertain, f"timex:{tx.id}"
    # an act told in a relative clause of the event it belongs to takes that event's date:
    # "a clash in the Galwan Valley *in June 2020*, in which 20 soldiers were *killed*"
    rel = next((t for t in [tok, *tok.ancestors] if t.dep_ == "relcl"), None) if inside else None
    if rel is not None and any(ch.dep_ == "prep" and ch.lower_ in _DURING and any(
            g.lower_ in ("which", "whom") for g in ch.children) for ch in rel.children):
        noun = rel.head
        span = (noun.left_edge.idx, rel.left_edge.idx)
        for tx in sorted(inside, key=lambda t: abs(t.start - start)):
            value = tx.value[:10]
            if span[0] <= tx.start < span[1] and tx.type in ("DATE", "TIME") and _FULL_DATE.match(value):
                return value, len(value) < 10 or tx.uncertain, f"timex:{tx.id}"
    if any(ch.dep_ == "advmod" and ch.lower_ in _ONCE for ch in tok.children) and tok.tag_ in ("VBD", "VBN"):
        return None, True, "past"  # "Japan, which *once* occupied Taiwan": long ago, not
        # when the article appeared
    if article.published:
        return article.published, True, "publication"
    return None, True, "unknown"


#: Adverbs that put a past act at an unstated time long before the article.
_ONCE = frozenset({"once", "formerly", "previously", "historically"})
#: Prepositions of a relative clause that places an act inside the event its noun names.
_DURING = frozenset({"in", "during", "amid"})


def _opened_by(doc: Doc, tx: TimeExpr, words: tuple[str, ...]) -> bool:
    """The date expression is the object of one of ``words`` (or follows it)."""
    return governing_preposition(doc, tx.start, tx.end) in words or (
        text_of(doc)[max(0, tx.start - 6) : tx.start].strip().lower() in words)


def _since(doc: Doc, tx: TimeExpr) -> bool:
    """The date expression is the object of "since" ("since 2023")."""
    return _opened_by(doc, tx, ("since",))


def _until(doc: Doc, tx: TimeExpr) -> bool:
    """The date ends a period ("suspended the talks *until the end of 2028*"): when a state
    ends, never when the act happened."""
    return _opened_by(doc, tx, ("until", "till"))


def _describes_a_participant(doc: Doc, tx: TimeExpr, trigger: Token) -> bool:
    """The date lies in an apposition or relative clause about a participant, not on the
    trigger's own path: "Azerbaijan, *a member of the PfP since 1994*, has contributed
    troops" does not date the contribution."""
    span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    own = {trigger.i, *(t.i for t in trigger.ancestors)}
    for t in [span.root, *span.root.ancestors]:
        if t.i in own:
            return False
        if t.dep_ in ("appos", "relcl", "acl"):
            # (but the trigger noun's own clause tells the act: "the ceasefire that they
            # signed *on Sunday*")
            return t.head.i != trigger.i
    return False


def _names_a_thing(doc: Doc, tx: TimeExpr) -> bool:
    """A year before a noun names the thing, not when the act happened: "violating *the
    2021* ceasefire understanding", "its *1951* Mutual Defense Treaty"."""
    span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    return root.dep_ in ("nummod", "compound", "amod", "nmod") and root.head.i > root.i and (
        root.head.pos_ in ("NOUN", "PROPN"))


def _actor_codes(
    ms: Iterable[Mention], sent: Span
) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]]:
    """Event-level actor codes (country + sector of the role noun) and spans; a code named
    twice ("the annexation of Crimea or ... in eastern Ukraine": UKR) is given once, with
    its longest span (unresolved names, all "---", are all kept)."""
    codes: list[str] = []
    spans: list[tuple[int, int]] = []
    kept: list[Mention] = []
    for m in ms:
        code = sector_code(m, sent)
        if code in codes and code != UNKNOWN_CODE:  # unresolved names all have "---"; an
            # unknown person with a known role has the role's ("Mongolian President X": MNGGOV)
            k = codes.index(code)  # the name over an adjective: "the Arab Republic of Egypt"
            if _rank(m, sent) > _rank(kept[k], sent):  # over "Egyptian"
                spans[k], kept[k] = (m.start, m.end), m
            continue
        codes.append(code)
        spans.append((m.start, m.end))
        kept.append(m)
    return tuple(codes), tuple(spans)


def _rank(m: Mention, sent: Span) -> tuple[bool, int]:
    """A name that heads its phrase beats a modifier ("Freedonian villages"), then the longer."""
    span = sent.doc.char_span(m.start, m.end, alignment_mode="expand")
    head = span is not None and len(span) > 0 and span.root.dep_ not in (
        "amod", "compound", "poss", "nmod")
    return head, m.end - m.start


def _to_event(
    c: Candidate,
    code: str,
    confidence: float,
    sent: Span,
    sent_index: int,
    article: Article,
    timexes: Sequence[TimeExpr],
    cmap: CameoMap,
    extractor: str = EXTRACTOR,
) -> Event:
    info = cmap.info(code)
    src, src_spans = _actor_codes(c.sources, sent)
    tgt, tgt_spans = _actor_codes(c.targets, sent)
    date, approx, reason = _date_for(c, sent, timexes, article)
    text = text_of(sent.doc)[c.start:c.end]
    return Event(
        id=record_id(article.id, c.start, c.end, "event"),
        article_id=article.id,
        sentence=sent_index,
        trigger_start=c.start,
        trigger_end=c.end,
        trigger=text,
        type=info.type,
        mode=info.mode,
        context=context_of(info, sent, load_lexicon()),
        cameo=info.root,
        quad_class=info.quad_class,
        goldstein=info.goldstein,
        sources=src,
        targets=tgt,
        source_spans=src_spans,
        target_spans=tgt_spans,
        negated=c.negated,
        modality=c.modality,
        speaker=c.speaker.actor_id if c.speaker is not None else None,
        date=date,
        date_approx=approx,
        date_reason=reason,
        location=c.location,
        confidence=round(confidence, 3),
        extractor=extractor,
    )


ENCODER_MODES = ("auto", "off")


def resolve_encoder(encoder: SentenceEncoder | str | None) -> SentenceEncoder | None:
    """``"auto"``: the shipped fine-tuned encoder when the ``[ml]`` extra is installed,
    else ``None``; ``"off"`` / ``None``: no encoder (the fast LR path)."""
    if encoder is None or encoder == "off":
        return None
    if encoder == "auto":
        return load_sentence_encoder()
    if isinstance(encoder, str):
        raise ValueError(  # noqa: TRY004 - a bad setting value, not a bad type
            f"event encoder must be one of {ENCODER_MODES}, not {encoder!r}")
    return encoder


def gate(sent: Span, cands: Sequence[Candidate], idx: MentionIndex) -> bool:
    """Sentences worth an encoder pass: a rule trigger, or two distinct actors."""
    if cands:
        return True
    return len({m.code for m in idx.in_span(sent.start_char, sent.end_char)}) >= 2


def code_events(
    doc: Doc,
    article: Article,
    mentions: Sequence[Mention],
    timexes: Sequence[TimeExpr] = (),
    model: EventModel | str | None = "default",
    encoder: SentenceEncoder | str | None = "auto",
) -> list[Event]:
    """Code the PLOVER events of one parsed article.

    ``doc`` is the spaCy ``Doc`` of ``article.text``; ``mentions`` are its actor mentions
    (``extract.actors``); ``timexes`` its temporal expressions (``extract.dates``).
    ``encoder`` (``"auto"``, ``"off"``/``None`` or a loaded ``SentenceEncoder``) types
    the gated sentences with the fine-tuned MiniLM (``event_decide``); without it,
    ``model`` re-scores the rule candidates: ``"default"`` loads the shipped LR model
    when present, ``None`` uses the rules alone.
    """
    if text_of(doc) != article.text:
        raise ValueError("code_events: doc.text must be article.text (offsets would drift)")
    enc = resolve_encoder(encoder)
    scorer: EventModel | None = None
    if enc is None:
        if isinstance(model, str) and model != "default":
            raise TypeError(f"model must be an EventModel, None or 'default', not {model!r}")
        scorer = load_event_model() if model == "default" else model  # type: ignore[assignment]
    cmap = load_cameo_map()
    idx = MentionIndex(participants(mentions, article.text))
    sents = [(s_i, sent, sentence_candidates(sent, idx)) for s_i, sent in enumerate(doc.sents)]
    probs: dict[int, np.ndarray] = {}
    if enc is not None:
        gated = [(s_i, sent) for s_i, sent, cands in sents if gate(sent, cands, idx)]
        if gated:
            p_type, _p_penta = enc.predict([sent.text for _, sent in gated])
            probs = {s_i: p_type[k] for k, (s_i, _) in enumerate(gated)}
    events: list[Event] = []
    for s_i, sent, cands in sents:
        kept = [c for c in cands if c.absorbed_by is None and (c.sources or c.targets)]
        if enc is not None:
            if s_i in probs:
                for c, code, conf in decide_with_encoder(sent, kept, probs[s_i], enc, idx):
                    events.append(_to_event(c, code, conf, sent, s_i, article, timexes, cmap,
                                            EXTRACTOR + ENCODER_TAG))
            continue
        if not kept:
            continue
        decisions = scorer.decide(sent, kept) if scorer is not None else None
        for k, c in enumerate(kept):
            code, conf = c.code, rule_confidence(c)
            if decisions is not None:
                new_type, p_event = decisions[k]
                if new_type is None:
                    continue
                if cmap.info(code).type != new_type:
                    code = cmap.for_type(new_type).code
                conf = p_event
            events.append(_to_event(c, code, conf, sent, s_i, article, timexes, cmap))
    return events


def annotate_events(
    doc: Doc, article: Article, gazetteer: object = None,
    encoder: SentenceEncoder | str | None = "auto",
) -> dict[str, tuple[Event, ...]]:
    """The extract-stage annotator: codes events from the mentions and timexes found so far
    (``records.found(doc)``); register it after actors and dates."""
    from .records import found

    done = found(doc)
    events = code_events(doc, article, done.get("mentions", ()), done.get("timexes", ()),
                         encoder=encoder)
    return {"events": tuple(events)}


def variant(settings: object) -> str:
    """The extractor-version tag of the ``event_encoder`` setting: ``"minilm"`` when the
    fine-tuned encoder will decide, ``""`` for the fast path."""
    mode = getattr(settings, "event_encoder", "off")
    if mode == "off" or (mode == "auto" and not encoder_available()):
        return ""
    return "minilm"


def make_annotator(encoder: str = "auto") -> Callable[[Doc, Article, object], dict[str, tuple[Event, ...]]]:
    """``annotate_events`` with the ``event_encoder`` setting bound (``"auto"`` | ``"off"``);
    the encoder, when used, is loaded here, once."""
    enc = resolve_encoder(encoder)
    mode = "off" if enc is None else enc

    def annotate(doc: Doc, article: Article, gazetteer: object = None) -> dict[str, tuple[Event, ...]]:
        return annotate_events(doc, article, gazetteer, mode)

    return annotate


def pentaclass(events: Sequence[Event]) -> int:
    """ConfliBERT PentaClass of a sentence's events: 0 none/neutral, else the QuadClass
    of the most confident asserted, non-negated event."""
    live = [e for e in events if not e.negated and e.quad_class is not None]
    if not live:
        return 0
    best = max(live, key=lambda e: (e.confidence, -e.trigger_start))
    return int(best.quad_class or 0)
