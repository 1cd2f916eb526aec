"""Modality of PLOVER event candidates, read off the dependency parse.

Split from ``event_args.py`` (which reads the candidates' actors):

* :func:`apply_intent`: a cooperative act under an intent word ("willing to withdraw");
* :func:`modality_of`: negation, conditional, hypothetical, future, and reported speech
  with its speaker; :data:`NO_ACT` marks a candidate that is no act at all (what a negated
  speech verb governs, an act only supposed, a bare condition).
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from .event_refs import best_mention, subject_mention
from .event_rules import CameoMap, Candidate, Lexicon, MentionIndex, _lemma, _path_to_clause
from .polarity import (
    ASKED_NOUNS,
    DENYING_CUES,
    DOUBTING,
    INTENT_NOUNS,
    NEGATING_NOUNS,
    denies_a_charge,
    in_name_only,
    instead_of,
    neither_subject,
    not_until,
    noun_of_gerund,
    noun_of_infinitive,
    shares_negation,
    talked_about,
    until_condition,
)
from .records import token_forms

#: Nouns of intent whose infinitive is nonetheless an act, attempted: "an attempt to kill".
_ACTS = frozenset({"attempt", "effort", "bid", "push", "drive", "determination"})

def _infinitive_noun(tok: Token) -> str | None:
    """The lemma of the noun an infinitive trigger depends on ("refusal *to recognize*"):
    the trigger's own, or that of the verb of its phrase ("to withdraw its troops")."""
    return noun_of_infinitive(tok) or (
        noun_of_infinitive(tok.head) if tok.head.i != tok.i else None)



def _all_lemmas(tokens: Iterable[Token]) -> set[str]:
    return {_lemma(t) for t in tokens} | {t.lower_ for t in tokens}


def apply_intent(c: Candidate, lex: Lexicon, cmap: CameoMap) -> None:
    """A cooperative act governed by an intent word is AGREE (express intent)."""
    path = _path_to_clause(c.token)[1:]
    if any(_lemma(t) in lex.intent for t in path):
        c.intent = True


#: Verbs whose prepositional object is an act they plan, ask for or refuse: its modality
#: and negation are theirs ("called *for* talks", "did not agree *to* a ceasefire").
_CARRIERS = frozenset({"call", "ask", "appeal", "push", "press", "agree", "consent", "opt",
                       "prepare", "plan", "vote", "refrain", "abstain", "object", "insist",
                       "argue", "hope", "wait", "work", "aim", "head", "move", "lead", "go",
                       "engage", "participate", "join", "take", "fail", "resort", "return"})


#: Verbs that say whether an act named as their subject took place at all ("the talks
#: did *not begin*"), unlike a predicate about it ("the protest is not enough").
_OCCURS = frozenset({"happen", "occur", "take", "go", "proceed", "materialize",
                     "materialise", "begin", "start", "continue", "resume", "come", "exist"})



def _bare_condition(tok: Token) -> bool:
    """A passive participle that only states a condition, with no one named to do it:
    "Venezuela would respond with armed struggle *if attacked*"."""
    return tok.tag_ == "VBN" and tok.dep_ == "advcl" and any(
        m.dep_ == "mark" and m.lower_ in ("if", "unless", "when") for m in tok.children) and not any(
        ch.dep_ in ("nsubj", "nsubjpass", "agent") for ch in tok.children)


def _supposed(tok: Token) -> bool:
    """An indefinite noun act as the subject of a modal verb is only supposed: "*a* Chinese
    *attack* on Taiwan *could* constitute ..." (not "the attack could lead to ...")."""
    return tok.pos_ == "NOUN" and tok.dep_ == "nsubj" and any(
        d.dep_ == "det" and d.lower_ in ("a", "an", "any") for d in tok.children) and any(
        a.dep_ == "aux" and a.lower_ in ("could", "would", "might", "may") for a in tok.head.children)


#: Verbs that keep a planned act from happening, said of it in the passive.
_CALLED_OFF = frozenset({"postpone", "cancel", "delay", "scrap", "shelve", "suspend", "defer",
                         "call", "abandon", "drop"})


def _cited(tok: Token) -> bool:
    """A noun act cited as a reason is only alleged, and not by its actor: "Finland closes
    its border, *citing* a hybrid *attack*" (Finland attacks no one)."""
    return tok.pos_ == "NOUN" and tok.dep_ == "dobj" and _lemma(tok.head) == "cite"


