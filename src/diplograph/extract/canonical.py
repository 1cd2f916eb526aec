"""Canonical readings of a span: (subject, predicate, object, polarity, modality).

:func:`canonicalize` matches the triggers of the predicate vocabulary (:mod:`.predicates`)
in a span (a quote's content, or an outlet's sentence) and reads, for each match:

- the **subject**: the actor of the trigger's clause subject (or possessor, or the noun an
  apposition describes: "Armenia, a founding member of the CSTO"). A pronoun or a
  definite description ("it", "they", "each", "the country", "the alliance") is resolved
  to the subject of the clause it is conjoined with, else of an earlier clause in the
  sentence, else of the previous sentences of the paragraph; "we" in a quote is the
  speaker's organization. A subject that names no actor gives no reading;
- the **object**: the actor in the phrase the trigger governs (for "NATO's Partnership for
  Peace programme" the last actor before the head noun), the noun a relative clause
  modifies ("the PfP, which Armenia joined"), for an object "it" the subject of one of the
  two sentences before ("Kosovo declared independence. Serbia does not recognize it"),
  a possessor for ``possessor = "object"``
  predicates ("Azerbaijan's sovereignty"), a modifier ("a NATO member"), and, for
  ``implicit_object_triggers`` ("it remains a member"), the nearest organization named
  before. Objects of a kind outside the predicate's ``object_kinds`` are dropped;
- **polarity** and **modality** of the governing clauses (:mod:`.polarity`); a
  ``negating_trigger`` ("left the CSTO") flips the polarity, and a reading offered with its
  own negation as an alternative ("to attend or not attend") becomes a ``question``.

Overlapping matches are resolved longest trigger first, then by predicate ``priority``
("seeking membership of NATO" is ``seeks_membership`` only).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import Mention
from .claim_refs import (
    ANAPHOR_KINDS,
    ORG_KINDS,
    OTHER_AGENTS,
    Context,
    KindOf,
    antecedents,
    conjuncts,
    control_subject,
    controller,
    coordinated,
    covering,
    elliptic_subjects,
    gapped,
    included_members,
    object_antecedent,
    overlapping,
    possessive,
)
from .polarity import polarity_and_modality
from .predicates import Predicate, Trigger, Vocabulary
from .records import (
    RELATIVE_PRONOUNS,
    governing_preposition,
    included,
    lemma,
    text_of,
    titled_name,
    token_forms,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


_MEMBER_NOUNS = frozenset({"state", "country", "member", "nation", "government", "partner", "ally"})
_OBJ_DEPS = {"pobj", "dobj", "attr", "pcomp"}
#: Prepositions through which a noun trigger governs its object ("membership *of* the bloc").
_OF_PREPS = {"of", "in", "to", "into"}


@dataclass(frozen=True, slots=True)
class Canonical:
    """A (subject, predicate, object) reading of a span, with polarity and modality."""

    subject: str | None
    predicate: str
    object: str | None
    polarity: str
    modality: str
    trigger: tuple[int, int]
    #: the span of the date phrase that dates a gapped reading ("Finland joined NATO in
    #: 2023 and Sweden *in 2024*"), instead of the phrase that governs the trigger
    when: tuple[int, int] | None = None


@lru_cache(maxsize=1)
def _builtin_kinds() -> dict[str, str]:
    from ..resolve import load_gazetteer

    return {a.id: a.kind for a in load_gazetteer().actors()}


def builtin_kind(actor_id: str) -> str | None:
    """The kind (state, igo, programme, ...) of an actor of the built-in dictionary."""
    return _builtin_kinds().get(actor_id)


# --------------------------------------------------------------------------- matching


def _match(
    lowers: Sequence[str], lemmas: Sequence[str], words: tuple[str, ...], at: int
) -> list[int] | None:
    """Indices of the tokens matching ``words`` from token ``at`` ("..." skips up to 3).

    ``lowers``/``lemmas`` are the tokens' lower forms and lowercased lemmas; a token
    matches a word when either equals it.
    """
    n = len(lowers)
    i = at
    hit: list[int] = []
    k = 0
    while k < len(words):
        word = words[k]
        if word == "...":
            k += 1
            word = words[k]
            j = _gap_to(lowers, lemmas, word, i)
            if j is None:
                return None
            i = j
        if i >= n or not (lowers[i] == word or lemmas[i] == word):
            return None
        hit.append(i)
        i += 1
        k += 1
    return hit


def _gap_to(lowers: Sequence[str], lemmas: Sequence[str], word: str, i: int) -> int | None:
    """The first token from ``i`` matching ``word``, skipping up to 3 tokens and any
    interruption set off by commas ("has frozen*, but not ended,* its membership")."""
    n, seen, g = len(lowers), 0, i
    while g < n and g - i <= 12:
        if lowers[g] == ",":
            close = next((c for c in range(g + 1, min(n, g + 8)) if lowers[c] == ","), None)
            if close is not None:
                g = close + 1
                continue
        if lowers[g] == word or lemmas[g] == word:
            return g
        seen += 1
        if seen > 3:
            return None
        g += 1
    return None


def _trigger_index(
    vocab: Vocabulary,
) -> tuple[list[Trigger], dict[str, list[int]], list[int]]:
    """``vocab.trigger_list()``, and its positions indexed by first word, with the
    positions of the triggers that start with "..." (built once per vocabulary)."""
    cached = vocab.__dict__.get("_trigger_index")
    if cached is None:
        triggers = vocab.trigger_list()
        by_first: dict[str, list[int]] = {}
        anywhere: list[int] = []
        for k, trigger in enumerate(triggers):
            first = trigger.words[0]
            if first == "...":
                anywhere.append(k)
            else:
                by_first.setdefault(first, []).append(k)
        cached = (triggers, by_first, anywhere)
        object.__setattr__(vocab, "_trigger_index", cached)
    return cached  # type: ignore[no-any-return]


def _subjects(
    hit: Sequence[Token],
    trig: tuple[int, int],
    pred: Predicate,
    ctx: Context,
    limit: tuple[int, int],
) -> list[str]:
    """The trigger's subject actors (several for "each" / "they"); empty when none.

    Only clauses inside ``limit`` (the span) are looked at; with no subject there, the
    nearest actor before the trigger in the span is the subject.
    """
    t0 = hit[0]
    own = {t.i for t in hit}
    if hit[-1].dep_ == "conj" and hit[-1].pos_ == "NOUN" and hit[-1].head.pos_ == "NOUN":
        # "Myanmar's largest trading partner and main *arms supplier*": the possessor of
        # the first conjunct is this one's too
        own.add(hit[-1].head.i)
    if pred.modifier == "subject":  # "Russian mediation", "US support"
        for c in t0.children:
            if c.dep_ in {"amod", "compound", "nmod"} and c.i < t0.i:
                hits = covering(c, ctx.inside)
                if hits:
                    return [hits[0].actor_id]
                if {t.lower_ for t in c.subtree} & OTHER_AGENTS:
                    return []  # "rejected *third-party* mediation": not the clause's subject
    if t0.pos_ == "NOUN" and t0.dep_ == "conj" and t0.head.i < t0.i and any(
        m.start <= t0.head.idx < m.end for m in ctx.inside
    ):  # in a list of actors (not "Armenia's policy and *the conflict* with Azerbaijan")
        # a noun trigger in a list names its own referent: "Russia, Spain or *four other
        # members of the EU*" says Spain is a member (the member before "other"), not the
        # clause's subject; "Russia, China and members of the EU" says no one is
        if not any(c.lower_ == "other" for c in t0.children):
            return []
        prev = max((t for t in conjuncts(t0.head) if t.i < t0.i), key=lambda t: t.i)
        return [m.actor_id for m in ctx.inside if m.start <= prev.idx < m.end][:1]
    name = titled_name(t0)
    if name is not None:  # a description before a name, as a title: "*NATO member*
        # Georgia", "EU candidate Moldova": the name is the subject
        named = [m for m in ctx.inside if m.start <= name.idx < m.end]
        if named:
            return [named[0].actor_id]
    last, skip = t0, -1
    for node in [t0, *t0.ancestors]:
        if node.dep_ == "prep" and node.lower_ == "as" and node.head.lemma_.lower() in _APPOINTING:
            # "the AU appointed *Kenya* as mediator", "whom ECOWAS had named as a mediator":
            # the one appointed is the subject, not who appoints
            verb = node.head
            obj = next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}), None)
            if obj is not None and obj.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                obj = verb.head
            if obj is None:
                return []
            hits = covering(obj, ctx.mentions)
            return [hits[0].actor_id] if hits else antecedents(obj, ctx)
        if not limit[0] <= node.idx < limit[1]:
            if last.dep_ == "xcomp":  # content "to apply for membership" of "X plans"
                return control_subject(node, last, ctx)
            if last.dep_ == "conj" and last.pos_ in {"VERB", "AUX"} and not any(
                c.dep_ in {"nsubj", "nsubjpass"} for c in last.children
            ):  # "Georgia is not a member ... and *has never sought to join it*": the
                # subject the conjoined clause shares
                for c in node.children:
                    if c.dep_ in {"nsubj", "nsubjpass"} and c.i < last.i:
                        hits = covering(c, ctx.mentions)
                        return [hits[0].actor_id] if hits else antecedents(c, ctx)
            break
        last = node
        if node.i == skip:
            # "X has left the CSTO, Y *announced*, ending ...": the reported clause's subject
            comp = next((c for c in node.children if c.dep_ == "ccomp" and c.i < node.i), None)
            subj = next((c for c in comp.children if c.dep_ in {"nsubj", "nsubjpass"}), None) if comp else None
            if subj is not None:
                hits = covering(subj, ctx.inside)
                return [hits[0].actor_id] if hits else antecedents(subj, ctx)
            continue
        skip = _result_clause_skip(node)
        for c in node.children:
            poss = possessive(c) and not (node.i in own and _possessor_is_object(pred, node))
            if not (c.dep_ in {"nsubj", "nsubjpass"} or poss) or c.idx >= trig[0]:
                continue
            hits = covering(c, ctx.inside)
            if hits and _members_of_a_body(c, hits[0], ctx):
                return []  # "no *UN member state* recognizes it": members, not the UN
            if hits:
                return included_members(c, ctx) or coordinated(c, ctx) or [hits[0].actor_id]
            return antecedents(c, ctx)
        if node.dep_ == "appos" and node.head.i < t0.i:
            hits = [m for m in covering(node.head, ctx.inside) if m.end <= node.idx]
            if hits:
                return [hits[0].actor_id]
        ctl = controller(node)
        if ctl is not None:
            hits = covering(ctl, ctx.inside)
            return [hits[0].actor_id] if hits else antecedents(ctl, ctx)
    before = [m for m in ctx.inside if m.end <= trig[0]]
    return [before[-1].actor_id] if before else []


def _result_clause_skip(node: Token) -> int:
    """The index of a clause whose subject a result participle does not share, else -1:
    "Sweden joined NATO *when* Kristersson handed over the documents, *ending* two
    centuries of non-alignment" (spaCy hangs the participle on the "when" clause; the
    result is the main clause's, so Sweden's, not Kristersson's)."""
    head = node.head
    if not (node.dep_ == "advcl" and node.tag_ == "VBG" and node.i > 0 and node.doc[node.i - 1].text == ","
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children)):
        return -1
    if head.dep_ == "advcl" and head.head.i != head.i and any(
            c.dep_ in ("advmod", "mark") and c.lower_ in ("when", "as", "after", "while", "once")
            and c.i < head.i for c in head.children):
        return head.i
    if head.lemma_.lower() in _REPORTING and any(c.dep_ == "ccomp" and c.i < head.i for c in head.children):
        return head.i  # "Armenia has left the CSTO, Pashinyan *announced*, *ending* ..."
    return -1


