"""Arguments and modality of PLOVER event candidates, read off the dependency parse.

Split from ``event_rules.py`` (which finds the triggers):

* :func:`apply_intent`: a cooperative act under an intent word ("willing to withdraw");
* :func:`modality_of`: negation, conditional, hypothetical, future, and reported speech
  with its speaker;
* :func:`arguments`: subjects and ``by`` agents are sources; objects, passive subjects
  and the objects of ``with/to/against/on...`` are targets; ``in/at`` places give the
  location;
* :func:`sector_code`: an actor named through a role or agent noun ("Algerian security
  forces", "Serbian labour minister", "the government of Nepal") gets the CAMEO sector of
  that noun appended to a bare country code (``DZA`` -> ``DZAMIL``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from ..model import Mention
from .canonical import builtin_kind
from .event_rules import (
    _AMOUNTS,
    PLACE_PREPS,
    PRONOUNS,
    TARGET_PREPS,
    CameoMap,
    Candidate,
    Lexicon,
    MentionIndex,
    _lemma,
    _path_to_clause,
    clause_head,
    load_lexicon,
)
from .polarity import (
    ASKED_NOUNS,
    DENYING_CUES,
    DOUBTING,
    INTENT_NOUNS,
    NEGATING_NOUNS,
    denies_a_charge,
    neither_subject,
    noun_of_gerund,
    noun_of_infinitive,
    shares_negation,
)
from .records import (
    RELATIVE_PRONOUNS,
    governing_preposition,
    paragraph_start,
    sentences_before,
    text_of,
    token_forms,
)

_PERSONAL = frozenset({"he", "she", "him", "his", "her"})
_PLURAL = frozenset({"they", "them", "their"})

_ISO3 = re.compile(r"[A-Z]{3}")


#: Verbs that only carry a noun of intent: "*made* an attempt to", "*announced* a decision to".
_LIGHT_VERBS = frozenset({"make", "take", "announce", "launch", "begin", "start", "continue",
                          "step", "renew", "reaffirm", "confirm", "pursue", "mount", "have"})
#: Verbs whose subject undergoes, observes or classifies the act their object names, and
#: does not do it: "*suffered* an attack", "the treaty *covers* attacks on its vessels".
_UNDERGOERS = frozenset({"suffer", "face", "survive", "endure", "withstand", "experience",
                         "witness", "fear", "cover", "include", "involve", "document",
                         "investigate", "probe", "report", "record", "blame", "monitor",
                         "observe", "oversee", "verify"})  # "send observers to *monitor* the ceasefire"
#: Nouns of an act whose "of" names who does it: "the withdrawal *of* Russian troops", "the
#: visit *of* the president to Baku" (of most others, it names whom: "the release of X").
_AGENT_OF = frozenset({"withdrawal", "pullout", "retreat", "departure", "exit", "visit",
                       "arrival", "trip", "surrender", "resignation"})
#: Nouns of intent whose infinitive is nonetheless an act, attempted: "an attempt to kill".
_ACTS = frozenset({"attempt", "effort", "bid", "push", "drive", "determination"})


def _infinitive_noun(tok: Token) -> str | None:
    """The lemma of the noun an infinitive trigger depends on ("refusal *to recognize*"):
    the trigger's own, or that of the verb of its phrase ("to withdraw its troops")."""
    return noun_of_infinitive(tok) or (
        noun_of_infinitive(tok.head) if tok.head.i != tok.i else None)


def _is_state(actor_id: str) -> bool:
    """A state's id is ISO3 (built-in or a user's, e.g. a fictional "RUR"); IGOs,
    programmes, missions and people have other ids, or ISO3-like ones the built-in
    dictionary knows with another kind (PFP)."""
    return bool(_ISO3.fullmatch(actor_id)) and builtin_kind(actor_id) in (None, "state")


def _all_lemmas(tokens: Iterable[Token]) -> set[str]:
    return {_lemma(t) for t in tokens} | {t.lower_ for t in tokens}


def apply_intent(c: Candidate, lex: Lexicon, cmap: CameoMap) -> None:
    """A cooperative act governed by an intent word is AGREE (express intent)."""
    path = _path_to_clause(c.token)[1:]
    if any(_lemma(t) in lex.intent for t in path):
        c.intent = True


