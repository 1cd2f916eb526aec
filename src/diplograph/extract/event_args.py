"""Arguments of PLOVER event candidates, read off the dependency parse.

Split from ``event_rules.py`` (which finds the triggers); which actors a noun phrase names
is ``event_refs.py``, the candidates' modality ``event_modality.py``:

* :func:`arguments`: subjects and ``by`` agents are sources; objects, passive subjects
  and the objects of ``with/to/against/on...`` are targets; ``in/at`` places give the
  location;
* :func:`sector_code`: an actor named through a role or agent noun ("Algerian security
  forces", "Serbian labour minister", "the government of Nepal") gets the CAMEO sector of
  that noun appended to a bare country code (``DZA`` -> ``DZAMIL``).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ..model import Mention
from .canonical import builtin_kind
from .event_refs import (
    THIRD_PARTY,
    accompanying,
    agent_of,
    best_mention,
    companions,
    pair_noun,
    phrase_actors,
    prep_objects,
)
from .event_rules import (
    _AMOUNTS,
    CONTRAST_MARKS,
    PLACE_PREPS,
    PRONOUNS,
    TARGET_PREPS,
    Candidate,
    Lexicon,
    MentionIndex,
    _lemma,
    clause_head,
)
from .polarity import (
    DENYING_CUES,
    INTENT_NOUNS,
    NEGATING_NOUNS,
    infinitive_noun,
)
from .records import (
    CONCLUDING_VERBS,
    RELATIVE_PRONOUNS,
    STATE_ID,
    governing_preposition,
    semicolon_before,
    text_of,
    titled_name,
)

#: Verbs that only carry a noun of intent: "*made* an attempt to", "*announced* a decision to".
_LIGHT_VERBS = frozenset({"make", "take", "announce", "launch", "begin", "start", "continue",
                          "step", "renew", "reaffirm", "confirm", "pursue", "mount", "have"})
#: Verbs whose subject undergoes, observes or classifies the act their object names, and
#: does not do it: "*suffered* an attack", "the treaty *covers* attacks on its vessels".
_UNDERGOERS = frozenset({"suffer", "face", "survive", "endure", "withstand", "experience",
                         "witness", "fear", "cover", "include", "involve", "document",
                         "investigate", "probe", "report", "record", "blame", "monitor",
                         "observe", "oversee", "verify"})  # "send observers to *monitor* the ceasefire"
#: Marks of an adverbial clause that tells another act, before, after or beside this one.
_TIME_MARKS = frozenset({"after", "before", "when", "since", "as", "because", "once", "until",
                         "whenever"})
#: Verbs whose subject joins the act their object names, as a co-actor: "North Korean
#: troops *join* Russian offensive", "*took part in* the attack".
_JOINERS = frozenset({"join", "participate", "take", "lead", "support", "back", "help",
                      "assist"})
#: Verbs whose subject receives the act their object names: "*received* aid from X".
_RECIPIENTS = frozenset({"receive", "get", "obtain", "accept", "secure"})
#: Verbs of charging someone, whose "of", "for" or "with" phrase is the charge: "accused X
#: *of trying to buy votes in a referendum on joining the EU*" (X is accused, not the EU).
_CHARGING = frozenset({"accuse", "blame", "charge", "suspect", "indict", "convict"})


def charge_phrases(tok: Token) -> list[Token]:
    """The charge of a charging verb with an object: its "of"/"for"/"with" phrases; the
    actors named in it are no targets of the accusation. Empty for any other verb."""
    objs = [ch for ch in tok.children if ch.dep_ == "dobj"]
    if _lemma(tok) not in _CHARGING or not objs:
        return []
    # the parser may hang a gerund charge on the object ("accused groups *of trying* ...");
    # an object's "of" + noun stays its owner ("the leaders *of Russia*")
    return [ch for ch in tok.children if ch.dep_ == "prep" and ch.lower_ in ("of", "for", "with")] + [
        ch for o in objs for ch in o.children if ch.dep_ == "prep" and ch.i > o.i and (
            ch.lower_ in ("for", "with") or any(g.dep_ == "pcomp" for g in ch.children))]


#: Nouns of an act whose "of" names who does it: "the withdrawal *of* Russian troops", "the
#: visit *of* the president to Baku" (of most others, it names whom: "the release of X").
_AGENT_OF = frozenset({"withdrawal", "pullout", "retreat", "departure", "exit", "visit",
                       "arrival", "trip", "surrender", "resignation", "participation",
                       "involvement", "presence"})  # "with the *participation of* the EU"


def _is_state(actor_id: str) -> bool:
    """A state's id is ISO3 (built-in or a user's, e.g. a fictional "RUR"); IGOs,
    programmes, missions and people have other ids, or ISO3-like ones the built-in
    dictionary knows with another kind (PFP)."""
    return bool(STATE_ID.fullmatch(actor_id)) and builtin_kind(actor_id) in (None, "state")


def _headline_partner(subj: Token, idx: MentionIndex) -> list[Mention]:
    """The first of two subjects a headline joins with a comma ("*India*, China reach deal",
    "*Armenia*, Azerbaijan agree treaty text"): the parser hangs it on the verb or the
    second name. Only on a headline line (no final full stop)."""
    first: Token | None = None
    if subj.i >= 2 and subj.nbor(-1).text == "," and subj.nbor(-2).dep_ in (
            "npadvmod", "nmod", "dep", "compound") and subj.nbor(-2).head.i in (subj.i, subj.head.i):
        first = subj.nbor(-2)
    elif subj.i + 2 < len(subj.doc) and subj.nbor(1).text == "," and subj.nbor(2).dep_ == "appos" and (
            subj.nbor(2).head.i == subj.i and subj.nbor(2).pos_ == "PROPN"):
        first = subj.nbor(2)  # "Ruritania, *Freedonia* agree ...": read as an apposition
    if first is None:
        return []
    if not _on_headline(subj):
        return []
    m = best_mention(first, idx)
    return [m] if m is not None else []


# ----------------------------------------------------------------------------- arguments


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
    if governing_preposition(doc, m.start, m.end) in ("at", "during", "within", "inside"):
        return True
    # a city that names the occasion: "swap prisoners *at Istanbul talks*"
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    if root.dep_ in ("amod", "compound", "nmod") and root.head.lemma_.lower() == "time":
        return True  # a clock, not a party: "from 5 p.m. *Indian* time", "Moscow time"
    if m.method not in ("metonym", "place"):
        return False
    return (root.dep_ == "compound" and root.head.dep_ == "pobj" and root.head.head.lower_ in (
        "at", "during") and root.head.lemma_.lower() in _OCCASIONS)


#: Nouns of occasions a city may name: "at *Istanbul* talks", "during the *Vilnius* summit".
_OCCASIONS = frozenset({"talk", "talks", "summit", "meeting", "conference", "negotiation",
                        "forum", "round", "session", "ceremony", "visit"})




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
    t = _main_clause_twin(tok) or tok
    raised = False  # climbed from an infinitive: "X *is expected* to hold talks"
    for _ in range(6):
        passive = any(ch.dep_ == "auxpass" for ch in t.children)
        if raised:  # the passive is the raising verb's; the act is the infinitive's own
            passive = any(ch.dep_ == "auxpass" for ch in tok.children)
        for ch in t.children:
            if (ch.dep_ == "nsubj" and ch.lower_ in ("that", "who") and t.dep_ == "ccomp"
                    and t.head.lemma_.lower() == "be" and any(
                        g.dep_ == "nsubj" and g.lower_ == "it" for g in t.head.children)):
                # a cleft: "it was *Chisinau* that refused to pay"
                focus = next((g for g in t.head.children if g.dep_ == "attr"), None)
                if focus is not None:
                    return focus, False
            if (ch.dep_ in ("nsubj", "nsubjpass") and t.dep_ == "relcl" and ch.lower_ in RELATIVE_PRONOUNS
                    and _names_actor(t.head)):
                # "Iran, *which* arms the Houthis, ...": the actor the clause is about (not
                # "a resolution that aims to tighten sanctions")
                return t.head, ch.dep_ == "nsubjpass" and passive
            if ch.dep_ == "nsubj" or (ch.dep_ == "nsubjpass" and not passive):
                return ch, False
            if ch.dep_ == "nsubjpass":
                return ch, True
        held = infinitive_noun(t)
        if held is not None and held.lemma_.lower() not in INTENT_NOUNS | NEGATING_NOUNS:
            held = None
        if (held is None or held is t.head) and t.dep_ in (
                "xcomp", "conj", "acomp", "advcl", "pcomp") and t.head is not t:
            raised = t.i == tok.i and t.dep_ == "xcomp" and any(
                ch.dep_ == "aux" and ch.lower_ == "to" for ch in t.children)
            t = t.head
            if t.dep_ == "prep":
                t = t.head
                if t.pos_ == "NOUN" and t.dep_ == "dobj" and t.head.lemma_.lower() in _LIGHT_VERBS:
                    t = t.head  # "Serbia *has* no intention of recognizing": the owner
            continue
        noun = t.head
        if held is not None and (t.dep_ in ("acl", "relcl") or held is not t.head):
            noun = held
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
        if t.dep_ == "ROOT" and _on_headline(t):
            # a headline's second verb after a comma: "Azerbaijan recalls envoy, *cancels*
            # visit" (the parser makes the first clause its complement)
            first = next((ch for ch in t.children if ch.dep_ == "ccomp" and ch.i < t.i), None)
            subj = next((ch for ch in first.children if ch.dep_ == "nsubj"), None) if first else None
            if subj is not None:
                return subj, False
        break
    return None, False


def _to_blame(tok: Token) -> bool:
    """"X is / was to blame": X is the one blamed (the speaker, if any, blames)."""
    return _lemma(tok) == "blame" and tok.dep_ == "xcomp" and tok.head.lemma_.lower() == "be" and any(
        ch.dep_ == "aux" and ch.lower_ == "to" for ch in tok.children)


def _main_clause_twin(tok: Token) -> Token | None:
    """The main verb a conjunct really shares its subject with, where the parser hangs the
    conjunct on a time clause: "Israel *has carried out* strikes since Assad fell in
    December and *has deployed* troops" (the perfect "has deployed" matches the main verb,
    not the simple past of "fell")."""
    if tok.dep_ != "conj" or any(ch.dep_ in ("nsubj", "nsubjpass") for ch in tok.children):
        return None
    clause = tok.head
    if clause.dep_ == "ccomp" and clause.lemma_.lower() == "be" and tok.tag_ == clause.head.tag_ and (
            any(ch.dep_ == "ccomp" for ch in tok.children) or tok.lemma_.lower() in _SPEAKERS_ACTS):
        # "X *said* the comments were dangerous and *demanded* that she retract them": a
        # verb reporting a clause of its own, hung on a copula the first verb reports,
        # shares the first verb's subject (comments demand nothing)
        return clause.head
    if clause.dep_ != "advcl" or not any(ch.dep_ == "mark" and ch.lower_ in _TIME_MARKS
                                         for ch in clause.children):
        return None
    main = clause.head
    own = {ch.lemma_.lower() for ch in tok.children if ch.dep_ == "aux"}
    return main if own and own <= {ch.lemma_.lower() for ch in main.children if ch.dep_ == "aux"} and not (
        own & {ch.lemma_.lower() for ch in clause.children if ch.dep_ == "aux"}) else None


#: Acts of speech only a speaker does ("said one victim was a fisherman and *accused* the
#: U.S. of murder": the victim accuses no one).
_SPEAKERS_ACTS = frozenset({"accuse", "blame", "demand", "urge", "warn", "condemn", "deny",
                            "reject", "call", "vow", "promise", "threaten"})


def _on_headline(tok: Token) -> bool:
    """``tok`` is on a headline line: a short line with no final full stop."""
    text = text_of(tok.doc)
    end = text.find("\n", tok.idx)
    line = text[text.rfind("\n", 0, tok.idx) + 1 : len(text) if end < 0 else end].rstrip()
    return not line.endswith((".", "!", "?", '"', "\u201d")) and len(line.split()) <= 20


#: CAMEO roots of agreements, talks, support and de-escalation: a city compounded with such
#: a noun is its venue ("the Doha truce"), and a relative clause that concludes it names its
#: parties.
_VENUE_ROOTS = frozenset({"03", "04", "05", "08"})


#: Roles of those who help others act: "with Norway *acting as guarantor*".
_HELPER_ROLES = frozenset({"guarantor", "mediator", "facilitator", "observer", "broker", "host",
                           "witness", "sponsor", "intermediary", "go-between"})


def arguments(c: Candidate, idx: MentionIndex, lex: Lexicon) -> None:
    """Fill sources, targets and location of a candidate from the parse."""
    tok = c.token
    sources: list[Mention] = []
    targets: list[Mention] = []
    place_toks: list[Token] = []
    venues: set[int] = set()  # compound places that only say where ("the Doha truce")
    charge = charge_phrases(tok)  # "accused X *of ...*": no targets from it
    if c.kind == "noun":
        recipient = False
        carrier = tok.head if tok.dep_ in ("dobj", "attr", "nsubjpass", "pobj") else None
        held = tok  # the noun the carrier governs: "adopted a new *package* of sanctions"
        if (tok.dep_ == "pobj" and tok.head.lower_ == "of" and _lemma(tok.head.head) in _AMOUNTS
                and tok.head.head.dep_ in ("dobj", "nsubjpass")):
            held = tok.head.head
            carrier = held.head
        for ch in tok.children:
            if ch.dep_ in ("poss", "compound", "amod", "nmod"):
                found = phrase_actors(ch, idx)
                if ch.dep_ == "compound" and found and c.code[:2] in _VENUE_ROOTS and all(
                        m.method in ("metonym", "place") for m in found):
                    place_toks.append(ch)  # "the *Doha* truce": where, not who
                    venues.add(ch.i)
                    continue
                sources += found
        ag = agent_of(tok) or next((a for ch in tok.children if ch.dep_ == "acl"
                                  and _lemma(ch) not in THIRD_PARTY
                                  for a in [agent_of(ch)] if a is not None), None)
        if ag is not None:
            sources += phrase_actors(ag, idx)
        if not sources and c.code[:2] in _VENUE_ROOTS:
            # "The ceasefire *that Pakistan and Afghanistan signed*": the parties of a deal
            # are the subject of the relative clause that concludes it
            for rel in (ch for ch in tok.children if ch.dep_ == "relcl" and _lemma(ch) in CONCLUDING_VERBS):
                sources += [m for subj in rel.children if subj.dep_ == "nsubj"
                            and subj.lower_ not in ("that", "which", "who")
                            for m in phrase_actors(subj, idx)]
        for p in prep_objects(tok, frozenset({"between", "among"})):
            sources += phrase_actors(p, idx)
        if not sources and carrier is not None and held.dep_ != "pobj" and (
            _lemma(carrier) in lex.light or carrier.pos_ in ("VERB", "AUX")
        ) and _lemma(carrier) not in _UNDERGOERS and not any(
            ch.dep_ == "oprd" for ch in carrier.children):  # "called the drills a rehearsal"
            s, passive = _subject_token(carrier)
            if _lemma(carrier) in _RECIPIENTS and not passive:
                # "Azerbaijan is *receiving* assistance from the United States": the giver
                # acts, the receiver is the target
                recipient = True
                sources += [m for p in prep_objects(carrier, frozenset({"from"})) +
                            prep_objects(tok, frozenset({"from"})) for m in phrase_actors(p, idx)]
                if s is not None:
                    targets += phrase_actors(s, idx)
            elif s is not None and not passive:
                sources += phrase_actors(s, idx)
            # ("signed an agreement *at the State Department*": where, not with whom)
            at = {"at"} if c.code[:2] in _DIPLOMATIC else set()
            for p in prep_objects(carrier, TARGET_PREPS - {"of", "from", "for"} - at):
                targets += phrase_actors(p, idx)
            place_toks += prep_objects(carrier, PLACE_PREPS)
        if tok.dep_ in ("nsubj",) and not sources:
            for p in prep_objects(tok.head, frozenset({"between", "among", "with"})):
                sources += phrase_actors(p, idx)
        noun_preps = TARGET_PREPS - {"between", "among", "at"} - ({"from"} if recipient else set())
        if not sources and _lemma(tok) in _AGENT_OF:  # "the *withdrawal of* Russian troops"
            for p in prep_objects(tok, frozenset({"of"})):
                sources += phrase_actors(p, idx)
            noun_preps = noun_preps - {"of"}
        for p in prep_objects(tok, noun_preps):
            targets += phrase_actors(p, idx)
        place_toks += prep_objects(tok, PLACE_PREPS)
    else:
        subj, passive = _subject_token(tok)
        if _to_blame(tok) and subj is not None:  # "Moldova *was to blame*": Moldova is blamed,
            passive = True  # by whoever says so
            if c.speaker is not None and c.speaker.resolved:
                sources.append(c.speaker)
        ag = agent_of(tok)
        if passive and ag is None and c.code[:2] == "15" and subj is not None:
            # forces "are deployed / stationed": the force is the actor of a posture
            sources += phrase_actors(subj, idx)  # ("1,500 Russian troops are *stationed*")
        elif passive:
            if ag is not None:
                sources += phrase_actors(ag, idx)
            if subj is not None:
                targets += phrase_actors(subj, idx)
        elif subj is not None:
            sources += phrase_actors(subj, idx) + _headline_partner(subj, idx)
            if subj.lower_ == "we" and not sources and c.speaker is not None and c.speaker.code != "---":
                # "'..., *we* will attack,' Netanyahu said": the speaker's side (their code)
                sources.append(c.speaker)
        preps = set(TARGET_PREPS - {"at", "from"} if c.kind != "phrase" else TARGET_PREPS)
        if c.code[:2] in _DIPLOMATIC:  # "signed a peace agreement *at the State Department*":
            preps.discard("at")  # where, not with whom ("fired *at*" keeps it)
        for ch in tok.children:
            if ch in charge:
                continue
            if ch.dep_ == "dobj" and c.code[:2] == "15":
                continue  # the forces a posture moves are the actor's own: "*scrambled* jets"
            if ch.dep_ in ("dobj", "dative", "attr", "oprd"):
                # "the TRNC, *which* only Turkey recognizes": the noun the clause is about
                obj = tok.head if ch.lower_ in RELATIVE_PRONOUNS and tok.dep_ == "relcl" else ch
                found = phrase_actors(obj, idx) if obj.pos_ != "ADP" else [  # "sent troops
                    m for g in obj.children if g.dep_ == "pobj" for m in phrase_actors(g, idx)]
                owners = [g for g in obj.children if g.dep_ == "poss"]
                owner_only = bool(found and owners) and obj.pos_ == "NOUN" and all(
                    g.lower_ in PRONOUNS for g in owners) and not idx.at(obj)
                if not found or owner_only:  # "restored ties with X", "made contributions to
                    # X"; "severed *its* ties with X": X, not what "its" stands for
                    via = [m for p in prep_objects(obj, frozenset(preps | {"of"}))
                           if not _occasion(p, lex)  # not "held talks *at the BRICS summit*"
                           for m in phrase_actors(p, idx)]
                    if via:
                        found = via
                targets += found
            if ch.dep_ in ("prep",) and ch.lower_ in preps and not accompanying(ch):
                targets += [m for g in ch.children if g.dep_ == "pobj" and not _on_behalf(g)
                            and not _on_sidelines(g) and not (ch.lower_ == "at" and _occasion(g, lex))
                            and g.ent_type_ not in ("TIME", "DATE")  # "from 5 p.m. Indian time"
                            for m in phrase_actors(g, idx)]  # ("swap prisoners *at Istanbul talks*")
            if (ch.dep_ == "prep" and c.kind == "phrase" and ch.lower_ in ("in", "at")
                    and c.start <= ch.idx < c.end):  # "arrived *in*", "fired *at*"; not
                # "signed a peace agreement *in* Washington" (where, not whom)
                targets += [m for g in ch.children if g.dep_ == "pobj" and not _on_behalf(g)
                            and not _occasion(g, lex) for m in phrase_actors(g, idx)]
        # "impose sanctions ..., *together with* its EU partners", "France, *along with*
        # Germany, ...": co-actors of the subject
        sources += [m for g in companions(tok) for m in phrase_actors(g, idx)]
        # ... whom they act against together: "fought *alongside* Ethiopian forces *against*
        # the TPLF" (the parser hangs the "against" on the companion)
        targets += [m for g in companions(tok) for p in prep_objects(g, frozenset({"against"}))
                    for m in phrase_actors(p, idx)]
        for x in tok.children:  # "urged X to ...": the object of the frame; xcomp's objects
            if x.dep_ == "xcomp" and not targets:
                for ch in x.children:
                    if ch.dep_ in ("dobj", "dative"):
                        found = phrase_actors(ch, idx)
                        if not found:  # "threatened to cut ties with X"
                            for p in prep_objects(ch, frozenset(preps | {"of"})):
                                found += phrase_actors(p, idx)
                        targets += found
                    if ch.dep_ == "prep" and ch.lower_ in preps:
                        targets += [m for g in ch.children if g.dep_ == "pobj"
                                    for m in phrase_actors(g, idx)]
        place_toks += prep_objects(tok, PLACE_PREPS)
    if not targets and (c.code[:2] in _DEMANDS or _lemma(tok) in _CONTROL):
        # "demanded that X withdraw", "allowed X to run": X is the target
        targets += _demanded_of(tok, idx)
    for inner in c.inner:  # a frame with no target takes its absorbed event's target
        if inner.said_alongside:
            continue  # not from what the actor says alongside ("urged X, *saying* ...")
        if not targets and not (c.kind != "noun" and charge):  # not "blamed
            targets = list(inner.targets)  # the rebels for *the attack on X*": X is no target
    src_keys = {(m.start, m.end) for m in sources}
    c.sources = _dedupe(sources)
    # an organization or person does not act on itself ("NATO's contributions to NATO-led
    # missions"); a state may (domestic events: "Serbia lifted a curfew in Montenegro")
    # nor does a person on the organization they act for (Stoltenberg, coded NATO, "expressed
    # NATO's support for ...")
    selves = {m.actor_id for m in sources if not _is_state(m.actor_id)}
    selves |= {m.code for m in sources if not _is_state(m.actor_id) and not _is_state(m.code)
               and m.resolved}  # every unresolved actor has the code "---": no self there
    # nor a mission or body on the organization it belongs to ("NATO's mission KFOR
    # deployed troops": not KFOR -> NATO)
    selves |= {m.org for m in sources if m.org and m.resolved and not _is_state(m.actor_id)
               and not _is_state(m.org)}
    # nor does a state cooperate with itself ("Turkey brokered talks between the two
    # governments in Ankara": not TUR -> TUR); it may repress, fight or concede at home
    home: set[str] = set()
    truce = any(t.lemma_.lower() in _TRUCES for t in tok.subtree)  # a domestic ceasefire
    if c.code[:2] in _COOPERATIVE and not truce:  # ("agreed to a ceasefire in Hodeidah")
        selves |= {m.code for m in sources if m.resolved}
        # nor with its own state as a whole ("Russia's foreign ministry ... offered *Moscow's*
        # help": not RUSGOV -> RUS; RUSGOV -> RUSREB would still be a domestic act)
        # (rebels and the opposition do deal with their state: "the SDF signed an agreement
        # with the government in Damascus")
        home = {m.code[:3] for m in sources if m.resolved and _is_state(m.code[:3])
                and m.code[3:6] not in _NONSTATE}
    elif c.code[:2] in _THREATS:  # nor does a state's government threaten the state itself
        # ("Netanyahu warned that *Israel* reserved the right to resume fighting")
        home = {m.code[:3] for m in sources if m.resolved and _is_state(m.code[:3])
                and len(m.code) > 3}
    c.targets = [m for m in _dedupe(targets) if (m.start, m.end) not in src_keys
                 and m.actor_id not in selves and m.code not in selves and m.code not in home]
    # beside a target, an "over" phrase gives the reason: "tariffs on India *over Russian oil
    # purchases*", "sanctioned Iran *over its drone sales to Russia*"
    reasons = [_extent(p) for p in tok.children if p.dep_ == "prep" and p.lower_ == "over"]
    stated = [m for m in c.targets if not any(a <= m.start and m.end <= b for a, b in reasons)]
    if reasons and stated:
        c.targets = stated
    # among several targets, not the source's own state ("Blinken worked to restore relations
    # between Baku and Washington": USAGOV -> AZE, not AZE+USA)
    own = {m.code[:3] for m in c.sources if _is_state(m.code[:3])}
    others = [m for m in c.targets if not (m.resolved and m.code[:3] in own)]  # (nor its
    # people: "proposed a meeting between Presidents Zelenskiy and Putin": RUSGOV, not UKRGOV)
    if len(c.targets) > 1 and others:
        c.targets = others
    # "met with X in Baku", "talks at the summit in Kazan": the place may attach to the
    # object or to the occasion, but not in a clause conjoined to the trigger's ("signed a
    # deal in June, *but talks between Kinshasa and the rebels in Doha have stalled*")
    head = clause_head(tok)
    conjoined = _conjoined_clauses(head, tok)
    other_clauses = {t.i for ch in conjoined for t in ch.subtree}
    # nor inside a phrase that dates the act by another one ("since the start of the war
    # *in Ukraine*", "after clashes *in northern Kosovo*"), but an act "after talks *in St
    # Vincent*" was done where the talks were
    other_clauses |= {t.i for p in head.subtree if p.dep_ == "prep" and p.lower_ in _DATING_PREPS
                      and not p.left_edge.i <= tok.i <= p.right_edge.i
                      and not any(g.dep_ == "pobj" and g.lemma_.lower() in _MEETINGS
                                  for g in p.children)
                      for t in p.subtree}
    place_toks += [g for t in head.subtree if t.dep_ == "prep"
                   and t.lower_ in PLACE_PREPS and t.i not in other_clauses
                   for g in t.children if g.dep_ == "pobj"]
    used_spans = {(m.start, m.end) for m in c.sources + c.targets}
    place: Mention | None = None
    venue = False
    frames = _frames(head, tok)
    framed = {t.i for g in frames for t in g.subtree}
    for p in place_toks:
        if p.i in framed:  # "in a deal mediated *by the UAE*" is no place
            continue
        m = best_mention(p, idx)
        if m is not None and (m.start, m.end) in used_spans:
            continue
        if m is not None and _is_state(m.actor_id):  # a country, not "in NATO-led missions"
            c.location, place = m.actor_id, m
            # a compound ("the *Doha* truce") or the place of a relative clause that tells
            # how the act came about ("the ceasefire they signed *in Doha*") is where, not
            # what the act is done to
            venue = p.i in venues or any(a.dep_ == "relcl" and a.head.i == tok.i for a in p.ancestors) or (
                _lemma(p) in _OCCASIONS)  # "swapped prisoners at *Istanbul talks*"
            break
    if c.sources and not c.targets and place is not None and _acts_on_place(c.code) and (
        place.code[:3] not in {s.code[:3] for s in c.sources}
    ) and not venue:  # "tanks fired at targets in Jericho", "lifted the curfew in Montenegro": the place
        # attacked or relieved is the target
        c.targets = [place]
        c.fallback_target = True
    if c.sources and not c.targets:  # nearest other actor in the trigger's clause
        used = {(m.start, m.end) for m in c.sources}
        if c.speaker is not None:
            used.add((c.speaker.start, c.speaker.end))
        lo = min(t.idx for t in head.subtree)
        hi = max(t.idx + len(t) for t in head.subtree)
        # not an apposition of the source ("Russia, *an ally of Serbia*, blamed ...")
        subj = _subject_token(tok)[0] if c.kind != "noun" else None
        inside = [(min(t.idx for t in a.subtree), max(t.idx + len(t) for t in a.subtree))
                  for a in (subj.children if subj is not None else ())
                  if a.dep_ in ("appos", "relcl") and not _holds(a, tok)]  # nor its relative
        # clause, unless the act is told there ("Zelensky, who was *visiting* Turkey")
        # (for a noun act, those of its source's phrase: "Russia, *which has close ties to
        # Caracas*, condemned the *strikes*")
        for m in c.sources if c.kind == "noun" else ():
            span = tok.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and len(span):
                inside += [_extent(a) for a in span.root.children
                           if a.dep_ in ("appos", "relcl") and not _holds(a, tok)]
        # nor in the frame of the act ("reopened embassies *under a deal brokered by China*")
        inside += [_extent(g) for g in frames]
        inside += [_extent(ch) for ch in conjoined]  # nor in a conjoined clause (above)
        # nor who helps the act along ("the ceasefire, *mediated by Qatar and Turkey*",
        # "..., *with Cuba and Norway acting as guarantors*")
        inside += [_extent(ch) for ch in tok.children if ch.dep_ == "acl" and _lemma(ch) in THIRD_PARTY]
        inside += [_extent(t) for t in head.subtree if _lemma(t) in ("act", "serve") and t.tag_ == "VBG"
                   and any(p.lower_ == "as" and any(_lemma(g) in _HELPER_ROLES for g in p.children)
                           for p in t.children)]
        inside += [_extent(p) for p in charge]  # nor in the charge
        if c.kind != "noun" and (_lemma(tok) in lex.speech | DENYING_CUES | _DISMISSING):
            # nor in what a verb reports or denies: "denied that *the police* had used
            # excessive force" ("helped Haiti cope", "allowed X to" keep theirs)
            inside += [_extent(ch) for ch in tok.children if ch.dep_ == "ccomp"]
        # nor in an adverbial clause with a subject of its own, which tells another act ("a
        # ceasefire took effect *after the cabinet approved a deal brokered by the US*")
        inside += [_extent(ch) for ch in head.children if ch.dep_ == "advcl" and not _holds(ch, tok)
                   and any(g.dep_ in ("nsubj", "nsubjpass") for g in ch.children)
                   and any(g.dep_ == "mark" and g.lower_ in _TIME_MARKS for g in ch.children)]
        # (a condition names whom a hostile act would be against: "if Hezbollah breaks it,
        # we will attack"; not whom a cooperative one would help: "if Russia attacked the
        # Baltic states, Sweden would *defend* its allies")
        if c.code[:2] < "09":
            inside += [_extent(ch) for ch in head.subtree if ch.dep_ == "advcl" and not _holds(ch, tok)
                       and any(g.dep_ == "mark" and g.lower_ in ("if", "unless") for g in ch.children)]
        # nor in what the actor says alongside ("urged allies to respond, *saying* that the
        # West's silence was encouraging Moscow")
        inside += [_extent(ch) for ch in tok.children
                   if ch.dep_ in ("advcl", "conj") and _lemma(ch) in lex.speech]
        if c.kind == "noun" and tok.dep_ in ("dobj", "pobj"):
            # nor who joins or takes part in the act a noun names ("North Korean troops
            # *join* Russian *offensive*": they are no target of it)
            carrier = tok.head.head if tok.dep_ == "pobj" else tok.head
            if carrier.dep_ == "dobj" and _lemma(carrier) == "part":
                carrier = carrier.head  # "*took* part in"
            if _lemma(carrier) in _JOINERS:  # ("Ukraine *repelled* a Russian attack" keeps
                inside += [_extent(s_) for s_ in carrier.children  # its target)
                           if s_.dep_ in ("nsubj", "nsubjpass")]
        if subj is not None and titled_name(subj) is not None:
            # nor the description of a subject named as a title ("*NATO* member Georgia")
            inside += [_extent(ch) for ch in subj.children if ch.dep_ in ("compound", "amod")]
        if subj is not None and pair_noun(subj):
            # nor a name inside a pair's own phrase ("*The two NATO allies* clashed")
            inside.append(_extent(subj))
        # nor the subject of a relative clause elsewhere, which acts on its own ("contribute
        # personnel to the mission, which *the UN Security Council* authorized")
        inside += [_extent(a) for t in head.subtree
                   if t.dep_ == "relcl" and not _holds(t, tok)
                   for a in (*t.children, *(g for ch in t.children if ch.dep_ == "agent"
                                            for g in ch.children))
                   if a.dep_ in ("nsubj", "nsubjpass", "pobj")]
        # nor in a clause set before the trigger's with a semicolon, which the parser makes
        # its complement ("Georgia freezes EU talks; Washington *suspends* partnership")
        inside += [_extent(ch) for ch in head.children if ch.dep_ in ("ccomp", "parataxis")
                   and ch.i < head.i and not _holds(ch, tok) and semicolon_before(ch, head.i)]
        # nor in another member of a list the trigger is in ("discussed the withdrawal of
        # Russian troops, and the OSCE's *support* for ...")
        siblings = _other_conjuncts(tok, head)
        rest = [m for m in idx.in_span(lo, hi) if (m.start, m.end) not in used
                and not any(a <= m.start and m.end <= b for a, b in inside)
                and m.start not in siblings
                and m.code not in {s.code for s in c.sources} and m.resolved
                and not (c.code[:2] in _THREATS and m.code in home)
                and not _where(m, tok.doc)  # "defended ... *at* the UN Security Council"
                and not (c.code[:2] in _DIPLOMATIC  # nor a meeting's venue: "officials met
                         and governing_preposition(tok.doc, m.start, m.end) in ("in", "at"))  # *in Riyadh*"
                and not (len(own) > 1 and m.code[:3] in own)  # two states act on each other
                and (c.location is None or m.code != c.location)]  # not the place itself
        if rest:
            rest.sort(key=lambda m: abs(m.start - tok.idx))
            c.targets = [rest[0]]
            c.fallback_target = True


#: Sectors of actors inside a state that act on it from outside its government.
_NONSTATE = frozenset({"REB", "OPP", "INS", "SEP"})


#: Agreements that frame an act "in" them or "as part of" them: "exchanged prisoners *in a
#: deal* mediated by the UAE" (not "killed in an attack", which is the act itself).
FRAME_NOUNS = frozenset({"deal", "agreement", "accord", "arrangement", "pact", "swap",
                         "exchange", "truce", "ceasefire", "framework", "package"})


def frame_of(noun: Token) -> Token | None:
    """The preposition by which ``noun`` frames another act: "*under* a deal", "*in* a
    deal", "as part *of* an agreement" (the "of"); None when it does not."""
    prep = noun.head if noun.dep_ == "pobj" else None
    if prep is None:
        return None
    if prep.lower_ == "under":
        return prep
    if noun.lemma_.lower() in FRAME_NOUNS and (
        prep.lower_ == "in" or (prep.lower_ == "of" and prep.head.lower_ == "part")
    ):
        return prep
    return None


