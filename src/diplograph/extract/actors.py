"""Actor mentions: dictionary phrase matching plus spaCy NER, resolved at the article date.

How one article is read (``find_mentions``):

1. One ``PhraseMatcher`` (``attr="LOWER"``, built once per gazetteer and vocabulary)
   finds every dictionary alias, person short name, context alias, ignored phrase and
   generic agent noun ("army", "foreign ministry"). Aliases then pass their case
   rules (a capital first letter; exact case for acronyms like "US").
2. Dictionary matches win over NER and longer matches over shorter ones; no two
   mentions overlap. A state mention next to an agent noun becomes one mention with a
   sector: "the Azerbaijani army" / "Azerbaijan's Defence Ministry" / "Ministry of
   Defence of Azerbaijan" -> ``AZEMIL``.
3. Short names ("Stoltenberg") resolve to a person the article names in full, else to
   the dictionary's only person with that short name who holds a role on the date
   (and only where spaCy tags a PERSON).
4. spaCy entities (PERSON, ORG, GPE, NORP, LOC, FAC) that the dictionary missed are
   kept as unresolved actors (``?slug``); unknown LOC and FAC names and generic nouns
   ("the Government") are dropped.
5. Context aliases ("Brussels", "the Alliance") resolve through the actors the
   article names.
6. A bare institution ("the Ministry of Defense", "the government") takes the state of
   the last state-with-agent mention in its paragraph (:data:`.actor_context.INSTITUTIONS`).
7. A place entity the dictionary does not know, a city or a region ("Kirkuk",
   "Nagorno-Karabakh"), becomes a mention of its state, method ``place``
   (:mod:`diplograph.places`).

Offsets are into ``Article.text``; possessive "'s" and a leading "the" are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from weakref import WeakKeyDictionary

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from ..model import Article, Mention, record_id
from ..places import country_of
from ..resolve import UNKNOWN_CODE, Gazetteer, normalize
from .actor_context import (
    resolve_acronyms,
    resolve_bare_agents,
    resolve_body_anaphors,
    resolve_context,
    resolve_possessive_agents,
)
from .actor_picker import Cand, Picker
from .records import (
    ROLE_NOUNS,
    STATE_ID,
    sentence_of,
    text_of,
)

__all__ = ["EXTRACTOR", "find_mentions", "make_annotator", "matcher_for"]

#: @2: sentence indices from paragraph-aware segmentation (:mod:`.segment`); the first
#: annotator's version also stands for the sentence boundaries every record points to.
#: @3: bare institutions ("the Ministry of Defense") take the paragraph's state.
EXTRACTOR = "diplograph.actors@11"  # @11: a lone surname tagged ORG; Greenland and other territories
NER_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON", "LOC", "FAC"})
UNRESOLVED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})  # LOC/FAC: places, not actors
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_BLOCKING_PREFIXES = frozenset({"post", "ex", "non", "pro", "anti"})  # "post-Soviet", "pro-Russian"
_STATE_METHODS = frozenset({"dictionary", "demonym", "metonym", "place"})
# Single words spaCy often tags as entities inside titles ("Secretary of State"): not actors.
_GENERIC = frozenset({
    "state", "states", "defense", "defence", "government", "ministry", "parliament",
    "alliance", "summit", "committee", "council", "department", "office", "agency", "union",
    "commission", "court", "assembly", "west", "east", "north", "south", "president",
    "secretary", "minister", "republic", "kingdom", "federation", "army", "navy",
})  # fmt: skip

_MATCHERS: WeakKeyDictionary[Gazetteer, tuple[Vocab, PhraseMatcher]] = WeakKeyDictionary()


def matcher_for(nlp: Language, gazetteer: Gazetteer) -> PhraseMatcher:
    """The phrase matcher for ``gazetteer`` in ``nlp``'s vocabulary (built once, cached)."""
    cached = _MATCHERS.get(gazetteer)
    if cached is not None and cached[0] is nlp.vocab:
        return cached[1]
    groups: dict[str, list[str]] = {}
    for category, key, form in gazetteer.patterns():
        groups.setdefault(f"{category}|{key}", []).append(form)
    forms = [f for label in groups for f in groups[label]]
    docs = iter(nlp.tokenizer.pipe(forms))  # type: ignore[union-attr]
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label, label_forms in groups.items():
        matcher.add(label, [next(docs) for _ in label_forms])
    _MATCHERS[gazetteer] = (nlp.vocab, matcher)
    return matcher


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the", edge punctuation, a possessive, and anything after a newline."""
    while start < end and (
        doc[start].lower_ == "the" or doc[start].is_punct or doc[start].is_space
    ):
        start += 1
    for k in range(start + 1, end):
        if doc[k].is_space and "\n" in doc[k].text:
            end = k
            break
    while end > start and (
        doc[end - 1].lower_ in _POSSESSIVE or doc[end - 1].is_punct or doc[end - 1].is_space
    ):
        end -= 1
    return start, end


