"""Contradictions: same-subject claims that cannot both hold at overlapping times.

Only factual claim facts (modality ``asserted`` or ``reported``) take part, except that
two ``future`` claims (a stated plan, intention or forecast: "Finland intends to host
nuclear weapons" against "Finland does not intend to") contradict by ``polarity``. Two facts
*overlap in time* when either is undated or their reported date ranges, widened by
``window`` days, intersect. Kinds:

``polarity``       the same (subject, predicate, object), one affirmed and one negated;
                   both factual, or both future; with no object only for predicates that
                   do not declare ``contradict_needs_object`` (``mediates`` does)
``opposite``       predicates declared ``opposite`` in predicates.toml (supports vs opposes),
                   same subject and object, both affirmed
``non-alignment``  membership of (or seeking membership of) a military bloc of
                   ``[blocs] military`` (NATO, CSTO) against non-alignment: the
                   ``non_aligned`` predicate, or ``member_of`` a ``[blocs] non_aligned``
                   group (NAM)
``exclusive``      an exclusive claim (see :func:`exclusive_sets`) against an affirmed
                   claim naming an actor outside its exhaustive list; or two claims that
                   give one place to different actors ("China is Kazakhstan's largest
                   trading partner" vs "the EU is Kazakhstan's largest trading partner";
                   also "main arms supplier")
``event``          the same coded event (type, source actors, a target or place in common) reported as done
                   by one article and as not done by another ("Kenya has withdrawn its
                   police from Haiti" vs "Kenya has not withdrawn its police"), both
                   factual, their dates within ``event_window`` days; never within one
                   article (a report that sets a denial beside a charge is not
                   inconsistent), nor between two sentences already opposed as claims
``value``          the same fact told with values that exclude each other (see
                   :mod:`.values`): a relation that starts once with two different start
                   years ("joined the PfP in 1994" vs "in 1999"), or reports of one
                   occasion whose dates differ only in the year; not limited to ``window``

A pair whose only shared article has both claims in the same sentence is skipped (a
sentence that names both alternatives, "to attend or not attend", asserts neither). A
pair with claims from one article in different sentences is a *self-contradiction*.
Candidates are found by lookups keyed on the subject, so the cost grows with the number
of facts per subject, not with the square of all facts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import record_id
from ..resolve import UNKNOWN_CODE  # an unresolved actor names no one: it matches nothing
from .inputs import Record, Vocabulary
from .merge import Fact
from .values import event_date_conflicts, start_conflicts

_ONLY = re.compile(r"\b(?:the\s+)?(?:only|sole|solely|exclusively)\b", re.IGNORECASE)
_NOT_EXCLUSIVE_AFTER = re.compile(
    r"\s*(?:if|when|after|before|once|because|recently|just|now|then|partly|partially|a few|"
    r"a handful|one of|slightly|marginally)\b",
    re.IGNORECASE,
)
_BLOC_PREDICATES = ("member_of", "seeks_membership")
#: Days between the report dates of an event told as done and as not done for the two to
#: contradict (reports of one act come close together; a month apart may be a new act).
EVENT_WINDOW = 31
# A subject list is exhaustive only when the cue qualifies the list's own noun: "the only
# (three) countries / suppliers / allies", not "the only hope", "only two Democrats" or
# "only four points".
_NUMBER = frozenset(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"])
LIST_NOUNS = frozenset([
    "country", "countries", "state", "states", "nation", "nations", "government",
    "governments", "power", "powers", "supplier", "suppliers", "provider", "providers",
    "source", "sources", "exporter", "exporters", "importer", "importers", "buyer", "buyers",
    "customer", "customers", "partner", "partners", "member", "members", "ally", "allies",
    "donor", "donors", "backer", "backers", "sponsor", "sponsors", "contributor",
    "contributors", "investor", "investors", "creditor", "creditors", "lender", "lenders",
    "guarantor", "guarantors", "mediator", "mediators", "signatory", "signatories",
    "participant", "participants", "neighbour", "neighbours", "neighbor", "neighbors",
])


def _lists_actors(after: str) -> bool:
    """The words after an "only" cue name a list of actors: an optional number, then a
    :data:`LIST_NOUNS` noun as the first or second word ("three suppliers", "foreign
    suppliers", "sole supplier")."""
    raw = after.split()[:8]
    words = [w.strip(",.;:()\"'").lower() for w in raw[:4]]
    words = [w for w in words if w and not w.isdigit() and w not in _NUMBER]
    noun = next((w for w in words[:2] if w in LIST_NOUNS), None)
    if noun is None:
        return False
    if noun in _GENERIC:  # "the only countries *that sell* weapons": the clause is the claim
        return True
    # a relation noun ("member", "supplier") a clause restricts is no complete list of
    # that relation: "the only NATO member *that has not ratified* ...", "the only
    # supplier *to have* delivered drones"
    at = next(i for i, w in enumerate(raw) if w.strip(",.;:()\"'").lower() == noun)
    rest = [w.strip(",.;:()\"'") for w in raw[at + 1:at + 3]]
    if rest and raw[at][-1] not in ",.;:":
        if rest[0].lower() in _RESTRICTING:
            return False
        if rest[0].lower() == "to" and len(rest) > 1 and rest[1][:1].islower() and (
            rest[1].lower() not in {"the", "a", "an", "its", "their"}
        ):
            return False
    return True


#: List nouns that name no relation themselves: a clause after them states the claim.
_GENERIC = frozenset(["country", "countries", "state", "states", "nation", "nations",
                      "government", "governments", "power", "powers"])
#: Words that open a clause restricting a list noun ("the only member *that* ...").
_RESTRICTING = frozenset(["that", "which", "who", "whose", "where", "not", "yet", "still", "left",
                          "ever", "never", "besides", "apart", "except", "other"])


@dataclass
class Contradiction:
    """Two facts that cannot both hold, with the claims shown for each side."""

    id: str
    kind: str
    subject: str
    reason: str
    fact_a: Fact
    fact_b: Fact
    claim_a: Record
    claim_b: Record
    self_articles: list[str] = field(default_factory=list)

    @property
    def is_self(self) -> bool:
        return bool(self.self_articles)


@dataclass
class ExclusiveSet:
    """A claim that declares its list exhaustive ("the only three suppliers ...").

    ``side`` is ``"subject"`` when the subjects are the complete list for
    (predicate, ``fixed`` object), ``"object"`` when the objects are the complete list for
    (``fixed`` subject, predicate). ``members`` are the listed actors.
    """

    record: Record
    predicate: str
    side: str
    fixed: str
    members: frozenset[str]
    cue: tuple[int, int]


def exclusive_sets(
    claims: Sequence[Record], mentions: dict[str, list[dict[str, Any]]], text: dict[str, str]
) -> list[ExclusiveSet]:
    """Exclusive claims: affirmed, factual claims whose span has an "only"-type cue.

    The listed actors are the claims' own subjects (or objects) in the same span plus the
    resolved actor mentions on the listed side of the cue: before it for a subject list
    ("A, B and C are the only suppliers of arms to D"), after it for an object list ("A
    sells arms only to B and C"; chosen when an object mention follows the cue within four
    words). A subject list needs the cue on a noun of :data:`LIST_NOUNS` ("the only
    (three) countries", "the sole supplier"). "not only", "one of only", "only
    if/when/after..." are not exclusive.
    """
    groups: dict[tuple[str, int, int, str], list[Record]] = defaultdict(list)
    for c in claims:
        if c.kind == "claim" and c.polarity == "affirmed" and c.factual and c.subject and c.object:
            groups[(c.article_id, c.start, c.end, c.predicate or "")].append(c)
    out: list[ExclusiveSet] = []
    for (aid, start, end, pred), recs in sorted(groups.items()):
        body = text.get(aid, "")[start:end]
        cue = next((m for m in _ONLY.finditer(body) if _is_exclusive(body, m)), None)
        if cue is None:
            continue
        at = (start + cue.start(), start + cue.end())
        inside = [m for m in mentions.get(aid, []) if start <= m["start_char"] and m["end_char"] <= end]
        objects: set[str] = {r.object for r in recs if r.object}
        after = [m for m in inside if m["start_char"] >= at[1]]
        gap = text.get(aid, "")[at[1]:after[0]["start_char"]].split() if after else []
        lists = _lists_actors(body[cue.end():])  # "the sole supplier of arms to B": subjects
        if (after and after[0]["actor_id"] in objects and len(gap) <= 4 and not lists
                and len({r.subject for r in recs}) == 1):
            members = objects | {str(m["actor_id"]) for m in after}
            out.append(ExclusiveSet(recs[0], pred, "object", recs[0].subject or "", frozenset(members), at))
            continue
        if not lists:
            continue  # "the only hope", "only two Democrats": no list of actors
        for obj in sorted(objects):
            listed = {r.subject for r in recs if r.object == obj and r.subject}
            listed |= {m["actor_id"] for m in inside if m["end_char"] <= at[0] and m["actor_id"] != obj}
            rec = next(r for r in recs if r.object == obj)
            out.append(ExclusiveSet(rec, pred, "subject", obj, frozenset(listed), at))
    return out


def _is_exclusive(body: str, m: re.Match[str]) -> bool:
    before = body[: m.start()].rstrip().lower()
    if before.endswith(("not", "if", "one of")):
        return False
    return not _NOT_EXCLUSIVE_AFTER.match(body[m.end():])


def find_contradictions(
    facts: Sequence[Fact],
    vocab: Vocabulary,
    *,
    window: int = 365,
    exclusives: Sequence[ExclusiveSet] = (),
    event_window: int = EVENT_WINDOW,
    similar: Callable[[list[tuple[Record, Record]]], list[bool]] | None = None,
) -> list[Contradiction]:
    """Every contradiction among the claim and event facts (see the module doc), sorted by
    id. ``similar`` tells, for pairs of event reports, whether their sentences tell of the
    same act (reconcile passes the merge similarity at its event threshold); without it,
    event pairs are not checked for it."""
    claims = [f for f in facts if f.kind == "claim" and f.factual and f.subject and f.predicate]
    plans = [f for f in facts if f.kind == "claim" and f.modality == "future" and f.subject
             and f.predicate]  # fmt: skip
    by_triple: dict[tuple[Any, ...], list[Fact]] = defaultdict(list)
    by_subject: dict[str, list[Fact]] = defaultdict(list)
    def triple(f: Fact, predicate: str | None, polarity: str,
               modality: str = "asserted") -> tuple[Any, ...]:  # fmt: skip
        s, o = f.subject, f.object
        if predicate in vocab.symmetric and s and o and o < s:
            s, o = o, s
        return (s, predicate, o, polarity, modality)

    for f in [*claims, *plans]:
        by_triple[triple(f, f.predicate, f.polarity, f.modality)].append(f)
    for f in claims:
        by_subject[f.subject or ""].append(f)
    found: dict[str, Contradiction] = {}

    def add(kind: str, a: Fact, b: Fact, reason: str,
            pick: tuple[Record, Record] | None = None) -> None:  # fmt: skip
        if a is b or (pick is None and not a.overlaps(b, window)):
            return
        for c in _build(kind, a, b, reason, pick):
            found.setdefault(c.id, c)

    for f in [*claims, *plans]:
        if f.polarity == "affirmed" and not (f.object is None and f.predicate in vocab.needs_object):
            note = " (both future: plans or forecasts)" if f.modality == "future" else ""
            for g in by_triple.get(triple(f, f.predicate, "negated", f.modality), []):
                add("polarity", f, g, f"{_says(f)} vs {_says(g)}{note}")
        if not f.factual:
            continue  # a plan contradicts only the opposite plan
        if f.polarity == "affirmed":
            opp = vocab.opposite.get(f.predicate or "")
            if opp and opp > (f.predicate or ""):
                for g in by_triple.get(triple(f, opp, "affirmed"), []):
                    add("opposite", f, g, f"{_says(f)} vs {_says(g)} (opposite predicates)")
        if _in_bloc(f, vocab):
            for g in by_subject[f.subject or ""]:
                if _non_aligned(g, vocab):
                    add("non-alignment", f, g,
                        f"{_says(f)} vs {_says(g)} (bloc membership against non-alignment)")
    by_pred: dict[tuple[str, str | None], list[Fact]] = defaultdict(list)
    for f in claims:
        if f.polarity == "affirmed":
            by_pred[(f.predicate or "", f.object)].append(f)
            by_pred[(f.predicate or "", "subject:" + (f.subject or ""))].append(f)
    owner = {m.record.id: f for f in claims for m in f.members}
    for ex in exclusives:
        fa = owner.get(ex.record.id)
        if fa is None:
            continue
        key = (ex.predicate, ex.fixed) if ex.side == "subject" else (ex.predicate, "subject:" + ex.fixed)
        for g in by_pred.get(key, []):
            other = g.subject if ex.side == "subject" else g.object
            if other and other not in ex.members and not any(m.record.id == ex.record.id for m in g.members):
                listed = ", ".join(sorted(ex.members))
                add("exclusive", fa, g,
                    f"{ex.fixed} {ex.predicate}: only {listed} (exhaustive list) vs {_says(g)}")
    for (_, holder, role), group in _superlatives(claims).items():  # "China / the EU is
        for i, f in enumerate(group):  # Kazakhstan's largest trading partner"
            for g in group[i + 1:]:
                if f.subject != g.subject:
                    add("exclusive", f, g, f"{role} of {holder}: {f.subject} vs {g.subject} "
                        "(only one holds that place)")
    # an event pair whose sentences already oppose each other as claims ("is seeking NATO
    # membership" vs "is not seeking ...": seeks_membership and REQUEST) is told once
    told = {frozenset({(c.claim_a.article_id, c.claim_a.sentence),
                       (c.claim_b.article_id, c.claim_b.sentence)}) for c in found.values()}
    for f, g in event_pairs(facts, event_window, similar):
        if any(frozenset({(x.record.article_id, x.record.sentence),
                          (y.record.article_id, y.record.sentence)}) in told
               for x in f.members for y in g.members):
            continue
        add("event", f, g, f"{_says(f)} vs {_says(g)} (the same event reported as done and as"
            " not done)")
    for v in [*start_conflicts(claims, vocab), *event_date_conflicts(facts)]:
        add("value", v.fact_a, v.fact_b, v.reason, (v.record_a, v.record_b))
    return sorted(found.values(), key=lambda c: c.id)


#: "Kazakhstan's *largest trading partner*", "Russia's *main arms supplier*": a role only one
#: actor can hold at a time for the possessor.
_SUPERLATIVE = re.compile(
    r"\b(?:largest|biggest|top|main|leading|principal|chief|primary|No\.\s?1|number one)\s+"
    r"(?:(?P<trade>trad(?:e|ing)\s+partner)|(?P<arms>(?:arms|weapons)\s+supplier|supplier\s+of"
    r"\s+(?:arms|weapons)))\b", re.IGNORECASE)
#: The role each superlative names, and the predicate whose claims state it.
_SUPERLATIVE_ROLES = {"trade": ("trade_partner_of", "largest trading partner"),
                      "arms": ("supplies_arms_to", "main arms supplier")}


def _superlatives(claims: Sequence[Fact]) -> dict[tuple[str, str, str], list[Fact]]:
    """Affirmed, factual claim facts that say their subject is the object's largest
    partner of a kind, grouped by (predicate, object, role): two different subjects in one
    group cannot both hold."""
    out: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for f in claims:
        if f.polarity != "affirmed" or not f.object or not f.subject:
            continue
        for m in f.members:
            hit = _SUPERLATIVE.search(m.record.text)
            kind = next((k for k, v in (hit.groupdict() if hit else {}).items() if v), None)
            predicate, role = _SUPERLATIVE_ROLES.get(kind or "", ("", ""))
            if predicate and predicate == f.predicate:
                out[(predicate, f.object, role)].append(f)
                break
    return out


def _acted_on(f: Fact) -> set[str]:
    """An event fact's resolved targets and the country it happened in: "withdrew its police
    from the mission in Haiti" and "has not withdrawn its police from Haiti" act on Haiti."""
    rec = f.rep
    found = {*rec.extra.get("targets", ()), *([rec.extra["location"]] if rec.extra.get("location") else [])}
    return {c for c in found if c and c != UNKNOWN_CODE}


def event_pairs(
    facts: Sequence[Fact], window: int,
    similar: Callable[[list[tuple[Record, Record]]], list[bool]] | None,
) -> list[tuple[Fact, Fact]]:  # fmt: skip
    """(done, not done) pairs of factual event facts: same type, the same resolved source
    actors, a resolved target or place in common other than those sources (not "USA
    SUPPORT USA", a domestic endorsement), no shared article, both dated, dates within
    ``window`` days, and (with ``similar``) sentences that tell of the same act."""
    events: dict[tuple[Any, ...], list[Fact]] = defaultdict(list)
    for f in facts:
        sources = f.rep.extra.get("sources", ())
        if (f.kind == "event" and f.factual and f.predicate and sources
                and UNKNOWN_CODE not in sources and _acted_on(f)):
            events[(f.subject, f.predicate, f.polarity)].append(f)
    pairs = [(f, g) for (s, p, polarity), done in events.items() if polarity == "affirmed"
             for f in done for g in events.get((s, p, "negated"), [])
             if (_acted_on(f) & _acted_on(g)) - set(f.rep.extra.get("sources", ()))
             and not (f.articles & g.articles)
             and f.first is not None and g.first is not None and f.overlaps(g, window)]
    if similar is None or not pairs:
        return pairs
    keep = similar([(f.rep, g.rep) for f, g in pairs])
    return [pair for pair, ok in zip(pairs, keep) if ok]


def _says(f: Fact) -> str:
    neg = "not " if f.polarity == "negated" else ""
    obj = f" {f.object}" if f.object else ""
    return f"{f.subject} {neg}{f.predicate}{obj}"


def _in_bloc(f: Fact, vocab: Vocabulary) -> bool:
    return f.polarity == "affirmed" and f.predicate in _BLOC_PREDICATES and f.object in vocab.military_blocs


def _non_aligned(f: Fact, vocab: Vocabulary) -> bool:
    return f.polarity == "affirmed" and (
        f.predicate == "non_aligned"
        or (f.predicate == "member_of" and f.object in vocab.non_aligned_groups)
    )


def _build(kind: str, a: Fact, b: Fact, reason: str,
           chosen: tuple[Record, Record] | None = None) -> list[Contradiction]:  # fmt: skip
    """The contradictions two facts make, with the claims shown for each side (``chosen``
    when given): one between sources when the facts come from different articles, and
    one more within an article when both facts hold claims of it in different sentences
    (an outlet that contradicts itself, and another that contradicts it, are both told);
    none for a same-sentence-only pair."""
    cid = record_id("contradiction", kind, *sorted((a.id, b.id)))
    if chosen is not None:
        x, y = chosen
        if x.article_id == y.article_id and x.sentence == y.sentence:
            return []
        own = [x.article_id] if x.article_id == y.article_id else []
        return [Contradiction(cid, kind, a.subject or "", reason, a, b, x, y, own)]
    shared = sorted(a.articles & b.articles)
    self_articles: list[str] = []
    pick: tuple[Record, Record] | None = None
    for aid in shared:
        ra = [m.record for m in a.members if m.record.article_id == aid]
        rb = [m.record for m in b.members if m.record.article_id == aid]
        pairs = [(x, y) for x in ra for y in rb if x.sentence != y.sentence]
        if pairs:
            self_articles.append(aid)
            pick = pick or pairs[0]
    cross = next(((x.record, y.record) for x in a.members for y in b.members
                  if x.record.article_id != y.record.article_id), None)  # fmt: skip
    out: list[Contradiction] = []
    if cross is not None:
        out.append(Contradiction(cid, kind, a.subject or "", reason, a, b, cross[0], cross[1]))
    if pick is not None:
        sid = record_id("contradiction", kind, *sorted((a.id, b.id)), "self") if out else cid
        out.append(Contradiction(sid, kind, a.subject or "", reason, a, b, pick[0], pick[1], self_articles))
    return out


__all__ = ["Contradiction", "ExclusiveSet", "event_pairs", "exclusive_sets", "find_contradictions"]
