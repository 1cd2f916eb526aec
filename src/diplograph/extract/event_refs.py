"""Which actors a noun phrase of an event candidate names (for ``event_args``).

:func:`phrase_actors` reads the mentions of a noun phrase with its coordinated members
("X, Y and Z"), the companions of "together / along with", a possessive pronoun last ("his
Saudi counterpart"), the owner of a participle ("a convoy *operated by* the UN"), and the
actors a reference takes up: "they" / "their" the coordinated subject of the governing
clause or the pair just named, "it" the subject of a governing clause or of a sentence
before, "he" / "she" the last person of the paragraph, "the two countries / ministers" the
last coordinated pair or the two sides of a meeting (:func:`previous_pair`). Also the
small token helpers the argument rules share (:func:`agent_of`, :func:`prep_objects`,
:func:`subject_mention`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from ..model import Mention
from .event_rules import PRONOUNS, MentionIndex, _lemma, load_lexicon
from .records import (
    STATE_ID,
    governing_preposition,
    included,
    paragraph_start,
    person_mention,
    previous_paragraph_start,
    sentences_before,
    text_of,
    titled_name,
)

_PERSONAL = frozenset({"he", "she", "him", "his", "her"})
_PLURAL = frozenset({"they", "them", "their"})


def best_mention(tok: Token, idx: MentionIndex, depth: int = 0) -> Mention | None:
    """The actor a noun phrase headed by ``tok`` names (resolved mentions preferred)."""
    m = idx.at(tok)
    if m is not None and m.resolved:
        return m
    fallback = m
    # a possessive pronoun last: "his *Saudi* counterpart" is Saudi, not the "his"; a name
    # the noun stands before as a title first: "NATO member *Georgia*" is Georgia
    title_of = titled_name(tok)
    for ch in sorted(tok.children, key=lambda ch: (ch is not title_of, ch.lower_ in PRONOUNS)):
        if ch.dep_ in ("compound", "amod", "poss", "appos", "nmod", "npadvmod") or (
            ch.dep_ == "prep" and (ch.lower_ in ("of", "from", "by", "for") or ch.lower_ == "in" and m is None
                                   and not _diplomatic_noun(tok))  # "officials *in* Moscow" are
        ):  # Russia's, "attacks in London" London's; "an agreement *in* Washington" is no one's
            probe = ch if ch.dep_ != "prep" else next(
                (g for g in ch.children if g.dep_ == "pobj"), None
            )
            if probe is None or depth > 3:
                continue
            found = best_mention(probe, idx, depth + 1)
            if found is not None and (found.resolved or fallback is None):
                if found.resolved:
                    return found
                fallback = fallback or found
    if fallback is None and tok.pos_ == "NOUN" and depth == 0:
        # "Drones *launched by* the RSF struck ...", "a convoy *operated by* the UN": the
        # agent of a participle on the noun owns it
        for acl in (ch for ch in tok.children if ch.dep_ == "acl" and ch.tag_ == "VBN"
                    and _lemma(ch) not in THIRD_PARTY):  # not "a truce *mediated by* Qatar"
            ag = agent_of(acl)
            found = best_mention(ag, idx, depth + 1) if ag is not None else None
            if found is not None:
                return found
    if fallback is None and depth == 0 and _the_body(tok):
        fallback = _body_before(tok, idx)
    if fallback is None and tok.lower_ in PRONOUNS:
        sent = tok.sent
        fallback = _clause_antecedent(tok, idx) or (
            _plural_antecedent(tok, idx) if tok.lower_ in _PLURAL
            else _nearest_before(tok, idx, person=tok.lower_ in _PERSONAL))
        if fallback is None and tok.lower_ in ("it", "its"):
            fallback = _previous_subject(tok, idx)
        if fallback is None and tok.lower_ in _PERSONAL:
            # "he" / "she" with no actor before it in the sentence: the last person
            # named earlier in the paragraph (as quotes resolve a speaker)
            text = text_of(tok.doc)
            para = paragraph_start(text, sent.start_char)
            if not text[para:sent.start_char].strip() and para:
                # the paragraph opens with "He ...": the previous paragraph's last person
                para = previous_paragraph_start(text, para)
            people = [m for m in idx.in_span(para, sent.start_char) if person_mention(m)]
            fallback = people[-1] if people else None
    return fallback


#: Nouns by which a text takes up an organization it has named: "*the bloc* would continue
#: to support ...".
_BODY_ANAPHORS = frozenset({"bloc", "alliance", "union", "organisation", "organization"})


def _the_body(tok: Token) -> bool:
    """"the bloc", "the alliance" (not "the Eurasian Economic Union" or "a military bloc")."""
    return tok.text in _BODY_ANAPHORS and tok.tag_ in ("NN", "NNP") and any(
        d.dep_ == "det" and d.lower_ == "the" for d in tok.children) and not any(
        c.dep_ in ("compound", "amod", "nmod", "poss") for c in tok.children)


def _body_before(tok: Token, idx: MentionIndex) -> Mention | None:
    """The last organization named before ``tok`` in its sentence or the one before."""
    sent = tok.sent
    prev = next(sentences_before(sent, 1), None)
    lo = prev.start_char if prev is not None else sent.start_char
    for m in reversed(idx.in_span(lo, tok.idx)):
        if m.resolved and not person_mention(m) and not STATE_ID.fullmatch(m.actor_id):
            return m
    return None


def _nearest_before(pron: Token, idx: MentionIndex, person: bool = False) -> Mention | None:
    """The actor nearest before a pronoun in its sentence, passing over one inside an
    apposition that describes another name ("Denmark, *a NATO member*, has pledged to raise
    *its* spending": Denmark's, not NATO's). With ``person`` ("he", "his"), only a person:
    "He said Serbia never sold weapons to Kyiv or *Moscow* and that *his* government ..."."""
    doc = pron.doc
    for m in reversed(idx.in_span(pron.sent.start_char, pron.idx)):
        if person and not _personal(m):
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        root = span.root if span is not None and len(span) else None
        if root is not None and any(a.dep_ == "appos" and not a.left_edge.i <= pron.i <= a.right_edge.i
                                    for a in root.ancestors):
            continue  # (the name itself may be the apposition: "its chief, *Jens Stoltenberg*")
        return m
    return None


def _plural_antecedent(pron: Token, idx: MentionIndex) -> Mention | None:
    """The actor nearest before "they / them / their" in its sentence that can be plural:
    not an unknown single name, which is one person or a place ("accusing *them* of
    smuggling" after "the border crossing of Jarinje"), unless it is coordinated with
    another ("Yanukovich and Azarov ..., freezing *their* assets")."""
    doc = pron.doc
    for m in reversed(idx.in_span(pron.sent.start_char, pron.idx)):
        if (pron.lower_ != "them" and _venue(m, doc)) or _on_a_place(m, doc):
            continue  # a venue, not a party: "officials met *in Riyadh* for *their* talks"
            # ("hit positions *in Saudi Arabia* and destroyed *them*" may be the place)
        if m.resolved or m.label not in ("PERSON", "GPE", "LOC", "FAC"):
            return m
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        root = span.root if span is not None and len(span) else None
        if root is not None and (root.dep_ == "conj" or any(c.dep_ == "conj" for c in root.children)):
            return m
    return None


def _venue(m: Mention, doc: Doc) -> bool:
    """The mention is the object of a preposition of place ("in Riyadh", "at the summit");
    unlike ``event_args._where``, "in" counts: a pronoun's antecedent is a party, not a place.
    So is a country word on such an object: "*into Chinese* waters"."""
    return governing_preposition(doc, m.start, m.end) in _PLACE_PREPS or _on_a_place(m, doc)


def _on_a_place(m: Mention, doc: Doc) -> bool:
    """A country word on the object of a preposition of place ("*into Chinese* waters"):
    no party, and unlike the place itself never what "them" takes up."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    root = span.root if span is not None and len(span) else None
    return root is not None and root.dep_ in ("amod", "compound") and root.head.dep_ == "pobj" and (
        root.head.head.lower_ in _PLACE_PREPS) and root.head.lemma_.lower() in _PLACE_NOUNS


#: Prepositions of place: "in Riyadh", "into Chinese waters".
_PLACE_PREPS = frozenset({"in", "at", "near", "inside", "into", "within"})
#: Nouns of a place a country word can modify: "Chinese *waters*", "Syrian *territory*".
_PLACE_NOUNS = frozenset({"water", "waters", "territory", "airspace", "soil", "border", "zone",
                          "land", "sea", "area", "region", "space"})


#: Participles whose agent helps others act and is no party: "a ceasefire *mediated by*
#: Qatar and Turkey".
THIRD_PARTY = frozenset({"mediate", "broker", "facilitate", "host", "sponsor", "guarantee",
                         "monitor", "oversee", "supervise"})


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
            m = idx.at(subj) or best_mention(subj, idx, 4)
            if m is not None and m.resolved and not _personal(m):
                return m
    return None


def _personal(m: Mention) -> bool:
    """A person: a dictionary or unknown person, or a mention the parser tags PERSON
    ("Mali's opposition leader") unless it names a body ("*Mali's transitional
    government*", tagged PERSON, is no person)."""
    last = m.text.split()[-1].lower()
    return person_mention(m) or (m.label == "PERSON" and last not in _BODIES and m.method not in (
        "dictionary", "metonym", "place"))  # a capital the parser tags PERSON ("Kyiv") is none


#: Head nouns of bodies, never persons, whatever label the parser gives them.
_BODIES = frozenset({"government", "ministry", "administration", "cabinet", "council",
                     "parliament", "army", "military", "police", "office", "department",
                     "presidency", "junta", "authorities", "forces", "service"})


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
            m = idx.at(ch) or best_mention(ch, idx, 2)
            if m is not None and m.resolved and _personal(m) == person:
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
        if pair_noun(t):  # "*the two countries* had cut ties": the pair named before
            found = previous_pair(t, idx, size=group_size(t) or 0)
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
                found = previous_pair(t, idx, 2)  # ...": a pair named just before
            if found:
                out += [f for f in found if f not in out]
                continue
        m = best_mention(t, idx)
        if m is None:
            # "several countries, *including* Suriname and Togo": a group noun that names no
            # one itself ("Syrian insurgent groups, including ..." keep their own)
            named = [g for g in included(t) if best_mention(g, idx) is not None]
            if named:
                stack.extend(named)
                continue
        if m is not None and m not in out:
            out.append(m)
        stack.extend(ch for ch in t.children if ch.dep_ == "conj")
        stack.extend(companions(t))
        if m is not None and idx.at(t) is not m:  # found deeper: "aid for X and Y"
            span = t.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                stack.extend(ch for ch in span.root.children if ch.dep_ == "conj")
                # "aid for the Republic of Congo *and Rwanda*": spaCy makes the second
                # member a second object of the same preposition
                root = span.root
                if root.dep_ == "pobj" and any(c.dep_ == "cc" for c in root.children):
                    stack.extend(ch for ch in root.head.children if ch.dep_ == "pobj" and ch.i > root.i)
        elif m is not None and m.end > t.idx + len(t):  # one mention "the governments of
            # Niger", the other members after it: "..., Mali and Burkina Faso"
            span = t.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                stack.extend(ch for tk in span if tk.i > t.i and tk.dep_ == "pobj"
                             for ch in tk.children if ch.dep_ == "conj")
                # (or a second object of the same "of": "the ministers of the Democratic
                # Republic of Congo *and Rwanda*")
                stack.extend(ch for tk in span if tk.i > t.i and tk.dep_ == "pobj"
                             and any(c.dep_ == "cc" for c in tk.children)
                             for ch in tk.head.children if ch.dep_ == "pobj" and ch.i >= span.end)
        for ch in t.children:  # "officials" <- amod "Hungarian" conj "Romanian"; also when
            # one member's mention holds the noun: "Senior *U.S.* and Russian officials"
            if ch.dep_ in ("amod", "compound", "nmod"):
                conj = [c2 for c2 in ch.children if c2.dep_ == "conj"]
                if conj and not (m is None or idx.at(t) is None):
                    stack.append(ch)
                stack.extend(conj)
    return out


#: Verbs whose subject and object are a pair that "the two ministers" may take up.
_MEETING_VERBS = frozenset({"meet", "call", "host", "receive", "visit", "phone", "telephone"})
#: How many sentences back "the two countries" looks for the pair it takes up.
_PAIR_REACH = 12
_PAIR_NOUNS = frozenset({"country", "side", "state", "nation", "government", "neighbour",
                         "neighbor", "leader", "capital", "ally", "rival", "minister",
                         "president", "delegation", "army"})


_GROUP_SIZES = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5}


def group_size(tok: Token) -> int | None:
    """How many actors a group noun takes up: "the two countries", "both sides" -> 2, "the
    three ministers" -> 3, "the (foreign) ministers" with nothing of their own -> 0 (two or
    more); None for any other word."""
    if tok.lemma_.lower() not in _PAIR_NOUNS or tok.tag_ not in ("NNS", "NNPS"):
        return None
    for ch in tok.children:
        if ch.lower_ in _GROUP_SIZES and ch.dep_ in ("nummod", "det", "predet", "amod"):
            return _GROUP_SIZES[ch.lower_]
    left = [ch for ch in tok.children if ch.i < tok.i]
    if left and left[0].lower_ == "the" and all(ch.dep_ in ("det", "amod") for ch in left) and not any(
        ch.dep_ in ("prep", "poss", "relcl", "acl", "appos", "compound") for ch in tok.children
    ):  # "*The ministers* condemned ...", not "the ministers of X and Y"
        return 0
    return None


def _states_if_countries(tok: Token, found: Sequence[Mention]) -> bool:
    """"The two *countries*" takes up states only (not "the United States and the
    European Union" named in the sentence before)."""
    return tok.lemma_.lower() not in ("country", "nation") or all(
        STATE_ID.fullmatch(m.actor_id) for m in found)


def pair_noun(tok: Token) -> bool:
    """"the two countries", "both sides", "the three ministers", "the ministers": a group
    noun that takes up actors named before (see :func:`group_size`)."""
    return group_size(tok) is not None


#: The group nouns being resolved on this thread: a pair noun met again while its own
#: pair is looked for resolves to nothing (no resolution may loop back on itself).
_RESOLVING = threading.local()


def previous_pair(tok: Token, idx: MentionIndex, reach: int = _PAIR_REACH, *,
                  size: int = 2) -> list[Mention]:
    """See :func:`_previous_pair`; guarded against resolving ``tok`` inside itself."""
    active: set[tuple[int, int]] = getattr(_RESOLVING, "tokens", None) or set()
    _RESOLVING.tokens = active
    key = (id(tok.doc), tok.i)
    if key in active:
        return []
    active.add(key)
    try:
        return _previous_pair(tok, idx, reach, size=size)
    finally:
        active.discard(key)


def _previous_pair(tok: Token, idx: MentionIndex, reach: int = _PAIR_REACH, *,
                   size: int = 2) -> list[Mention]:
    """The actors of the nearest coordinated subject before ``tok`` that a "the two
    countries" (or a plural "they" with no other antecedent) takes up: in its sentence, then
    up to ``reach`` sentences back (across paragraphs: "The two NATO allies nearly clashed"
    opens a paragraph about the pair the article named in its first lines). A subject that
    is itself "the two countries" passes its pair on. ``size`` is how many actors the
    subject must name (0: two or more, for "the ministers")."""
    sents = [tok.sent]
    at = tok.sent.start
    while len(sents) <= reach and at > 0:
        sents.append(tok.doc[at - 1].sent)
        at = sents[-1].start
    for sent in sents:
        # not a subject whose own phrase holds ``tok`` ("*Leaders of the two countries and
        # ...*"): its actors are what ``tok`` is being resolved for
        subjects = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.i < tok.i
                    and not t.left_edge.i <= tok.i <= t.right_edge.i]
        for subj in reversed(subjects):  # nearest first
            if any(ch.dep_ == "conj" for ch in subj.children) or (
                size != 2 and any(g.dep_ == "conj" for g in subj.subtree)
            ):  # "The foreign ministers of X, Y and Z met ... *The ministers* condemned"
                found = phrase_actors(subj, idx)
                if (len(found) == size or (size == 0 and len(found) >= 2)) and _states_if_countries(tok, found):
                    return found
            elif subj.i != tok.i and pair_noun(subj):
                return previous_pair(subj, idx, size=group_size(subj) or 0)
            elif size == 2 and subj.head.lemma_.lower() == "be" and subj.dep_ == "nsubj" and (
                    sent.start < tok.sent.start):  # "Turkey is *Azerbaijan's* closest ally.
                # The two countries signed ...": the subject and the possessor of its attribute
                owners = [p for a in subj.head.children if a.dep_ == "attr"
                          for p in a.children if p.dep_ == "poss"]
                found = phrase_actors(subj, idx) + [m for p in owners[:1] for m in phrase_actors(p, idx)]
                if _two_sides(found):
                    return found
            elif subj.head.lemma_.lower() in _MEETING_VERBS and subj.dep_ == "nsubj":
                # "X met his Saudi counterpart ... *The two ministers* agreed"
                met = [g for ch in subj.head.children if ch.dep_ == "dobj" or (
                    ch.dep_ == "prep" and ch.lower_ == "with") for g in (
                    [ch] if ch.dep_ == "dobj" else [x for x in ch.children if x.dep_ == "pobj"])
                    # wholly before ``tok``: "Trump, who had called *both leaders*" is no
                    # pair for the "both leaders" it objects (it looped back to itself)
                    if g.right_edge.i < tok.i]
                found = phrase_actors(subj, idx) + [m for g in met[:1] for m in phrase_actors(g, idx)]
                if _two_sides(found):
                    return found
        if size == 2 and sent.start < tok.sent.start:  # "the main mediator *between Rwanda
            # and Congo*. Doha hosted talks between the two sides"
            for prep in (t for t in sent if t.lower_ == "between" and t.dep_ == "prep"):
                found = [m for g in prep.children if g.dep_ == "pobj" for m in phrase_actors(g, idx)]
                if _two_sides(found):
                    return found
    # "both sides", "the two sides": the two parties of a dispute, named apart
    return _opposed_subjects(tok, idx, sents[1:4]) if size == 2 and tok.lemma_.lower() == "side" else []