def _blocked_prefix(doc: Doc, start: int) -> bool:
    return start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in _BLOCKING_PREFIXES


#: Words that make a name with a country in it a body of water: "the South China Sea",
#: "the Gulf of Mexico", "the Sea of Japan" name no state.
_WATER = frozenset({"sea", "ocean", "gulf", "strait", "straits", "bay", "channel", "lake",
                    "river", "sound", "lagoon"})


def _inside_water_name(doc: Doc, s: int, e: int) -> bool:
    """Tokens ``[s, e)`` lie inside a longer named entity that names a body of water."""
    if doc[s].ent_iob_ not in ("B", "I"):
        return False
    for ent in doc.ents:
        if ent.start <= s and e <= ent.end:
            return ent.end - ent.start > e - s and any(
                t.lower_ in _WATER for t in ent if not s <= t.i < e)
    return False


#: Words that make a name with a capital in it an institution or a publication: the
#: "Stockholm International Peace Research Institute" and "The Moscow Times" are not the
#: government the capital stands for (a facility still is a place: "at Kabul International
#: Airport" locates an act in Afghanistan).
_NAMED_INSTITUTIONS = frozenset({"institute", "university", "school", "college", "academy",
                           "centre", "center", "foundation", "times", "post", "herald",
                           "tribune", "journal", "gazette", "independent", "club", "forum"})


def _inside_institution_name(doc: Doc, s: int, e: int) -> bool:
    """Tokens ``[s, e)`` lie inside a longer organization or facility name that names an
    institution or a publication."""
    for ent in doc.ents:
        if ent.start <= s and e <= ent.end:
            return ent.label_ in ("ORG", "FAC", "WORK_OF_ART") and ent.end - ent.start > e - s and any(
                t.lower_ in _NAMED_INSTITUTIONS for t in ent if not s <= t.i < e)
    return False


#: Second halves of a hyphenated compound in which a demonym names people, not their
#: state: "four *Serb*-majority towns" in Kosovo are no Serbian act or place.
_ETHNIC_HEADS = frozenset({"majority", "minority", "speaking", "populated", "inhabited",
                           "dominated", "descent", "origin"})


#: Nouns after a city that make it the name of a text or a process, not the city's state:
#: "the *Ottawa* Convention", "the Budapest Memorandum", "the Astana format".
_TEXT_HEADS = frozenset({"convention", "conventions", "treaty", "accord", "accords", "agreement",
                         "agreements", "memorandum", "protocol", "protocols", "declaration",
                         "charter", "consensus", "communique", "communiqué", "framework",
                         "principles", "document", "understanding"})
#: ... and those that do so even in lower case: "the Astana *format*", "the Berlin *process*".
_PROCESS_HEADS = frozenset({"format", "process"})


def names_a_text(doc: Doc, e: int) -> bool:
    """The place name ending before token ``e`` opens the name of a text or a format
    ("the Ottawa *Convention*", "the Astana *format*"): the place acts in nothing."""
    if e >= len(doc):
        return False
    nxt = doc[e]
    return nxt.lower_ in _PROCESS_HEADS or (nxt.lower_ in _TEXT_HEADS and nxt.text[:1].isupper())


_BYLINE = re.compile(r"(?i)\s*(?:by|written by|author:)\s+\S")


def _in_byline(doc: Doc, s: int) -> bool:
    """Token ``s`` is on a byline ("By Zhong Sheng"): a line of its own that opens so."""
    text = text_of(doc)
    lo = text.rfind("\n", 0, doc[s].idx) + 1
    hi = text.find("\n", doc[s].idx)
    line = text[lo : hi if hi >= 0 else len(text)]
    return len(line.split()) <= 6 and bool(_BYLINE.match(line))


