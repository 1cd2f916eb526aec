"""Which actors a claim's words name: pronouns, definite descriptions, lists and gaps.

The helpers :mod:`.canonical` reads subjects and objects with (as :mod:`.event_refs` does
for events): a mention covering a token (:func:`covering`), the actors a pronoun or "the
country" takes up (:func:`antecedents`), an object "it" (:func:`object_antecedent`), the
members of a coordinated or listed subject (:func:`coordinated`, :func:`included_members`),
the actors of an elliptic "and neither do X and Y" (:func:`elliptic_subjects`), the
controller of an infinitive (:func:`control_subject`) and the subjects of a gapped clause
("... and Sweden in 2024": :func:`gapped`). :class:`Context` is what a reading may look at
beyond its span.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Mention
from .records import (
    RELATIVE_PRONOUNS,
    included,
    paragraph_start,
    previous_paragraph_start,
    sentences_before,
    text_of,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

KindOf = Callable[[str], "str | None"]

_PLURAL = {"they", "their", "them", "each", "both", "all"}
_THING = {"it", "its"} | _PLURAL
_PERSON = {"he", "she", "his", "her", "him"}
_WE = {"we", "our", "us"}
ANAPHOR_KINDS = {
    "country": {"state"}, "nation": {"state"}, "republic": {"state"}, "kingdom": {"state"},
    "state": {"state"}, "government": {"state"},
    "alliance": {"igo", "group"}, "bloc": {"igo", "group"}, "organisation": {"igo", "group"},
    "organization": {"igo", "group"}, "union": {"igo", "group"},
}  # fmt: skip
ORG_KINDS = {"igo", "group", "programme", "mission"}
LABEL_KINDS = {"GPE": "state", "NORP": "state", "PERSON": "person", "ORG": "org?"}
#: Plural heads that make the actor before them a qualifier: "UN member states".

_CONTROL_DEPS = {"xcomp", "pcomp"}


def overlapping(mentions: Sequence[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if m.start < end and start < m.end]


def covering(tok: Token, mentions: Sequence[Mention]) -> list[Mention]:
    """Mentions inside the subtree of ``tok``, the one covering ``tok`` itself first."""
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
    hits = [m for m in mentions if m.start < hi and lo < m.end]
    # not what a relative clause inside says ("The three states, *which formed the Alliance
    # of Sahel States*, accuse ...")
    rel = [(r.left_edge.idx, r.right_edge.idx + len(r.right_edge.text))
           for r in tok.subtree if r.dep_ == "relcl" and r.i != tok.i]
    if rel:
        hits = [m for m in hits if not any(a <= m.start and m.end <= b for a, b in rel)]
    return sorted(hits, key=lambda m: (not (m.start <= tok.idx < m.end), m.start))




@dataclass
class Context:
    """What a reading may look at beyond its span."""

    mentions: Sequence[Mention]  # every mention of the article, in text order
    inside: list[Mention]  # the mentions inside the span
    kind_of: KindOf
    we: str | None

    def kind(self, m: Mention) -> str | None:
        return self.kind_of(m.actor_id) or LABEL_KINDS.get(m.label)

    def before(self, tok: Token, kinds: set[str]) -> Mention | None:
        """The nearest mention of one of ``kinds`` before ``tok`` in its paragraph; for an
        organization ("the alliance", "the bloc"), else in the two paragraphs before."""
        text = text_of(tok.doc)
        para = paragraph_start(text, tok.idx)
        reach = 3 if kinds and kinds <= ORG_KINDS | {"org?"} else 1
        for _ in range(reach):
            found = [m for m in self.mentions
                     if para <= m.start and m.end <= tok.idx and self.kind(m) in kinds]  # fmt: skip
            if found or para == 0:
                return found[-1] if found else None
            para = previous_paragraph_start(text, para)
        return None


#: Nouns for the state a speaker acts for, with "his", "her", "my" or "our": "*his country*".
_HOMELAND = frozenset({"country", "nation", "government", "state"})
_SPEAKERS_OWN = frozenset({"his", "her", "my", "our"})


def antecedents(c: Token, ctx: Context) -> list[str]:
    """The actors a pronoun or definite description (``the country``) refers to."""
    low = c.lower_
    if low in _WE:
        return [ctx.we] if ctx.we else []
    if low in RELATIVE_PRONOUNS and c.head.dep_ == "relcl":  # "Stoltenberg, who toured ..."
        noun = c.head.head
        hits = overlapping(ctx.mentions, noun.idx, noun.idx + len(noun.text))
        if not hits and noun.dep_ in {"attr", "appos"}:
            # "Egypt is *the only country that* supplies weapons", "Egypt, the only country
            # that ...": the noun is said of the copula's subject, or set beside a name
            named = noun.head if noun.dep_ == "appos" else next(
                (s for s in noun.head.children if s.dep_ == "nsubj"), None)
            if named is not None:
                hits = overlapping(ctx.mentions, named.idx, named.idx + len(named.text))
                if hits and noun.dep_ == "attr":  # "Israel, Turkey and Russia are the only
                    return coordinated(named, ctx) or [hits[0].actor_id]  # three countries that"
        return [hits[0].actor_id] if hits else []
    lemma = c.lemma_.lower()
    if lemma in _HOMELAND and ctx.we and any(d.dep_ == "poss" and d.lower_ in _SPEAKERS_OWN
                                             for d in c.children):
        return [ctx.we]  # "Pashinyan said *his country* would leave the alliance"
    wanted = ANAPHOR_KINDS.get(lemma) if any(d.lower_ == "the" for d in c.children) else None
    if low in _PERSON:
        m = ctx.before(c, {"person"})
        return [m.actor_id] if m else []
    if low not in _THING and wanted is None:
        return []
    kinds = wanted or {"state"} | ORG_KINDS | {"org?"}
    plural = low in _PLURAL
    if low == "its" and c.dep_ == "poss":
        # "thanked *the UAE* for its mediation", "praised NATO for its support": the object
        # of the verb whose complement holds "its"
        verb = next((a for a in c.ancestors if a.pos_ in {"VERB", "AUX"}), None)
        for o in verb.children if verb is not None else ():
            if o.dep_ == "dobj" and o.i < c.i:
                hits = [m for m in covering(o, ctx.mentions) if ctx.kind(m) in kinds
                        and m.start <= o.idx < m.end]  # fmt: skip
                if hits:
                    return [hits[0].actor_id]
    # the subject of the clause this one is conjoined with, then earlier subjects
    subjects: list[Token] = []
    node = c.head
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
        subjects += [s for s in node.children if s.dep_ in {"nsubj", "nsubjpass"} and s.i < c.i]
    sent = c.sent
    subjects += sorted((t for t in sent if t.i < c.i and t.dep_ in {"nsubj", "nsubjpass"}
                        and t not in subjects), key=lambda t: -t.i)  # fmt: skip
    for prev in sentences_before(sent):
        subjects += [s for s in prev.root.children if s.dep_ in {"nsubj", "nsubjpass"}]
    for s in subjects:
        hits = [m for m in covering(s, ctx.mentions) if ctx.kind(m) in kinds]
        if hits:
            if c.dep_ == "poss" and s.sent == sent and _between(s, c, hits, kinds, ctx):
                return []  # "The EU adopted sanctions against *Belarus* over *its* support":
                # another actor stands between the subject and "its", so either may own it
            return sorted({m.actor_id for m in hits}) if plural else [hits[0].actor_id]
    if wanted is not None:
        m = ctx.before(c, wanted)
        return [m.actor_id] if m else []
    return []


def _between(subj: Token, pron: Token, hits: Sequence[Mention], kinds: set[str], ctx: Context) -> bool:
    """Another actor of ``kinds``, not the subject's, is named between the subject's phrase
    and the possessive ``pron`` in its sentence."""
    lo = subj.right_edge.idx + len(subj.right_edge.text)
    own = {m.actor_id for m in hits}
    return any(lo <= m.start and m.end <= pron.idx and ctx.kind(m) in kinds
               and m.actor_id not in own for m in ctx.mentions)


def elliptic_subjects(t0: Token, ctx: Context) -> list[str]:
    """Actors of a clause that repeats the trigger's clause by "do" alone: "Serbia does not
    recognize it, and *neither do Russia and China*", "*nor does Greece*", "and *so does
    Germany*", ", *as does Germany*". Same predicate, object and polarity."""
    verb = next((v for v in (t0, t0.head, t0.head.head) if v.pos_ in {"VERB", "AUX"}), None)
    if verb is None:
        return []
    out: list[str] = []
    for c in verb.children:
        if c.lemma_.lower() != "do" or c.dep_ not in {"conj", "advcl"} or c.i < verb.i:
            continue
        cue = {x.lower_ for x in c.children} | {
            x.lower_ for x in verb.children if x.dep_ == "cc" and verb.i < x.i < c.i}
        if not cue & {"neither", "nor", "so", "as"} or any(
            x.dep_ in {"xcomp", "ccomp", "acomp"} for x in c.children):
            continue
        for x in c.children:
            if x.dep_ in {"nsubj", "dobj", "attr"}:
                # each member that names an actor itself ("..., Spain or *four other members
                # of the EU*" is not the EU)
                for t in [x, *(y for y in x.subtree if y.dep_ == "conj")]:
                    out += [m.actor_id for m in covering(t, ctx.mentions)[:1]
                            if m.start <= t.idx < m.end]
    return out


