"""Actor mentions resolved by what else the article names, after the dictionary and NER
pass of ``actors.find_mentions``:

* :func:`resolve_context`: context aliases ("Brussels", "the Alliance") through the actors
  the article names;
* :func:`resolve_bare_agents`: a bare institution ("the Ministry of Defense", "the
  government") takes the state of the last state-with-agent mention in its paragraph, of
  the act it reports, or of the wire dateline (:data:`INSTITUTIONS`);
* :func:`resolve_possessive_agents`: "*Its* chairperson" after a named state or body;
* :func:`resolve_body_anaphors`: "the alliance", "the bloc" take up the organization the
  paragraph, or the one before, named last;
* :func:`resolve_acronyms`: an acronym the article defines or the initials of a resolved
  name ("the Rapid Support Forces (RSF)").
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Mapping

from spacy.tokens import Doc, Token

from ..resolve import Gazetteer, normalize
from .actor_picker import Cand, Picker
from .quotes import misattached_speaker
from .records import STATE_ID, paragraph_start, previous_paragraph_start, text_of
from .segment import dateline_span

#: Agent nouns that name an institution a state has one of. Written bare ("the Ministry of
#: Defense", "the government"), one takes the state of the last state-with-agent mention
#: in its paragraph ("the Azerbaijani Ministry of Foreign Affairs ... the Ministry of
#: Defense" -> ``AZEMIL``). People ("the minister") are left to the claims' coreference.
INSTITUTIONS = frozenset({
    "government", "administration", "cabinet", "presidency", "presidential administration",
    "foreign ministry", "ministry of foreign affairs", "foreign office", "state department",
    "department of state", "defence ministry", "defense ministry", "ministry of defence",
    "ministry of defense", "defence department", "defense department", "general staff",
    "army", "navy", "air force", "armed forces", "military", "military command",
    "parliament", "legislature", "national assembly", "supreme court", "constitutional court",
    "police", "interior ministry", "ministry of internal affairs", "ministry of interior",
    "border service", "security service", "intelligence service", "security council",
    "commerce ministry", "ministry of commerce", "trade ministry", "ministry of trade",
    "finance ministry", "ministry of finance", "economy ministry", "ministry of economy",
    "energy ministry", "ministry of energy", "justice ministry", "ministry of justice",
    "department of foreign affairs", "ministry of external affairs", "external affairs ministry",
    "federal foreign office", "junta", "military junta", "military government",
    "transitional government", "interim government",
})  # fmt: skip

def resolve_context(gazetteer: Gazetteer, picker: Picker, date: str | None, doc: Doc) -> None:
    """Resolve context aliases ("the Alliance", "Brussels").

    When several of a rule's conditions are named in the article, the one named last
    before the alias in its paragraph decides ("CSTO membership ... accession to the
    Alliance" is the CSTO); otherwise the rule's order does (:meth:`ContextRule.resolve`).
    """
    if not any(c is not None and c.rule is not None for c in picker.cands):
        return  # no context alias in this article
    text = text_of(doc)
    named: set[str] = set()
    seen: list[tuple[int, int, set[str]]] = []  # (token, offset, ids it names), in text order
    for cand in sorted((c for c in picker.cands if c is not None and c.actor_id),
                       key=lambda c: c.start):  # fmt: skip
        ids = {cand.actor_id or ""}
        actor = gazetteer.get(cand.actor_id or "")
        if actor is not None:
            _, org, _ = gazetteer.code_for(actor, date)
            ids.update(x for x in (actor.parent, org) if x)
        named |= ids
        seen.append((cand.start, doc[cand.start].idx, ids))
    for idx, c in enumerate(picker.cands):
        if c is None or c.rule is None:
            continue
        target = None
        if sum(cond in named for cond, _ in c.rule.when) > 1:
            results = dict(c.rule.when)
            para = paragraph_start(text, doc[c.start].idx)
            for start, at, ids in reversed(seen):
                if start < c.start and at >= para:
                    hit = next((cond for cond, _ in c.rule.when if cond in ids), None)
                    if hit is not None:
                        target = results[hit]
                        break
        target = target or c.rule.resolve(named)
        if target is None:
            picker.drop(idx)
        else:
            c.actor_id = target


def resolve_bare_agents(
    doc: Doc, gazetteer: Gazetteer, picker: Picker, agent_at: Mapping[int, tuple[int, str]]
) -> None:
    """``the`` + an :data:`INSTITUTIONS` noun that names no state ("the Ministry of
    Defense", not "the ministry of culture" or "the new government") becomes a mention of
    the state whose agent the paragraph named last ("the Azerbaijani Ministry of Foreign
    Affairs"), method ``agent-context``; with no such mention before it in the paragraph,
    nothing. As the subject of a speech verb, it is the ministry of the state that acts in
    the clause it reports (:func:`_reporting_state`), whatever agents that clause names."""
    if not agent_at:
        return
    text = text_of(doc)
    anchors = sorted((c.start, c.actor_id) for c in picker.cands
                     if c is not None and c.method in ("agent", "agent-context") and c.actor_id)
    dateline: str | None = None  # looked up once, when first needed
    named = sorted((c.start, c.actor_id, doc[c.end - 1].lemma_.lower()) for c in picker.cands
                   if c is not None and c.method == "agent" and c.actor_id)
    for s, (e, sector) in sorted(agent_at.items()):
        if normalize(doc[s:e].text) not in INSTITUTIONS or (e < len(doc) and doc[e].lower_ == "of"):
            continue
        # "the Ministry of Defense"; also "two *Interior Ministry* officials said", an
        # institution's spokespeople reporting their state's act (that reading only)
        staff = _staff_noun(doc[s:e].root)
        if s < 1 or (doc[s - 1].lower_ != "the" and not (
                staff is not None and (doc[s - 1].like_num or doc[s - 1].lower_ in ("a", "an")))):
            continue
        # a capitalized name the parser tagged ("the Ministry of Commerce") and nothing
        # resolved is only an unresolved candidate: the institution reading replaces it
        unresolved = {picker.owner[i] for i in range(s - 1, e) if picker.owner[i] >= 0}
        if any(picker.cands[k] is None or picker.cands[k].actor_id is not None  # type: ignore[union-attr]
               or not (s - 1 <= picker.cands[k].start and picker.cands[k].end <= e)  # type: ignore[union-attr]
               for k in unresolved):
            continue
        para = paragraph_start(text, doc[s].idx)
        if (normalize(doc[s:e].text) == "security council" and doc[s].is_title
                and "UNSC" in gazetteer and not any(
                    w == "council" for at, _, w in named if at < s)):
            # "called on *the Security Council* to impose sanctions": the UN's, unless the
            # article named a state's council before
            for k in unresolved:
                picker.drop(k)
            picker.take(Cand(s, e, "UNSC", "dictionary", None, "ORG"))
            continue
        state = _reporting_state(doc, staff or doc[s:e].root, gazetteer, picker)
        if state is None and doc[s - 1].lower_ == "the":
            state = next((actor for at, actor in reversed(anchors)
                          if at < s and doc[at].idx >= para), None)
            if state is None:  # the same institution named with its state earlier in the
                # article: "the Sudanese *army*" ... "the *army*'s main arms suppliers"
                head = doc[e - 1].lemma_.lower()
                state = next((actor for at, actor, word in reversed(named)
                              if at < s and word == head), None)
            if state is None and dateline is None:
                dateline = _dateline_state(doc, picker) or ""
            state = state or dateline or None
        if state is not None:
            for k in unresolved:
                picker.drop(k)
            picker.take(Cand(s, e, state, "agent-context", sector, "DICT"))
            insort(anchors, (s, state))  # one resolved here counts for the next


def _dateline_state(doc: Doc, picker: Picker) -> str | None:
    """The state of the wire dateline that opens one of the article's first lines
    ("BEIJING - ...", "KINGSTOWN, St Vincent - ..."): where the story was filed, whose "the
    foreign ministry" or "the government" a paragraph means when it names no state's agent
    before it. None without a dateline or when its place resolves to no state."""
    span = dateline_span(text_of(doc))
    if span is None:
        return None
    return next((c.actor_id for c in picker.cands if c is not None and c.actor_id
                 and STATE_ID.fullmatch(c.actor_id)
                 and span[0] <= doc[c.start].idx < span[1]), None)


_SAYS = frozenset({"say", "announce", "state", "report", "confirm", "add", "tell", "note"})
#: People who speak for an institution: "two Interior Ministry *officials* said".
_STAFF = frozenset({"official", "spokesman", "spokeswoman", "spokesperson", "source",
                    "representative", "officer"})


def _staff_noun(root: Token) -> Token | None:
    """The spokesperson noun an institution's name modifies ("Interior Ministry
    *officials*"), else None."""
    head = root.head
    if root.dep_ == "compound" and head.i == root.i + 1 and head.lemma_.lower() in _STAFF:
        return head
    return None


def _reporting_state(doc: Doc, noun: Token, gazetteer: Gazetteer, picker: Picker) -> str | None:
    """The state whose act a bare institution reports: "Estonia expelled a Russian
    diplomat ..., *the foreign ministry* said" is Estonia's ministry, whatever agents the
    clause names after its subject. None unless the institution is the subject of a
    speech verb whose reported clause has a state as its subject."""
    verb = noun.head
    after = noun.doc[noun.right_edge.i + 1] if noun.right_edge.i + 1 < len(noun.doc) else None
    if after is not None and noun.dep_ != "nsubj" and after.lemma_.lower() in _SAYS:
        # "..., the Department of Foreign Affairs said": the parser hung the speaker inside
        # the clause it reports (quotes.misattached_speaker)
        speaker = misattached_speaker(after)
        if speaker is not None and speaker.i == noun.i:
            verb = after
    if (noun.dep_ != "nsubj" and verb.i == noun.head.i) or verb.lemma_.lower() not in _SAYS:
        return None
    clauses = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis")]
    if verb.dep_ in ("parataxis", "ccomp") and verb.head.i < verb.i:
        clauses.append(verb.head)
    for clause in clauses:
        for subj in (c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")):
            owner = picker.owner[subj.i]
            cand = picker.cands[owner] if owner >= 0 else None
            actor = gazetteer.get(cand.actor_id) if cand is not None and cand.actor_id else None
            if actor is not None and actor.kind == "state":
                return actor.id
    return None


#: Nouns that take up an organization named before: "*the alliance's* spokeswoman".
_BODY_NOUNS = frozenset({"alliance", "bloc", "organization", "organisation", "union", "agency",
                         "body", "commission", "mission", "court", "council", "community"})


def resolve_possessive_agents(
    doc: Doc, gazetteer: Gazetteer, picker: Picker, agent_at: Mapping[int, tuple[int, str]]
) -> None:
    """``its`` + an agent noun as a subject ("The African Union welcomed the talks. *Its
    chairperson*, ...", "Eritrea did not comment. *Its information minister* ...") becomes
    a mention of the state or organization the paragraph last named as a grammatical
    subject before it (else the last one it named), method ``agent-context``, with the
    noun's sector; "the alliance's" / "the bloc's" ... + an agent noun ("*The alliance's
    spokeswoman* said") one of the organization the paragraph (or the one before) last
    named. People, places and unresolved names are never the antecedent; with none,
    nothing."""
    if not agent_at:
        return
    text = text_of(doc)
    for s, (e, sector) in sorted(agent_at.items()):
        head = doc[e - 1]
        poss = next((c for c in head.children if c.dep_ == "poss" and c.i < s), None)
        if poss is None or head.dep_ not in ("nsubj", "nsubjpass"):
            continue  # a subject: "its troops" as an object is the subject's own
        kinds: tuple[str, ...]
        if poss.lower_ == "its":
            begin, kinds, para = poss.i + 1, ("state", "igo"), paragraph_start(text, poss.idx)
        elif poss.lemma_.lower() in _BODY_NOUNS and any(
                d.dep_ == "det" and d.lower_ == "the" for d in poss.children):
            begin, kinds = poss.left_edge.i, ("igo", "mission", "programme")
            here = paragraph_start(text, poss.idx)
            para = previous_paragraph_start(text, here)
        else:
            continue
        if not picker.free(begin, e):
            continue
        subject = last = None
        for c in picker.cands:
            if c is None or c.start >= poss.i or not c.actor_id or doc[c.start].idx < para:
                continue
            actor = gazetteer.get(c.actor_id)
            if actor is None or actor.kind not in kinds or c.method in ("place", "demonym"):
                continue
            last = c
            if doc[c.start : c.end].root.dep_ in ("nsubj", "nsubjpass"):
                subject = c
        found = subject or last
        if found is not None:
            picker.take(Cand(begin, e, found.actor_id, "agent-context", sector, "DICT"))


#: Nouns that, as "the <noun>", take up the organization named last: "asked *the
#: alliance* for a roadmap", "does not take part in *the bloc*'s activities".
_ANAPHOR_NOUNS = {"alliance": "igo", "bloc": "igo", "organization": "igo", "organisation": "igo",
                  "grouping": "igo", "group": "group", "militia": "group", "movement": "group",
                  "mission": "mission"}  # "KFOR soldiers were wounded, *the mission* said"


def resolve_body_anaphors(doc: Doc, gazetteer: Gazetteer, picker: Picker) -> None:
    """"The alliance", "the bloc", "the organization" (the noun with only "the" and
    adjectives before it, nothing after it but a possessive) become a mention of the
    intergovernmental organization the paragraph, or the one before, named last (method
    ``anaphor``); "the group", "the militia", "the movement" one of the armed or political
    group named last, "the mission" the mission named last; with none, nothing. "The alliance's spokeswoman" is left to
    :func:`resolve_possessive_agents`."""
    text = text_of(doc)
    for tok in doc:
        kind = _ANAPHOR_NOUNS.get(tok.lemma_.lower())
        if kind is None or tok.tag_ != "NN":
            continue
        left = list(tok.lefts)
        if not left or left[0].lower_ != "the" or left[0].dep_ != "det" or any(
            t.dep_ not in ("det", "amod", "advmod", "punct") for t in left
        ) or any(t.dep_ in ("prep", "acl", "relcl", "appos") for t in tok.rights):
            continue
        begin = left[0].i
        if not picker.free(begin, tok.i + 1):
            continue
        here = paragraph_start(text, tok.idx)
        para = previous_paragraph_start(text, here)
        last = None
        for c in picker.cands:
            if c is None or c.start >= begin or not c.actor_id or doc[c.start].idx < para:
                continue
            actor = gazetteer.get(c.actor_id)
            if actor is not None and actor.kind == kind and c.method != "anaphor":
                last = c if last is None or c.start > last.start else last
        if last is not None:
            picker.take(Cand(begin, tok.i + 1, last.actor_id, "anaphor", None, "DICT"))


#: Words a name's initials leave out: "Organization *for* Security *and* Co-operation *in* Europe".
_ACRONYM_SKIP = frozenset({"the", "of", "for", "and", "in", "on", "&"})


def resolve_acronyms(doc: Doc, picker: Picker) -> None:
    """An acronym the article defines in parentheses after a name ("the paramilitary Rapid
    Support Forces (RSF)"), or the initials of a name the dictionary resolved in the article
    ("the Rapid Support Forces ... arming the *RSF*"), names that actor wherever it stands
    alone in the article, where the dictionary does not know it: a mention of the same actor
    (or of the same unresolved name), method ``acronym``. A dictionary reading of the
    acronym is never overridden."""
    defs: dict[str, Cand] = {}
    n = len(doc)
    for c in picker.cands:
        if c is None or c.method == "ignore" or not (c.actor_id or c.name):
            continue
        j = c.end
        if j + 2 < n and doc[j].text == "(" and doc[j + 2].text == ")":
            acr = doc[j + 1].text
            if 2 <= len(acr) <= 8 and acr.isupper() and acr.isalpha() and acr not in defs:
                defs[acr] = c
    for c in picker.cands:  # the initials of a resolved name: "Rapid Support Forces" ... "RSF"
        if c is None or not c.actor_id or c.method == "ignore" or c.end - c.start < 2:
            continue
        words = [t.text for t in doc[c.start : c.end] if t.lower_ not in _ACRONYM_SKIP]
        if len(words) >= 2 and all(w[:1].isupper() for w in words):
            defs.setdefault("".join(w[0] for w in words), c)
    if not defs:
        return
    for i in range(n):
        c_def = defs.get(doc[i].text)
        if c_def is None or c_def.start <= i < c_def.end:
            continue
        owner = picker.owner[i]
        if owner >= 0:
            other = picker.cands[owner]
            if other is None or other.actor_id is not None or (other.start, other.end) != (i, i + 1):
                continue  # a longer name, or the dictionary's own reading
            picker.drop(owner)
        name = c_def.name or doc[c_def.start : c_def.end].text
        picker.take(Cand(i, i + 1, c_def.actor_id, "acronym", c_def.sector, c_def.label,
                          name=name))