def modality_of(c: Candidate, sent: Span, lex: Lexicon, idx: MentionIndex) -> None:
    """Set ``negated``, ``modality`` and ``speaker`` of a candidate."""
    path = _path_to_clause(c.token)
    near: list[Token] = []
    for t in path:
        near.extend(ch for ch in t.children if ch.dep_ in ("aux", "neg", "advmod", "mark",
                                                            "det", "auxpass", "preconj"))
    near_words = _all_lemmas(near)
    path_words = _all_lemmas(path[1:])
    mod = lex.modality
    c.negated = any(ch.dep_ == "neg" for t in path for ch in t.children) or bool(
        {"no", "never", "without"} & near_words
    ) or any(  # "has received *no* notification", "sent no troops"
        ch.dep_ == "dobj" and any(d.dep_ == "det" and d.lower_ == "no" for d in ch.children)
        for ch in c.token.children
    ) or any(neither_subject(t) for t in path) or (  # "*Neither* Armenia nor Azerbaijan has signed"
        shares_negation(c.token) and any(  # "did not attack or *shell* the village"
            ch.dep_ == "neg" or ch.lower_ in ("never", "no") for ch in c.token.head.children))
    if any(t.dep_ == "xcomp" and t.tag_ in ("VBG", "VBN") and _lemma(t.head) in DENYING_CUES
           for t in path[:-1]):  # "Serbia *denies* shelling the village"
        c.negated = not c.negated
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
    head = path[-1]
    marks = {_lemma(ch) for ch in head.children if ch.dep_ == "mark"}
    if head.dep_ == "advcl" and marks & mod["conditional"]:
        c.modality = "conditional"
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
    # reported speech: the clause is the complement of a speech verb, or a speech verb at
    # the root governs it ("Russia *reported* an attack on its base": from the second step
    # on, the root is checked as the governor, also when it is the trigger's own clause)
    h = head
    for step in range(3):
        if h.dep_ in ("ccomp", "parataxis", "xcomp") or (h.dep_ == "ROOT" and step > 0):
            gov = h.head if h.dep_ != "ROOT" else h
            denied = h.dep_ == "ccomp" and _lemma(gov) in DENYING_CUES and not denies_a_charge(
                gov)  # not "..., a charge X denies"
            if h.dep_ == "ccomp" and _lemma(gov) in DOUBTING:  # "analysts *doubt* that ..."
                c.speaker = _subject_mention(gov, idx)
                if c.modality in ("asserted", "future"):
                    c.modality = "hypothetical"
                return
            if _lemma(gov) in lex.speech or denied:
                c.speaker = _subject_mention(gov, idx)
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
            c.speaker = _subject_mention(cue, idx)
            if c.modality == "asserted":
                c.modality = "reported"
            return
    doc = sent.doc
    lowers = token_forms(doc)[0]
    for i in range(sent.start, sent.end):
        if lowers[i] == "according" and i + 1 < len(doc) and lowers[i + 1] == "to":
            for ch in doc[i + 1].children:
                if ch.dep_ == "pobj":
                    c.speaker = _best_mention(ch, idx)
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
                c.speaker = _subject_mention(root, idx)
                if c.modality == "asserted":
                    c.modality = "reported"



# ----------------------------------------------------------------------------- arguments


def _best_mention(tok: Token, idx: MentionIndex, depth: int = 0) -> Mention | None:
    """The actor a noun phrase headed by ``tok`` names (resolved mentions preferred)."""
    m = idx.at(tok)
    if m is not None and m.resolved:
        return m
    fallback = m
    # a possessive pronoun last: "his *Saudi* counterpart" is Saudi, not the "his"
    for ch in sorted(tok.children, key=lambda ch: ch.lower_ in PRONOUNS):
        if ch.dep_ in ("compound", "amod", "poss", "appos", "nmod", "npadvmod") or (
            ch.dep_ == "prep" and (ch.lower_ in ("of", "from", "by", "for") or ch.lower_ == "in" and m is None
                                   and not _diplomatic_noun(tok))  # "officials *in* Moscow" are
        ):  # Russia's, "attacks in London" London's; "an agreement *in* Washington" is no one's
            probe = ch if ch.dep_ != "prep" else next(
                (g for g in ch.children if g.dep_ == "pobj"), None
            )
            if probe is None or depth > 3:
                continue
            found = _best_mention(probe, idx, depth + 1)
            if found is not None and (found.resolved or fallback is None):
                if found.resolved:
                    return found
                fallback = fallback or found
    if fallback is None and tok.pos_ == "NOUN" and depth == 0:
        # "Drones *launched by* the RSF struck ...", "a convoy *operated by* the UN": the
        # agent of a participle on the noun owns it
        for acl in (ch for ch in tok.children if ch.dep_ == "acl" and ch.tag_ == "VBN"):
            ag = _agent(acl)
            found = _best_mention(ag, idx, depth + 1) if ag is not None else None
            if found is not None:
                return found
    if fallback is None and tok.lower_ in PRONOUNS:
        sent = tok.sent
        fallback = _clause_antecedent(tok, idx) or (
            _plural_antecedent(tok, idx) if tok.lower_ in _PLURAL
            else idx.before(tok.idx, sent.start_char))
        if fallback is None and tok.lower_ in ("it", "its"):
            fallback = _previous_subject(tok, idx)
        if fallback is None and tok.lower_ in _PERSONAL:
            # "he" / "she" with no actor before it in the sentence: the last person
            # named earlier in the paragraph (as quotes resolve a speaker)
            para = paragraph_start(text_of(tok.doc), sent.start_char)
            people = [m for m in idx.in_span(para, sent.start_char) if m.label == "PERSON"]
            fallback = people[-1] if people else None
    return fallback