def _ethnic_compound(doc: Doc, e: int) -> bool:
    return e + 1 < len(doc) and doc[e].text == "-" and doc[e + 1].lower_ in _ETHNIC_HEADS


def _dictionary_spans(
    doc: Doc, gazetteer: Gazetteer, matcher: PhraseMatcher, date: str | None, picker: Picker
) -> tuple[list[tuple[int, int, str]], dict[int, tuple[int, str]], dict[int, tuple[int, str]]]:
    """Pick dictionary spans (longest first); return short-name matches and agent nouns."""
    strings = doc.vocab.strings
    shorts: list[tuple[int, int, str]] = []
    agent_at: dict[int, tuple[int, str]] = {}  # start -> (end, sector), longest
    agent_to: dict[int, tuple[int, str]] = {}  # end -> (start, sector), longest
    found: list[tuple[int, int, int, str, str]] = []
    for match_id, s, e in matcher(doc):
        category, _, key = strings[match_id].partition("|")
        if category == "N":
            sector = gazetteer.agent_sector(key)
            if sector is not None:
                if s not in agent_at or agent_at[s][0] < e:
                    agent_at[s] = (e, sector)
                if e not in agent_to or agent_to[e][0] > s:
                    agent_to[e] = (s, sector)
        elif category == "S":
            shorts.append((s, e, key))
        else:
            found.append((e - s, s, e, category, key))
    found.sort(key=lambda f: (-f[0], f[1]))
    for _, s, e, category, key in found:
        if not picker.free(s, e):
            continue
        text = doc[s:e].text
        if category == "A":
            hit = gazetteer.match_key(key, text, date, running_text=True)
            if hit is None or _blocked_prefix(doc, s) or _inside_water_name(doc, s, e) or (
                hit.method == "metonym" and (_inside_institution_name(doc, s, e)
                                             or names_a_text(doc, e))
            ) or _ethnic_compound(doc, e):
                continue
            picker.take(
                Cand(s, e, hit.actor_id, hit.method, hit.sector, doc[s].ent_type_ or "DICT")
            )
        elif category == "C":
            rule = gazetteer.context_rule(key)
            if rule is not None and rule.form.accepts(text, running_text=True):
                picker.take(
                    Cand(s, e, None, "context", None, doc[s].ent_type_ or "DICT", rule=rule)
                )
        elif category == "I":
            picker.take(Cand(s, e, None, "ignore"))
    return shorts, agent_at, agent_to


def _merge_agents(
    doc: Doc,
    gazetteer: Gazetteer,
    picker: Picker,
    agent_at: Mapping[int, tuple[int, str]],
    agent_to: Mapping[int, tuple[int, str]],
) -> None:
    """Join a state mention and an adjacent agent noun into one mention with a sector."""
    n = len(doc)
    for idx, c in enumerate(picker.cands):
        if c is None or c.actor_id is None or c.method not in _STATE_METHODS:
            continue
        actor = gazetteer.get(c.actor_id)
        if actor is None or actor.kind != "state":
            continue
        j = c.end
        if j < n and doc[j].lower_ in _POSSESSIVE and c.method != "demonym":
            j += 1
        nxt = picker.cands[picker.owner[j]] if j < n and picker.owner[j] >= 0 else None
        if nxt is not None and nxt.actor_id == c.actor_id and nxt.sector and nxt.start == j:
            picker.drop(picker.owner[j])  # "US" + "State Department" -> one USAGOV mention
            picker.grow(idx, c.start, nxt.end)
            c.sector, c.method = nxt.sector, "agent"
            continue
        right = agent_at.get(j)
        if right is not None and picker.free(c.end, right[0]):
            picker.grow(idx, c.start, right[0])
            c.sector, c.method = c.sector or right[1], "agent"
            continue
        if c.method == "demonym":  # "people of Armenian descent" is not ARMCVL
            continue
        i = c.start - 1
        if i >= 1 and doc[i].lower_ == "the":
            i -= 1
        left = agent_to.get(i) if i >= 1 and doc[i].lower_ == "of" else None
        if left is not None and picker.free(left[0], c.start):
            picker.grow(idx, left[0], c.end)
            c.sector, c.method = c.sector or left[1], "agent"


