"""Polarity and modality of the clause that governs a claim's trigger.

:func:`polarity_and_modality` walks up the dependency tree from the trigger:

- **polarity**: negators (``not``, ``no``, ``never``, ``no longer``) on the governing
  clauses, an infinitive under "failure", "refusal" or "inability", and negating verbs (``deny``, ``refuse``, ``rule out``, ``stop``) whose
  complement the trigger is ("refused to join"; not "rejected criticism, saying ...").
  Two negations cancel; a conjoined clause does not share its neighbour's negation.
- **modality**: ``question`` (the trigger's clause ends with "?", its line is a headline
  that opens with an auxiliary, an embedded "whether"), ``conditional`` (if, unless: on
  the trigger's clause, or a clause of that kind attached to a governing one),
  ``future`` (will, shall, going to; an infinitive under "ready", "about", "plan",
  "decide" ..., or under a noun of intent: "a plan / an attempt to join"),
  ``hypothetical`` (may, might, could, would; "it is unlikely / possible that", "is likely
  to"; an infinitive under a noun of asking: "pressure / calls to back"), ``normative`` (should,
  must), else ``asserted``. A relative clause asserts on its own.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .records import lemma, semicolon_before, text_of

if TYPE_CHECKING:
    from spacy.tokens import Token

NEGATORS = {"not", "n't", "no", "never", "neither", "nor", "without", "nobody", "none"}
#: Adjectives that make what they govern a possibility, not a fact.
HEDGES = {"unlikely", "likely", "possible", "probable", "improbable", "doubtful", "uncertain",
          "conceivable"}  # fmt: skip
#: Verbs whose negation denies an implication of their subject, not the subject itself.
IMPLYING = {"mean", "imply", "entail", "equal", "require", "preclude", "exclude", "guarantee"}
#: Verbs that put their clause in doubt: "analysts *doubt* that China will invade".
DOUBTING = {"doubt", "question", "wonder"}
#: Speech cues that report their clause as untrue.
DENYING_CUES = {"deny", "refute", "dispute", "rebut"}
NEGATING_VERBS = {"deny", "refuse", "reject", "decline", "abandon", "rule", "drop", "stop", "cease",
                  "end", "renounce",  # "*ending* two centuries of non-alignment"
                  "suspend", "halt", "freeze", "shelve",  # "*froze* military aid to Georgia"
                  "refrain", "abstain", "desist",  # "*refrain from* using force"
                  "lose"}  # "Russia has *lost* its role as a mediator"
MODALS = {
    "will": "future", "shall": "future", "'ll": "future", "going": "future",
    "may": "hypothetical", "might": "hypothetical", "could": "hypothetical",
    "would": "hypothetical", "should": "normative", "must": "normative",
    "ought": "normative", "need": "normative",
}  # fmt: skip
# Heads whose infinitive complement has not happened yet: "ready to join", "about to join".
INTENT_HEADS = {
    "ready", "about", "prepare", "expect", "likely", "set", "due", "poised", "hope", "want",
    "wish", "intend", "aim", "try", "attempt", "consider", "discuss", "threaten", "promise",
    "pledge", "vow", "decide", "agree", "willing", "eager", "able", "plan", "offer",
}  # fmt: skip
# Verbs whose object noun names an act not done yet: "planning an attack", "threatened a
# blockade".
PLANNED_OBJECTS = {"plan", "prepare", "threaten", "intend", "propose", "contemplate", "consider"}
#: Verbs that ask for their infinitive ("asked Russia *to mediate*") or object ("is seeking
#: Russian *mediation*"): the act is asked for, not done.
ASKING_VERBS = {"ask", "urge", "call", "request", "invite", "press", "encourage", "implore",
                "appeal", "beg"}
SOUGHT_OBJECTS = {"seek", "request", "want", "demand"}
#: Verbs whose "of" gerund is only alleged: "accused the UAE *of arming* the RSF".
CHARGING_VERBS = {"accuse", "suspect", "charge"}
# Nouns whose infinitive ("a failure to join", "a plan to join", "pressure to back") says
# the act did not happen, has not happened yet, or is only asked for.
NEGATING_NOUNS = {"failure", "refusal", "reluctance", "inability", "unwillingness"}
INTENT_NOUNS = {
    "plan", "intention", "bid", "attempt", "effort", "push", "decision", "readiness",
    "willingness", "aim", "goal", "ambition", "aspiration", "desire", "promise", "pledge",
    "commitment", "offer", "threat", "proposal", "preparation", "determination", "drive",
    "contract", "deal",
}  # fmt: skip
#: Nouns whose gerund or infinitive names an act only talked about: "talks on joining".
TALK_NOUNS = {"talk", "negotiation", "discussion", "debate", "dialogue", "consultation"}


def talked_about(node: Token) -> str | None:
    """The talk noun whose topic a noun is: "negotiations *on a trade agreement*" (the
    agreement is only talked about), or None."""
    if node.pos_ == "NOUN" and node.dep_ == "pobj" and node.head.lower_ in ("on", "over", "about") and (
            node.head.head.lemma_.lower() in TALK_NOUNS):
        return node.head.head.lemma_.lower()
    return None


ASKED_NOUNS = {
    "pressure", "call", "demand", "request", "appeal", "invitation", "suggestion", "idea",
    "possibility", "prospect", "chance", "option", "right", "need", "permission", "urge",
}  # fmt: skip
QUESTION_OPENERS = {
    "is", "are", "was", "were", "will", "would", "can", "could", "should", "does", "do",
    "did", "has", "have", "had", "shall", "may", "might", "must",
}  # fmt: skip
# links through which a negating verb governs the trigger: "refused to join", "denied that
# ...", "ruled out membership" (not "rejected criticism, saying that ...")
#: Dependents that open a clause of their own.
_OTHER_CLAUSES = frozenset({"conj", "ccomp", "advcl", "relcl", "parataxis", "xcomp", "acl"})
#: Finite verb tags: a verb in one of these forms carries its own tense.
_FINITE = frozenset({"VBD", "VBP", "VBZ"})
_COMPLEMENTS = {"xcomp", "ccomp", "dobj", "pcomp", "pobj", "prep", "acomp", "attr", "prt"}


def infinitive_noun(verb: Token) -> Token | None:
    """The noun an infinitive depends on ("a refusal *to recognize*"), or None.

    One misparse is read through: spaCy hangs the infinitive of a negating or intent noun
    that is a verb's object on the verb when a date comes between them ("follows Tokayev's
    *refusal* last year *to recognise*": advcl of "follows"); the noun ends the object, with
    only a date, if anything, before the "to".
    """
    to = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ == "to"), None)
    if to is None or verb.dep_ not in {"acl", "xcomp", "advcl", "relcl"}:
        return None
    if verb.head.pos_ == "NOUN":
        return verb.head
    if verb.dep_ not in {"advcl", "xcomp"} or verb.head.pos_ not in ("VERB", "AUX"):
        return None
    for noun in verb.head.children:
        if (noun.dep_ in ("dobj", "nsubj") and noun.i < to.i and noun.pos_ == "NOUN"
                and noun.lemma_.lower() in NEGATING_NOUNS | INTENT_NOUNS
                and all(t.ent_type_ in ("DATE", "TIME") for t in noun.doc[noun.i + 1:to.i])):
            return noun
    return None


def noun_of_infinitive(verb: Token) -> str | None:
    """The lemma of the noun an infinitive depends on ("a refusal *to recognize*"), or None."""
    noun = infinitive_noun(verb)
    return noun.lemma_.lower() if noun is not None else None


#: Nouns that name what a denying verb denies when it follows the clause it denies.
CHARGE_NOUNS = {"charge", "accusation", "allegation", "claim", "report", "assertion",
                "account", "suggestion", "rumour", "rumor"}


def denies_a_charge(verb: Token) -> bool:
    """The verb denies a noun of its own, so a clause the parser hangs on it is no
    complement it negates: "X accused Y of Z, *a charge* Y denies" (spaCy makes "accused"
    the ccomp of "denies", and "charge" its object or subject)."""
    return any(c.dep_ in ("dobj", "nsubj", "nsubjpass") and c.lemma_.lower() in CHARGE_NOUNS
               for c in verb.children)


def noun_of_gerund(verb: Token) -> str | None:
    """The lemma of the noun a gerund depends on through a preposition ("talks *on
    joining*", "a plan for joining"), or None."""
    if verb.tag_ == "VBG" and verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and (
        verb.head.head.pos_ == "NOUN"
    ):
        return verb.head.head.lemma_.lower()
    return None


#: Subjects that deny the clause of everyone they cover: "*None* of its members recognizes".
_NEGATIVE_SUBJECTS = frozenset({"none", "nobody", "nothing", "neither"})


def neither_subject(verb: Token, skip: int = -1) -> bool:
    """The verb's subject is negative: it opens with "neither" or "no" ("*Neither* Armenia
    nor Georgia has joined", "*No* member of the UN recognizes Somaliland") or is "none",
    "nobody", "no one": the clause is negated (the token at ``skip`` is not looked at)."""
    for c in verb.children:
        if c.dep_ not in ("nsubj", "nsubjpass") or c.i == skip:
            continue
        if c.lower_ in _NEGATIVE_SUBJECTS or (c.lower_ == "one" and c.i > 0
                                              and c.doc[c.i - 1].lower_ == "no"):
            return True
        if any(d.dep_ in ("preconj", "det") and d.lower_ in ("neither", "no") for d in c.children):
            return True
    return False


#: Coordinators that contrast their conjuncts: "has not left *but* suspended".
_CONTRAST = frozenset({"but", "yet", "while", "whereas", "instead"})


def instead_of(tok: Token) -> bool:
    """The act is named as the one not chosen: "should explain the result *instead of
    blaming* Russia"."""
    return tok.dep_ == "pcomp" and tok.head.lower_ == "of" and any(
        c.lower_ == "instead" for c in tok.head.children)


def not_until(verb: Token) -> bool:
    """"did *not* apologise *until* October": it did, then; the negation only dates the
    act ("will not lift the ban *until* ZTE pays": it will, on that condition; see
    :func:`until_condition`). True for a negated verb with an "until" phrase or clause."""
    return any(ch.dep_ == "neg" for ch in verb.children) and any(
        (ch.dep_ == "prep" and ch.lower_ == "until")
        or (ch.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "until" for m in ch.children))
        for ch in verb.children)