def _plural_antecedent(pron: Token, idx: MentionIndex) -> Mention | None:
    """The actor nearest before "they / them / their" in its sentence that can be plural:
    not an unknown single name, which is one person or a place ("accusing *them* of
    smuggling" after "the border crossing of Jarinje"), unless it is coordinated with
    another ("Yanukovich and Azarov ..., freezing *their* assets")."""
    doc = pron.doc
    for m in reversed(idx.in_span(pron.sent.start_char, pron.idx)):
        if m.resolved or m.label not in ("PERSON", "GPE", "LOC", "FAC"):
            return m
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        root = span.root if span is not None and len(span) else None
        if root is not None and (root.dep_ == "conj" or any(c.dep_ == "conj" for c in root.children)):
            return m
    return None


def _diplomatic_noun(tok: Token) -> bool:
    """A noun of agreement, consultation or diplomatic support ("agreement", "talks",
    "summit", "visit"): a place "in" it is a venue, not a party."""
    code = load_lexicon().nouns.get(_lemma(tok))
    return code is not None and code[:2] in ("03", "04", "05")


def _previous_subject(pron: Token, idx: MentionIndex) -> Mention | None:
    """"It" with no actor before it in its sentence: the state or organization that is the
    subject of one of the two sentences before it in the paragraph ("Kazakhstan has also
    deepened ties with China. *It* signed a partnership with Beijing")."""
    for prev in sentences_before(pron.sent):
        for subj in (c for c in prev.root.children if c.dep_ in ("nsubj", "nsubjpass")):
            if subj.lower_ in PRONOUNS:
                continue
            m = idx.at(subj) or _best_mention(subj, idx, 4)
            if m is not None and m.resolved and m.label != "PERSON":
                return m
    return None


def _clause_antecedent(pron: Token, idx: MentionIndex) -> Mention | None:
    """The actor a subject pronoun most likely takes up: the named subject of a clause
    that governs it ("Russia accused Finland and said *it* would expel ...": Russia, not
    Finland, the actor nearest before "it"). A person for he/she, never one for it; None
    when no governing clause names a subject that fits. (Possessives and objects keep the
    nearest actor: on the ConfliBERT train split that reads their targets better.)"""
    person = pron.lower_ in _PERSONAL
    if pron.lower_ not in _PERSONAL | {"it", "its"} or pron.dep_ not in ("nsubj", "nsubjpass"):
        return None
    for anc in pron.ancestors:
        for ch in anc.children:
            if ch.dep_ not in ("nsubj", "nsubjpass") or ch.i >= pron.i or ch.lower_ in PRONOUNS:
                continue
            m = idx.at(ch) or _best_mention(ch, idx, 2)
            if m is not None and m.resolved and (m.label == "PERSON") == person:
                return m
    return None


def phrase_actors(tok: Token, idx: MentionIndex) -> list[Mention]:
    """Actors of a noun phrase, with its coordinated members ("X, Y and Z")."""
    out: list[Mention] = []
    stack = [tok]
    seen: set[int] = set()
    while stack:
        t = stack.pop(0)
        if t.i in seen:
            continue
        seen.add(t.i)
        if _pair_noun(t):  # "*the two countries* had cut ties": the pair named before
            found = _previous_pair(t, idx)
            if found:
                out += [f for f in found if f not in out]
                continue
        if (t.lower_ == "they" and t.dep_ in ("nsubj", "nsubjpass")) or (
                t.lower_ == "their" and t.dep_ == "poss"):  # "after *their* meeting"
            # "The United States and the United Kingdom said *they* supported ...": every
            # member of the governing clause's subject
            gov = next((ch for anc in t.ancestors for ch in anc.children
                        if ch.dep_ in ("nsubj", "nsubjpass") and ch.i < t.i
                        and ch.lower_ not in PRONOUNS), None)
            found = phrase_actors(gov, idx) if gov is not None and gov.i not in seen else []
            if gov is None:  # "Greece and Turkey met in May. Since then, *they* have signed
                found = _previous_pair(t, idx, 2)  # ...": a pair named just before
            if found:
                out += [f for f in found if f not in out]
                continue
        m = _best_mention(t, idx)
        if m is not None and m not in out:
            out.append(m)
        stack.extend(ch for ch in t.children if ch.dep_ == "conj")
        stack.extend(_companions(t))
        if m is not None and idx.at(t) is not m:  # found deeper: "aid for X and Y"
            span = t.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                stack.extend(ch for ch in span.root.children if ch.dep_ == "conj")
        elif m is not None and m.end > t.idx + len(t):  # one mention "the governments of
            # Niger", the other members after it: "..., Mali and Burkina Faso"
            span = t.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                stack.extend(ch for tk in span if tk.i > t.i and tk.dep_ == "pobj"
                             for ch in tk.children if ch.dep_ == "conj")
        if m is None or idx.at(t) is None:  # "officials" <- amod "Hungarian" conj "Romanian"
            for ch in t.children:
                if ch.dep_ in ("amod", "compound", "nmod"):
                    stack.extend(c2 for c2 in ch.children if c2.dep_ == "conj")
    return out


#: "at X's *request*", "at the *invitation* of X": X asked for the act, it is not its target.
_BEHALF = frozenset({"request", "invitation", "behest", "urging", "initiative", "suggestion",
                     "insistence", "instigation", "order", "orders"})


