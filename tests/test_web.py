"""The web UI and JSON API, in process (TestClient), over a small hand-built store.

The browser tests (tests/test_web_browser.py) reuse :func:`build_store` and the
hostile strings defined here.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Self

import pytest

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from diplograph.errors import ConfigError
from diplograph.model import (
    Actor,
    Annotations,
    Article,
    Claim,
    Event,
    Mention,
    Role,
    Sentence,
    TimeExpr,
    content_id,
    record_id,
)
from diplograph.store import Store
from diplograph.web import create_app
from diplograph.web.app import CSP
from diplograph.web.highlight import Span, safe_url, segments

EXTRACTOR = "handmade@1"
TOKEN = "test-token-0123456789abcdef"

#: Hostile strings: any of them executing in a page sets window.__pwned or the title.
EVIL_TITLE = (
    '<script>window.__pwned=1;document.title="pwned"</script>'
    '<img src=x onerror="window.__pwned=2;document.title=\'pwned\'">'
)
EVIL_URL = "javascript:window.__pwned=3"
EVIL_OUTLET = '<b onmouseover="window.__pwned=5">Evil Wire</b>'
EVIL_ACTOR = '?evil"><script>window.__pwned=4</script>'
EVIL_TEXT = (
    "Officials in Baku said on Monday that the talks would continue next week. "
    '<script>window.__pwned=6;document.title="pwned"</script> '
    '<img src=x onerror="window.__pwned=7"> '
    '<a href="javascript:window.__pwned=8">click here</a> '
    "The ministry added that the delegation from the region had been expected for some time "
    "and that the meeting would focus on trade, transport and the border."
)


def _article(text: str, published: str, outlet: str, title: str, url: str | None) -> Article:
    return Article(
        id=content_id(text), text=text, title=title, outlet=outlet, author=None,
        published=published, published_source="metadata", origin=f"test:{title[:20]}",
        url=url, lang="en", word_count=len(text.split()),
    )  # fmt: skip


def _mention(art: Article, surface: str, actor: str, code: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = art.text.index(surface, start + 1)
    return Mention(
        id=record_id(art.id, start, "mention"), article_id=art.id, sentence=0, start=start,
        end=start + len(surface), text=surface, actor_id=actor, code=code, sector=None,
        org=None, label="DICT", resolved=not actor.startswith("?"), method="dictionary",
        extractor=EXTRACTOR,
    )  # fmt: skip


def _event(art: Article, trigger: str, type_: str, quad: int, goldstein: float,
           src: Mention, tgt: Mention, date: str | None = None, **kw: Any) -> Event:  # fmt: skip
    start = art.text.index(trigger)
    fields: dict[str, Any] = {
        "id": record_id(art.id, start, "event"), "article_id": art.id, "sentence": 0,
        "trigger_start": start, "trigger_end": start + len(trigger), "trigger": trigger,
        "type": type_, "mode": None, "context": None, "cameo": "04", "quad_class": quad,
        "goldstein": goldstein, "sources": (src.code,), "targets": (tgt.code,),
        "source_spans": ((src.start, src.end),), "target_spans": ((tgt.start, tgt.end),),
        "negated": False, "modality": "asserted", "speaker": None,
        "date": date or art.published, "date_approx": date is None,
        "date_reason": "publication", "location": None, "confidence": 0.9,
        "extractor": EXTRACTOR,
    }  # fmt: skip
    fields.update(kw)
    return Event(**fields)


def _claim(art: Article, content: str, speaker: str | None, subject: str, predicate: str,
           obj: str | None, polarity: str = "affirmed") -> Claim:  # fmt: skip
    start = art.text.index(content)
    return Claim(
        id=record_id(art.id, start, "claim"), article_id=art.id, sentence=0, start=start,
        end=start + len(content), text=content, kind="indirect", speaker=speaker,
        speaker_text=speaker, speaker_start=None, speaker_end=None, speaker_role=None,
        cue="said", cue_start=None, cue_end=None, subject=subject, predicate=predicate,
        object=obj, polarity=polarity, modality="asserted", date=art.published,  # type: ignore[arg-type]
        extractor=EXTRACTOR,
    )  # fmt: skip


def _timex(art: Article, surface: str, value: str) -> TimeExpr:
    start = art.text.index(surface)
    return TimeExpr(
        id=record_id(art.id, start, "timex"), article_id=art.id, sentence=0, start=start,
        end=start + len(surface), text=surface, type="DATE", value=value,
        anchor=art.published, anchor_source="publication", uncertain=False, extractor=EXTRACTOR,
    )  # fmt: skip


def _annotations(art: Article, mentions: list[Mention], events: list[Event] = (),  # type: ignore[assignment]
                 claims: list[Claim] = (), timexes: list[TimeExpr] = ()) -> Annotations:  # type: ignore[assignment]  # fmt: skip
    return Annotations(
        article_id=art.id, extractor=EXTRACTOR,
        sentences=(Sentence(art.id, 0, 0, len(art.text)),), mentions=tuple(mentions),
        events=tuple(events), claims=tuple(claims), timexes=tuple(timexes),
    )  # fmt: skip


ACTORS = [
    Actor("AZE", "Azerbaijan", "state", "AZE"),
    Actor("ARM", "Armenia", "state", "ARM"),
    Actor("USA", "United States", "state", "USA"),
    Actor("RUS", "Russia", "state", "RUS"),
    Actor("NATO", "NATO", "igo", None, ("North Atlantic Treaty Organization",)),
    Actor("jens-stoltenberg", "Jens Stoltenberg", "person", "NOR", (),
          (Role("jens-stoltenberg", "NATO", "IGO", "Secretary General", "2014-10-01", "2024-10-01"),)),
    Actor("ilham-aliyev", "Ilham Aliyev", "person", "AZE", (),
          (Role("ilham-aliyev", "AZE", "GOV", "President", "2003-10-31", None),)),
]  # fmt: skip


def build_store(path: Path, *, evil: bool = True) -> dict[str, str]:
    """Write the test store at ``path``; return the ids the tests look for."""
    a1 = _article(
        "Jens Stoltenberg met Ilham Aliyev in Baku on 4 May 2019. Stoltenberg said that NATO "
        "values its partnership with Azerbaijan and welcomed its contribution to the mission.",
        "2019-05-06", "Example Wire", "Stoltenberg visits Baku", "https://example.org/nato-baku",
    )  # fmt: skip
    a2 = _article(
        "Azerbaijan accused Armenia of shelling villages near the front line. The defence "
        "ministry in Baku said Armenia shelled three villages overnight.",
        "2020-09-27", "Caucasus Daily", "Baku accuses Yerevan of shelling", None,
    )  # fmt: skip
    a3 = _article(
        "Armenia rejected the accusation from Azerbaijan. Officials in Yerevan said Armenia "
        "did not shell any villages and called the report a provocation.",
        "2020-09-28", "Yerevan Times", "Yerevan rejects shelling claim", "http://yt.example/am",
    )  # fmt: skip
    a4 = _article(
        "NATO signed a cooperation agreement with Azerbaijan on training and demining. "
        "The agreement covers the next three years.",
        "2021-03-10", "Example Wire", "NATO and Azerbaijan sign training agreement", None,
    )  # fmt: skip
    a5 = _article(
        "The United States held talks with Russia in Geneva about arms control. Both "
        "delegations described the meeting as useful.",
        "2022-01-10", "Geneva Post", "US and Russia hold arms talks", None,
    )  # fmt: skip
    arts = [a1, a2, a3, a4, a5]
    m1 = [_mention(a1, "Jens Stoltenberg", "jens-stoltenberg", "NATO"),
          _mention(a1, "Ilham Aliyev", "ilham-aliyev", "AZEGOV"),
          _mention(a1, "Baku", "AZE", "AZE"), _mention(a1, "NATO", "NATO", "NATO"),
          _mention(a1, "Azerbaijan", "AZE", "AZE")]  # fmt: skip
    m2 = [_mention(a2, "Azerbaijan", "AZE", "AZE"), _mention(a2, "Armenia", "ARM", "ARM"),
          _mention(a2, "Baku", "AZE", "AZEMIL"), _mention(a2, "Armenia", "ARM", "ARM", 1)]  # fmt: skip
    m3 = [_mention(a3, "Armenia", "ARM", "ARM"), _mention(a3, "Azerbaijan", "AZE", "AZE"),
          _mention(a3, "Yerevan", "ARM", "ARMGOV")]  # fmt: skip
    m4 = [_mention(a4, "NATO", "NATO", "NATO"), _mention(a4, "Azerbaijan", "AZE", "AZE")]
    m5 = [_mention(a5, "United States", "USA", "USA"), _mention(a5, "Russia", "RUS", "RUS")]
    anns = [
        _annotations(a1, m1, [_event(a1, "met", "CONSULT", 1, 1.0, m1[0], m1[1], "2019-05-04")],
                     [_claim(a1, "NATO values its partnership with Azerbaijan",
                             "jens-stoltenberg", "NATO", "values partnership with", "AZE")],
                     [_timex(a1, "4 May 2019", "2019-05-04")]),
        _annotations(a2, m2, [_event(a2, "accused", "ACCUSE", 3, -2.0, m2[0], m2[1]),
                              _event(a2, "shelled", "ASSAULT", 4, -9.0, m2[3], m2[2])],
                     [_claim(a2, "Armenia shelled three villages overnight", "AZE", "ARM",
                             "shelled", "villages")]),
        _annotations(a3, m3, [_event(a3, "rejected", "REJECT", 3, -4.0, m3[0], m3[1])],
                     [_claim(a3, "Armenia did not shell any villages", "ARM", "ARM", "shelled",
                             "villages", "negated")]),
        _annotations(a4, m4, [_event(a4, "signed", "AGREE", 2, 4.0, m4[0], m4[1])]),
        _annotations(a5, m5, [_event(a5, "held talks", "CONSULT", 1, 1.0, m5[0], m5[1])]),
    ]  # fmt: skip
    ids = {"nato_baku": a1.id, "shelling": a2.id, "denial": a3.id, "agreement": a4.id}
    if evil:
        ev = _article(EVIL_TEXT, "2023-02-01", EVIL_OUTLET, EVIL_TITLE, EVIL_URL)
        mev = [_mention(ev, "Baku", "AZE", "AZE"), _mention(ev, "the delegation", EVIL_ACTOR, "?")]
        arts.append(ev)
        anns.append(_annotations(ev, mev, [_event(ev, "said", "CONSULT", 1, 1.0, mev[0], mev[1])]))
        ids["evil"] = ev.id
    with Store.open(path) as store:
        store.upsert_actors(ACTORS)
        store.add_articles(arts)
        store.save_annotations(anns)
    return ids


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    ids = build_store(path)
    app = create_app(path, refresh_interval=0.2)
    with TestClient(app) as client:
        client.ids = ids  # type: ignore[attr-defined]
        client.db = path  # type: ignore[attr-defined]
        yield client


def _clear_caches(web: TestClient) -> None:
    snap = web.app.state.web.snapshots.current()  # type: ignore[attr-defined]
    snap.cache.clear()
    snap.responses.clear()


# ------------------------------------------------------------------------ pages


PAGES = ["/", "/articles", "/actors", "/actors/NATO", "/actors/jens-stoltenberg",
         "/relations/NATO/AZE", "/events", "/claims", "/search?q=villages", "/network",
         "/network?actor=AZE", "/timeline", "/timeline?actor=ARM", "/contradictions",
         "/sources"]  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_security_headers(web: TestClient, path: str) -> None:
    r = web.get(path)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "object-src 'none'" in CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script" not in r.text.lower()  # we ship no scripts, so content can add none


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_json_twin(web: TestClient, path: str) -> None:
    api = "/api/overview" if path == "/" else "/api" + path
    r = web.get(api)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["content-security-policy"] == CSP
    assert isinstance(r.json(), dict)
    assert f'href="{api.replace("&", "&amp;")}"' in web.get(path).text  # the page links it


def test_overview_counts_and_pairs(web: TestClient) -> None:
    data = web.get("/api/overview").json()
    assert data["counts"]["articles"] == 6
    assert data["date_range"] == ["2019-05-06", "2023-02-01"]
    pairs = {(p["a"], p["b"]): p for p in data["pairs"]}
    assert pairs[("AZE", "NATO")]["events"] == 2  # met (via Stoltenberg/Aliyev) + signed
    assert pairs[("ARM", "AZE")]["conflict"] == 3


def test_actor_page_roles_relations_events_claims(web: TestClient) -> None:
    d = web.get("/api/actors/jens-stoltenberg").json()
    assert d["actor"]["name"] == "Jens Stoltenberg"
    assert d["roles"][0]["org"] == "NATO" and d["roles"][0]["valid_from"] == "2014-10-01"
    assert {c["other"] for c in d["counterparts"]} == {"ilham-aliyev", "AZE"}
    assert [e["type"] for e in d["events"]] == ["CONSULT"]
    assert d["claims_by"][0]["text"] == "NATO values its partnership with Azerbaijan"
    nato = web.get("/api/actors/NATO").json()
    assert nato["roles"][0]["person"] == "jens-stoltenberg"  # members of the organization
    assert sum(r["events"] for r in nato["timeline"]) == 2
    assert web.get("/api/actors/ARM").json()["claims_about"][0]["speaker"] == "AZE"
    html = web.get("/actors/NATO").text
    assert 'href="/relations/NATO/AZE"' in html and "<svg" in html
    assert ">Jens Stoltenberg: Secretary General</text>" in html  # who held the role
    person = web.get("/actors/jens-stoltenberg").text
    assert ">Secretary General (NATO)</text>" in person  # the role and the body


def test_claims_page_names_speakers_and_shows_canonical_forms(web: TestClient) -> None:
    rows = web.get("/api/claims", params={"speaker": "jens-stoltenberg"}).json()["claims"]
    assert rows[0]["speaker_name"] == "Jens Stoltenberg" and rows[0]["cue"] == "said"
    html = web.get("/claims", params={"speaker": "jens-stoltenberg"}).text
    assert '<a class="actor" href="/actors/jens-stoltenberg">Jens Stoltenberg</a>' in html
    assert "NATO values partnership with AZE" in html  # the canonical form under the quote
    denial = web.get("/claims", params={"speaker": "ARM"}).text
    assert "ARM not shelled villages" in denial


def test_actor_date_filter(web: TestClient) -> None:
    d = web.get("/api/actors/NATO?since=2021").json()
    assert [c["other"] for c in d["counterparts"]] == ["AZE"]
    assert d["counterparts"][0]["events"] == 1


def test_relation_evidence_both_directions(web: TestClient) -> None:
    d = web.get("/api/relations/ARM/AZE").json()
    assert d["totals"] == {"events": 3, "cooperation": 0, "conflict": 3}
    directions = sorted(e["direction"] for e in d["conflict"])
    assert directions == ["in", "out", "out"]  # ARM shelled AZE; AZE accused, ARM rejected
    assert [(c["speaker"], c["subject"]) for c in d["claims"]] == [("AZE", "ARM")]
    assert d["contradictions"]["status"] == "not_run"
    swapped = web.get("/api/relations/AZE/ARM").json()
    assert swapped["totals"] == d["totals"]
    assert web.get("/api/relations/AZE/NOBODY").status_code == 404


def test_article_page_highlights_and_links(web: TestClient) -> None:
    aid = web.ids["nato_baku"]  # type: ignore[attr-defined]
    html = web.get(f"/articles/{aid}").text
    assert '<span class="ann-mention" title="jens-stoltenberg (NATO)"><a href="/actors/jens-stoltenberg">Jens Stoltenberg</a></span>' in html
    assert re.search(r'class="ann-event"[^>]*><a href="#event-[0-9a-f]+">met</a>', html)
    assert 'class="ann-timex"' in html and 'class="ann-claim"' in html
    assert 'href="https://example.org/nato-baku"' in html
    d = web.get(f"/api/articles/{aid}").json()
    assert d["text"].startswith("Jens Stoltenberg met") and len(d["events"]) == 1
    assert web.get("/api/articles/0000000000000000").status_code == 404


def test_search_bm25_phrase_and_filters(web: TestClient) -> None:
    d = web.get("/api/search", params={"q": "villages overnight"}).json()
    assert [r["id"] for r in d["results"]] == [web.ids["shelling"]]  # type: ignore[attr-defined]
    d = web.get("/api/search", params={"q": "villages"}).json()
    assert {r["id"] for r in d["results"]} == {web.ids["shelling"], web.ids["denial"]}  # type: ignore[attr-defined]
    d = web.get("/api/search", params={"q": '"did not shell"'}).json()
    assert [r["id"] for r in d["results"]] == [web.ids["denial"]]  # type: ignore[attr-defined]
    d = web.get("/api/search", params={"q": "villages", "type": "REJECT"}).json()
    assert [r["id"] for r in d["results"]] == [web.ids["denial"]]  # type: ignore[attr-defined]
    d = web.get("/api/search", params={"q": "agreement", "actor": "NATO"}).json()
    assert [r["id"] for r in d["results"]] == [web.ids["agreement"]]  # type: ignore[attr-defined]
    d = web.get("/api/search", params={"actor": "ARM", "since": "2020-09-28"}).json()
    assert [r["id"] for r in d["results"]] == [web.ids["denial"]]  # type: ignore[attr-defined]
    assert web.get("/api/search", params={"q": "zzzzunknown"}).json()["total"] == 0


def test_search_stems_pages_and_leaves_the_store_alone(web: TestClient) -> None:
    ids = web.ids  # type: ignore[attr-defined]
    d = web.get("/api/search", params={"q": "shells"}).json()  # Porter stem "shell"
    assert {r["id"] for r in d["results"]} == {ids["shelling"], ids["denial"]}
    assert all(r["snippet"]["match"].lower().startswith("shell") for r in d["results"])
    d = web.get("/api/search", params={"q": "villages", "limit": 1, "offset": 1}).json()
    assert d["total"] == 2 and len(d["results"]) == 1 and d["offset"] == 1
    d = web.get("/api/search", params={"q": "villages", "offset": 5}).json()
    assert d["total"] == 2 and d["results"] == []
    d = web.get("/api/search", params={"q": "the villages of"}).json()  # stop words dropped
    assert d["terms"] == ["villages"] and d["total"] == 2
    with Store.open(web.db, read_only=True) as store:  # type: ignore[attr-defined]
        # the index lives in the snapshot only, never in the user's store
        assert not store.query("SELECT * FROM duckdb_schemas() WHERE schema_name LIKE 'fts%'")


def test_search_scores_equal_match_bm25(tmp_path: Path) -> None:
    """web_postings holds match_bm25's per-term scores: the sums are the macro's own."""
    from diplograph.web.derived import prepare
    from diplograph.web.search import search

    path = tmp_path / "snap.duckdb"
    build_store(path)
    with Store.open(path) as store:
        prepare(store)
        for q in ["villages", "shells villages", "Baku", "Baku said", "ministry three", "Bakú"]:
            got = {r["id"]: r["score"] for r in search(store, q, limit=50)["results"]}
            words = " ".join(search(store, q)["terms"])
            want = {r["id"]: round(r["s"], 3) for r in store.query(
                "SELECT id, fts_main_articles.match_bm25(id, ?, conjunctive := 1) AS s "
                "FROM articles WHERE s IS NOT NULL", [words])}  # fmt: skip
            assert want and got == want, q


def test_network_and_timeline_svg(web: TestClient) -> None:
    net = web.get("/api/network?actor=AZE").json()
    ids = {n["id"] for n in net["nodes"]}
    assert {"AZE", "ARM", "NATO"} <= ids
    assert all(60 <= n["x"] <= 820 and 60 <= n["y"] <= 560 for n in net["nodes"])
    html = web.get("/network?actor=AZE").text
    assert html.count("<circle") == len(net["nodes"]) and 'href="/relations/ARM/AZE"' in html
    tl = web.get("/api/timeline?actor=ARM").json()
    assert sum(m["events"] for m in tl["months"]) == 3
    assert web.get("/timeline?actor=ARM").text.count("<rect") >= 1


def test_not_run_yet_pages(web: TestClient) -> None:
    for path in ("/api/contradictions",):
        assert web.get(path).json()["status"] == "not_run"
    assert "Not run yet" in web.get("/contradictions").text
    sources = web.get("/api/sources").json()
    assert sources["scores"]["status"] == "not_run"
    assert {o["outlet"] for o in sources["outlets"]} >= {"Example Wire", "Caucasus Daily"}


def test_reconcile_hooks_are_picked_up(web: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    fake = types.ModuleType("diplograph.reconcile")
    fake.contradictions = lambda store: [  # type: ignore[attr-defined]
        {"id": "c1", "actor_a": "ARM", "actor_b": "AZE", "article_a": web.ids["shelling"],  # type: ignore[attr-defined]
         "reason": "shelled vs did not shell"}]  # fmt: skip
    fake.source_scores = lambda store: [{"outlet": "Caucasus Daily", "score": 0.4}]  # type: ignore[attr-defined]
    fake.relation = lambda store, a, b, at=None: [{"valid_from": "2020-09", "state": "hostile"}]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "diplograph.reconcile", fake)
    _clear_caches(web)
    assert web.get("/api/contradictions").json()["data"][0]["reason"] == "shelled vs did not shell"
    html = web.get("/contradictions").text
    assert f'href="/articles/{web.ids["shelling"]}"' in html  # type: ignore[attr-defined]
    rel = web.get("/api/relations/ARM/AZE").json()
    assert rel["reconciled"]["data"] == [{"valid_from": "2020-09", "state": "hostile"}]
    assert rel["contradictions"]["data"][0]["id"] == "c1"
    assert web.get("/api/sources").json()["scores"]["data"][0]["score"] == 0.4
    _clear_caches(web)


def test_relation_page_shows_the_reconciled_state_readably(tmp_path: Path) -> None:
    """With the real reconcile stage: relations and events as rows with their evidence."""
    import diplograph.reconcile as R

    path = tmp_path / "rec.duckdb"
    ids = build_store(path)
    with Store.open(path) as store:
        R.reconcile(store, similarity=R.TokenSetSimilarity())
    with TestClient(create_app(path)) as client:
        state = client.get("/api/relations/NATO/AZE").json()["reconciled"]
        assert state["status"] == "ok" and state["data"][0]["relations"]
        html = client.get("/relations/NATO/AZE").text
        assert "<b>values partnership with</b>" in html and "Reconciled events" in html
        assert f'<a href="/articles/{ids["nato_baku"]}">Example Wire</a>, 2019-0' in html
        assert '{"against"' not in html and "&#34;against&#34;" not in html  # no JSON dumps
        spoken = [e for r in state["data"][0]["relations"] for e in r["support"] if e["speaker"]]
        assert spoken and all(f'said by</span> {e["speaker_name"]}' in html for e in spoken)
        conflicts = client.get("/api/contradictions").json()["data"]
        html = client.get("/contradictions").text
        assert len(conflicts) == html.count('<section class="contradiction"') >= 1
        for c in conflicts:  # both sides, each with its sentence and offsets
            for side in (c["a"], c["b"]):
                assert f"characters {side['start']}–{side['end']}" in html
                if side.get("speaker") in ("ARM", "AZE"):  # actors by name, not id
                    name = {"ARM": "Armenia", "AZE": "Azerbaijan"}[side["speaker"]]
                    assert f'href="/actors/{side["speaker"]}">{name}</a>' in html
        cards = client.get("/api/sources").json()["scores"]["data"]
        html = client.get("/sources").text
        assert "<th>corroboration <span" in html and "×0.3" in html
        assert all(f"<b>{c['score']:.2f}</b>" in html for c in cards)
        for page_path in ("/contradictions", "/sources", "/relations/NATO/AZE", "/relations/ARM/AZE"):
            html = client.get(page_path).text  # the store holds the hostile strings above
            assert "<script>window" not in html and 'onerror="' not in html, page_path
            assert 'onmouseover="' not in html, page_path


# --------------------------------------------------------------------- security


def test_hostile_article_is_escaped_everywhere(web: TestClient) -> None:
    evil = web.ids["evil"]  # type: ignore[attr-defined]
    for path in (f"/articles/{evil}", "/articles", "/search?q=delegation", "/",
                 "/actors/AZE", "/network?actor=AZE", "/sources"):  # fmt: skip
        html = web.get(path).text
        assert "<script>window.__pwned" not in html, path
        assert "<img src=x" not in html and "onerror=\"window" not in html, path
        assert 'href="javascript:' not in html.lower(), path
        assert "<b onmouseover" not in html, path
    page = web.get(f"/articles/{evil}").text
    assert "&lt;script&gt;window.__pwned=1" in page  # shown as text
    assert 'class="muted unsafe-url"' in page  # the javascript: URL is not a link
    actor_href = "/actors/%3Fevil%22%3E%3Cscript%3Ewindow.__pwned%3D4%3C%2Fscript%3E"
    assert actor_href in page
    assert web.get(actor_href).status_code == 200


def test_unresolved_event_actor_shows_its_words_escaped(tmp_path: Path) -> None:
    text = 'Azerbaijan opened <b onmouseover="window.__pwned=9">Alat Port</b> to cargo.'
    art = _article(text, "2024-02-01", "Example Wire", "Port", None)
    aze = _mention(art, "Azerbaijan", "AZE", "AZE")
    port = _mention(art, '<b onmouseover="window.__pwned=9">Alat Port</b>', "?alat-port", "---")
    path = tmp_path / "w.duckdb"
    with Store.open(path) as store:
        store.upsert_actors(ACTORS)
        store.add_articles([art])
        store.save_annotations([_annotations(art, [aze, port],
                                             [_event(art, "opened", "CONCEDE", 2, 5.0, aze, port)])])
    with TestClient(create_app(path)) as client:
        row = client.get("/api/events").json()["events"][0]
        assert row["targets"] == ["---"] and row["target_names"] == [port.text]
        html = client.get("/events").text
    assert "<b onmouseover" not in html
    assert "<code>?</code> &lt;b onmouseover=&#34;window.__pwned=9&#34;&gt;Alat Port" in html
    assert "<code>AZE</code>" in html and "<code>---</code>" not in html


def test_events_filter_by_location(tmp_path: Path) -> None:
    text = "Azerbaijan met Armenia in Baku. Armenia met Azerbaijan in Yerevan."
    art = _article(text, "2024-02-01", "Example Wire", "Talks", None)
    aze, arm = _mention(art, "Azerbaijan", "AZE", "AZE"), _mention(art, "Armenia", "ARM", "ARM")
    aze2, arm2 = _mention(art, "Azerbaijan", "AZE", "AZE", 1), _mention(art, "Armenia", "ARM", "ARM", 1)
    evs = [_event(art, "met Armenia", "CONSULT", 1, 1.0, aze, arm, location="AZE"),
           _event(art, "met Azerbaijan", "CONSULT", 1, 1.0, arm2, aze2, location="ARM")]
    path = tmp_path / "w.duckdb"
    with Store.open(path) as store:
        store.upsert_actors(ACTORS)
        store.add_articles([art])
        store.save_annotations([_annotations(art, [aze, arm, aze2, arm2], evs)])
    with TestClient(create_app(path)) as client:
        def where(query: str) -> list[str]:
            return [e["location"] for e in client.get("/api/events" + query).json()["events"]]

        assert sorted(where("")) == ["ARM", "AZE"]
        assert where("?location=aze") == ["AZE"] and where("?location=IRQ") == []
        assert where("?location=ARM&actor=AZE") == ["ARM"]  # AZE is that event's target
        assert client.get("/api/events?location=TOOLONG").status_code == 422
        page = client.get("/events?location=ARM").text
        assert 'name="location" value="ARM"' in page and "met Azerbaijan" in page
        assert "met Armenia" not in page


def test_bar_chart_spans_centuries() -> None:
    from diplograph.web.graph import bar_chart

    rows = [{"month": "1918-11", "quad_class": 4, "events": 1},
            {"month": "2001-05", "quad_class": 1, "events": 2},
            {"month": "2024-03", "quad_class": 2, "events": 3}]  # fmt: skip
    chart = bar_chart(rows)  # 106 years of months: decades
    assert chart["slots"] == 12 and len(chart["bars"]) == 3  # 1910s ... 2020s
    assert {b["title"].split(":")[0] for b in chart["bars"]} == {"1910s", "2000s", "2020s"}
    ancient = bar_chart([*rows, {"month": "1066-10", "quad_class": 4, "events": 1}])
    assert ancient["slots"] == 11 and len(ancient["bars"]) == 4  # centuries: 1000s ... 2000s
    short = bar_chart(rows[1:2] + [{"month": "2001-09", "quad_class": 4, "events": 1}])
    assert short["slots"] == 5  # months


def test_safe_url_only_http() -> None:
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_url("http://x.example") == "http://x.example"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil.example",
                "/relative", "https://", "http://exa mple.org", 'https://x.org/"onmouseover=1',
                None, 42, "vbscript:x", "java\tscript:alert(1)"):  # fmt: skip
        assert safe_url(bad) is None, bad


def test_segments_cover_text_exactly_once() -> None:
    text = "Jens Stoltenberg met Ilham Aliyev."
    spans = [Span(0, 16, "mention", "/a", "x"), Span(5, 20, "claim", "#c", "y"),
             Span(17, 20, "event", "#e", "z"), Span(30, 99, "timex", None, "t"),
             Span(-3, 2, "mention", "/bad", "b"), Span(7, 7, "event", None, "empty")]  # fmt: skip
    segs = segments(text, spans)
    assert "".join(s.text for s in segs) == text
    met = next(s for s in segs if s.text == "met")
    assert met.kinds == ("event", "claim") and met.href == "#e"
    assert next(s for s in segs if s.text == "Jens ").href == "/a"


def test_errors_are_json_on_api_and_html_elsewhere(web: TestClient) -> None:
    r = web.get("/api/articles/nope")
    assert r.status_code == 404 and r.json() == {
        "ok": False, "error": {"status": 404, "code": "not_found", "message": "no such article"}}
    r = web.get("/articles/nope")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no such article" in r.text and r.headers["content-security-policy"] == CSP
    r = web.get("/api/actors?limit=100000")
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"
    r = web.get("/actors?limit=abc")
    assert r.status_code == 400 and "limit" in r.text
    r = web.get("/api/search?since=yesterday")
    assert r.status_code == 422
    assert web.get("/api/no-such-endpoint").json()["error"]["code"] == "not_found"


def test_missing_fts_extension_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from diplograph.store import extensions

    path = tmp_path / "s.duckdb"
    build_store(path, evil=False)
    monkeypatch.setattr(extensions, "FTS_PACKAGE", "diplograph_no_such_package")
    with TestClient(create_app(path, snapshot_dir=tmp_path / "snaps")) as client:
        r = client.get("/api/overview")
        assert r.status_code == 503  # the cause is logged and on /api/health
        assert "[E440]" in client.get("/api/health").json()["last_error"]


def test_internal_errors_leak_no_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.duckdb"
    build_store(path, evil=False)
    from diplograph.web import queries_web

    def boom(*a: Any, **k: Any) -> Any:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(queries_web, "overview", boom)
    with TestClient(create_app(path), raise_server_exceptions=False) as client:
        for url, kind in (("/api/overview", "application/json"), ("/", "text/html")):
            r = client.get(url)
            assert r.status_code == 500 and r.headers["content-type"].startswith(kind)
            assert "secret" not in r.text and "Traceback" not in r.text
            assert r.headers["content-security-policy"] == CSP


def test_read_only_by_default_no_ingest_endpoint(web: TestClient) -> None:
    assert web.post("/api/ingest", content=b"x", headers={"content-type": "text/plain"}).status_code in (404, 405)
    assert "/api/ingest" not in web.get("/api/openapi.json").json()["paths"]
    assert 'href="/ingest"' not in web.get("/").text


def test_openapi_spec_covers_every_api_page(web: TestClient) -> None:
    spec = web.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    for p in ("/api/overview", "/api/articles", "/api/articles/{article_id}", "/api/actors",
              "/api/actors/{actor_id}", "/api/relations/{a}/{b}", "/api/events", "/api/claims",
              "/api/contradictions", "/api/sources", "/api/search", "/api/network",
              "/api/timeline"):  # fmt: skip
        assert p in paths
    assert not any(not p.startswith("/api/") for p in paths)
    assert web.get("/docs").status_code == 404  # no CDN-scripted docs UI


def test_allowed_hosts_blocks_dns_rebinding(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    build_store(path, evil=False)
    app = create_app(path, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://localhost") as client:
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/health", headers={"host": "evil.example"}).status_code == 400


# ---------------------------------------------------------------------- ingest


def test_ingest_needs_a_long_token(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        create_app(tmp_path / "x.duckdb", allow_ingest=True)
    with pytest.raises(ConfigError):
        create_app(tmp_path / "x.duckdb", allow_ingest=True, token="short")


@pytest.fixture
def ingest_client(tmp_path: Path) -> Any:
    pytest.importorskip("diplograph.ingest")
    path = tmp_path / "ing.duckdb"
    build_store(path, evil=False)
    app = create_app(path, allow_ingest=True, token=TOKEN, max_upload_bytes=4096,
                     snapshot_dir=tmp_path / "snaps")  # fmt: skip
    with TestClient(app) as client:
        yield client


EVIL_JSONL = json.dumps({"title": EVIL_TITLE, "url": EVIL_URL, "outlet": EVIL_OUTLET,
                         "published": "2024-01-02", "text": EVIL_TEXT}) + "\n"  # fmt: skip


def test_ingest_token_size_and_type_checks(ingest_client: TestClient) -> None:
    c = ingest_client
    body = EVIL_JSONL.encode()
    assert c.post("/api/ingest", content=body, headers={"content-type": "application/x-ndjson"}).status_code == 401
    assert c.post("/api/ingest", content=body, headers={"content-type": "application/x-ndjson",
                  "authorization": "Bearer wrong-token-0123456789"}).status_code == 401  # fmt: skip
    auth = {"authorization": f"Bearer {TOKEN}"}
    big = c.post("/api/ingest", content=b"a " * 5000, headers={**auth, "content-type": "text/plain"})
    assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
    r = c.post("/api/ingest", content=b"x", headers={**auth, "content-type": "image/png"})
    assert r.status_code == 415
    r = c.post("/api/ingest", files={"file": ("../../../../etc/x.exe", b"hello", "application/octet-stream")},
               data={"token": TOKEN})  # fmt: skip
    assert r.status_code == 415
    r = c.post("/api/ingest", files={"file": ("a.txt", b"hello")}, data={"token": "nope"})
    assert r.status_code == 401


def test_ingest_upload_then_visible_and_escaped(ingest_client: TestClient, tmp_path: Path) -> None:
    c = ingest_client
    before = c.get("/api/overview").json()["counts"]["articles"]
    victim = tmp_path / "victim.txt"
    r = c.post("/api/ingest", files={"file": (f"../../{victim}.jsonl", EVIL_JSONL.encode(), "text/plain")},
               data={"token": TOKEN})  # fmt: skip
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["ingest"]["new"] == 1 and len(out["articles"]) == 1
    assert not victim.exists() and not list(tmp_path.glob("victim*"))  # name never used as a path
    assert c.get("/api/overview").json()["counts"]["articles"] == before + 1
    page = c.get(f"/articles/{out['articles'][0]}").text
    assert "&lt;script&gt;window.__pwned=1" in page and "<script>window" not in page
    assert 'href="javascript:' not in page.lower()


# ------------------------------------------------------------ snapshot & writers


def test_server_keeps_serving_while_another_process_writes(tmp_path: Path) -> None:
    """A real writer process holds the store for seconds: requests never fail, the file
    is intact afterwards, and the new article shows up once the writer is done."""
    path = tmp_path / "w.duckdb"
    build_store(path, evil=False)
    app = create_app(path, refresh_interval=0.2, snapshot_dir=tmp_path / "snaps")
    with TestClient(app) as client:
        assert client.get("/api/overview").json()["counts"]["articles"] == 5
        writer, new_id = _start_writer(path, tmp_path)
        statuses: list[int] = []
        while writer.poll() is None:
            statuses.append(client.get("/api/actors/AZE").status_code)
            statuses.append(client.get("/").status_code)
        assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
        assert statuses and set(statuses) == {200}
        deadline = time.time() + 20
        while time.time() < deadline:
            if client.get(f"/api/articles/{new_id}").status_code == 200:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the new article never appeared")
        assert client.get("/api/overview").json()["counts"]["articles"] == 6
    with Store.open(path, read_only=True) as store:  # not corrupted
        assert store.scalar("SELECT count(*) FROM articles") == 6


WRITER = """
import sys, time
from diplograph.store import Store
from diplograph.model import Article, content_id
text = "A new report from Baku about the talks with NATO officials and the mission."
art = Article(id=content_id(text), text=text, title="Late news", outlet="Late Wire", author=None,
              published="2024-06-01", published_source="metadata", origin="late.txt", url=None,
              lang="en", word_count=14)