#: Verbs that report a clause set before them ("X has left, Y announced").
_REPORTING = frozenset({"say", "announce", "tell", "state", "declare", "confirm", "report",
                        "write", "add", "claim"})


#: Verbs that make someone what the "as" phrase names: "named X *as* mediator".
_APPOINTING = frozenset({"name", "appoint", "designate", "nominate", "choose", "select",
                         "pick", "tap", "install", "elect", "confirm", "accept", "admit",
                         "welcome", "recognize", "recognise"})


def _possessor_is_object(pred: Predicate, noun: Token) -> bool:
    """Whether a possessive before the trigger noun names the object: by the predicate's
    ``possessor`` setting, and always for "member" ("*NATO's* 31st member"; "Sweden's
    *membership*" keeps its subject)."""
    return pred.possessor == "object" or noun.lemma_.lower() == "member"


def _members_of_a_body(noun: Token, m: Mention, ctx: Context) -> bool:
    """``noun`` names unnamed members of the organization ``m`` names before it: "UN member
    states", "NATO allies", "EU countries" (not "the Azerbaijani government")."""
    return (noun.lemma_.lower() in _MEMBER_NOUNS - {"government"} and m.end <= noun.idx
            and ctx.kind(m) in ORG_KINDS)


#: Words that open a list naming what a general noun stands for: "any bloc, *either* NATO
#: or the CSTO", "a bloc, *namely* the CSTO".
_NAMING = frozenset({"either", "namely", "notably", "specifically"})