def _frames(head: Token, tok: Token) -> list[Token]:
    """The nouns that frame the trigger's clause ("*under a deal* brokered by China", "*in
    a deal* mediated by the UAE"), unless the trigger is inside one."""
    return [t for t in head.subtree if t.dep_ == "pobj"
            and (prep := frame_of(t)) is not None and not _holds(prep, tok)]


def _holds(t: Token, tok: Token) -> bool:
    """``tok`` lies in the subtree of ``t``."""
    return t.left_edge.i <= tok.i <= t.right_edge.i


def _extent(t: Token) -> tuple[int, int]:
    """The character span of ``t``'s subtree."""
    return t.left_edge.idx, t.right_edge.idx + len(t.right_edge)


def _conjoined_clauses(head: Token, tok: Token) -> list[Token]:
    """The verbs of the clauses conjoined to ``head`` (the trigger's clause), or set against
    it with a subject of their own ("X pledged aid, *while Hungary blocked an EU decision*"),
    that do not hold the trigger."""
    return [ch for ch in head.children if ch.pos_ in ("VERB", "AUX") and not _holds(ch, tok)
            and (ch.dep_ == "conj" or (
                ch.dep_ == "advcl"
                and any(g.dep_ == "mark" and g.lower_ in CONTRAST_MARKS for g in ch.children)
                and any(g.dep_ in ("nsubj", "nsubjpass") for g in ch.children)))]


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