#: Nouns of "on the *sidelines* / *margins* of the summit": where an act is, not whom.
SIDELINES = frozenset({"sideline", "margin", "fringe"})


def _on_sidelines(pobj: Token) -> bool:
    return pobj.lemma_.lower() in SIDELINES


def _on_behalf(pobj: Token) -> bool:
    return pobj.lemma_.lower() in _BEHALF and pobj.head.lower_ in ("at", "on", "upon")


def _occasion(pobj: Token, lex: Lexicon) -> bool:
    """The object of "at" / "during" / "in" is an event noun of the lexicon: the occasion of
    an act ("at the BRICS *summit*"), whose owner is no party to it."""
    return pobj.head.lower_ in ("at", "during", "in") and _lemma(pobj) in lex.nouns


def _where(m: Mention, doc: Doc) -> bool:
    """The mention is the object of "at", "during" ...: a venue, not a party ("near X" and
    "outside X" may name a party's border or base, so they do not count)."""
    return governing_preposition(doc, m.start, m.end) in ("at", "during", "within", "inside")


#: Verbs whose subject and object are a pair that "the two ministers" may take up.
_MEETING_VERBS = frozenset({"meet", "call", "host", "receive", "visit", "phone", "telephone"})
#: How many sentences back "the two countries" looks for the pair it takes up.
_PAIR_REACH = 12
_PAIR_NOUNS = frozenset({"country", "side", "state", "nation", "government", "neighbour",
                         "neighbor", "leader", "capital", "ally", "rival", "minister",
                         "president", "delegation", "army"})


def _pair_noun(tok: Token) -> bool:
    """"the two countries", "both sides", "the two leaders"."""
    return tok.lemma_.lower() in _PAIR_NOUNS and tok.tag_ in ("NNS", "NNPS") and any(
        ch.lower_ in ("two", "both") and ch.dep_ in ("nummod", "det", "predet", "amod")
        for ch in tok.children)


def _previous_pair(tok: Token, idx: MentionIndex, reach: int = _PAIR_REACH) -> list[Mention]:
    """The two actors of the nearest coordinated subject before ``tok`` that a "the two
    countries" (or a plural "they" with no other antecedent) takes up: in its sentence, then
    up to ``reach`` sentences back (across paragraphs: "The two NATO allies nearly clashed"
    opens a paragraph about the pair the article named in its first lines). A subject that
    is itself "the two countries" passes its pair on."""
    sents = [tok.sent]
    at = tok.sent.start
    while len(sents) <= reach and at > 0:
        sents.append(tok.doc[at - 1].sent)
        at = sents[-1].start
    for sent in sents:
        subjects = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.i < tok.i]
        for subj in reversed(subjects):  # nearest first
            if any(ch.dep_ == "conj" for ch in subj.children):
                found = phrase_actors(subj, idx)
                if len(found) == 2:
                    return found
            elif subj.i != tok.i and _pair_noun(subj):
                return _previous_pair(subj, idx)
            elif subj.head.lemma_.lower() in _MEETING_VERBS and subj.dep_ == "nsubj":
                # "X met his Saudi counterpart ... *The two ministers* agreed"
                met = [g for ch in subj.head.children if ch.dep_ == "dobj" or (
                    ch.dep_ == "prep" and ch.lower_ == "with") for g in (
                    [ch] if ch.dep_ == "dobj" else [x for x in ch.children if x.dep_ == "pobj"])]
                found = phrase_actors(subj, idx) + [m for g in met[:1] for m in phrase_actors(g, idx)]
                if len(found) == 2 and found[0].code[:3] != found[1].code[:3]:
                    return found
    return []


def _accompanying(prep: Token) -> bool:
    """"*together with*", "*along with*": a "with" of co-actors, not of a target."""
    return prep.lower_ == "with" and any(
        g.dep_ == "advmod" and g.lower_ in ("along", "together") for g in prep.children)


def _companions(tok: Token) -> list[Token]:
    """The objects of "along with" / "together with" attached to ``tok``: "Ruritania,
    *along with* Freedonia, condemned ..."."""
    out: list[Token] = []
    for ch in tok.children:
        if ch.dep_ != "prep":
            continue
        if ch.lower_ in ("along", "together"):
            out += [g for w in ch.children if w.dep_ == "prep" and w.lower_ == "with"
                    for g in w.children if g.dep_ == "pobj"]
        elif _accompanying(ch):
            out += [g for g in ch.children if g.dep_ == "pobj"]
    return out


def _subject_mention(verb: Token, idx: MentionIndex) -> Mention | None:
    for ch in verb.children:
        if ch.dep_ in ("nsubj", "nsubjpass"):
            return _best_mention(ch, idx)
    return None


#: Verbs whose "from" + gerund is an act not done: "refrain from using force".
_REFRAIN = frozenset({"refrain", "abstain", "desist"})
#: Adverbs that say a verb's act did not happen: "nearly / almost clashed".
_NEARLY = frozenset({"nearly", "almost"})