def until_condition(verb: Token) -> bool:
    """A future "not ... until" ("will not lift the ban until ZTE pays"): the act is
    promised on a condition, so its modality is conditional."""
    return not_until(verb) and any(
        ch.dep_ == "aux" and ch.lower_ in ("will", "would", "shall", "'ll", "wo") for ch in verb.children)


def in_name_only(node: Token) -> bool:
    """``node``'s own clause says it holds "in all but name" ("recognises Taiwan as a state
    *in all but name*": in effect, not formally); spaCy may hang the phrase on any word of
    the clause, but not inside a clause of its own."""
    doc = node.doc
    return any(ch.dep_ not in _OTHER_CLAUSES and any(  # (the words in a row: the parser may
        t.lower_ == "in" and [g.lower_ for g in doc[t.i + 1:t.i + 4]] == ["all", "but", "name"]
        for t in ch.subtree) for ch in node.children)  # also split them over the clause)


def shares_negation(verb: Token) -> bool:
    """A coordinated verb with no subject, auxiliary or negation of its own shares its first
    conjunct's: "Rwanda does not arm, *fund* or *direct* M23"; not across a contrast ("has
    not left the CSTO *but* suspended its participation")."""
    if verb.dep_ != "conj" or verb.head.pos_ not in ("VERB", "AUX"):
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg") or c.lower_ == "never"
           for c in verb.children):
        return False
    if any(c.dep_ == "dobj" and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
           for c in verb.children):
        return False  # a negation of its own: "is not a member ... and *has no plans* to join"
    first = verb.head
    while first.dep_ == "conj" and first.head.pos_ in ("VERB", "AUX") and first.head.i != first.i:
        first = first.head
    own_tense = verb.pos_ == "VERB" and verb.tag_ in _FINITE and verb.tag_ != first.tag_
    if own_tense and verb.lemma_ not in ("do", "be", "have") and any(
            c.dep_ in ("aux", "neg") for c in first.children):
        # a finite verb of another form has no share in the first's auxiliary: "does not
        # *recognize* X and *called on* Russia to ..." (but "and neither *do* Russia ...")
        return False
    ccs = [c for t in (first, verb.head, verb) for c in t.children if c.dep_ == "cc"]
    return not any(c.lower_ in _CONTRAST for c in ccs)