def _named_after(h: Token) -> Token | None:
    """The first name an apposition gives a general object noun ("any military bloc,
    either NATO or the CSTO"), also where spaCy hangs the apposition elsewhere."""
    doc = h.doc
    appos = next((c for c in h.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if appos is not None:
        return appos
    members = included(h)  # "any bloc, *including* NATO"
    if members:
        return members[0]
    r = h.right_edge.i
    if r + 3 < len(doc) and doc[r + 1].text == "," and doc[r + 2].lower_ in _NAMING:
        k = r + 3
        while k < len(doc) and doc[k].pos_ == "DET":
            k += 1
        if k < len(doc) and doc[k].pos_ == "PROPN":
            return doc[k]
    return None


def _object(
    t0: Token, t1: Token, hit: Sequence[Token], trigger: Trigger, vocab: Vocabulary, ctx: Context
) -> Mention | str | None:
    """The object mention (or an actor id from ``[objects]``) of a trigger match."""
    pred = trigger.predicate
    trig = (t0.idx, t1.idx + len(t1.text))
    if trigger.words[0] in ("'s", "\u2019s") and t0.dep_ == "case":
        # "'s ... ally": the possessor is the object, whatever the noun governs ("Taiwan's
        # only remaining ally *in South America*")
        hits = covering(t0.head, ctx.inside)
        return hits[-1] if hits else None
    if trigger.words[0] == "its" and t0.dep_ == "poss":
        # "has no relations with Taiwan but remains *its* main partner": the nearest state
        # or organization before it in the sentence that is not the clause's subject
        clause = next((a for a in t0.ancestors if a.pos_ in {"VERB", "AUX"}), t0.head)
        own = {m.actor_id for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}
               for m in covering(c, ctx.mentions)}
        if clause.dep_ == "conj" and not own:  # "... but remains its partner": shared subject
            own = {m.actor_id for c in clause.head.children if c.dep_ in {"nsubj", "nsubjpass"}
                   for m in covering(c, ctx.mentions)}
        sent = t0.sent
        near = [m for m in ctx.mentions if sent.start_char <= m.start and m.end <= t0.idx
                and ctx.kind(m) in {"state"} | ORG_KINDS and m.actor_id not in own]
        return near[-1] if near else None
    for tok in (t1, t0):  # "the PfP, which Armenia joined"
        if tok.dep_ == "relcl" and any(c.lower_ in RELATIVE_PRONOUNS and c.dep_ in {"dobj", "pobj"}
                                       for c in tok.children):  # fmt: skip
            hits = overlapping(ctx.mentions, tok.head.idx, tok.head.idx + len(tok.head.text))
            return hits[0] if hits else None
    if t1.dep_ == "xcomp" and any(c.lower_ in RELATIVE_PRONOUNS and c.dep_ == "dobj" for c in t1.children):
        # "the EU, which Serbia *hopes to join*": the infinitive's object is the noun the
        # relative clause of its governing verb is about
        clause = t1.head
        while clause.dep_ == "xcomp" and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ == "relcl":
            hits = overlapping(ctx.mentions, clause.head.idx, clause.head.idx + len(clause.head.text))
            return hits[0] if hits else None
    heads = [c for c in t1.children if c.dep_ in _OBJ_DEPS and c.i > t1.i] or [
        g for c in t1.children if c.dep_ == "prep" and c.i > t1.i and c.lower_ in _OF_PREPS
        for g in c.children if g.dep_ == "pobj"]  # "seeks membership *of the bloc*"
    for h in heads:
        hits = [
            m
            for m in ctx.inside
            if h.left_edge.idx <= m.start and m.end <= h.right_edge.idx + len(h.right_edge.text)
        ]
        upto = [m for m in hits if m.start <= h.idx + len(h.text)]
        if upto and upto[-1].end <= h.idx and h.tag_ in {"NNS", "NNPS"} and (
            h.lemma_.lower() in _MEMBER_NOUNS
        ):
            return None  # "relations with 183 UN member states" names states, not the UN
        if upto:
            return upto[-1]
        # the head's own noun phrase, not its clauses: "rejected calls to join NATO" names
        # no object of "rejected"
        phrase = t0.doc[h.left_edge.i : h.i + 1].text.lower()
        for key, actor in vocab.objects.items():
            if key in phrase:
                return actor
        named = _named_after(h)  # "join any military bloc, *either NATO or the CSTO*"
        if named is not None:
            hits = covering(named, ctx.inside)
            if hits:
                return hits[0]
        kinds = ANAPHOR_KINDS.get(h.lemma_.lower())
        if kinds and any(d.lower_ == "the" for d in h.children) and h.tag_ not in ("NNS", "NNPS") and not any(
                c.dep_ in ("amod", "compound") and c.text[:1].isupper() for c in h.children):
            # "the country", not "the *Caspian* states" (a set the text describes)
            return ctx.before(t0, kinds & (set(pred.object_kinds) or kinds))
        if h.lower_ == "it" and h.dep_ in _OBJ_DEPS:
            return object_antecedent(h, t1, set(pred.object_kinds) or {"state"} | ORG_KINDS, ctx)
        return None  # the trigger governs a phrase that names no actor
    heads_of = (
        [*hit, t1.head] if t1.dep_ == "conj" else list(hit)
    )  # "Azerbaijan's sovereignty and integrity"
    mods = [c for tok in heads_of for c in tok.children if c.i < tok.i and c not in hit
            and ((possessive(c) and _possessor_is_object(pred, tok))
                 or (c.dep_ in {"compound", "amod", "nmod"} and not possessive(c)
                     and pred.modifier == "object"))]  # fmt: skip
    for c in mods:
        hits = covering(c, ctx.inside)
        if hits:
            return hits[0]
    gap = [m for m in ctx.inside if trig[0] < m.start and m.end <= trig[1]]
    if gap:
        return gap[0]
    governs = any(c.dep_ in _OBJ_DEPS | {"prep"} for c in t1.children)
    window = [m for m in ctx.inside if m.start >= trig[1]][:1]
    if (
        window
        and window[0].start - trig[1] < 60
        and not (trigger.implicit_object or trigger.negating)
        and not _contrasted(t0.doc, trig[1], window[0].start)
        and not _another_clause(t0, trig[1], window[0].start)
        and not _a_place(t0.doc, window[0])
    ):
        return window[0]
    if trigger.implicit_object and not governs:
        return ctx.before(t0, set(pred.object_kinds) or ORG_KINDS)
    return None


#: Prepositions that set the next actor against the trigger, not as its object: "Clinton's
#: support against Trump" is no support for Trump.
_CONTRA = frozenset({"against", "versus", "vs", "vs.", "despite", "unlike"})


#: Prepositions that make the next actor a place or a time, not an object: "defended our
#: territorial integrity *at* the UN Security Council".
_WHERE = frozenset({"at", "in", "inside", "near", "outside", "during", "from", "within"})


def _a_place(doc: Doc, m: Mention) -> bool:
    return governing_preposition(doc, m.start, m.end) in _WHERE


def _contrasted(doc: Doc, after: int, before: int) -> bool:
    """A contrastive preposition, or one that adds a companion of the subject ("one of the
    army's main arms suppliers, *along with* Iran and Egypt"), stands between the trigger
    and the next mention."""
    between = doc.char_span(after, before, alignment_mode="expand") if before > after else None
    if between is None:
        return False
    words = " ".join(t.lower_ for t in between)
    return any(t.lower_ in _CONTRA for t in between) or any(
        f" {w} " in f" {words} " for w in _COMPANIONS)


def _another_clause(t0: Token, after: int, before: int) -> bool:
    """A verb of another clause stands between the trigger and the next mention: "denied any
    role in that *attack* and *shot down* several Indian aircraft" (India is no object of
    the attack); not the trigger's own verb repeated ("to attend or not *attend* the summit")."""
    doc = t0.doc
    between = doc.char_span(after, before, alignment_mode="expand") if before > after else None
    return between is not None and any(
        (t.pos_ == "VERB" and t.dep_ in ("conj", "ROOT", "ccomp", "advcl") and t.lemma_ != t0.lemma_)
        # or what opens one: "preparing a military *attack after* President Trump confirmed"
        or (t.dep_ == "mark" and t.lower_ in _CLAUSE_MARKS)
        for t in between)


#: Subordinating conjunctions that open a clause of its own.
_CLAUSE_MARKS = frozenset({"after", "before", "when", "while", "because", "since", "as",
                           "although", "though", "if", "unless", "once", "until", "whereas"})


#: Phrases that add a companion of the subject, not an object: "X, *along with* Y".
_COMPANIONS = ("along with", "together with", "alongside", "as well as", "like")


def _object_ok(obj: Mention | str, trigger: Trigger, ctx: Context) -> bool:
    """Whether the object's kind fits the predicate (see ``object_kinds``)."""
    kinds = trigger.predicate.object_kinds
    if not kinds:
        return True
    kind = ctx.kind_of(obj) if isinstance(obj, str) else ctx.kind(obj)
    if kind in kinds:
        return True
    if trigger.negating:
        return False
    return kind is None or kind == "org?"


def _passive(verb: Token) -> bool:
    """A passive verb: "is recognized", or a participle after its noun ("companies
    *accused* of ...")."""
    return verb.tag_ == "VBN" and (
        any(c.dep_ == "auxpass" for c in verb.children) or verb.dep_ == "acl")


def _passive_roles(verb: Token, ctx: Context) -> tuple[Mention | None, Mention | None]:
    """(agent, patient) actors of a passive verb: the object of its "by", and its
    grammatical subject (or the noun a participle follows), when they name actors."""
    agent = next((m for c in verb.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")
                  for g in c.children if g.dep_ == "pobj" for m in covering(g, ctx.inside)[:1]), None)
    if verb.dep_ == "acl":
        noun = verb.head
        lo, hi = noun.left_edge.idx, noun.idx + len(noun.text)
    else:
        subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subj is None:
            return agent, None
        lo, hi = subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge.text)
    patient = next((m for m in ctx.inside if m.start < hi and lo < m.end), None)
    return agent, patient


