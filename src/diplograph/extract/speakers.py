"""Who speaks: the speaker of an attribution and their role (for :mod:`.claims`).

:func:`resolve_speaker` reads the mention inside an attribution's source span and, where
the source names no one, resolves it: ``he``, ``she`` and role nouns (``the minister``)
reach back to the last named speaker or person mention in the same paragraph, ``it`` to
the last state, organization or agent that was a subject there (``they`` to the last plural
one), a surname to the full name used earlier in the article, ``who`` to the noun its
clause modifies, ``we`` to the body an official statement's headline names. Unknown people
take the state or body their title names. :class:`SpeakerState` carries what one article's
earlier attributions established (the last speaker, titles). :func:`speaker_role` formats
``"<title> (<org>/<sector>)"``. Rules and examples: docs/claims.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..model import Mention
from .claim_refs import overlapping
from .quotes import PRONOUNS, Attribution
from .records import ROLE_NOUNS, STATE_ID, paragraph_start, person_mention, previous_paragraph_start
from .segment import dateline_span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


# --------------------------------------------------------------------------- speakers


def _person(m: Mention) -> bool:
    return m.label == "PERSON" or m.sector is not None or m.actor_id[:1].islower() or (
        m.actor_id.startswith("?") and m.label in {"PERSON", "DICT"}
    )


def _personish(m: Mention) -> bool:
    """A person, or an unresolved name (NER often labels unknown surnames ORG)."""
    return _person(m) or m.actor_id.startswith("?")


@dataclass
class SpeakerState:
    """Running context for coreference: the last named speaker and known titles."""

    text: str
    mentions: list[Mention]
    last: tuple[int, Mention] | None = None  # (paragraph start, mention)
    titles: dict[str, str] = field(default_factory=dict)
    its: list[tuple[int, Mention]] = field(default_factory=list)  # resolved "it" speakers
    introduced: dict[str, Mention] | None = None  # person id -> the agent named before them


def resolve_speaker(doc: Doc, att: Attribution, state: SpeakerState) -> Mention | None:
    if att.source is None:
        return _document_issuer(doc, att, state)
    start, end = att.source
    if not overlapping(state.mentions, start, end):  # "*a note of protest* demanding ..."
        issuer = _document_issuer(doc, att, state)
        if issuer is not None:
            return issuer
    para = paragraph_start(state.text, start)
    hits = overlapping(state.mentions, start, end)
    persons = [m for m in hits if _person(m)]
    first = doc.char_span(start, end, alignment_mode="expand")
    lead = first[0] if first is not None and len(first) else None
    if lead is not None and lead.lower_ in {"who", "which", "that"} and lead.head.dep_ == "relcl":
        noun = lead.head.head
        if noun.dep_ == "appos" and noun.head.i < noun.i:
            noun = noun.head  # "Sergei Shoigu, the Russian defence minister, who said"
        hits = overlapping(state.mentions, noun.left_edge.idx, noun.idx + len(noun.text))
        persons = [m for m in hits if _person(m)]
        root: Token | None = noun  # the antecedent's own mention, not a title before it:
        # "met Russian Defence Minister Sergei *Shoigu*, who promised ..."
        named_span = (noun.left_edge.idx, noun.idx + len(noun.text))  # where titles are read
    else:
        named_span = att.source
        root = first.root if first is not None and len(first) else None
    if root is not None and root.lemma_.lower() in _NON_OFFICIALS:
        # "some commentators *in Moscow*", "analysts *from* Kyiv": where they are, not whom
        # they speak for
        where = [(p.left_edge.idx, p.right_edge.idx + len(p.right_edge)) for p in root.children
                 if p.dep_ == "prep" and p.lower_ in ("in", "from", "across", "around")]
        # nor a nationality: "a *Somali* analyst" speaks for no state
        nationality = [(p.idx, p.idx + len(p)) for p in root.children
                       if p.dep_ in ("amod", "compound") and p.i < root.i]
        hits = [m for m in hits if not any(a <= m.start and m.end <= b for a, b in where)
                and (_person(m) or m.label not in ("GPE", "NORP")  # "UN experts" are the UN's
                     or not any(a <= m.start and m.end <= b for a, b in nationality))]
        persons = [m for m in persons if m in hits]
    elif root is not None and root.lemma_.lower() in _POSTED:
        # "a Western diplomat *in Kigali*": where they serve, not whom they speak for
        where = [(p.left_edge.idx, p.right_edge.idx + len(p.right_edge)) for p in root.children
                 if p.dep_ == "prep" and p.lower_ in ("in", "at")]
        hits = [m for m in hits if m.method in ("agent", "agent-context")  # "in the ministry"
                or not any(a <= m.start and m.end <= b for a, b in where)]
        persons = [m for m in persons if m in hits]
    if root is not None:  # not what a relative clause of the speaker names: "The three
        # states, *which formed the Alliance of Sahel States*, accuse ..."
        rel = [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge)) for c in root.children
               if c.dep_ == "relcl" and c.i > root.i]
        hits = [m for m in hits if not any(a <= m.start and m.end <= b for a, b in rel)]
        persons = [m for m in persons if m in hits]
    at_root = [m for m in hits if root is not None and m.start <= root.idx < m.end]
    chosen = at_root[0] if at_root else (persons[0] if persons else (hits[0] if hits else None))
    words = state.text[start:end].lower().split()
    is_anaphor = bool(words) and (
        (len(words) == 1 and words[0] in PRONOUNS)
        or (words[0] in {"the", "this", "that"} and any(w in ROLE_NOUNS for w in words) and not hits)
    )
    title = _title_from_text(doc, chosen, named_span) if chosen is not None else None
    if chosen is not None and root is not None and chosen.method in {"agent", "agent-context"}:
        # "Hungary's foreign minister, Peter Szijjarto, said": the person named in apposition
        # speaks, with the role noun phrase as the title and its state and sector
        named = [m for m in hits if m.label == "PERSON" and any(
            t.dep_ == "appos" and m.start <= t.idx < m.end for t in root.children)]  # fmt: skip
        if named:
            title = state.text[max(start, chosen.start) : root.idx + len(root.text)]
            title = re.sub(r"^(?:the|a|an)\s+", "", title.strip(" ,"), flags=re.IGNORECASE)
            chosen = named[0] if named[0].org else replace(
                named[0], org=chosen.org, sector=chosen.sector)
    if chosen is not None and title and chosen.label == "PERSON" and not chosen.org:
        # "Guyana's President Irfaan Ali", "ECOWAS Commission President Omar Touray": the
        # state or body named in the title before an unknown name is the one they act for
        named_in = [m for m in hits if m.resolved and m.end <= chosen.start
                    and m.label != "PERSON" and m.method != "place" and m.org
                    and not _hosting(state.text, m)]  # fmt: skip
        if named_in:
            chosen = replace(chosen, org=named_in[-1].org, sector=named_in[-1].sector)
        else:  # "*ministry* spokeswoman Aram Torosyan" after "Armenia's defence ministry
            # denied the report": the institution the paragraph (or the one before) named
            body = _institution_before(title, start, para, state)
            if body is not None:
                chosen = replace(chosen, org=body.org, sector=body.sector)
            elif set(title.lower().split()) & _INSTITUTION_WORDS:
                # "Interior Ministry spokesman Tato Kurashvili" under a "TBILISI —"
                # dateline: the state the story was filed from
                filed = _dateline_state(state)
                if filed is not None:  # an army's or defence ministry's is military
                    military = set(title.lower().split()) & {"army", "military", "defence", "defense"}
                    chosen = replace(chosen, org=filed.actor_id, sector="MIL" if military else "GOV")
    if chosen is None and words == ["it"]:  # a state or an organization, never a person
        chosen = None if lead is None or _expletive(lead) or _a_document_before(doc, start, para) \
            else _group_antecedent(doc, start, para, state)
        if chosen is not None:  # and never the "last named speaker" a role noun reaches
            state.its.append((start, chosen))
        return chosen
    if chosen is None and words == ["they"]:  # a group, never one person
        return _group_antecedent(doc, start, para, state, plural=True)
    if chosen is None and words in (["we"], ["i"]):
        # the writer: no one named before, but the body an official statement's headline
        # names ("Comment by the Information and Press Department of *the Russian Foreign
        # Ministry*" ... "*We* warn that ..."), else nobody
        chosen = _issuer(state)
        if chosen is not None:
            state.last = (para, chosen)
        return chosen
    if chosen is None and is_anaphor and lead is not None and words[0] in _PERSONAL:
        # "Putin apologised to Aliyev for what *he* called ...": the named subject of a
        # clause that governs the pronoun, before the last person named
        chosen = _governing_subject(lead, state)
    if chosen is None and is_anaphor:
        if state.last and state.last[0] == para:
            chosen = state.last[1]
        else:
            earlier = [m for m in state.mentions if para <= m.start < start and _person(m)]
            chosen = earlier[-1] if earlier else None
        if chosen is None and para > 0 and words[0] in _PERSONAL:
            # a paragraph that opens on "he" continues the one before: its last speaker,
            # else the last person it names
            before = previous_paragraph_start(state.text, para)
            if state.last and state.last[0] == before and _person(state.last[1]):
                chosen = state.last[1]
            else:
                earlier = [m for m in state.mentions if before <= m.start < para and _person(m)]
                chosen = earlier[-1] if earlier else None
        if chosen is None and words[0] == "the":
            # "..., *the prime minister* said" a paragraph or more after "Prime Minister
            # Nikol Pashinyan": the last person the article introduced with that title
            role = " ".join(w for w in words[1:] if w.isalpha())
            titled = [m for m in state.mentions if m.start < start and _person(m) and role and (
                role in state.text[max(0, m.start - 60):m.start].lower()
                or role in state.titles.get(m.actor_id, "").lower())]
            chosen = titled[-1] if titled else None
    elif chosen is None and lead is not None and lead.pos_ == "PROPN":
        chosen = _by_surname(state.text[start:end], start, state.mentions)
    if chosen is not None and chosen.actor_id.startswith("?"):
        chosen = _full_name(chosen, state.mentions)
    if chosen is not None and chosen.label == "PERSON" and chosen.actor_id.startswith("?"):
        # an unknown person the article introduced with a role ("Greek Prime Minister
        # Kyriakos Mitsotakis ... Mitsotakis said"): that role's state and title (the
        # mentions may carry the state already: actors._titled_people)
        agent = _introduced_as(chosen.actor_id, state)
        if agent is not None:
            if not chosen.org:
                chosen = replace(chosen, org=agent.org, sector=agent.sector)
            if chosen.actor_id not in state.titles:
                state.titles[chosen.actor_id] = state.text[agent.start : agent.end]
    if chosen is not None and _personish(chosen) and chosen.actor_id.startswith("?") and (
        not chosen.org or (chosen.actor_id not in state.titles and not title)
    ):  # "She said" after "Rwanda's government spokeswoman Yolande Makolo rejected ...":
        # the role and state the article gave the name where it first stood (an unknown
        # name NER calls an organization only with a title: not "the daily *New Times*")
        first_title, body = _introduction(doc, chosen.actor_id, state)
        if first_title and not title and chosen.actor_id not in state.titles:
            state.titles[chosen.actor_id] = first_title
        if body is not None and not chosen.org and (chosen.label == "PERSON" or first_title):
            chosen = replace(chosen, org=body.org, sector=body.sector)
    if chosen is not None:
        state.last = (para, chosen)
        if title and chosen.actor_id not in state.titles:
            state.titles[chosen.actor_id] = title
    return chosen


def _hosting(text: str, m: Mention) -> bool:
    """``m`` is the host state of an envoy's title ("U.S. Ambassador *to Japan*"), not
    the state the envoy speaks for."""
    return text[max(0, m.start - 3) : m.start].lower() == "to " and bool(
        _ENVOY.search(text[max(0, m.start - 40) : m.start]))


#: Titles whose "to" phrase names the host: "Ambassador to", "Envoy to", "Representative to".
_ENVOY = re.compile(r"(?i)\b(?:ambassador|envoy|representative|consul|emissary|minister|"
                    r"attach[eé]|delegate|mission)s?\s+to\s+$")


def _governing_subject(pron: Token, state: SpeakerState) -> Mention | None:
    """The person named as the subject of a clause that governs ``pron`` in its sentence."""
    for anc in pron.ancestors:
        for ch in anc.children:
            if ch.dep_ == "nsubj" and ch.i < pron.i and ch.lower_ not in PRONOUNS:
                people = [m for m in overlapping(state.mentions, ch.left_edge.idx, ch.idx + len(ch.text))
                          if _person(m)]
                if people:
                    return people[-1]
    return None


#: Documents that say things: "a note of protest *demanding* an investigation".
_SPEAKING_DOCUMENTS = frozenset({"note", "letter", "statement", "resolution", "communique", "communiqué",
                        "declaration", "message", "memorandum", "decree", "ultimatum"})


def _document_issuer(doc: Doc, att: Attribution, state: SpeakerState) -> Mention | None:
    """Who speaks through a document a participle cue hangs on ("The Foreign Ministry ...
    *handed* him *a note* of protest *demanding* ...": the ministry): its owner, or the
    subject of the verb that delivers it."""
    cue = doc.char_span(att.cue[0], att.cue[1], alignment_mode="expand")
    if cue is None or not len(cue):
        return None
    verb = next((t for t in cue if t.dep_ == "acl" and t.tag_ == "VBG"), None)
    if verb is None or verb.head.lemma_.lower() not in _SPEAKING_DOCUMENTS:
        return None
    noun = verb.head
    owner = next((ch for ch in noun.children if ch.dep_ == "poss"), None)
    if owner is None and noun.dep_ == "dobj":
        owner = next((ch for ch in noun.head.children if ch.dep_ == "nsubj"), None)
        if owner is None and noun.head.dep_ == "conj":  # "summoned X and *handed* him a note"
            owner = next((ch for ch in noun.head.head.children if ch.dep_ == "nsubj"), None)
    if owner is None:
        return None
    hits = overlapping(state.mentions, owner.left_edge.idx, owner.idx + len(owner.text))
    return hits[-1] if hits else None


def _introduction(doc: Doc, person: str, state: SpeakerState) -> tuple[str | None, Mention | None]:
    """The title before the first mention of an unknown ``person`` and the state or body its
    noun phrase names ("*Rwanda's* government spokeswoman Yolande Makolo"), if any."""
    first = next((m for m in state.mentions if m.actor_id == person), None)
    span = doc.char_span(first.start, first.end, alignment_mode="expand") if first else None
    if first is None or span is None or not len(span):
        return None, None
    lo = span.root.left_edge.idx
    title = _title_from_text(doc, first, (lo, first.end))
    if title is None:  # a name NER took for an organization: a role noun right before it
        pre = [t for t in span.root.lefts if t.dep_ == "compound" and t.i < span.start
               and t.lemma_.lower() in ROLE_NOUNS]  # fmt: skip
        if pre:
            title = doc[min(t.left_edge.i for t in pre) : span.start].text.strip(" ,") or None
    named = [m for m in state.mentions if lo <= m.start and m.end <= first.start and m.resolved
             and m.label != "PERSON" and m.method != "place" and m.org]  # fmt: skip
    return title, (named[-1] if named else None)


#: Headline words of an official text whose "we" is the body it names.
_STATEMENT_WORDS = re.compile(r"(?i)\b(?:statement|comment|commentary|press release|communiqu[eé]|"
                              r"declaration|briefing|announcement|readout)\b")


_BY = re.compile(r"(?i)\b(?:by|of|from)\b")
_TOPIC = re.compile(r"(?i)\b(?:on|about|regarding|concerning|in connection with)\b")


def _issuer(state: SpeakerState) -> Mention | None:
    """The state or body that issues an official statement: when the headline (the first
    line) says it is a statement, comment, press release, communiqué, declaration, briefing
    or readout *by*, *of* or *from* someone, the last state, organization or agent named
    there before its topic ("on the NATO ministerial meeting"); else None."""
    end = state.text.find("\n")
    head = state.text[: end if end >= 0 else len(state.text)]
    kind = _STATEMENT_WORDS.search(head)
    by = _BY.search(head, kind.end()) if kind else None
    if by is None:
        return None  # "Comment on the NATO meeting" names no issuer
    topic = _TOPIC.search(head, by.end())
    upto = topic.start() if topic else len(head)
    named = [m for m in state.mentions if by.end() <= m.start and m.end <= upto and m.resolved
             and not person_mention(m)]
    return named[-1] if named else None


#: Speakers who speak for no state or body where they are: "commentators in Moscow".
_NON_OFFICIALS = frozenset({"commentator", "analyst", "expert", "observer", "critic", "journalist",
                            "resident", "scholar", "researcher", "blogger", "pundit", "economist",
                            "historian", "academic", "activist", "witness", "voter", "citizen"})


#: Speakers posted somewhere: "a diplomat *in Kigali*" does not speak for Rwanda.
_POSTED = frozenset({"diplomat", "envoy", "ambassador", "correspondent", "reporter", "attaché",
                     "attache"})


#: Institutions a bare title names without its state: "*ministry* spokeswoman".
_INSTITUTION_WORDS = frozenset({"ministry", "government", "presidency", "embassy", "army",
                                "military", "cabinet", "office", "administration"})


def _institution_before(title: str, start: int, para: int, state: SpeakerState) -> Mention | None:
    """The last state agent mention before ``start``, in the paragraph or the one before,
    that names the institution a bare title names ("defence *ministry*" for "ministry
    spokeswoman"); None when the title names none or no such mention is there."""
    words = set(title.lower().split()) & _INSTITUTION_WORDS
    if not words:
        return None
    before = previous_paragraph_start(state.text, para)
    found = [m for m in state.mentions if before <= m.start < start and m.org and m.sector
             and m.method in {"agent", "agent-context"} and words & set(m.text.lower().split())]
    return found[-1] if found else None


def _dateline_state(state: SpeakerState) -> Mention | None:
    """The state mention inside a wire dateline that opens one of the article's first lines
    ("TBILISI — ..."), if any."""
    span = dateline_span(state.text)
    if span is None:
        return None
    return next((x for x in state.mentions if span[0] <= x.start < span[1] and x.resolved
                 and STATE_ID.fullmatch(x.actor_id)), None)


def _introduced_as(person: str, state: SpeakerState) -> Mention | None:
    """The agent mention ("Greek Prime Minister", "Hungary's foreign minister") right before
    a mention of ``person`` (a name, or a name in apposition after a comma), if any; the
    article's map of them is built once."""
    if state.introduced is None:
        state.introduced = {}
        for prev, m in zip(state.mentions, state.mentions[1:]):
            if (prev.method in ("agent", "agent-context") and prev.org
                    and state.text[prev.end : m.start].strip(" ,") == ""):
                state.introduced.setdefault(m.actor_id, prev)
    return state.introduced.get(person)


_PERSONAL = frozenset({"he", "she", "him", "her"})

#: Verbs whose subject "it" is expletive ("it appears that", "it is natural that").
_EXPLETIVE_HEADS = {"appear", "seem", "be", "turn", "become", "remain", "look", "happen",
                    "follow", "mean", "matter", "go"}


#: Documents that say things: "The report estimated ... *It* accused Rwanda of ...".
_DOCUMENTS = frozenset({"report", "statement", "study", "document", "letter", "survey",
                        "assessment", "analysis", "investigation", "communique", "paper",
                        "article", "resolution", "review", "memo", "memorandum", "dossier",
                        "audit", "poll", "declaration", "book", "editorial", "column"})


def _a_document_before(doc: Doc, start: int, para: int) -> bool:
    """The sentence before ``start`` in its paragraph has a document as its main subject
    ("The report estimated ..."), which "it" then names: no state or organization."""
    sents = [s for s in doc.sents if para <= s.start_char and s.end_char <= start]
    if not sents:
        return False
    root = sents[-1].root
    return any(c.dep_ in {"nsubj", "nsubjpass"} and c.lemma_.lower() in _DOCUMENTS
               for c in root.children)


def _expletive(it: Token) -> bool:
    return bool(it.dep_ == "expl" or it.head.lemma_.lower() in _EXPLETIVE_HEADS)


def _group_antecedent(
    doc: Doc, start: int, para: int, state: SpeakerState, *, plural: bool = False
) -> Mention | None:
    """``it`` as a speaker ("The United States has many reasons. Firstly, it aims to ..."):
    the last state or organization that was a grammatical subject earlier in the paragraph
    (or is the possessor or modifier of one: "Azerbaijan's ministry"), or the last ``it``
    resolved there. People and unresolved names never qualify. With ``plural`` (``they``),
    only a subject headed by a plural noun qualifies ("Azerbaijani officials met ... They
    said"), and no ``it``."""
    best: tuple[int, Mention] | None = None
    for m in state.mentions:
        if m.start >= start:
            break
        person = m.label == "PERSON" or m.actor_id[:1].islower()  # an agent ("officials") is not
        if m.start < para or not m.resolved or person or m.method == "demonym":
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        root = span.root
        if root.dep_ in ("poss", "compound") and root.head.i >= span.end:
            root = root.head
        if root.dep_ in ("nsubj", "nsubjpass") and (not plural or root.tag_ in ("NNS", "NNPS")):
            best = (m.start, m)
    for at, m in [] if plural else state.its:
        if para <= at < start and (best is None or at > best[0]):
            best = (at, m)
    return best[1] if best else None


def _by_surname(name: str, before: int, mentions: Sequence[Mention]) -> Mention | None:
    """A name the NER missed (``Musabayov``): the earlier person mention ending with it."""
    last = name.split()[-1].lower().removesuffix("'s").removesuffix("\u2019s") if name.split() else ""
    found = [m for m in mentions if m.start < before and _personish(m)
             and m.text.split() and m.text.split()[-1].lower() == last]
    return found[0] if found else None


def _full_name(m: Mention, mentions: Sequence[Mention]) -> Mention:
    """``Musabayov`` -> the earlier ``Rasim Musabayov`` mention (same surname)."""
    last = m.text.split()[-1].lower() if m.text.split() else ""
    for other in mentions:
        if other.start >= m.start:
            break
        words = other.text.split()
        if len(words) > 1 and words[-1].lower() == last and _personish(other):
            return other
    return m


def _title_from_text(doc: Doc, m: Mention, source: tuple[int, int]) -> str | None:
    """The apposition (``X, head of Y,``) or the title before a name (``NATO Secretary General X``)."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    for c in root.children:
        if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN") and c.ent_type_ not in (
            "GPE", "NORP", "LOC"
        ):  # not "X and Y, *both* led by", nor a list taken for one ("Mexico, *Brazil* and Chile")
            t = doc[c.left_edge.i : c.right_edge.i + 1].text.strip(" ,")
            t = re.sub(r"^(?:a|an|the)\s+", "", t, flags=re.IGNORECASE)  # "a coast guard spokesman"
            if t:
                return t
    head = root.head
    while root.dep_ == "appos" and head.dep_ == "pobj" and head.head.dep_ == "prep":
        head = head.head.head  # the parser may hang the name on the role's "for" phrase
    if root.dep_ == "appos" and head.pos_ == "NOUN" and head.i < root.i and source[0] <= head.left_edge.idx:
        # "The European Union's special representative for the South Caucasus, *Magdalena
        # Grono*": the role noun phrase the name is set beside
        t = doc[head.left_edge.i : root.left_edge.i].text.strip(" ,")
        t = re.sub(r"^(?:a|an|the)\s+", "", t, flags=re.IGNORECASE)
        if t:
            return t
    pre = [t for t in root.lefts if t.dep_ in {"compound", "amod", "nmod"} and t.i < span.start]
    if pre and person_mention(m) and m.method not in {"agent", "agent-context"}:
        # "a *senior* Turkish official": the words before a role noun describe it, they are
        # no title; nor are an organization's modifiers ("the *ruling* Georgian Dream party")
        lo = min(t.left_edge.i for t in pre)
        text = doc[lo : span.start].text.strip(" ,")
        if text and source[0] <= doc[lo].idx:
            return text
    return None


def speaker_role(
    m: Mention | None, titles: dict[str, str], gazetteer: Any = None, date: str | None = None
) -> str | None:
    if m is None:
        return None
    title = titles.get(m.actor_id)
    if gazetteer is not None and not m.actor_id.startswith("?"):
        actor = gazetteer.get(m.actor_id)
        role = gazetteer.role_at(actor, date) if actor is not None else None
        if role is not None and role.title:
            title = role.title
    org = f"{m.org}/{m.sector}" if m.org and m.sector else (m.org or None)
    if title and org and title not in (m.org, org):  # not "ECOWAS (ECOWAS)"
        return f"{title} ({org})"
    return title or org


# --------------------------------------------------------------------------- claims


__all__ = ["SpeakerState", "resolve_speaker", "speaker_role"]