#: Common nouns that name an actor ("the government, which ...").
_ACTOR_NOUNS = frozenset({"government", "army", "military", "ministry", "force", "troops",
                          "police", "rebel", "militant", "group", "alliance", "bloc",
                          "council", "parliament", "court", "authority", "official", "leader",
                          "president", "minister", "country", "state", "regime", "movement"})


def _names_actor(noun: Token) -> bool:
    """The noun is a name or a word for an actor (a relative clause about it can say what
    the actor does)."""
    return noun.pos_ == "PROPN" or noun.ent_type_ in ("GPE", "ORG", "NORP", "PERSON") or (
        noun.lemma_.lower() in _ACTOR_NOUNS)


def _subject_token(tok: Token) -> tuple[Token | None, bool]:
    """(subject token, passive) of a predicate, climbing xcomp/conj/acomp chains."""
    t = tok
    raised = False  # climbed from an infinitive: "X *is expected* to hold talks"
    for _ in range(6):
        passive = any(ch.dep_ == "auxpass" for ch in t.children)
        if raised:  # the passive is the raising verb's; the act is the infinitive's own
            passive = any(ch.dep_ == "auxpass" for ch in tok.children)
        for ch in t.children:
            if (ch.dep_ in ("nsubj", "nsubjpass") and t.dep_ == "relcl" and ch.lower_ in RELATIVE_PRONOUNS
                    and _names_actor(t.head)):
                # "Iran, *which* arms the Houthis, ...": the actor the clause is about (not
                # "a resolution that aims to tighten sanctions")
                return t.head, ch.dep_ == "nsubjpass" and passive
            if ch.dep_ == "nsubj" or (ch.dep_ == "nsubjpass" and not passive):
                return ch, False
            if ch.dep_ == "nsubjpass":
                return ch, True
        if t.dep_ in ("xcomp", "conj", "acomp", "advcl", "pcomp") and t.head is not t:
            raised = t.i == tok.i and t.dep_ == "xcomp" and any(
                ch.dep_ == "aux" and ch.lower_ == "to" for ch in t.children)
            t = t.head
            if t.dep_ == "prep":
                t = t.head
                if t.pos_ == "NOUN" and t.dep_ == "dobj" and t.head.lemma_.lower() in _LIGHT_VERBS:
                    t = t.head  # "Serbia *has* no intention of recognizing": the owner
            continue
        noun = t.head
        if t.dep_ in ("acl", "relcl") and noun_of_infinitive(t) in INTENT_NOUNS | NEGATING_NOUNS:
            # "Serbia's *refusal to* recognize", "a US *offer to* host": the noun's possessor
            # or a name before it; "Israel *made an attempt to* attack": the subject of the
            # light verb the noun is the object of (not of "rejected a US offer to ...")
            owner = [c for c in noun.children if c.dep_ in ("poss", "compound", "amod")
                     and c.i < noun.i and c.pos_ in ("PROPN", "PRON", "ADJ")]  # fmt: skip
            if owner:
                return owner[0], False
            if noun.dep_ == "dobj" and noun.head.lemma_.lower() in _LIGHT_VERBS:
                t = noun.head
                continue
        if t.dep_ == "relcl":
            return t.head, False
        if t.dep_ == "acl" and t.head.dep_ == "ROOT" and t.head.pos_ in ("PROPN", "NOUN"):
            # a noun at the root is a misparse: "Brazil, which borders both, *called* for
            # calm" hangs the sentence's verb on its subject
            return t.head, False
        break
    return None, False


def _agent(tok: Token) -> Token | None:
    for ch in tok.children:
        if ch.dep_ == "agent" or (ch.dep_ == "prep" and ch.lower_ == "by"):
            for g in ch.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _prep_objects(tok: Token, preps: frozenset[str]) -> list[Token]:
    out: list[Token] = []
    for ch in tok.children:
        if ch.dep_ in ("prep", "agent") and ch.lower_ in preps:
            out.extend(g for g in ch.children if g.dep_ == "pobj")
    return out