#: CAMEO roots of threats and warnings.
_THREATS = frozenset({"13"})
#: Prepositions that date an act by another event: a place inside them is that event's.
_DATING_PREPS = frozenset({"since", "until", "till", "before", "after"})
#: Events at whose place an act that follows them is done: "pledged ... after talks in X".
_MEETINGS = frozenset({"talk", "meeting", "summit", "negotiation", "consultation", "conference",
                       "visit", "session", "round"})


def _acts_on_place(code: str) -> bool:
    """Events done *to* a place when no one else is named: QuadClass 4 (CAMEO roots 14-20:
    protest, force posture, coercion, assault) and root 08 (yield, ease restrictions,
    withdraw: "lifted the curfew in Montenegro")."""
    root = code[:2]
    return root.isdigit() and (14 <= int(root) <= 20 or root == "08")


#: CAMEO roots of appeals and demands, whose target may be the subject of a that-clause.
_DEMANDS = frozenset({"02", "10"})
#: Verbs that reject what their clause says: "*dismissed* claims that ...".
_DISMISSING = frozenset({"reject", "dismiss"})
_TRUCES = frozenset({"ceasefire", "truce", "armistice"})
#: CAMEO roots of cooperation (public statement to aid): acts between two parties
_COOPERATIVE = frozenset({"01", "02", "03", "04", "05", "06", "07"})
#: Roots of verbal, diplomatic acts, whose place "in" a city is a venue (aid delivered "in
#: Syria" is Syria's).
_DIPLOMATIC = frozenset({"03", "04", "05"})


