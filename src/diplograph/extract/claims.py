"""Claims: quotes and assertions with a speaker and a canonical (subject, predicate, object).

:func:`extract_claims` turns the attributions found by :mod:`.quotes` into
:class:`~diplograph.model.Claim` records. Each one gets

- a **speaker**: the actor of the :class:`~diplograph.model.Mention` inside the source
  span; pronouns and role nouns (``he``, ``the minister``) reach back to the last named
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
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..model import Article, Claim, Mention, TimeExpr, record_id
from .canonical import Canonical, builtin_kind, canonicalize, polarity_and_modality
from .claim_dates import claim_date
from .interviews import with_interview_answers
from .predicates import Predicate, Vocabulary, contradicts, load_vocabulary
from .quotes import (
    EXTRACTOR,
    PRONOUNS,
    QUOTE_CHARS,
    Attribution,
    find_attributions,
    load_cue_lexicon,
)
from .records import ROLE_NOUNS, paragraph_start, person_mention, previous_paragraph_start, text_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

log = logging.getLogger(__name__)


def _mention_at(mentions: Sequence[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if m.start < end and start < m.end]


# --------------------------------------------------------------------------- speakers


def _person(m: Mention) -> bool:
    return m.label == "PERSON" or m.sector is not None or m.actor_id[:1].islower() or (
        m.actor_id.startswith("?") and m.label in {"PERSON", "DICT"}
    )


def _personish(m: Mention) -> bool:
    """A person, or an unresolved name (NER often labels unknown surnames ORG)."""
    return _person(m) or m.actor_id.startswith("?")


@dataclass
class _SpeakerState:
    """Running context for coreference: the last named speaker and known titles."""

    text: str
    mentions: list[Mention]
    last: tuple[int, Mention] | None = None  # (paragraph start, mention)
    titles: dict[str, str] = field(default_factory=dict)
    its: list[tuple[int, Mention]] = field(default_factory=list)  # resolved "it" speakers
    introduced: dict[str, Mention] | None = None  # person id -> the agent named before them


def _resolve_speaker(doc: Doc, att: Attribution, state: _SpeakerState) -> Mention | None:
    if att.source is None:
        return None
    start, end = att.source
    para = paragraph_start(state.text, start)
    hits = _mention_at(state.mentions, start, end)
    persons = [m for m in hits if _person(m)]
    first = doc.char_span(start, end, alignment_mode="expand")
    lead = first[0] if first is not None and len(first) else None
    if lead is not None and lead.lower_ in {"who", "which", "that"} and lead.head.dep_ == "relcl":
        noun = lead.head.head
        if noun.dep_ == "appos" and noun.head.i < noun.i:
            noun = noun.head  # "Sergei Shoigu, the Russian defence minister, who said"
        hits = _mention_at(state.mentions, noun.left_edge.idx, noun.idx + len(noun.text))
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
                    and m.label != "PERSON" and m.method != "place" and m.org]  # fmt: skip
        if named_in:
            chosen = replace(chosen, org=named_in[-1].org, sector=named_in[-1].sector)
        else:  # "*ministry* spokeswoman Aram Torosyan" after "Armenia's defence ministry
            # denied the report": the institution the paragraph (or the one before) named
            body = _institution_before(title, start, para, state)
            if body is not None:
                chosen = replace(chosen, org=body.org, sector=body.sector)
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


def _introduction(doc: Doc, person: str, state: _SpeakerState) -> tuple[str | None, Mention | None]:
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


def _issuer(state: _SpeakerState) -> Mention | None:
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


def _institution_before(title: str, start: int, para: int, state: _SpeakerState) -> Mention | None:
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


def _introduced_as(person: str, state: _SpeakerState) -> Mention | None:
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
    doc: Doc, start: int, para: int, state: _SpeakerState, *, plural: bool = False
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
        if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN"):  # not "X and Y, *both* led by"
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


def _role(
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
    kinds = _kind_lookup(gazetteer)
    tx = tuple(timexes or ())

    def dating(trigger: tuple[int, int], when: tuple[int, int] | None = None) -> tuple[str | None, str]:
        if when is not None:  # a gapped reading: "... and Sweden *in 2024*"
            for t in tx:
                if t.type == "DATE" and when[0] <= t.start and t.end <= when[1]:
                    cue = full[when[0]:t.start].strip()
                    return t.value, f"governing-timex:{cue + ' ' if cue else ''}{t.text}"
        return claim_date(doc, trigger, tx if trigger[0] >= 0 else (), article.published)

    state = _SpeakerState(full, ments)
    attributions = with_interview_answers(doc, ments, find_attributions(doc, encoder=quote_encoder))
    claims: list[Claim] = []
    covered: list[tuple[int, int]] = []
    for att in attributions:
        speaker = _resolve_speaker(doc, att, state)
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
                part = _with_intent_cue(doc, att, part)
                readings.extend(canonicalize(part, ments, vocab, kind_of=kinds, we=_we(speaker)))
        if not readings and _bare_phrase(parts, full, att.content):
            # "Armenia confirmed its attendance", "they discussed the matter": a stance or an
            # act with a noun phrase, not something said; the outlet's own clause stays readable
            continue
        covered.extend(att.content)
        if not readings and (_bare_phrase(parts, full, att.content, clauses=False)
                             or _cue_relative(parts, att)):
            # "signed a memorandum that would give it access to the sea", "a plan that many
            # survivors rejected": nothing said either, but the clause inside the noun phrase
            # is read only as the attribution's ("rejected calls to join NATO" is no membership)
            continue
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
            "speaker_role": _role(speaker, state.titles),
            "cue": full[att.cue[0]:att.cue[1]], "cue_start": att.cue[0], "cue_end": att.cue[1],
            "extractor": EXTRACTOR,
        }
        claims.extend(_with_readings(base, readings, _said_when(att, doc, dating)))
    for index, sent in enumerate(doc.sents):
        at = (sent.start_char, sent.end_char)
        if _about_a_publication(sent):
            continue
        # the outlet's own clauses: readings whose trigger is outside every attribution
        readings = [r for r in canonicalize(sent, ments, vocab, kind_of=kinds)
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
                         r"say more|be drawn)(?: further| immediately| publicly| on (?:it|the \w+))?")


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
    lo = max(min(verb.left_edge.i, part.start), sent.start)
    hi = min(max(verb.right_edge.i + 1, part.end), sent.end)
    return doc[lo:hi]


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
                      modality="asserted", date=date, date_reason=reason, **base)]  # fmt: skip
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