#: Marks of an adverbial clause whose polarity is its own, not its main clause's.
_OWN_MARKS = frozenset({"if", "unless", "because", "when", "whenever", "after", "before",
                        "since", "once", "as"})
#: Marks of a clause set against the one it depends on, which asserts on its own.
_CONCESSIVE = frozenset({"although", "though", "whereas", "while"})


def _is_question(tok: Token) -> bool:
    """The trigger's clause ends with "?", or its line is a headline opening with an auxiliary."""
    text = text_of(tok.doc)
    sent = tok.sent
    lo = max(text.rfind("\n", sent.start_char, tok.idx) + 1, sent.start_char)
    hi = text.find("\n", tok.idx, sent.end_char)
    hi = sent.end_char if hi < 0 else hi
    end = re.search(r"[.!?]", text[tok.idx : hi])
    if end is not None:
        return end.group() == "?"
    line = text[lo:hi].strip(" \t\"'\u201c\u201d\u2018\u2019")
    first = line.split(maxsplit=1)[0].lower() if line else ""
    return first in QUESTION_OPENERS


def polarity_and_modality(
    tok: Token, limit: tuple[int, int] | None = None, *, intent: bool = False
) -> tuple[str, str]:
    """Negation and modality of the clause governing ``tok`` (within ``limit`` offsets).

    ``intent``: the predicate is itself an intention, so "planning to apply" stays asserted.
    """
    negated = False
    modality = "asserted"
    node, conj, via = tok, False, ""
    while True:
        if limit and not (limit[0] <= node.idx < limit[1]) and node.i != tok.i and via != "xcomp":
            # an infinitive's governing verb still counts: "does not plan to apply"; so does
            # a cue that denies what it reports: "France *denied* that it arms them"
            if via == "ccomp" and node.lemma_.lower() in DENYING_CUES and not denies_a_charge(node):
                negated = not negated
            if via == "ccomp" and node.lemma_.lower() in DOUBTING and modality in ("asserted", "future"):
                modality = "hypothetical"
            break
        # "neutrality does *not mean* we cannot defend ourselves": a verb that says what its
        # subject implies negates the implication, not the subject
        implying = via in ("nsubj", "nsubjpass") and node.lemma_.lower() in IMPLYING
        if not conj and neither_subject(node, skip=tok.i):  # "*Neither* Armenia nor Georgia"
            negated = not negated
        if instead_of(node):  # "instead of blaming Russia"
            negated = not negated
        if node.lower_ == "without" and via in ("pobj", "pcomp") and node.dep_ == "prep":
            negated = not negated  # "an agreement reached *without* its participation"
        for c in node.children:
            low = c.lower_
            if (
                not conj
                and not implying
                and c.i != tok.i
                and not not_until(node)
                and (
                    c.dep_ == "neg"
                    or (low in NEGATORS and c.dep_ in {"det", "advmod", "neg", "preconj"})
                    or (low == "longer" and any(g.lower_ == "no" for g in c.children))
                )
            ):
                negated = not negated
            if c.dep_ in {"aux", "auxpass"} and low in MODALS and modality == "asserted":
                modality = MODALS[low]
            if c.dep_ == "mark" and low in {"if", "unless"}:
                modality = "conditional"
            if c.dep_ == "advcl" and c.i != tok.i and any(
                g.dep_ == "mark" and g.lower_ in {"if", "unless"} for g in c.children
            ):  # "If the CSTO does not act, Azerbaijan will not remain a member"
                modality = "conditional"
            if c.dep_ == "mark" and low == "whether":
                modality = "question"
        if modality in ("asserted", "future") and until_condition(node):
            modality = "conditional"
        if modality in ("asserted", "future") and in_name_only(node):
            modality = "hypothetical"  # "recognises Taiwan as a state *in all but name*":
            # not formally, so no claim that it does
        if node.i != tok.i and via in _COMPLEMENTS and node.lemma_.lower() in NEGATING_VERBS and not (
            via == "ccomp" and denies_a_charge(node)
        ):
            negated = not negated
            # "stop *X* from joining": another actor prevents it; only tried ("will *try*
            # to stop X from joining"), the outcome is not asserted
            prevents = via == "prep" and any(c.dep_ == "dobj" for c in node.children)
            if prevents and node.dep_ == "xcomp" and lemma(node.head) in INTENT_HEADS:
                modality = "hypothetical"
        if node.i != tok.i and modality in ("asserted", "future") and (
            (node.pos_ == "ADJ" and node.lemma_.lower() in HEDGES)  # "is unlikely to join"
            or (via == "ccomp" and any(c.dep_ == "acomp" and c.lemma_.lower() in HEDGES
                                       for c in node.children))  # "it is unlikely that ..."
        ):  # fmt: skip
            modality = "hypothetical"
        charger = node.head.head
        if modality in ("asserted", "future") and node.dep_ == "pcomp" and (
                node.head.lower_ == "of" and charger.lemma_.lower() in CHARGING_VERBS) and (
                not limit or limit[0] <= charger.idx < limit[1]):
            # alleged, not asserted: "the UAE, which Sudan accuses *of arming* the RSF" (the
            # accuser's own quote, whose cue is the charge, asserts it)
            modality = "hypothetical"
        if not intent and modality in ("asserted", "future") and (
            (node.dep_ == "xcomp" and node.head.lemma_.lower() in ASKING_VERBS)
            or (node.dep_ == "dobj" and node.pos_ == "NOUN"
                and node.head.lemma_.lower() in SOUGHT_OBJECTS)  # "seeking Russian *mediation*"
        ):
            modality = "hypothetical"  # "asked Russia *to mediate*"
        if not intent and modality == "asserted" and (
            (node.dep_ == "xcomp" and lemma(node.head) in INTENT_HEADS)
            or (node.dep_ == "dobj" and node.pos_ == "NOUN"
                and node.head.lemma_.lower() in PLANNED_OBJECTS)  # "*planning* an attack"
        ):
            modality = "future"
        # "a failure / plan to join", "pressure to back", "talks on joining"
        noun = noun_of_infinitive(node) or noun_of_gerund(node) or talked_about(node)
        if noun is not None:
            if noun in NEGATING_NOUNS:
                negated = not negated
            elif noun in INTENT_NOUNS | TALK_NOUNS and not intent and modality == "asserted":
                modality = "future"
            elif noun in ASKED_NOUNS and modality in ("asserted", "future"):
                modality = "hypothetical"
        if node.head.i == node.i or node.dep_ == "relcl":
            break  # a relative clause asserts on its own: "the PfP, which Armenia joined"
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _CONCESSIVE
                                        for c in node.children):
            break  # so does a concessive clause: "does not seek membership, *although* it
            # has taken part in the PfP since 1994"
        conj = node.dep_ == "conj" and node.head.pos_ in {"VERB", "AUX"} and not shares_negation(node)
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _OWN_MARKS for c in node.children):
            conj = True  # the main clause's "not" is not the condition's: "would *not* travel
            # to Moscow *if* the Kremlin continued to criticise Serbia" (it does criticise)
        via = node.dep_
        if node.dep_ in ("ccomp", "parataxis") and node.head.i > node.right_edge.i and semicolon_before(
                node, node.head.i):
            break  # a clause before a semicolon is no complement of the next one: "Georgia
            # *freezes* EU accession talks; Washington *suspends* ..." (spaCy's ccomp)
        if node.dep_ == "conj" and node.head.dep_ == "xcomp" and node.head.tag_ in ("VBG", "VB") and (
                node.tag_ in _FINITE or node.tag_ == "VB" and node.head.tag_ == "VBG"):
            # "The Taliban deny sheltering the group and *accuse* Pakistan": a finite verb the
            # parser hangs on the first verb's gerund coordinates with the first verb itself,
            # so the first verb's negating sense ("deny") does not reach it
            node, conj = node.head, True
        node = node.head
    if _is_question(tok):
        modality = "question"
    return ("negated" if negated else "affirmed"), modality


__all__ = [
    "ASKED_NOUNS",
    "ASKING_VERBS",
    "CHARGE_NOUNS",
    "CHARGING_VERBS",
    "DENYING_CUES",
    "DOUBTING",
    "HEDGES",
    "INTENT_NOUNS",
    "MODALS",
    "NEGATING_NOUNS",
    "NEGATING_VERBS",
    "NEGATORS",
    "SOUGHT_OBJECTS",
    "TALK_NOUNS",
    "denies_a_charge",
    "in_name_only",
    "infinitive_noun",
    "instead_of",
    "neither_subject",
    "not_until",
    "noun_of_gerund",
    "noun_of_infinitive",
    "polarity_and_modality",
    "shares_negation",
    "until_condition",
]