def modality_of(c: Candidate, sent: Span, lex: Lexicon, idx: MentionIndex) -> None:
    """Set ``negated``, ``modality`` and ``speaker`` of a candidate."""
    clause_path = _path_to_clause(c.token)
    path = clause_path
    if c.kind == "noun" and c.token.dep_ == "nsubj" and _lemma(c.token.head) not in _OCCURS:
        path = path[:1]  # a noun act as the subject is presupposed by what is said of it:
        # "Tokyo's quiet *protest* is not enough", "the sanctions have not worked"; its
        # clause still says who reports it
    elif c.kind == "noun" and c.token.dep_ == "pobj" and c.token.head.head.pos_ in ("VERB", "AUX") and (
            _lemma(c.token.head.head) not in lex.light | lex.intent | _CARRIERS):
        path = path[:2]  # so is one a verb refers to through a preposition: "would comply
        # *with* Western *sanctions*" (the compliance is hypothetical, not the sanctions)
    near: list[Token] = []
    for t in path:
        near.extend(ch for ch in t.children if ch.dep_ in ("aux", "neg", "advmod", "mark",
                                                            "det", "auxpass", "preconj"))
    near_words = _all_lemmas(near)
    path_words = _all_lemmas(path[1:])
    mod = lex.modality
    c.negated = any(ch.dep_ == "neg" for t in path for ch in t.children if not not_until(t)) or bool(
        {"no", "never", "without"} & near_words
    ) or any(  # "has received *no* notification", "sent no troops"
        ch.dep_ == "dobj" and any(d.dep_ == "det" and d.lower_ == "no" for d in ch.children)
        for ch in c.token.children
    ) or any(neither_subject(t) for t in path) or (  # "*Neither* Armenia nor Azerbaijan has signed"
        shares_negation(c.token) and any(  # "did not attack or *shell* the village"
            ch.dep_ == "neg" or ch.lower_ in ("never", "no") for ch in c.token.head.children))
    head_verb = c.token.head
    if c.kind == "noun" and c.token.dep_ == "nsubjpass" and _lemma(head_verb) in _CALLED_OFF and (
            _lemma(head_verb) != "call" or any(p.dep_ == "prt" and p.lower_ == "off" for p in head_verb.children)):
        c.negated = not c.negated  # "a planned *visit* ... *was postponed*": it did not happen
    if c.code[:2] == "13" and _lemma(c.token) == "rule":
        c.negated = False  # "did *not rule out* force": the option kept open is the threat
    if any(t.dep_ == "xcomp" and t.tag_ in ("VBG", "VBN") and _lemma(t.head) in DENYING_CUES
           for t in path[:-1]):  # "Serbia *denies* shelling the village"
        c.negated = not c.negated
    if any(instead_of(t) for t in path[:2]):  # "should explain it *instead of blaming* X"
        c.negated = not c.negated
    if c.token.dep_ in ("pobj", "pcomp") and c.token.head.lower_ == "without":
        c.negated = not c.negated  # "any agreement reached *without* its participation"
    # the act itself, or the object of a light verb, is the complement of "fail"
    failed = any(t.dep_ == "xcomp" and _lemma(t.head) == "fail" for t in path[:2]
                 if t.i == c.token.i or c.token.dep_ == "dobj") or any(
        t.dep_ == "pcomp" and t.head.lower_ == "from" and _lemma(t.head.head) in _REFRAIN
        for t in path[:2])  # "*refrain from* threatening or using force"
    if failed and c.code[:2] == "03":  # "*failed to* reach agreement": CAMEO codes a rejection
        c.code = "120"
    elif failed or (c.token.pos_ in ("VERB", "AUX") and any(  # "the United States *failed
            ch.dep_ == "advmod" and ch.lower_ in _NEARLY for ch in c.token.children)):  # to* fund"
        c.negated = not c.negated  # "the two allies *nearly* clashed": it did not happen
    if _supposed(c.token) or _cited(c.token) or _bare_condition(c.token) or (  # nobody does or threatens it: not
            c.kind == "noun" and talked_about(c.token)):  # coded; nor the topic of talks ("paused
        # negotiations *on a trade agreement*": the talks are the act)
        c.modality = NO_ACT
        return
    head = clause_path[-1]
    marks = {_lemma(ch) for ch in head.children if ch.dep_ == "mark"}
    if head.dep_ == "advcl" and marks & mod["conditional"] or any(until_condition(t) for t in path[:2]):
        c.modality = "conditional"  # (or "will not lift the ban *until* ZTE pays")
        # the condition itself ("*if* Russia attacked the Baltic states") is neither an
        # intent nor a threat of its subject: it keeps its type, flagged conditional
        c.condition = head.dep_ == "advcl" and bool(marks & mod["conditional"])
    elif any(in_name_only(t) for t in path[:2]):  # "recognises Taiwan *in all but name*": in
        c.modality, c.hedged = "hypothetical", True  # effect, not formally (keeps its type)
    elif near_words & mod["hypothetical"] or path_words & {"consider", "whether", "possibility"}:
        c.modality = "hypothetical"
    elif near_words & mod["future"] or path_words & {"about", "going", "plan", "intend"} or (
        c.intent
    ):
        c.modality = "future"
    # "a refusal / an attempt to recognize", "calls to withdraw", "no intention of recognizing"
    noun = _infinitive_noun(c.token) or noun_of_gerund(c.token)
    if noun in NEGATING_NOUNS:
        c.negated = not c.negated

    elif noun in INTENT_NOUNS - _ACTS and c.modality == "asserted":
        c.modality = "future"
    elif noun in ASKED_NOUNS and c.modality in ("asserted", "future"):
        c.modality = "hypothetical"
    if noun not in NEGATING_NOUNS and c.token.dep_ == "acl" and noun is not None and any(
            d.dep_ == "det" and d.lower_ == "no" for d in c.token.head.children):
        c.negated = not c.negated  # "had *no plans* to leave the bloc" (the noun is outside
        # the infinitive's own clause, whose words were read above)
    # reported speech: the clause is the complement of a speech verb, or a speech verb at
    # the root governs it ("Russia *reported* an attack on its base": from the second step
    # on, the root is checked as the governor, also when it is the trigger's own clause)
    h = head
    for step in range(3 if head.dep_ != "relcl" else 0):  # a relative clause asserts on its
        # own: "Zelensky, who was *visiting* Turkey, said ..." is not what he said
        if h.dep_ == "advcl" and _lemma(h.head) in lex.speech:
            break  # when the saying happened, not what was said: "X said on Thursday, *a
            # day after* Tokayev attended the summit"
        if h.dep_ in ("ccomp", "parataxis", "xcomp") or (h.dep_ == "ROOT" and step > 0):
            gov = h.head if h.dep_ != "ROOT" else h
            denied = h.dep_ == "ccomp" and _lemma(gov) in DENYING_CUES and not denies_a_charge(
                gov)  # not "..., a charge X denies"
            if h.dep_ == "ccomp" and _lemma(gov) in DOUBTING:  # "analysts *doubt* that ..."
                c.speaker = subject_mention(gov, idx)
                if c.modality in ("asserted", "future"):
                    c.modality = "hypothetical"
                return
            if _lemma(gov) in lex.speech or denied:
                c.speaker = subject_mention(gov, idx)
                if not denied and any(ch.dep_ == "neg" for ch in gov.children):
                    # "Putin *did not say* that Russian missiles struck the plane": no one
                    # reports the act (``events.sentence_candidates`` drops it)
                    c.modality = NO_ACT
                    return
                if c.modality == "asserted":
                    c.modality = "reported"
                if denied:  # "France *denied* that it was arming rebels": the speaker says no
                    c.negated = not c.negated
                return
        h = h.head  # a root is its own head: the next step checks it as the governor
    if _lemma(head) in lex.speech:  # "X said" as parataxis root of a quote
        return
    for cue in head.children:  # "X does not supply weapons, a senior official *said*": the
        # parser joins the speech verb to the clause it reports by a comma, as a conjunct
        if (cue.dep_ == "conj" and cue.i > c.token.i and _lemma(cue) in lex.speech
                and any(ch.dep_ == "nsubj" for ch in cue.children)
                and not any(ch.dep_ == "cc" and head.i < ch.i < cue.i for ch in head.children)):
            c.speaker = subject_mention(cue, idx)
            if c.modality == "asserted":
                c.modality = "reported"
            return
    doc = sent.doc
    lowers = token_forms(doc)[0]
    for i in range(sent.start, sent.end):
        if lowers[i] == "according" and i + 1 < len(doc) and lowers[i + 1] == "to":
            for ch in doc[i + 1].children:
                if ch.dep_ == "pobj":
                    c.speaker = best_mention(ch, idx)
            if c.modality == "asserted":
                c.modality = "reported"
            return
    root = sent.root
    if root is not head and _lemma(root) in lex.speech and c.token.i not in range(
        root.i - 1, root.i + 2
    ):
        # quotes: '"...," X said.' parses the quote as a ccomp/parataxis of "said"
        for ch in root.children:
            if ch.dep_ in ("ccomp", "parataxis") and c.token in list(ch.subtree):
                c.speaker = subject_mention(root, idx)
                if c.modality == "asserted":
                    c.modality = "reported"



#: The modality of a candidate that is no act at all, dropped by the coder: what a negated
#: speech verb governs ("did not say that X struck"), an act only supposed ("a Chinese
#: attack could constitute ...").
NO_ACT = "no-act"



#: Verbs whose "from" + gerund is an act not done: "refrain from using force".
_REFRAIN = frozenset({"refrain", "abstain", "desist"})
#: Adverbs that say a verb's act did not happen: "nearly / almost clashed".
_NEARLY = frozenset({"nearly", "almost"})