with Store.open(sys.argv[1], retries=100) as store:
    print("locked", flush=True)
    time.sleep(1.5)
    store.add_articles([art])
    time.sleep(1.0)
print(art.id, flush=True)
"""


def _start_writer(path: Path, tmp: Path) -> tuple[subprocess.Popen[str], str]:
    """A subprocess writer: ``diplograph ingest`` is used where the CLI can ingest."""
    from diplograph.model import content_id

    text = "A new report from Baku about the talks with NATO officials and the mission."
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc, content_id(text)


def test_concurrent_diplograph_ingest_cli(tmp_path: Path) -> None:
    """``diplograph ingest`` in a subprocess while requests hit a live uvicorn server."""
    pytest.importorskip("diplograph.ingest")
    import httpx

    path = tmp_path / "cli.duckdb"
    build_store(path, evil=False)
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(40):
        (docs / f"n{i}.txt").write_text(
            f"Report number {i}. Officials in Baku and Yerevan said on Monday that the talks "
            f"about the border would continue next week in Geneva, item {i} of the series, "
            "and that both delegations expected progress on transport and trade.\n", "utf-8")
    server = _Server(create_app(path, refresh_interval=0.2, snapshot_dir=tmp_path / "snaps"))
    with server:
        base = server.url
        assert httpx.get(f"{base}/api/overview").json()["counts"]["articles"] == 5
        cli = Path(sys.executable).with_name("diplograph")
        proc = subprocess.Popen([str(cli), "ingest", str(docs), "--db", str(path)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        codes = []
        with httpx.Client(timeout=30) as http:
            while proc.poll() is None:
                codes.append(http.get(f"{base}/api/actors/AZE").status_code)
                codes.append(http.get(f"{base}/search?q=baku").status_code)
        _, err = proc.communicate()
        assert proc.returncode == 0, err
        assert codes and set(codes) == {200}
        deadline = time.time() + 30
        while time.time() < deadline:
            n = httpx.get(f"{base}/api/overview").json()["counts"]["articles"]
            if n == 45:
                break
            time.sleep(0.3)
        assert n == 45
        assert httpx.get(f"{base}/api/search", params={"q": "series"}).json()["total"] == 40


class _Server:
    """uvicorn in a background thread on a free loopback port."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
        self.server = uvicorn.Server(self.config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = ""

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


# ------------------------------------------------------------------ schemathesis


def test_openapi_schemathesis(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every documented /api operation, fuzzed within its schema: no 5xx, responses
    and status codes as documented."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings

    path = tmp_path_factory.mktemp("st") / "st.duckdb"
    build_store(path)
    app = create_app(path)
    with TestClient(app):  # runs the lifespan: first snapshot
        schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
        failures: list[str] = []
        for op in schema.get_all_operations():
            operation = op.ok()

            # derandomize: the same examples on every run, so CI cannot fail on a draw that
            # no rerun shows (a 400-examples-per-operation random probe found no failure)
            @settings(max_examples=25, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))  # fmt: skip
            @given(case=operation.as_strategy())
            def check(case: Any) -> None:
                case.call_and_validate()

            try:
                check()
            except Exception as exc:  # noqa: BLE001 - collect, report all at once
                failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
        assert not failures, "\n\n".join(failures)


# ------------------------------------------------------------- cache & synthetic


def test_results_are_cached_per_snapshot_and_shared_with_the_json_twin(web: TestClient) -> None:
    snap = web.app.state.web.snapshots.current()  # type: ignore[attr-defined]
    snap.cache.clear()
    snap.responses.clear()
    web.get("/actors/ARM")
    hits = snap.cache.hits
    assert web.get("/api/actors/ARM").json()["actor"]["name"] == "Armenia"  # data: a hit
    assert snap.cache.hits == hits + 1
    entries, replayed = len(snap.cache), snap.responses.hits
    first = web.get("/actors/ARM")  # the whole response is replayed: no query, no render
    assert snap.cache.hits == hits + 1 and len(snap.cache) == entries
    assert snap.responses.hits == replayed + 1 and snap.responses.bytes > len(first.content)
    again = web.get("/actors/ARM")
    assert again.content == first.content and again.headers["content-security-policy"] == CSP
    assert again.headers["content-type"].startswith("text/html")
    assert web.get("/api/actors/ARM").headers["content-type"] == "application/json"
    health = web.get("/api/health").json()
    assert health["cache"]["entries"] >= 1 and health["responses"]["entries"] >= 2
    assert web.get("/actors/NOPE").status_code == 404  # errors are never kept
    assert ("/actors/NOPE", b"") not in snap.responses._data


def test_cached_responses_still_check_the_host(tmp_path: Path) -> None:
    path = tmp_path / "h.duckdb"
    build_store(path, evil=False)
    with TestClient(create_app(path, allowed_hosts=["testserver"])) as client:
        assert client.get("/actors/ARM").status_code == 200
        assert client.get("/actors/ARM").status_code == 200  # now from the cache
        evil = client.get("/actors/ARM", headers={"host": "evil.example"})
        assert evil.status_code == 400 and "Armenia" not in evil.text
        assert evil.headers["content-security-policy"] == CSP


def test_lru_byte_budget() -> None:
    from diplograph.web.snapshot import LRU

    lru = LRU(10, max_bytes=100)
    lru.put("a", b"x" * 60, weight=60)
    lru.put("b", b"y" * 30, weight=30)
    lru.put("c", b"z" * 30, weight=30)  # over budget: the oldest ("a") goes
    assert lru.get("a") is LRU.MISSING and lru.bytes == 60 and len(lru) == 2
    lru.put("big", b"w" * 101, weight=101)  # larger than the budget: not kept
    assert lru.get("big") is LRU.MISSING and lru.bytes == 60
    lru.put("b", b"y" * 10, weight=10)  # replacing re-weighs
    assert lru.bytes == 40
    lru.clear()
    assert lru.bytes == 0 and len(lru) == 0


def test_synthetic_store_serves_every_page(tmp_path: Path) -> None:
    from diplograph.web.synth import build_synthetic_store

    path = tmp_path / "syn.duckdb"
    counts = build_synthetic_store(path, articles=400, events=4000, claims=800, states=30,
                                   orgs=10, people=20, vocabulary=300)  # fmt: skip
    assert counts["articles"] == 400 and counts["events"] == 4000 and counts["actors"] == 60
    with TestClient(create_app(path, cache_size=0)) as client:
        actors = client.get("/api/actors?limit=5").json()["actors"]
        top = actors[0]["id"]
        assert actors[0]["events"] > actors[-1]["events"] > 0  # skewed popularity
        actor = client.get(f"/api/actors/{top}").json()
        assert len(actor["events"]) == 25 and actor["counterparts"]
        other = actor["counterparts"][0]["other"]
        rel = client.get(f"/api/relations/{top}/{other}").json()
        assert rel["totals"]["events"] == actor["counterparts"][0]["events"]
        assert len(rel["cooperation"]) + len(rel["conflict"]) == min(
            25, rel["totals"]["cooperation"]) + min(25, rel["totals"]["conflict"])
        dated = client.get(f"/api/relations/{top}/{other}", params={"since": "2015"}).json()
        assert dated["totals"] == rel["totals"]  # every synthetic date is after 2015
        word = client.get("/api/articles?limit=1").json()["articles"][0]["title"].split()[-1]
        assert client.get("/api/search", params={"q": word}).json()["total"] >= 1
        for page in ("/", f"/actors/{top}", f"/relations/{top}/{other}", f"/search?q={word}",
                     "/network", "/timeline", f"/actors/{top}?since=2018&until=2019"):  # fmt: skip
            assert client.get(page).status_code == 200, page
