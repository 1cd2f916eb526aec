"""Lexicon and dependency rules that find PLOVER event candidates in a parsed sentence.

The lexicon (``data/event_lexicon.toml``) maps verb, phrase and noun lemmas to CAMEO
codes; ``data/cameo_plover.json`` maps CAMEO codes to PLOVER type, mode and context and
CAMEO roots to QuadClass and Goldstein score. This module walks spaCy dependency trees:

* triggers: verbs, "verb object" phrases and nominal triggers (with light verbs);
* absorption: a trigger inside the complement of a frame verb ("agreed *to cooperate*")
  belongs to the frame's event, and a cooperative act under an intent word ("willing to
  withdraw") becomes AGREE;
* arguments: subjects and ``by`` agents are sources; objects, passive subjects and the
  objects of ``with/to/against/on...`` are targets; ``in/at`` places give the location;
* modality: negation, conditional, hypothetical, future, and reported speech with speaker.
"""

from __future__ import annotations

import functools
import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from spacy.tokens import Span, Token

from ..errors import ConfigError
from ..model import Mention
from .records import lemma, text_of, token_forms, token_pos

COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "AGREE"})
TARGET_PREPS = frozenset(
    {"with", "to", "against", "on", "toward", "towards", "into", "over", "from", "for",
     "upon", "between", "among", "of", "onto", "at"}
)
PLACE_PREPS = frozenset({"in", "at", "near", "inside", "across", "throughout"})
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "ROOT", "parataxis", "csubj"})
ABSORB_DEPS = frozenset(
    {"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acomp", "attr", "oprd", "compound",
     "advcl"}
)
NAME_ENTS = frozenset({"ORG", "FAC", "GPE", "LOC", "NORP", "PERSON", "EVENT", "WORK_OF_ART", "LAW"})
PRONOUNS = frozenset({"he", "she", "it", "they", "his", "her", "its", "their", "him", "them"})
QUESTION_STARTERS = frozenset(
    {"will", "would", "does", "do", "did", "is", "are", "was", "were", "can", "could",
     "should", "shall", "has", "have", "may", "might", "must", "what", "why", "how", "who",
     "where", "when", "which"}
)


@dataclass(frozen=True)
class CodeInfo:
    """Everything the mapping file says about one CAMEO code."""

    code: str
    type: str
    mode: str | None
    context: str | None
    root: str
    quad_class: int
    goldstein: float


@dataclass(frozen=True)
class CameoMap:
    """The CAMEO -> PLOVER mapping plus QuadClass and Goldstein per root."""

    codes: dict[str, dict[str, str | None]]
    roots: dict[str, dict[str, float]]
    default_code: dict[str, str]
    legacy: dict[str, str]
    types: tuple[str, ...]

    def info(self, code: str) -> CodeInfo:
        """Describe ``code``; unknown sub-codes fall back to their parents."""
        probe = code
        while probe and probe not in self.codes:
            probe = probe[:-1]
        if len(probe) < 3:
            probe = code[:2] + "0"
        row = self.codes.get(probe)
        if row is None:
            raise KeyError(f"unknown CAMEO code {code!r}")
        root = code[:2]
        r = self.roots[root]
        return CodeInfo(code, str(row["event"]), row["mode"], row["context"], root,
                        int(r["quad_class"]), float(r["goldstein"]))

    def for_type(self, plover_type: str) -> CodeInfo:
        """The default CAMEO code of a PLOVER type (legacy names accepted)."""
        t = self.legacy.get(plover_type, plover_type)
        return self.info(self.default_code[t])

    def canonical_type(self, name: str) -> str:
        """A PLOVER type name, legacy names (DEMAND, FIGHT, ...) mapped to current ones."""
        return self.legacy.get(name.upper(), name.upper())