def _lone_org_subject(doc: Doc, s: int, e: int) -> bool:
    """The small model tags a bare famous surname an organization ("In May, *Trump*
    announced ..."): a one-word ORG entity that is the subject or possessor of its clause,
    with no company word after it ("Trump Tower" is a longer entity), may be the person."""
    if e - s != 1 or doc[s].ent_type_ != "ORG" or doc[s].ent_iob_ != "B":
        return False
    if s + 1 < len(doc) and doc[s + 1].ent_iob_ == "I":
        return False
    return doc[s].dep_ in ("nsubj", "nsubjpass", "poss")


def find_mentions(
    doc: Doc, article: Article, gazetteer: Gazetteer, matcher: PhraseMatcher
) -> list[Mention]:
    """All actor mentions of one parsed article (``doc.text == article.text``), in order."""
    date = article.published[:10] if article.published else None
    picker = Picker(len(doc))
    shorts, agent_at, agent_to = _dictionary_spans(doc, gazetteer, matcher, date, picker)
    _merge_agents(doc, gazetteer, picker, agent_at, agent_to)

    # People the article names in full, by short name (for "Stoltenberg said").
    named_by_short: dict[str, list[str]] = {}
    for c in picker.cands:
        actor = gazetteer.get(c.actor_id) if c is not None and c.actor_id else None
        if actor is not None and actor.kind == "person":
            for short in gazetteer.short_names(actor.id):
                named_by_short.setdefault(normalize(short), []).append(actor.id)

    ner: list[tuple[int, int, str]] = []
    unresolved_short: dict[str, str] = {}  # "fiks" -> "Stefan Fiks" for unknown full names
    given: dict[str, set[str]] = {}  # "phumtham" -> {"Phumtham Wechayachai"}
    titled = _titled_names(doc, picker)
    for ent in [*titled, *(e for e in doc.ents if not any(
            t.start < e.end and e.start < t.end for t in titled))]:  # fmt: skip
        if ent.label_ not in NER_LABELS:
            continue
        s, e = _trim(doc, ent.start, ent.end)
        if ent.label_ == "PERSON":  # "*Spokesperson* Mao Ning": the title is no part of it
            while e - s > 1 and doc[s].lower_ in _TITLE_WORDS and doc[s + 1].is_title:
                s += 1
        if s >= e or (ent.label_ == "PERSON" and _in_byline(doc, s)):  # the author, not an actor
            continue
        if not picker.free(s, e) and not _person_over_places(
            doc, gazetteer, picker, s, e, ent.label_
        ):
            continue
        ner.append((s, e, ent.label_))
        if ent.label_ == "PERSON" and e - s >= 2 and gazetteer.match(doc[s:e].text, date) is None:
            unresolved_short[normalize(doc[e - 1].text)] = doc[s:e].text
            given.setdefault(normalize(doc[s].text), set()).add(doc[s:e].text)
    # "Thailand's acting Prime Minister Phumtham Wechayachai ... *Phumtham* said": a lone
    # name the parser tags a person may be the first name of one unknown full name (Thai,
    # Malay and Indonesian usage; the family name of Chinese, Korean and Khmer ones)
    unresolved_given = {k: next(iter(names)) for k, names in given.items()
                        if len(names) == 1 and k not in unresolved_short}

    for s, e, key in shorts:
        if not picker.free(s, e) or not doc[s].text[:1].isupper():
            continue
        if key not in named_by_short and (key in unresolved_short or _other_given_name(doc, s)):
            continue  # "Tigran Grigoryan" is not the dictionary's Armen Grigoryan
        if key in named_by_short:
            person = gazetteer.by_short_name(key, date, among=named_by_short[key])
        elif doc[s].ent_type_ == "PERSON" or _lone_org_subject(doc, s, e):
            person = gazetteer.by_short_name(key, date)
        else:
            person = None
        if person is not None:
            picker.take(Cand(s, e, person.id, "surname", None, doc[s].ent_type_ or "DICT"))

    for s, e, label in ner:
        if picker.free(s, e) and not _ethnic_compound(doc, e):
            cand = _resolve_entity(
                doc, gazetteer, s, e, label, date, named_by_short, unresolved_short,
                unresolved_given,
            )
            if cand is not None:
                picker.take(cand)

    # a surname the parser did not tag, of an unknown person the article named in full
    # ("Felix Tshikalo condemned ... *Tshikalo* also criticized ...")
    for tok in doc:
        key = normalize(tok.text)
        if tok.pos_ == "PROPN" and tok.is_title and key in unresolved_short and picker.free(tok.i, tok.i + 1) and (
                not _in_byline(doc, tok.i)):
            picker.take(Cand(tok.i, tok.i + 1, None, "ner-unresolved", None, "PERSON",
                              name=unresolved_short[key]))

    resolve_context(gazetteer, picker, date, doc)
    resolve_bare_agents(doc, gazetteer, picker, agent_at)
    resolve_possessive_agents(doc, gazetteer, picker, agent_at)
    resolve_body_anaphors(doc, gazetteer, picker)
    resolve_acronyms(doc, picker)
    return _titled_people([_mention(doc, article, gazetteer, c, date) for c in _ordered(picker)],
                          article.text)