#: Prepositions under which a member noun is still said of the clause's subject: "joined
#: *as* a member", "*one of* the members".
_AS_MEMBER = frozenset({"as", "of", "among"})


#: Verbs of which "support" is a quantity that moves, as in polls.
_MOVES = frozenset({"fall", "rise", "grow", "slip", "drop", "surge", "collapse", "erode",
                    "increase", "decline", "dip", "climb", "plunge", "soar", "shrink", "wane"})


#: Verbs and nouns whose object is a membership still pending: "Hungary has not *ratified*
#: Sweden's membership", "*support for* Ukraine's accession", "a *vote on* its membership".
_PENDING = frozenset({
    "support", "back", "endorse", "approve", "approval", "ratify", "ratification", "welcome",
    "block", "veto", "oppose", "opposition", "delay", "obstruct", "stall", "hold", "reject",
    "consider", "discuss", "negotiate", "negotiation", "talk", "vote", "expedite",
    "fast-track", "push", "request", "promise", "propose", "favor", "favour", "hinder",
    "objection", "object", "bid", "prospect", "path", "process", "application", "speed",
})


def _prospective(t0: Token) -> bool:
    """A membership noun governed by a verb or noun of deciding on it (``_PENDING``):
    the membership is sought, not held."""
    if t0.pos_ != "NOUN" or t0.lemma_.lower() not in {"membership", "accession"}:
        return False
    head = t0.head
    if t0.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in {"for", "on", "to", "of"}:
        head = head.head
    elif t0.dep_ not in {"dobj", "nsubjpass"}:
        return False
    return head.lemma_.lower() in _PENDING