def arguments(c: Candidate, idx: MentionIndex, lex: Lexicon) -> None:
    """Fill sources, targets and location of a candidate from the parse."""
    tok = c.token
    sources: list[Mention] = []
    targets: list[Mention] = []
    place_toks: list[Token] = []
    if c.kind == "noun":
        carrier = tok.head if tok.dep_ in ("dobj", "attr", "nsubjpass", "pobj") else None
        held = tok  # the noun the carrier governs: "adopted a new *package* of sanctions"
        if (tok.dep_ == "pobj" and tok.head.lower_ == "of" and _lemma(tok.head.head) in _AMOUNTS
                and tok.head.head.dep_ in ("dobj", "nsubjpass")):
            held = tok.head.head
            carrier = held.head
        for ch in tok.children:
            if ch.dep_ in ("poss", "compound", "amod", "nmod"):
                sources += phrase_actors(ch, idx)
        ag = _agent(tok) or next((a for ch in tok.children if ch.dep_ == "acl"
                                  for a in [_agent(ch)] if a is not None), None)
        if ag is not None:
            sources += phrase_actors(ag, idx)
        for p in _prep_objects(tok, frozenset({"between", "among"})):
            sources += phrase_actors(p, idx)
        if not sources and carrier is not None and held.dep_ != "pobj" and (
            _lemma(carrier) in lex.light or carrier.pos_ in ("VERB", "AUX")
        ) and _lemma(carrier) not in _UNDERGOERS and not any(
            ch.dep_ == "oprd" for ch in carrier.children):  # "called the drills a rehearsal"
            s, passive = _subject_token(carrier)
            if s is not None and not passive:
                sources += phrase_actors(s, idx)
            for p in _prep_objects(carrier, TARGET_PREPS - {"of", "from", "for"}):
                targets += phrase_actors(p, idx)
            place_toks += _prep_objects(carrier, PLACE_PREPS)
        if tok.dep_ in ("nsubj",) and not sources:
            for p in _prep_objects(tok.head, frozenset({"between", "among", "with"})):
                sources += phrase_actors(p, idx)
        noun_preps = TARGET_PREPS - {"between", "among", "at"}
        if not sources and _lemma(tok) in _AGENT_OF:  # "the *withdrawal of* Russian troops"
            for p in _prep_objects(tok, frozenset({"of"})):
                sources += phrase_actors(p, idx)
            noun_preps = noun_preps - {"of"}
        for p in _prep_objects(tok, noun_preps):
            targets += phrase_actors(p, idx)
        place_toks += _prep_objects(tok, PLACE_PREPS)
    else:
        subj, passive = _subject_token(tok)
        ag = _agent(tok)
        if passive and ag is None and c.code[:2] == "15" and subj is not None:
            # forces "are deployed / stationed": the force is the actor of a posture
            sources += phrase_actors(subj, idx)  # ("1,500 Russian troops are *stationed*")
        elif passive:
            if ag is not None:
                sources += phrase_actors(ag, idx)
            if subj is not None:
                targets += phrase_actors(subj, idx)
        elif subj is not None:
            sources += phrase_actors(subj, idx)
        preps = set(TARGET_PREPS - {"at", "from"} if c.kind != "phrase" else TARGET_PREPS)
        for ch in tok.children:
            if ch.dep_ == "dobj" and c.code[:2] == "15":
                continue  # the forces a posture moves are the actor's own: "*scrambled* jets"
            if ch.dep_ in ("dobj", "dative", "attr", "oprd"):
                # "the TRNC, *which* only Turkey recognizes": the noun the clause is about
                obj = tok.head if ch.lower_ in RELATIVE_PRONOUNS and tok.dep_ == "relcl" else ch
                found = phrase_actors(obj, idx) if obj.pos_ != "ADP" else [  # "sent troops
                    m for g in obj.children if g.dep_ == "pobj" for m in phrase_actors(g, idx)]
                if not found:  # "restored ties with X", "made contributions to X"
                    for p in _prep_objects(obj, frozenset(preps | {"of"})):
                        if not _occasion(p, lex):  # not "held talks *at the BRICS summit*"
                            found += phrase_actors(p, idx)
                targets += found
            if ch.dep_ in ("prep",) and ch.lower_ in preps and not _accompanying(ch):
                targets += [m for g in ch.children if g.dep_ == "pobj" and not _on_behalf(g)
                            and not _on_sidelines(g) for m in phrase_actors(g, idx)]
            if (ch.dep_ == "prep" and c.kind == "phrase" and ch.lower_ in ("in", "at")
                    and c.start <= ch.idx < c.end):  # "arrived *in*", "fired *at*"; not
                # "signed a peace agreement *in* Washington" (where, not whom)
                targets += [m for g in ch.children if g.dep_ == "pobj" and not _on_behalf(g)
                            and not _occasion(g, lex) for m in phrase_actors(g, idx)]
        # "impose sanctions ..., *together with* its EU partners", "France, *along with*
        # Germany, ...": co-actors of the subject
        sources += [m for g in _companions(tok) for m in phrase_actors(g, idx)]
        for x in tok.children:  # "urged X to ...": the object of the frame; xcomp's objects
            if x.dep_ == "xcomp" and not targets:
                for ch in x.children:
                    if ch.dep_ in ("dobj", "dative"):
                        found = phrase_actors(ch, idx)
                        if not found:  # "threatened to cut ties with X"
                            for p in _prep_objects(ch, frozenset(preps | {"of"})):
                                found += phrase_actors(p, idx)
                        targets += found
                    if ch.dep_ == "prep" and ch.lower_ in preps:
                        targets += [m for g in ch.children if g.dep_ == "pobj"
                                    for m in phrase_actors(g, idx)]
        place_toks += _prep_objects(tok, PLACE_PREPS)
    if not targets and (c.code[:2] in _DEMANDS or _lemma(tok) in _CONTROL):
        # "demanded that X withdraw", "allowed X to run": X is the target
        targets += _demanded_of(tok, idx)
    for inner in c.inner:  # a frame with no target takes its absorbed event's target
        if not targets:
            targets = list(inner.targets)
    src_keys = {(m.start, m.end) for m in sources}
    c.sources = _dedupe(sources)
    # an organization or person does not act on itself ("NATO's contributions to NATO-led
    # missions"); a state may (domestic events: "Serbia lifted a curfew in Montenegro")
    # nor does a person on the organization they act for (Stoltenberg, coded NATO, "expressed
    # NATO's support for ...")
    selves = {m.actor_id for m in sources if not _is_state(m.actor_id)}
    selves |= {m.code for m in sources if not _is_state(m.actor_id) and not _is_state(m.code)
               and m.resolved}  # every unresolved actor has the code "---": no self there
    c.targets = [m for m in _dedupe(targets) if (m.start, m.end) not in src_keys
                 and m.actor_id not in selves and m.code not in selves]
    # among several targets, not the source's own state ("Blinken worked to restore relations
    # between Baku and Washington": USAGOV -> AZE, not AZE+USA)
    own = {m.code[:3] for m in c.sources if _is_state(m.code[:3])}
    others = [m for m in c.targets if not (_is_state(m.actor_id) and m.actor_id in own)]
    if len(c.targets) > 1 and others:
        c.targets = others
    # "met with X in Baku", "talks at the summit in Kazan": the place may attach to the
    # object or to the occasion
    other_clauses = {t.i for ch in clause_head(tok).children if ch.dep_ == "conj"
                     and ch.pos_ in ("VERB", "AUX") for t in ch.subtree}  # not "..., but talks
    place_toks += [g for t in clause_head(tok).subtree if t.dep_ == "prep"  # *in Doha* stalled"
                   and t.lower_ in PLACE_PREPS and t.i not in other_clauses
                   for g in t.children if g.dep_ == "pobj"]
    used_spans = {(m.start, m.end) for m in c.sources + c.targets}
    place: Mention | None = None
    for p in place_toks:
        m = _best_mention(p, idx)
        if m is not None and (m.start, m.end) in used_spans:
            continue
        if m is not None and _is_state(m.actor_id):  # a country, not "in NATO-led missions"
            c.location, place = m.actor_id, m
            break
    if c.sources and not c.targets and place is not None and _acts_on_place(c.code) and (
        place.code[:3] not in {s.code[:3] for s in c.sources}
    ):  # "tanks fired at targets in Jericho", "lifted the curfew in Montenegro": the place
        # attacked or relieved is the target
        c.targets = [place]
        c.fallback_target = True
    if c.sources and not c.targets:  # nearest other actor in the trigger's clause
        head = clause_head(tok)
        used = {(m.start, m.end) for m in c.sources}
        if c.speaker is not None:
            used.add((c.speaker.start, c.speaker.end))
        lo = min(t.idx for t in head.subtree)
        hi = max(t.idx + len(t) for t in head.subtree)
        # not an apposition of the source ("Russia, *an ally of Serbia*, blamed ...")
        subj = _subject_token(tok)[0] if c.kind != "noun" else None
        inside = [(min(t.idx for t in a.subtree), max(t.idx + len(t) for t in a.subtree))
                  for a in (subj.children if subj is not None else ())
                  if a.dep_ in ("appos", "relcl")]  # nor its relative clause
        # nor in the frame of the act ("reopened embassies *under a deal brokered by China*")
        inside += [(g.left_edge.idx, g.right_edge.idx + len(g.right_edge)) for t in head.subtree
                   if t.dep_ == "prep" and t.lower_ == "under"
                   and not (t.left_edge.i <= tok.i <= t.right_edge.i)
                   for g in t.children if g.dep_ == "pobj"]
        # nor in a clause conjoined to the trigger's ("signed a deal in June, *but talks
        # between Kinshasa and the rebels in Doha have stalled*")
        inside += [(ch.left_edge.idx, ch.right_edge.idx + len(ch.right_edge))
                   for ch in head.children if ch.dep_ == "conj" and ch.pos_ in ("VERB", "AUX")
                   and not (ch.left_edge.i <= tok.i <= ch.right_edge.i)]
        if subj is not None and _pair_noun(subj):
            # nor a name inside a pair's own phrase ("*The two NATO allies* clashed")
            inside.append((subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge)))
        # nor the subject of a relative clause elsewhere, which acts on its own ("contribute
        # personnel to the mission, which *the UN Security Council* authorized")
        inside += [(a.left_edge.idx, a.right_edge.idx + len(a.right_edge)) for t in head.subtree
                   if t.dep_ == "relcl" and not (t.left_edge.i <= tok.i <= t.right_edge.i)
                   for a in (*t.children, *(g for ch in t.children if ch.dep_ == "agent"
                                            for g in ch.children))
                   if a.dep_ in ("nsubj", "nsubjpass", "pobj")]
        # nor in another member of a list the trigger is in ("discussed the withdrawal of
        # Russian troops, and the OSCE's *support* for ...")
        siblings = _other_conjuncts(tok, head)
        rest = [m for m in idx.in_span(lo, hi) if (m.start, m.end) not in used
                and not any(a <= m.start and m.end <= b for a, b in inside)
                and m.start not in siblings
                and m.code not in {s.code for s in c.sources} and m.resolved
                and not _where(m, tok.doc)  # "defended ... *at* the UN Security Council"
                and not (len(own) > 1 and m.code[:3] in own)  # two states act on each other
                and (c.location is None or m.code != c.location)]  # not the place itself
        if rest:
            rest.sort(key=lambda m: abs(m.start - tok.idx))
            c.targets = [rest[0]]
            c.fallback_target = True