def _titled_people(mentions: list[Mention], text: str) -> list[Mention]:
    """Unknown people the article introduces with a role of a known state or body ("Angola's
    president, *Joao Lourenco*", "Kenyan President *Felix Tshikalo*", "*Felix Tshikalo*,
    Kenya's president,") take that role's code, org and sector, in every mention of them:
    an event of theirs is the state's (``AGOGOV``), as CAMEO codes it, not an unknown
    actor. So does an unknown organization a state possesses ("South Korea's *National
    Intelligence Service*": ``KOR``). Their ids stay the unresolved ones."""
    roles: dict[str, Mention] = {}
    for i, m in enumerate(mentions):
        if not m.actor_id.startswith("?") or m.actor_id in roles:
            continue
        before = mentions[i - 1] if i else None
        after = mentions[i + 1] if i + 1 < len(mentions) else None
        if m.label == "ORG" and before is not None and STATE_ID.fullmatch(before.actor_id) and (
                text[before.end : m.start].strip() in ("'s", "\u2019s")) and (
                m.text.split()[-1].lower() in _STATE_BODIES):  # not "Iraq's Al-Qaeda"
            roles[m.actor_id] = before  # "South Korea's *National Intelligence Service*"
            continue
        if m.label != "PERSON":
            continue
        if before is not None and _role_mention(before) and not text[before.end : m.start].strip(" ,"):
            roles[m.actor_id] = before
        elif before is not None and i > 1 and _role_mention(mentions[i - 2]) and (
                text[mentions[i - 2].end : before.start].strip().lower() == "to") and (
                not text[before.end : m.start].strip(" ,")):  # "U.S. Ambassador to Japan
            roles[m.actor_id] = mentions[i - 2]  # George Glass": the sender's envoy
        elif after is not None and _role_mention(after) and text[m.end : after.start].strip() == "," and (
                text[after.end : after.end + 1] in (",", ".", "")):
            roles[m.actor_id] = after
    if not roles:
        return mentions
    return [replace(m, code=roles[m.actor_id].code, org=roles[m.actor_id].org,
                    sector=roles[m.actor_id].sector) if m.actor_id in roles else m
            for m in mentions]


#: Last words of the names of a state's own bodies: "South Korea's National Intelligence
#: *Service*", "Ukraine's Security *Service*", "Iran's Guardian *Council*".
_STATE_BODIES = frozenset({"service", "ministry", "agency", "council", "committee", "bureau",
                           "directorate", "office", "department", "command", "staff",
                           "commission", "guard", "police", "directorate-general"})


def _role_mention(m: Mention) -> bool:
    """A person's role in a state or body: "Kenya's president" (``KENGOV``), not an
    institution ("the Kenyan military, Felix Tshikalo said")."""
    return m.method in ("agent", "agent-context") and m.org is not None and (
        m.sector is not None and m.text.split()[-1].lower() in ROLE_NOUNS)


_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady",
                         "mr.", "mrs.", "ms.", "dr.", "prof.", "gen", "gen.", "col", "col.",
                         "president", "minister", "general", "ambassador", "secretary"})


def _other_given_name(doc: Doc, s: int) -> bool:
    """The surname at ``s`` ends a longer name the parser found ("Tigran Grigoryan"): a
    capitalized word before it in the same PERSON entity that is no title."""
    if s == 0 or doc[s].ent_iob_ != "I" or doc[s].ent_type_ != "PERSON":
        return False
    prev = doc[s - 1]
    return prev.text[:1].isupper() and prev.lower_ not in _HONORIFICS