#: Verbs of wanting or trying whose "to become a member" is a membership sought.
_SEEKING = frozenset({"seek", "want", "hope", "aim", "aspire", "try", "strive", "wish",
                      "push", "intend", "plan", "apply", "campaign", "lobby"})


def _sought(t0: Token) -> bool:
    """"is seeking / wants / hopes *to become a member* of NATO": the membership is
    sought, not held (as "seeks to join" is)."""
    become = t0.head
    verb = lemma(become.head)
    return t0.lemma_.lower() == "member" and t0.dep_ == "attr" and become.lemma_.lower() == "become" and (
        become.dep_ == "xcomp" and verb in _SEEKING)


def _trigger_ok(trigger: Trigger, t0: Token, t1: Token) -> bool:
    """Reject matches that only look like the trigger: a bare noun trigger ("member") must
    be predicated of its subject ("is / remains / became a member", "Turkey, a NATO
    member"), not name other people ("NATO members", "member states", "the RSM's members")."""
    if t0.pos_ == "VERB" and t0.dep_ == "amod":  # "internationally recognized borders"
        return False
    if trigger.predicate.name == "member_of" and t0.lemma_.lower() == "member":
        head = t0.head if t0.dep_ == "compound" else t0  # "a member *state* of"
        if head.dep_ in {"dobj", "dative"} or (head.dep_ == "pobj" and head.head.lower_ not in _AS_MEMBER):
            return False  # a member visited or attacked is someone else: "Putin's visit to
            # *a member state of* the ICC", "attacked a member of NATO"
    if trigger.words[0] == "its" and not (
        t1.dep_ in {"attr", "appos", "oprd"}
        or (t1.dep_ == "conj" and t1.head.dep_ in {"attr", "appos", "oprd"})
    ):  # "Azerbaijan was *its* closest ally", not "consultations with *its* allies"
        return False
    if trigger.words == ("arm",) and t0.pos_ != "VERB":  # the noun "arms" is weapons, not
        return False  # the act of arming: "one of Poland's main *arms* suppliers"
    preps = {c.lower_ for c in t0.children if c.dep_ == "prep"}
    moves = t0.head.lemma_.lower() in _MOVES
    if t0.lemma_.lower() == "support" and t0.pos_ == "NOUN" and (
        "among" in preps or moves and (not preps & {"for", "to"} or any(
            c.dep_ == "prep" and c.lower_ == "among" for c in t0.head.children))
    ):
        return False  # electoral support: "Clinton's *support* falls four points", "among"
    if t0.lower_ in ("back", "backed", "backing", "backs") and any(
            c.dep_ == "prt" and c.lower_ in ("down", "off", "away", "out") for c in t0.children):
        return False  # "would not *back down*" is no support
    if trigger.words == ("back",) and t0.pos_ == "NOUN":
        return False  # "turning *its back* on Moscow" turns away; it backs no one
    if trigger.implicit_object and t1.pos_ in {"NOUN", "PROPN"}:
        return t1.dep_ in {"attr", "appos", "oprd"} or (
            t1.dep_ == "conj" and t1.head.dep_ in {"attr", "appos", "oprd"}
        ) or titled_name(t1) is not None  # as a title: "NATO *member* Georgia"
    if trigger.predicate.name == "recognizes_sovereignty" and t0.lemma_.lower() in _RECOGNIZE:
        # recognizing a thing is not recognizing a state: "the Armenian *genocide*", "the
        # election results", "the Taliban government" (a state, its independence or its
        # borders are)
        thing = next((c for c in t0.children if c.dep_ in {"dobj", "nsubjpass"}), None)
        if thing is None and t0.lower_.startswith("recognition"):
            thing = next((g for c in t0.children if c.dep_ == "prep" and c.lower_ == "of"
                          for g in c.children if g.dep_ == "pobj"), None)
        if thing is not None and thing.pos_ == "NOUN" and thing.lemma_.lower() not in _SOVEREIGN:
            return False
    return True