@functools.cache
def load_cameo_map() -> CameoMap:
    """Load ``data/cameo_plover.json`` once per process."""
    raw = resources.files("diplograph").joinpath("data/cameo_plover.json").read_text("utf-8")
    d = json.loads(raw)
    return CameoMap(d["cameo"], d["roots"], d["default_code"], d["legacy_types"],
                    tuple(d["plover_types"]))


@dataclass(frozen=True)
class Lexicon:
    """The project-written trigger lexicon (see ``data/event_lexicon.toml``)."""

    verbs: dict[str, str]
    phrases: dict[tuple[str, str], str]
    nouns: dict[str, str]
    light: frozenset[str]
    frames: frozenset[str]
    intent: frozenset[str]
    speech: frozenset[str]
    modality: dict[str, frozenset[str]]
    context: dict[str, frozenset[str]]


def _invert(table: dict[str, list[str]], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, words in table.items():
        for w in words:
            if w in out and out[w] != code:
                raise ConfigError(f"event lexicon: {what} {w!r} has two codes", code="E506")
            out[w] = code
    return out


@functools.cache
def load_lexicon() -> Lexicon:
    """Load ``data/event_lexicon.toml`` once per process."""
    raw = resources.files("diplograph").joinpath("data/event_lexicon.toml").read_text("utf-8")
    d = tomllib.loads(raw)
    phrases = {tuple(p.split(None, 1)): c for p, c in _invert(d["phrases"], "phrase").items()}
    return Lexicon(
        verbs=_invert(d["verbs"], "verb"),
        phrases=phrases,  # type: ignore[arg-type]
        nouns=_invert(d["nouns"], "noun"),
        light=frozenset(d["light"]["verbs"]),
        frames=frozenset(d["frames"]["verbs"]),
        intent=frozenset(d["intent"]["words"]),
        speech=frozenset(d["speech"]["verbs"]),
        modality={k: frozenset(v) for k, v in d["modality"].items()},
        context={k: frozenset(v) for k, v in d["context"].items()},
    )


@dataclass
class Candidate:
    """A trigger found by the rules, with its arguments and modality."""

    token: Token
    code: str
    kind: str  # verb | phrase | noun
    start: int
    end: int
    sources: list[Mention] = field(default_factory=list)
    targets: list[Mention] = field(default_factory=list)
    fallback_target: bool = False
    absorbed_by: Candidate | None = None
    inner: list[Candidate] = field(default_factory=list)
    negated: bool = False
    modality: str = "asserted"
    speaker: Mention | None = None
    location: str | None = None
    intent: bool = False
    said_alongside: bool = False  # absorbed through a speech verb ("..., saying that ...")
    hedged: bool = False  # done "in all but name": hypothetical, but no intent or threat
    condition: bool = False  # told as a condition ("*if* Russia attacked"): no intent or threat


class MentionIndex:
    """Token -> mention lookup for one document."""

    def __init__(self, doc_mentions: Iterable[Mention]) -> None:
        self.mentions = sorted(doc_mentions, key=lambda m: (m.start, m.end))
        self._by_char: dict[int, Mention] = {}
        for m in self.mentions:
            for c in range(m.start, m.end):
                self._by_char.setdefault(c, m)

    def at(self, tok: Token) -> Mention | None:
        return self._by_char.get(tok.idx)

    def in_span(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end]

    def before(self, char: int, lo: int) -> Mention | None:
        best = None
        for m in self.mentions:
            if lo <= m.start and m.end <= char:
                best = m
        return best


# ----------------------------------------------------------------------------- triggers


def _lemma(tok: Token) -> str:
    return lemma(tok)


def _trigger_lemmas(lex: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """The lemmas that can head a trigger: (verbs, nouns and first words of phrases;
    second words of phrases, which head a trigger only as a noun: "hunger strike")
    (built once per lexicon)."""
    cached: tuple[frozenset[str], frozenset[str]] | None = lex.__dict__.get("_trigger_lemmas")
    if cached is None:
        heads = set(lex.verbs) | set(lex.nouns) | {p[0] for p in lex.phrases if p}
        cached = (frozenset(heads), frozenset(p[1] for p in lex.phrases if len(p) > 1))
        object.__setattr__(lex, "_trigger_lemmas", cached)
    return cached


_NOMINAL = frozenset({"NOUN", "PROPN"})
#: Amount nouns a verb's object may pass through to its "of" phrase: "a batch of drones".
_AMOUNTS = frozenset({"batch", "shipment", "consignment", "package", "tranche", "delivery",
                      "number", "set", "round", "load", "supply", "lot", "fleet",
                      "part", "parts", "most", "much", "some", "all",  # "suspended *parts of* its cooperation"
                      "dozen", "dozens", "hundred", "hundreds", "thousand", "thousands",
                      "score", "scores", "wave", "series", "spate", "string", "barrage",
                      "volley", "salvo", "flurry", "handful", "couple", "pair"})  # "carried
# out *hundreds of* strikes"


#: Prepositional verbs whose preposition follows the verb ("called *on* X to ..."); one
#: after the verb's object belongs to the object ("called it a claim *on* Azerbaijan").
_PREPOSITIONAL = frozenset({("call", "on"), ("call", "upon"), ("call", "for")})


#: Objects of "called" that name whom one telephoned ("called his Lebanese *counterpart*").
_CALLEES = frozenset({"counterpart", "president", "minister", "leader", "chancellor", "king",
                      "premier", "prince", "emir", "sultan", "secretary"})


def _phones(verb: Token) -> bool:
    """"X called Y" as a telephone call: one object that names a person, state or body,
    and nothing that makes it a label or an appeal ("called the drills *a rehearsal*",
    "called it illegal", "called for", "called on")."""
    if any(ch.dep_ in ("oprd", "attr", "acomp", "ccomp", "auxpass", "nsubjpass", "prt")
           for ch in verb.children):
        return False
    objs = [ch for ch in verb.children if ch.dep_ == "dobj"]
    if len(objs) != 1 or objs[0].i < verb.i:
        return False
    obj = objs[0]
    return obj.pos_ == "PROPN" or obj.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or (
        obj.lemma_.lower() in _CALLEES)


#: Common nouns of places one withdraws from ("withdrew from the city").
_PLACE_NOUNS = frozenset({"area", "region", "city", "town", "village", "territory", "border",
                          "base", "position", "zone", "country", "province", "island"})


def _withdraws_forces(verb: Token, prep: Token) -> bool:
    """"Withdraw X from Y" moves forces (an object: troops, police) or leaves a place (a
    location: "withdrew from Kherson"); "withdraw from" a treaty, talks or a body cuts
    relations."""
    if any(ch.dep_ == "dobj" for ch in verb.children):
        return True
    return any(g.dep_ == "pobj" and (g.ent_type_ in ("GPE", "LOC", "FAC", "PERSON")  # the
               # small model tags a lone city a person ("from Kherson")
               or g.lemma_.lower() in _PLACE_NOUNS) for g in prep.children)


#: Verbs of leaving, and the nouns of forces whose leaving a place is a withdrawal.
_LEAVE_VERBS = frozenset({"leave", "quit", "exit", "vacate"})
_FORCE_NOUNS = frozenset({"soldier", "troop", "force", "contingent", "peacekeeper", "army",
                          "military", "battalion", "brigade", "marine", "paratrooper", "unit"})


def _forces_leave(verb: Token) -> bool:
    """"The last French *soldiers left* Niger": forces as the subject and a place as the
    object (a named place or a place noun) is a military withdrawal (CAMEO 087); "the
    minister left Baku" and "troops left their barracks" are not coded."""
    subj = [ch for ch in verb.children if ch.dep_ == "nsubj"]
    objs = [ch for ch in verb.children if ch.dep_ == "dobj"]
    return bool(subj and objs) and _lemma(subj[0]) in _FORCE_NOUNS and (
        objs[0].ent_type_ in ("GPE", "LOC", "FAC") or objs[0].pos_ == "PROPN"  # the small
        or _lemma(objs[0]) in _PLACE_NOUNS)  # model tags "Niger" a person


#: Common nouns of bodies and processes one leaves: "left *the alliance*", "quit the talks".
_LEFT_BODIES = frozenset({"alliance", "bloc", "organization", "organisation", "union", "treaty",
                         "pact", "accord", "agreement", "community", "talks", "negotiation",
                         "council", "court", "coalition", "format", "group", "forum",
                         "commonwealth", "convention", "partnership", "programme", "program"})


def _leaves_a_body(verb: Token) -> bool:
    """"Mali *left* ECOWAS", "Russia *quit* the Council of Europe", "left the talks": an
    organization, treaty or process as the object (not a place: "left Kabul", "left the
    country"; not "left office")."""
    objs = [ch for ch in verb.children if ch.dep_ == "dobj"]
    if not objs or any(ch.dep_ == "nsubjpass" for ch in verb.children):
        return False
    obj = objs[0]
    if obj.ent_type_ in ("GPE", "LOC", "FAC", "PERSON", "NORP", "DATE"):
        return False  # (the small model tags unknown towns ORG: an acronym or a body's noun
    return (obj.ent_type_ == "ORG" and obj.text.isupper() and len(obj.text) > 1) or (  # is asked)
        _lemma(obj) in _LEFT_BODIES)


#: Condemning labels: "called the strikes *a violation* of its sovereignty", "called the
#: move *illegal*" (CAMEO 111, criticize or denounce).
_CONDEMNING_LABELS = frozenset({
    "violation", "breach", "crime", "provocation", "aggression", "occupation", "invasion",
    "genocide", "terrorism", "atrocity", "insult", "interference", "farce", "sham",
    "illegal", "unlawful", "illegitimate", "unacceptable", "provocative", "irresponsible",
    "dangerous", "disrespectful", "outrageous", "hostile", "reckless", "null", "void",
    "preposterous", "absurd", "baseless", "unfounded", "groundless", "ridiculous", "lie",
    "slander", "smear", "fabrication"})


_LABELLING = frozenset({"call", "brand", "label", "term", "describe", "denounce"})


def _labels(verb: Token) -> bool:
    """"X *called* Y a violation / illegal", "*described* Y as illegal": a verb of naming
    with an object and a condemning label after it (also where the parser hangs the label
    on the object: "called the strikes a violation", "strikes" read as a verb)."""
    if _lemma(verb) not in _LABELLING:
        return False
    objs = [ch for ch in verb.children if ch.dep_ in ("dobj", "ccomp") and ch.i > verb.i]
    if not objs:
        return False
    for holder in (verb, *objs):
        for ch in holder.children:
            if ch.i <= objs[0].i:
                continue
            if (ch.dep_ in ("oprd", "xcomp", "ccomp", "acomp", "attr", "dobj") or (
                    ch.dep_ == "amod" and holder is not verb)) and (  # (a label after the
                # object: "called the accusations *preposterous*")
                    _lemma(ch) in _CONDEMNING_LABELS or any(  # "called it *a hostile act*"
                        a.dep_ == "amod" and _lemma(a) in _CONDEMNING_LABELS for a in ch.children)):
                return True
            if ch.dep_ == "prep" and ch.lower_ == "as" and any(
                    _lemma(g) in _CONDEMNING_LABELS for g in ch.subtree):
                return True  # "described the vote *as illegal*"
    return False


#: What one exercises that is no drill: "the army *exercises* de facto control over ...".
_EXERCISED = frozenset({"control", "power", "authority", "influence", "restraint", "caution",
                        "sovereignty", "jurisdiction", "veto", "right", "leverage", "pressure",
                        "command", "oversight", "de", "its", "their", "effective"})


def _verb_taken_for_noun(tok: Token) -> bool:
    """A verb the tagger read as a noun: "exercises" right before what is exercised."""
    if tok.lemma_.lower() != "exercise" or tok.i + 1 >= len(tok.doc):
        return False
    return tok.nbor(1).lower_ in _EXERCISED


#: What one declines to do when one declines to comment: "*declined to confirm* it".
_COMMENT_VERBS = frozenset({"comment", "confirm", "say", "elaborate", "disclose", "discuss",
                            "specify", "identify", "name", "speculate", "reveal", "detail"})
_DETAILS = frozenset({"detail", "information", "name", "figure", "comment", "reason"})


def _no_comment(verb: Token) -> bool:
    """"declined / refused to comment, confirm, say, elaborate, give details": a source
    keeps silent; that is no rejection of anyone ("refused to give aid" still is)."""
    if _lemma(verb) not in ("decline", "refuse"):
        return False
    for x in (ch for ch in verb.children if ch.dep_ == "xcomp"):
        if _lemma(x) in _COMMENT_VERBS:
            return True
        if _lemma(x) in ("give", "provide", "offer") and any(
                ch.dep_ == "dobj" and _lemma(ch) in _DETAILS for ch in x.children):
            return True
    return False


#: Words of armed force that make an option kept open a military threat (CAMEO 138).
_FORCE_WORDS = frozenset({"force", "military", "invasion", "attack", "strike", "war",
                          "action", "blockade", "troop", "annexation", "retaliation"})


#: Other hostile options whose keeping open is a threat: "would not rule out *sanctions*".
_HOSTILE_OPTIONS = _FORCE_WORDS | {"sanction", "embargo", "tariff", "countermeasure",
                                   "expulsion", "reprisal", "response"}


def _keeps_open(rule: Token) -> bool:
    """"did not / would not *rule out* force", "refused to rule out military action": a
    hostile option kept open against someone is a threat (CAMEO 13, 138 with force; not
    "has not ruled out expanding the bloc")."""
    if not any(ch.dep_ == "prt" and ch.lower_ == "out" for ch in rule.children):
        return False
    obj = next((ch for ch in rule.children if ch.dep_ == "dobj"), None)
    if obj is None:
        return False
    if _lemma(obj) in ("use", "possibility", "option", "threat", "prospect"):  # "the use of force"
        obj = next((g for p in obj.children if p.dep_ == "prep" and p.lower_ == "of"
                    for g in p.children if g.dep_ in ("pobj", "pcomp")), obj)
    if _lemma(obj) not in _HOSTILE_OPTIONS and not (
            obj.pos_ == "NOUN" and any(_lemma(ch) in ("military", "armed") for ch in obj.children)):
        return False
    if any(ch.dep_ == "neg" for ch in rule.children):
        return True
    return rule.dep_ == "xcomp" and _lemma(rule.head) in ("refuse", "decline")


#: Parts of a document: "Article 4 *of* NATO's founding treaty" names the text, no act.
_DOCUMENT_PARTS = frozenset({"article", "clause", "provision", "term", "text", "section",
                             "chapter", "annex", "paragraph", "preamble", "signatory"})


def _a_document(tok: Token) -> bool:
    """An agreement noun that names a text, not the act of agreeing: a part "of" it, or its
    founding one ("Article 4 of NATO's *founding treaty*", "the terms of the deal")."""
    if any(c.dep_ == "amod" and c.lower_ == "founding" for c in tok.children):
        return True
    return (tok.dep_ == "pobj" and tok.head.lower_ == "of"
            and tok.head.head.lemma_.lower() in _DOCUMENT_PARTS)


def find_triggers(sent: Span, lex: Lexicon) -> list[Candidate]:
    """All lexicon triggers of a sentence; a phrase beats the bare verb."""
    out: list[Candidate] = []
    doc = sent.doc
    lemmas, tags = token_forms(doc)[1], token_pos(doc)
    heads, seconds = _trigger_lemmas(lex)
    silent: set[int] = set()  # what a source declined to confirm or comment on
    for i in range(sent.start, sent.end):
        lem = lemmas[i]
        if lem not in heads and (lem not in seconds or tags[i] not in _NOMINAL) and (
                lem not in _LEAVE_VERBS) and lem not in _LABELLING:
            continue  # no verb, noun or phrase of the lexicon is headed here
        tok = doc[i]
        code, kind, end_tok = None, "", tok
        labels = tok.pos_ == "VERB" and _labels(tok)  # "called the strikes *a violation*"
        if labels:
            code, kind = "111", "verb"
        elif tok.pos_ in ("VERB", "ADJ", "AUX", "NOUN") or tok.tag_.startswith("VB"):
            for child in tok.children:
                key = (lem, _lemma(child))
                if key not in lex.phrases and (lem, child.lower_) in lex.phrases:
                    key = (lem, child.lower_)  # a noun the lemmatizer read as a verb ("crossing")
                if key in _PREPOSITIONAL and not 0 < child.i - tok.i <= 2:
                    continue  # "which he *called* a territorial claim *on* Azerbaijan"
                if key == ("withdraw", "from") and _withdraws_forces(tok, child):
                    continue  # "withdrew its police *from* Haiti": a retreat, not a cut
                if child.dep_ in ("dobj", "prt", "prep", "xcomp", "acomp", "attr", "npadvmod",
                                  "dative", "advmod", "amod", "compound") and key in lex.phrases:
                    # a noun head ("*sanctions on* X") is a noun act, absorbed by the verb
                    # that imposes it
                    kind = "noun" if tok.pos_ == "NOUN" else "phrase"
                    code, end_tok = lex.phrases[key], child
                    break
                if child.dep_ == "prep" or (child.dep_ == "dobj" and _lemma(child) in _AMOUNTS):
                    # "sent aid to X"; "delivered a new batch *of* drones"
                    preps = [child] if child.dep_ == "prep" else [
                        p for p in child.children if p.dep_ == "prep" and p.lower_ == "of"]
                    for gc in (g for p in preps for g in p.children):
                        if gc.dep_ == "pobj" and (lem, _lemma(gc)) in lex.phrases:
                            # a noun head ("the *sale of* jets") takes its arguments as a noun
                            kind = "noun" if tok.pos_ == "NOUN" else "phrase"
                            code, end_tok = lex.phrases[(lem, _lemma(gc))], gc
                            break
                    if code is not None:
                        break
        if code is None and tok.pos_ in ("NOUN", "PROPN"):  # "hunger strike"
            for child in tok.children:
                if child.dep_ in ("compound", "amod") and (_lemma(child), lem) in lex.phrases:
                    code, kind = lex.phrases[(_lemma(child), lem)], "noun"
                    break
        verbal = tok.pos_ in ("VERB", "ADJ") or tok.tag_.startswith("VB")
        if code is None and verbal and lem in lex.verbs and tok.dep_ not in ("amod", "compound") and (
            tok.pos_ != "ADJ" or tok.dep_ in ("acomp", "ROOT", "conj", "xcomp")
        ):
            code, kind = lex.verbs[lem], "verb"
        if verbal and lem == "rule" and _keeps_open(tok):  # not the phrase's rejection
            code, kind = ("138" if _FORCE_WORDS & {_lemma(t) for t in tok.subtree} else "130"), "verb"
        if code is not None and kind == "verb" and any(
                x.dep_ == "xcomp" and _lemma(x) == "rule" and _keeps_open(x) for x in tok.children):
            continue  # "refused to *rule out* force": the threat is coded on "rule"
        if code is not None and kind == "verb" and _no_comment(tok):
            silent.update(t.i for x in tok.children if x.dep_ == "xcomp" for t in x.subtree)
            continue  # "an official *declined to confirm* the meeting": no act, no refusal
        if code is None and verbal and lem in _LEAVE_VERBS and _forces_leave(tok):
            code, kind = "087", "verb"
        if code is None and verbal and lem in _LEAVE_VERBS and _leaves_a_body(tok):
            code, kind = "164", "verb"  # as "withdraw from" a body or talks
        if code is None and verbal and lem == "call" and _phones(tok):
            code, kind = "041", "verb"  # "Netanyahu *called* Morrison to congratulate him"
        if code is None and tok.pos_ in ("NOUN", "PROPN") and lem in lex.nouns and not (
            tok.ent_type_ in NAME_ENTS and tok.i > tok.sent.start and tok.nbor(-1).is_title
        ) and not _verb_taken_for_noun(tok) and not _a_document(tok):
            # "International Security Assistance Force" names a mission, not an act
            code, kind = lex.nouns[lem], "noun"
        if code is None:
            continue
        span_end = end_tok if end_tok.i > tok.i and end_tok.i - tok.i <= 3 else tok
        out.append(Candidate(tok, code, kind, tok.idx, span_end.idx + len(span_end.text)))
    return [c for c in out if c.token.i not in silent] if silent else out


# ----------------------------------------------------------------------------- structure


def clause_head(tok: Token) -> Token:
    """The token heading ``tok``'s clause (climbing xcomp/aux chains)."""
    t = tok
    while t.dep_ not in CLAUSE_DEPS and t.head is not t:
        if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX"):
            break
        t = t.head
    return t


def _path_to_clause(tok: Token) -> list[Token]:
    path = [tok]
    t = tok
    while t.dep_ not in CLAUSE_DEPS and t.head is not t:
        if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX"):
            break
        t = t.head
        path.append(t)
    return path


#: Marks of an adverbial clause set against the main one, with actors of its own.
CONTRAST_MARKS = frozenset({"while", "whereas", "although", "though"})


#: Marks of a clause that dates another act by its own.
_TIME_MARKS = frozenset({"after", "before", "since", "once"})


def _prep_twin(t: Token) -> Token | None:
    """For a preposition coordinated under another phrase ("of preparing for war *and of*
    arming"), the same preposition higher up that it really repeats."""
    if t.dep_ != "conj" or t.pos_ != "ADP":
        return None
    return next((a for a in t.ancestors if a.pos_ == "ADP" and a.dep_ == "prep"
                 and a.lower_ == t.lower_), None)


def _gerund_twin(t: Token) -> Token | None:
    """The gerund a coordinated gerund shares its preposition with: "of commanding the M23
    and *deploying* soldiers" (spaCy makes it a conjunct of "commanding")."""
    if t.dep_ == "conj" and t.tag_ == "VBG" and t.head.tag_ == "VBG" and t.head.dep_ == "pcomp" and not any(
            ch.dep_ in ("nsubj", "nsubjpass") for ch in t.children):
        return t.head
    return None


def mark_absorbed(cands: list[Candidate], lex: Lexicon) -> None:
    """Attach triggers governed by a frame or nominal-object relation to that frame."""
    by_tok = {c.token.i: c for c in cands}
    for c in cands:
        t = c.token
        hops = 0
        while (t.dep_ in ABSORB_DEPS or _prep_twin(t) is not None or _gerund_twin(t) is not None) and (
                t.head is not t and hops < 5):
            twin = _prep_twin(t) or _gerund_twin(t)
            if twin is not None:  # "accused X of preparing for war *and of* arming ...":
                t = twin  # the parser hangs the second "of" on "for"; it is the first's twin
                # ("accused Rwanda of commanding the M23 *and deploying* soldiers": so is
                # a coordinated gerund)
                continue
            if t.dep_ == "advcl" and any(ch.dep_ == "mark" and ch.lower_ in CONTRAST_MARKS
                                         for ch in t.children) and any(
                ch.dep_ in ("nsubj", "nsubjpass") for ch in t.children
            ):  # a clause set against the frame with its own subject ("pledged aid, *while
                break  # Hungary blocked* ...") is no content of it ("unless", "if" are)
            if t.dep_ == "advcl" and any(ch.dep_ == "mark" and ch.lower_ in _TIME_MARKS for ch in t.children):
                break  # nor is an act that dates it ("suspended cooperation *after* Israeli
                # and U.S. *strikes* on its nuclear sites")
            head = t.head
            hops += 1
            frame = by_tok.get(head.i)
            if frame is None and _lemma(head) in lex.speech and head.i != c.token.i:
                c.said_alongside = True  # "urged allies to respond, *saying* that the West's
                # silence was encouraging Moscow": part of the frame's event, not its content
            purpose = t is c.token and t.dep_ in ("xcomp", "advcl") and any(
                ch.dep_ == "aux" and ch.lower_ == "to" for ch in t.children)
            # a noun act under the frame directly, or through an amount noun ("held four
            # *rounds of* talks")
            noun_object = c.kind == "noun" and (t is c.token or hops == 3 and _lemma(t) in _AMOUNTS)
            if frame is not None and frame is not c and (
                _lemma(head) in lex.frames or noun_object or purpose
            ):
                c.absorbed_by = frame
                frame.inner.append(c)
                break
            t = head


HOSTILE = frozenset({"SANCTION", "COERCE", "ASSAULT", "MOBILIZE", "PROTEST"})
OBLIGATION = frozenset({"must", "should", "need", "ought"})


def apply_irrealis(c: Candidate, cmap: CameoMap) -> None:
    """CAMEO's coding of unrealized acts: "X said Y must do Z" is a REQUEST from X to Y;
    a future, hypothetical or intended cooperative act is AGREE (express intent), and a
    hostile one is THREATEN. Negated candidates keep their type."""
    if c.negated or c.hedged or c.condition or c.modality in ("asserted", "reported") and not c.intent:
        return
    info = cmap.info(c.code)
    words = {ch.lower_ for t in _path_to_clause(c.token) for ch in t.children if ch.dep_ == "aux"}
    if words & OBLIGATION and c.speaker is not None and info.type != "REQUEST":
        subject = list(c.sources)
        if c.speaker.code not in {m.code for m in subject}:
            c.code, c.sources, c.targets = "100", [c.speaker], subject or c.targets
            return
    if info.type in COOPERATIVE and info.type != "AGREE":
        c.code = "036" if info.type == "CONSULT" else "030"
    elif info.type in HOSTILE:
        c.code = "133" if info.type == "PROTEST" else "138" if info.type == "ASSAULT" else "130"


def is_question(sent: Span, tok: Token) -> bool:
    """True when the line holding ``tok`` is a question or a headline question."""
    text = text_of(sent.doc)
    lo = text.rfind("\n", sent.start_char, tok.idx) + 1 or sent.start_char
    hi = text.find("\n", tok.idx, sent.end_char)
    hi = sent.end_char if hi < 0 else hi
    line = text[max(lo, sent.start_char):hi].strip()
    if line.endswith("?"):
        return True
    words = line.split()
    if not words or words[0].lower() not in QUESTION_STARTERS:
        return False
    # a headline question: inverted auxiliary, no final full stop, title-like line
    return not line.endswith((".", "!", '"', "”")) and words[0][0].isupper()


def context_of(info: CodeInfo, sent: Span, lex: Lexicon) -> str | None:
    """PLOVER context: the code's own, else the cue class most present in the sentence."""
    if info.context:
        return info.context
    lemmas = token_forms(sent.doc)[1][sent.start : sent.end]
    best, score = None, 0
    for name, cues in lex.context.items():
        n = sum(1 for lm in lemmas if lm in cues)
        if n > score:
            best, score = name, n
    return best