#: Words that end a person's title right before the name: "Minister Popsoi", "Minister of
#: Foreign Affairs Mihai Popsoi", "Defence Secretary John Healey".
_TITLE_WORDS = frozenset({
    "minister", "president", "premier", "chancellor", "ambassador", "secretary", "envoy",
    "spokesman", "spokeswoman", "spokesperson", "commissioner", "senator", "governor", "mayor",
    "general", "admiral", "colonel", "commander", "chairman", "chairwoman", "chair", "speaker",
    "representative", "affairs", "defence", "defense", "ombudsman", "king", "queen", "prince",
    "sheikh", "emir", "patriarch", "pope", "cardinal", "archbishop", "deputy",
})
#: Capitalized words after a title that are no name: "General *Assembly*", "Minister *for* ...".
_NOT_NAMES = frozenset({
    "assembly", "council", "committee", "staff", "secretariat", "office", "ministry", "department",
    "directorate", "command", "court", "house", "senate", "parliament", "government", "state",
    "states", "union", "nations", "affairs", "defence", "defense", "security", "foreign",
    "interior", "justice", "finance", "economy", "trade", "health", "energy", "prosecutor",
    "guard", "forces", "army", "navy", "police", "service", "services", "agency", "bank",
    "republic", "federation", "kingdom", "minister", "president", "secretary", "general",
    "treaty", "pact", "agreement", "accord", "act", "law", "strategy", "policy", "doctrine",
    "initiative", "fund", "programme", "program", "plan", "review", "concept", "forum",
    "summit", "conference", "university", "academy", "college", "institute", "school",
    "industry", "industries", "cooperation", "partnership", "organization", "organisation",
    "alliance", "force", "corps", "operation", "mission", "cup", "day",
})


def _titled_names(doc: Doc, picker: Picker) -> list[Span]:
    """PERSON spans the parser missed or mislabelled: one to three capitalized proper nouns
    right after a title word ("Minister of Foreign Affairs *Mihai Popsoi*", "Minister
    *Popsoi*", tagged ORG) that no dictionary match or PERSON entity covers."""
    out: list[Span] = []
    n = len(doc)
    i = 0
    while i < n - 1:
        if doc[i].lower_ not in _TITLE_WORDS or not doc[i].text[:1].isupper():
            i += 1
            continue
        j = i + 1
        while (j < n and j - i <= 3 and doc[j].pos_ == "PROPN" and doc[j].is_title
               and doc[j].lower_ not in _NOT_NAMES and picker.free(j, j + 1)
               and doc[j].ent_type_ not in {"GPE", "LOC", "NORP", "PERSON", "DATE", "LAW",
                                            "EVENT", "FAC", "WORK_OF_ART", "PRODUCT"}):  # fmt: skip
            j += 1
        if j > i + 1 and not (j < n and doc[j].pos_ == "PROPN" and doc[j].is_title):
            out.append(Span(doc, i + 1, j, label="PERSON"))
        i = max(j, i + 1)
    return out


def _person_over_places(
    doc: Doc, gazetteer: Gazetteer, picker: Picker, s: int, e: int, label: str
) -> bool:
    """A PERSON entity ("George Washington") beats place names matched inside it.

    Only for one place name, and when every other word of the entity is a proper
    noun ("Will Azerbaijan Invade", "Azerbaijan Support Ukraine" are not people).
    """
    if label != "PERSON":
        return False
    inside = picker.inside(s, e)
    if len(inside) != 1:
        return False
    covered = {i for idx in inside for i in range(picker.cands[idx].start, picker.cands[idx].end)}  # type: ignore[union-attr]
    if any(doc[i].pos_ != "PROPN" for i in range(s, e) if i not in covered):
        return False
    for idx in inside:
        c = picker.cands[idx]
        if c is None or c.start < s or c.end > e or c.end - c.start >= e - s:
            return False
        actor = gazetteer.get(c.actor_id) if c.actor_id else None
        if actor is None or actor.kind != "state" or c.method not in _STATE_METHODS or c.sector:
            return False
    for idx in inside:
        picker.drop(idx)
    return True