def _two_sides(found: list[Mention]) -> bool:
    """Two actors of two different states or bodies: a pair "the two countries" can take up."""
    return len(found) == 2 and found[0].code[:3] != found[1].code[:3]


def _opposed_subjects(tok: Token, idx: MentionIndex, sents: list[Span]) -> list[Mention]:
    """No pair was named together: the two states that last acted as subjects in the
    sentences before ("Serbia placed its army on alert ... Kosovo police arrested three
    officials ... KFOR urged *both sides* to show restraint"), but not the actor who
    speaks of them."""
    verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
    own = {m.code[:3] for ch in (verb.children if verb is not None else ())
           if ch.dep_ in ("nsubj", "nsubjpass") and not pair_noun(ch)
           for m in [best_mention(ch, idx)] if m is not None}
    found: list[Mention] = []
    for sent in sents:
        for subj in sorted((t for t in sent if t.dep_ in ("nsubj", "nsubjpass")
                            and not pair_noun(t) and t.lower_ not in PRONOUNS), key=lambda t: -t.i):
            for m in phrase_actors(subj, idx):
                state = m.code[:3]
                if STATE_ID.fullmatch(m.actor_id) and m.resolved and state not in own and all(
                        f.code[:3] != state for f in found):
                    found.append(m)
        if len(found) >= 2:
            return found[:2]
    return []