def possessive(c: Token) -> bool:
    """``Azerbaijan's`` before a noun (parsed ``poss``, or ``nmod`` with a ``'s`` case marker)."""
    return c.dep_ == "poss" or (c.dep_ == "nmod" and any(g.dep_ == "case" for g in c.children))


def controller(node: Token) -> Token | None:
    """The object that controls an infinitive or gerund: "help Azerbaijan to join",
    "stop Azerbaijan from joining"."""
    charge = node.dep_ == "pcomp" and node.head.lower_ == "of" and (
        node.head.head.lemma_.lower() in _CHARGING or (  # "accused the UAE *of arming* X"
            node.head.head.dep_ == "dobj" and node.head.head.head.lemma_.lower() in _CHARGING))
    if charge and node.head.head.dep_ == "dobj":
        return node.head.head  # the parser hung the charge on the accused
    if node.dep_ not in _CONTROL_DEPS or (node.dep_ == "pcomp" and node.head.lower_ != "from"
                                          and not charge):
        return None
    verb = node.head.head if node.head.pos_ == "ADP" else node.head
    if verb.pos_ not in {"VERB", "AUX"} and not charge:  # (the tagger may read "accuses"
        return None  # as a noun: "which Sudan's army *accuses* of arming")
    obj = [c for c in verb.children if c.dep_ == "dobj" and c.i < node.i]
    return obj[0] if obj else None