def _other_conjuncts(tok: Token, head: Token) -> set[int]:
    """Start offsets of the tokens of the list members beside the one ``tok`` is in, below
    ``head`` (a mention starts at a token)."""
    out: set[int] = set()
    x = tok
    for _ in range(12):  # token objects are made afresh: compare indices
        if x.i == head.i or x.head.i == x.i:
            break
        if x.dep_ == "conj" and x.pos_ not in ("VERB", "AUX"):
            first = x.head
            while first.dep_ == "conj" and first.head.i != first.i:
                first = first.head
            mine = {t.i for t in x.subtree}
            out |= {t.i for t in first.subtree if t.i not in mine}
        x = x.head
    return {tok.doc[i].idx for i in out}


def _acts_on_place(code: str) -> bool:
    """Events done *to* a place when no one else is named: QuadClass 4 (CAMEO roots 14-20:
    protest, force posture, coercion, assault) and root 08 (yield, ease restrictions,
    withdraw: "lifted the curfew in Montenegro")."""
    root = code[:2]
    return root.isdigit() and (14 <= int(root) <= 20 or root == "08")


#: CAMEO roots of appeals and demands, whose target may be the subject of a that-clause.
_DEMANDS = frozenset({"02", "10"})


#: Verbs whose object is the subject of their clause in spaCy's parse ("allowed X to run",
#: "ordered X to suspend"): X is the target, as of a demand.
_CONTROL = frozenset({"allow", "permit", "let", "order", "force", "compel", "authorize",
                      "authorise", "enable", "forbid", "prohibit", "oblige", "pressure"})