def accompanying(prep: Token) -> bool:
    """"*together with*", "*along with*", "*alongside*": co-actors, not a target."""
    return prep.lower_ == "alongside" or prep.lower_ == "with" and any(
        g.dep_ == "advmod" and g.lower_ in ("along", "together") for g in prep.children)


def companions(tok: Token) -> list[Token]:
    """The objects of "along with" / "together with" attached to ``tok``: "Ruritania,
    *along with* Freedonia, condemned ..."."""
    out: list[Token] = []
    for ch in tok.children:
        if ch.dep_ != "prep":
            continue
        if ch.lower_ in ("along", "together"):
            out += [g for w in ch.children if w.dep_ == "prep" and w.lower_ == "with"
                    for g in w.children if g.dep_ == "pobj"]
        elif accompanying(ch):
            out += [g for g in ch.children if g.dep_ == "pobj"]
    return out


def subject_mention(verb: Token, idx: MentionIndex) -> Mention | None:
    for ch in verb.children:
        if ch.dep_ in ("nsubj", "nsubjpass"):
            return best_mention(ch, idx)
    return None


def agent_of(tok: Token) -> Token | None:
    for ch in tok.children:
        if ch.dep_ == "agent" or (ch.dep_ == "prep" and ch.lower_ == "by"):
            for g in ch.children:
                if g.dep_ == "pobj":
                    return g
    return None


def prep_objects(tok: Token, preps: frozenset[str]) -> list[Token]:
    out: list[Token] = []
    for ch in tok.children:
        if ch.dep_ in ("prep", "agent") and ch.lower_ in preps:
            out.extend(g for g in ch.children if g.dep_ == "pobj")
    return out


__all__ = [
    "THIRD_PARTY", "accompanying", "agent_of", "best_mention", "companions", "group_size", "pair_noun", "phrase_actors",
    "prep_objects", "previous_pair", "subject_mention",
]