#: Verbs whose object is charged with the act of their "of" gerund: "accused X *of arming* Y".
_CHARGING = frozenset({"accuse", "suspect", "convict"})


def control_subject(verb: Token, xcomp: Token, ctx: Context) -> list[str]:
    """The actor that controls an infinitive outside the span: the verb's object ("urged
    Armenia to join") or else its subject ("Armenia plans to join")."""
    deps = (
        ("dobj",)
        if any(c.dep_ == "dobj" and c.i < xcomp.i for c in verb.children)
        else ("nsubj", "nsubjpass")
    )
    for c in verb.children:
        if c.dep_ in deps and c.i < xcomp.i:
            hits = covering(c, ctx.mentions)
            return [hits[0].actor_id] if hits else antecedents(c, ctx)
    return []


#: Modifiers of a noun trigger that name an agent other than the clause's subject.
OTHER_AGENTS = frozenset({"third", "foreign", "international", "outside", "external",
                           "western", "outsiders"})


def conjuncts(head: Token) -> list[Token]:
    """``head`` and the members coordinated with it ("X, Y and Z"), in breadth-first order."""
    members, stack = [], [head]
    while stack:
        t = stack.pop(0)
        members.append(t)
        stack.extend(ch for ch in t.children if ch.dep_ == "conj")
    return members


def coordinated(head: Token, ctx: Context) -> list[str]:
    """The actors of a coordinated subject, each member once ("Finland and Sweden applied",
    "Neither Armenia nor Georgia has joined"); empty unless at least two members name one."""
    members = conjuncts(head)
    if len(members) < 2:
        return []
    found: list[str] = []
    for t in members:
        m = next((m for m in ctx.inside if m.start <= t.idx < m.end), None)
        if m is not None and m.actor_id not in found:
            found.append(m.actor_id)
    return found if len(found) >= 2 else []


def included_members(head: Token, ctx: Context) -> list[str]:
    """The members a group subject names: "Several countries, *including Suriname and
    Togo*, have withdrawn ..." (not the group noun's first actor alone)."""
    if any(m.start <= head.idx < m.end for m in ctx.inside):
        return []
    found: list[str] = []
    for t in included(head):
        for member in conjuncts(t):
            m = next((m for m in ctx.inside if m.start <= member.idx < m.end), None)
            if m is not None and m.actor_id not in found:
                found.append(m.actor_id)
    return found