#: Verbs whose object is the subject of their clause in spaCy's parse ("allowed X to run",
#: "ordered X to suspend"): X is the target, as of a demand.
_CONTROL = frozenset({"allow", "permit", "let", "order", "force", "compel", "authorize",
                      "authorise", "enable", "forbid", "prohibit", "oblige", "pressure"})


def _demanded_of(tok: Token, idx: MentionIndex) -> list[Mention]:
    """The actors asked to act: the subject of the trigger's that-clause ("demanded that
    the government release ...", "its demand that Burundi's government grant ...")."""
    clauses = [ch for ch in tok.children if ch.dep_ in ("ccomp", "acl") and (
        ch.pos_ in ("VERB", "AUX") or any(g.dep_ == "mark" for g in ch.children))]
    # the clause "that" opens first (the tagger may read its verb as an adjective: "demanded
    # that Stockholm *extradite* dozens of people Ankara considers terrorists")
    clauses.sort(key=lambda ch: not any(g.dep_ == "mark" and g.lower_ == "that" for g in ch.children))
    for ch in clauses:
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
                     "regime", "embassy", "spokesman", "spokeswoman", "consul", "consulate",
                     "envoy"), "GOV"),
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
    if sector == "MIL" and _lemma(noun) == "general" and any(
            c.dep_ == "compound" and c.lower_ in _CIVIL_GENERALS for c in noun.children):
        sector = "GOV"  # "China's *consul general*", "the attorney general": no officer
    return code + sector if sector else code


#: Words before "general" that make a civil office of it.
_CIVIL_GENERALS = frozenset({"consul", "attorney", "secretary", "director", "inspector",
                             "prosecutor", "procurator", "solicitor", "postmaster", "auditor"})