def _demanded_of(tok: Token, idx: MentionIndex) -> list[Mention]:
    """The actors asked to act: the subject of the trigger's that-clause ("demanded that
    the government release ...", "its demand that Burundi's government grant ...")."""
    for ch in tok.children:
        if ch.dep_ in ("ccomp", "acl") and ch.pos_ in ("VERB", "AUX"):
            subj = next((g for g in ch.children if g.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                return phrase_actors(subj, idx)
    return []


def _dedupe(ms: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in ms:
        if all((m.start, m.end) != (o.start, o.end) for o in out):
            out.append(m)
    return out


# ----------------------------------------------------------------------------- sectors

# CAMEO sector of a role or agent noun (lemmas) that a country word modifies.
AGENT_SECTORS: dict[str, str] = {
    **dict.fromkeys(("force", "troop", "soldier", "army", "military", "militiaman", "navy",
                     "aircraft", "helicopter", "tank", "warplane", "jet", "artillery",
                     "gunship", "paratrooper", "marine", "commander", "general"), "MIL"),
    **dict.fromkeys(("police", "policeman", "gendarme"), "COP"),
    **dict.fromkeys(("government", "president", "minister", "ministry", "official", "cabinet",
                     "authority", "administration", "ambassador", "diplomat", "premier",
                     "regime", "embassy", "spokesman", "spokeswoman"), "GOV"),
    **dict.fromkeys(("rebel", "guerrilla", "guerilla", "insurgent", "militant", "separatist"),
                    "REB"),
    **dict.fromkeys(("opposition",), "OPP"),
    **dict.fromkeys(("worker", "union", "unionist"), "LAB"),
    **dict.fromkeys(("student", "university", "teacher"), "EDU"),
    **dict.fromkeys(("refugee",), "REF"),
    **dict.fromkeys(("civilian", "resident", "villager", "youth", "population"), "CVL"),
    **dict.fromkeys(("journalist", "newspaper", "reporter", "media"), "JRN"),
    **dict.fromkeys(("parliament", "lawmaker", "legislator", "senator", "congress"), "LEG"),
    **dict.fromkeys(("court", "judge"), "JUD"),
}
_MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "npadvmod"})


def sector_code(m: Mention, sent: Span) -> str:
    """``m.code`` with the sector of the role noun a bare country code modifies:
    "Algerian security forces" -> ``DZAMIL``, "the government of Nepal" -> ``NPLGOV``.
    Codes that already carry a sector, and people or organizations, are kept."""
    code = m.code
    if len(code) != 3 or not code.isalpha() or not code.isupper():
        return code
    span = sent.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return code
    tok = span.root
    while tok.dep_ == "conj" and tok.head.i < tok.i:  # "the governments of Niger, *Mali* and
        tok = tok.head  # Burkina Faso", "Algerian and *Moroccan* forces": the first member's
    if tok.dep_ in _MODIFIER_DEPS and tok.head is not tok:
        noun = tok.head
    elif tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ in ("NOUN", "PROPN"):
        noun = tok.head.head
    else:
        return code
    sector = AGENT_SECTORS.get(_lemma(noun))
    return code + sector if sector else code