def object_antecedent(it: Token, verb: Token, kinds: set[str], ctx: Context) -> Mention | None:
    """What an object "it" takes up: the subject of one of the two sentences before, in
    the paragraph, that is not the subject of the clause "it" is in ("Kosovo declared
    independence in 2008. Serbia does not recognize *it*": Kosovo)."""
    own = {m.actor_id for s in verb.children if s.dep_ in {"nsubj", "nsubjpass"}
           for m in covering(s, ctx.mentions)}  # fmt: skip
    # first the object of the same verb earlier in the sentence ("No state recognizes
    # *Somaliland*, although Ethiopia promised to recognize it")
    for t in it.sent:
        if t.i >= verb.i:
            break
        if t.lemma_ == verb.lemma_ and t.pos_ == "VERB":
            objs = [m for c in t.children if c.dep_ == "dobj" for m in covering(c, ctx.mentions)
                    if ctx.kind(m) in kinds and m.actor_id not in own]  # fmt: skip
            if objs:
                return objs[0]
    # then an actor the same sentence named before "it", in a clause joined to this one
    # ("Iran has no relations with *Israel* and does not recognize it", "Georgia is not a
    # member of *the CSTO* and has never sought to join it")
    while verb.dep_ == "xcomp" and verb.head.i != verb.i:
        verb = verb.head
    if verb.dep_ == "conj":
        first = verb.head
        first_subjects = [s for s in first.children if s.dep_ in {"nsubj", "nsubjpass"}]
        if any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
            # a clause with a subject of its own takes up the first clause's subject:
            # "*Somaliland* declared independence from Somalia, but no state recognizes it"
            for subj in first_subjects:
                hits = [m for m in covering(subj, ctx.mentions)
                        if ctx.kind(m) in kinds and m.actor_id not in own]  # fmt: skip
                if hits:
                    return hits[0]
        own |= {m.actor_id for s in first_subjects
                for m in covering(s, ctx.mentions)}  # the shared subject is not "it"
        lo = first.left_edge.idx
        near = [m for m in ctx.mentions if lo <= m.start and m.end <= verb.idx
                and ctx.kind(m) in kinds and m.actor_id not in own]  # fmt: skip
        if near:
            return near[-1]
    for prev in sentences_before(it.sent):
        for s in prev.root.children:
            if s.dep_ in {"nsubj", "nsubjpass"}:
                hits = [m for m in covering(s, ctx.mentions)
                        if ctx.kind(m) in kinds and m.actor_id not in own]  # fmt: skip
                if hits:
                    return hits[0]
    return None


def gapped(verb: Token, subject: str, ctx: Context) -> list[tuple[str, tuple[int, int]]]:
    """Subjects of a gapped clause that repeats the verb's with a new actor and date:
    "Finland joined NATO in 2023 *and Sweden in 2024*" -> [("SWE", span of "in 2024")].
    spaCy hangs the new actor on the verb, or on the first date, as a conjunct; it must be
    an actor of the subject's kind followed by a prepositional date phrase."""
    if verb.pos_ != "VERB":
        return []
    kind = next((ctx.kind(m) for m in ctx.mentions if m.actor_id == subject), None)
    out: list[tuple[str, tuple[int, int]]] = []
    for g in verb.subtree:
        if g.dep_ != "conj" or g.pos_ != "PROPN" or g.i <= verb.i:
            continue
        head = g.head
        if not (head.i == verb.i or (head.dep_ == "pobj" and head.head.head.i == verb.i
                                     and head.ent_type_ == "DATE")):
            continue
        nxt = g.doc[g.i + 1] if g.i + 1 < len(g.doc) else None
        while nxt is not None and nxt.i < len(g.doc) - 1 and nxt.ent_iob_ == "I" and nxt.ent_type_ != "DATE":
            nxt = g.doc[nxt.i + 1]  # the rest of a multi-word name
        if nxt is None or nxt.dep_ != "prep" or nxt.head.i not in (verb.i, g.i):
            continue
        dates = [t for t in nxt.subtree if t.ent_type_ == "DATE"]
        m = next((m for m in ctx.mentions if m.start <= g.idx < m.end), None)
        if not dates or m is None or ctx.kind(m) != kind or m.actor_id == subject:
            continue
        out.append((m.actor_id, (nxt.idx, dates[-1].idx + len(dates[-1]))))
    return out


__all__ = [
    "ANAPHOR_KINDS", "LABEL_KINDS", "ORG_KINDS", "OTHER_AGENTS", "Context", "KindOf", "antecedents",
    "conjuncts", "control_subject", "controller", "coordinated", "covering", "elliptic_subjects",
    "gapped", "included_members", "object_antecedent", "overlapping", "possessive",
]