_RECOGNIZE = frozenset({"recognize", "recognise", "recognition"})
#: What recognizing amounts to recognizing a state.
_SOVEREIGN = frozenset({"independence", "sovereignty", "statehood", "state", "country", "nation",
                        "republic", "integrity", "border", "boundary", "annexation", "it",
                        "declaration", "right", "existence", "status", "claim"})


def canonicalize(
    span: Span,
    mentions: Sequence[Mention],
    vocab: Vocabulary,
    *,
    kind_of: KindOf | None = None,
    we: str | None = None,
) -> list[Canonical]:
    """Every vocabulary reading of ``span`` (see the module doc).

    ``mentions`` are the article's mentions (those inside the span name subjects and
    objects; earlier ones resolve pronouns). ``kind_of`` gives an actor id's kind
    (default: the built-in dictionary); ``we`` is the actor "we" stands for (a quote's
    speaker organization).
    """
    doc, lo, hi = span.doc, span.start, span.end
    lowers, lemmas = token_forms(doc)
    lowers, lemmas = lowers[lo:hi], lemmas[lo:hi]
    # only the triggers whose first word is in the span can match, at those tokens;
    # they are tried in vocabulary order, as the longest-first resolution requires
    triggers, by_first, anywhere = _trigger_index(vocab)
    starts: dict[int, list[int]] = {k: list(range(hi - lo)) for k in anywhere}
    for i, (low, lem) in enumerate(zip(lowers, lemmas)):
        for word in (low, lem) if lem != low else (low,):
            for k in by_first.get(word, ()):
                where = starts.setdefault(k, [])
                if not where or where[-1] != i:
                    where.append(i)
    if not starts:
        return []
    tokens = list(span)
    ments = sorted(mentions, key=lambda m: m.start)
    ctx = Context(ments, overlapping(ments, span.start_char, span.end_char),
                   kind_of or builtin_kind, we)  # fmt: skip
    out: list[Canonical] = []
    taken: set[int] = set()
    # (predicate, first token) of a longer trigger whose object did not fit: a shorter one
    # of the same predicate there does not get a second try at another object ("diplomatic
    # relations with *most NATO member states*" is no relation with NATO)
    refused: set[tuple[str, int]] = set()
    for k in sorted(starts):
        trigger = triggers[k]
        pred = trigger.predicate
        for at in starts[k]:
            hit = _match(lowers, lemmas, trigger.words, at)
            if hit is None or taken.intersection(hit) or (pred.name, hit[0]) in refused:
                continue
            t0, t1 = tokens[hit[0]], tokens[hit[-1]]
            trig = (t0.idx, t1.idx + len(t1.text))
            if any(
                overlapping(ctx.inside, tokens[i].idx, tokens[i].idx + len(tokens[i])) for i in hit
            ):
                continue  # the trigger is part of a name ("Partnership for Peace")
            if not _trigger_ok(trigger, t0, t1):
                continue
            pending = pred.name == "member_of" and _prospective(t0)
            if pending:  # "ratified Sweden's membership": Sweden seeks it, whoever ratifies
                if "seeks_membership" not in vocab.predicates or not any(
                    possessive(c) and covering(c, ctx.inside) for c in t0.children
                ):
                    continue
                pred = vocab.predicates["seeks_membership"]
                trigger = replace(trigger, predicate=pred)
            elif pred.name == "member_of" and _sought(t0) and "seeks_membership" in vocab.predicates:
                pred = vocab.predicates["seeks_membership"]  # "seeking to become a member"
                trigger = replace(trigger, predicate=pred)
            found = (
                None
                if pred.object == "none"
                else _object(t0, t1, [tokens[i] for i in hit], trigger, vocab, ctx)
            )
            if found is not None and not _object_ok(found, trigger, ctx):
                refused.add((pred.name, hit[0]))
                continue
            obj = found if isinstance(found, str) or found is None else found.actor_id
            if pred.object == "required" and obj is None and not pred.symmetric:
                continue
            polarity, modality = polarity_and_modality(
                t0, (span.start_char, span.end_char), intent=pred.intent
            )
            if trigger.negating:
                polarity = "affirmed" if polarity == "negated" else "negated"
            if pending or titled_name(t0) is not None:  # presupposed whatever the governing
                # verb says ("has not ratified"; "NATO member Georgia *should* welcome ...")
                polarity, modality = "affirmed", "asserted"
            if _passive(t0) and not pred.symmetric:
                # "Kosovo is recognized *by* the United States": the agent is the subject,
                # the grammatical subject the object; with no agent, nobody is said to act
                agent, patient = _passive_roles(t0, ctx)
                if agent is None:
                    continue
                obj = patient.actor_id if patient is not None else (None if obj == agent.actor_id else obj)
                if pred.object == "required" and obj is None:
                    continue
                agents = [agent.actor_id, *_co_members(agent, ctx, span)]  # "brokered by the
                # United States *and France*": each
                readings = [Canonical(a, pred.name, obj, polarity, modality, trig)
                            for a in agents if a != obj]
                if readings:
                    out.extend(readings)
                    taken.update(range(hit[0], hit[-1] + 1))
                continue
            subjects = _subjects([tokens[i] for i in hit], trig, pred, ctx,
                                 (span.start_char, span.end_char))
            if subjects:  # "..., and neither do Russia and China": their readings too
                subjects += [s for s in elliptic_subjects(t0, ctx) if s not in subjects]
            if pred.object == "required" and obj is None:
                # a symmetric relation between a coordinated subject: "Israel and the UAE
                # established diplomatic relations" is one reading, between the two
                if len(subjects) != 2:
                    refused.add((pred.name, hit[0]))
                    continue
                subjects, obj = subjects[:1], subjects[1]
            if pred.object_kinds and set(pred.object_kinds) <= _BODY_KINDS:
                # a person does not join a bloc: their state or body does ("Kobakhidze ...
                # no longer seeks membership of NATO" is Georgia's)
                subjects = [_represented(s, ctx) for s in subjects]
            readings = [Canonical(s, pred.name, o, polarity, modality, trig)
                        for o in [obj, *_more_objects(found, trigger, ctx, span)]
                        for s in subjects if s and s != o]  # fmt: skip
            if readings and len(subjects) == 1:
                readings += [Canonical(g, pred.name, obj, polarity, modality, trig, when)
                             for g, when in gapped(t0, subjects[0], ctx) if g != obj]
            if readings:
                out.extend(readings)
                taken.update(range(hit[0], hit[-1] + 1))
    return sorted(_alternatives(out, span), key=lambda c: (c.trigger, c.subject or ""))