def _resolve_entity(
    doc: Doc,
    gazetteer: Gazetteer,
    s: int,
    e: int,
    label: str,
    date: str | None,
    named_by_short: Mapping[str, list[str]],
    unresolved_short: Mapping[str, str],
    unresolved_given: Mapping[str, str] | None = None,
) -> Cand | None:
    """Resolve one spaCy entity the dictionary matcher did not cover."""
    text = doc[s:e].text
    key = normalize(text)
    if not any(ch.isalpha() for ch in text) or text.islower() or gazetteer.agent_sector(key):
        return None
    hit = gazetteer.match_key(key, text, date)
    if hit is not None and hit.method == "metonym" and names_a_text(doc, e):
        return None  # "the Astana format"
    if hit is not None:
        return Cand(s, e, hit.actor_id, hit.method, hit.sector, label)
    if key in named_by_short:
        person = gazetteer.by_short_name(key, date, among=named_by_short[key])
        if person is not None:
            return Cand(s, e, person.id, "surname", None, label)
    if key in unresolved_short:
        return Cand(s, e, None, "ner-unresolved", None, label, name=unresolved_short[key])
    if label == "PERSON" and e - s == 1 and unresolved_given and key in unresolved_given:
        return Cand(s, e, None, "ner-unresolved", None, label, name=unresolved_given[key])
    if label == "PERSON" and e - s == 1 and doc[s].dep_ == "pobj" and doc[s].head.lower_ in _LOCATIVE:
        label = "GPE"  # "withdrew from *Kherson*": the small model tags a lone city a person
    place = _place(gazetteer, text, label) if not names_a_text(doc, e) else None
    if place is not None:
        return Cand(s, e, place, "place", None, label)
    if label not in UNRESOLVED_LABELS or (e - s == 1 and key in _GENERIC):
        return None
    if label == "NORP" and not text.endswith("s"):  # "Western", "Eurasian": adjectives
        return None
    return Cand(s, e, None, "ner-unresolved", None, label, name=text)


#: Prepositions after which a lone capitalized word is a place ("from *Kherson*").
_LOCATIVE = frozenset({"in", "from", "into", "near", "around", "outside", "toward", "towards"})


def _place(gazetteer: Gazetteer, text: str, label: str) -> str | None:
    """The state a place entity lies in (:mod:`diplograph.places`): a curated region
    under any label but PERSON (the small model often tags "Karabakh" ORG), a city only
    where spaCy tags a place (GPE, LOC); None unless the state is in the dictionary."""
    found = country_of(text) if label != "PERSON" else None
    if found is None or (found[1] == "city" and label not in ("GPE", "LOC")):
        return None
    actor = gazetteer.get(found[0])
    return actor.id if actor is not None and actor.kind == "state" else None


def _ordered(picker: Picker) -> list[Cand]:
    live = [c for c in picker.cands if c is not None and c.method != "ignore"]
    return sorted(live, key=lambda c: c.start)


def _mention(
    doc: Doc, article: Article, gazetteer: Gazetteer, c: Cand, date: str | None
) -> Mention:
    s, e = c.start, c.end
    if e - s > 1 and doc[s].lower_ == "the":
        s += 1
    start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
    actor = gazetteer.get(c.actor_id) if c.actor_id else None
    if actor is None:
        placeholder = gazetteer.unresolved(c.name or article.text[start:end])
        actor_id, code, org, sector, resolved = placeholder.id, UNKNOWN_CODE, None, None, False
        method = "ner-unresolved"
    else:
        actor_id, resolved, method = actor.id, True, c.method
        code, org, sector = gazetteer.code_for(actor, date, c.sector)
        person = actor.kind == "person" and method == "dictionary"
        if person and gazetteer.role_at(actor, date) is not None:
            method = "role" if date else "role-undated"
    return Mention(
        id=record_id(article.id, start, end, "mention"),
        article_id=article.id,
        sentence=sentence_of(doc, s),
        start=start,
        end=end,
        text=article.text[start:end],
        actor_id=actor_id,
        code=code,
        sector=sector,
        org=org,
        label=c.label,
        resolved=resolved,
        method=method,
        extractor=EXTRACTOR,
    )


Annotate = Callable[[Doc, Article, Gazetteer], dict[str, tuple[Mention, ...]]]


def make_annotator(nlp: Language, gazetteer: Gazetteer) -> Annotate:
    """The extract-stage annotator: ``(doc, article, gazetteer) -> {"mentions": (...)}``."""
    matcher_for(nlp, gazetteer)  # build the matcher now, not on the first document

    def annotate(doc: Doc, article: Article, gaz: Gazetteer) -> dict[str, tuple[Mention, ...]]:
        return {"mentions": tuple(find_mentions(doc, article, gaz, matcher_for(nlp, gaz)))}

    return annotate