def _co_members(first: Mention, ctx: Context, span: Span,
                ok: Callable[[Mention], bool] = lambda m: True) -> list[str]:
    """The other members of a coordination whose first member ``first`` names ("brokered by
    the United States *and France*", "a member of the CSTO *and the Eurasian Economic
    Union*"), each an actor ``ok`` allows."""
    head = span.doc.char_span(first.start, first.end, alignment_mode="expand")
    if head is None or not len(head):
        return []
    out: list[str] = []
    for tok in conjuncts(head.root)[1:]:
        hits = [m for m in overlapping(ctx.inside, tok.idx, tok.idx + len(tok.text))
                if m.actor_id != first.actor_id]
        if hits and ok(hits[0]) and hits[0].actor_id not in out:
            out.append(hits[0].actor_id)
    return out


def _more_objects(found: Mention | str | None, trigger: Trigger, ctx: Context, span: Span) -> list[str]:
    """The other members of a coordinated object, each an object the predicate allows."""
    if not isinstance(found, Mention):
        return []
    return _co_members(found, ctx, span, lambda m: _object_ok(m, trigger, ctx))


#: Object kinds of membership-like predicates (joining, seeking, leaving a body).
_BODY_KINDS = frozenset({"igo", "programme", "group", "mission"})


def _represented(actor: str, ctx: Context) -> str:
    """A person's organization (their state or body at the article's date, from their
    mention), else the actor itself."""
    for m in ctx.mentions:
        if m.actor_id == actor and m.org and ctx.kind(m) == "person":
            return m.org
    return actor


def _alternatives(out: list[Canonical], span: Span) -> list[Canonical]:
    """ "To attend or not attend": a reading and its negation joined by "or" assert
    neither; both become questions."""
    text = text_of(span.doc)
    open_: set[int] = set()
    for i, a in enumerate(out):
        for j, b in enumerate(out):
            if (i < j and a.polarity != b.polarity
                    and (a.subject, a.predicate, a.object) == (b.subject, b.predicate, b.object)):  # fmt: skip
                lo, hi = sorted((a.trigger, b.trigger))
                if re.search(r"\bor\b", text[lo[1] : hi[0]]):
                    open_.update((i, j))
    return [replace(c, modality="question") if i in open_ else c for i, c in enumerate(out)]


__all__ = ["Canonical", "builtin_kind", "canonicalize", "polarity_and_modality"]
