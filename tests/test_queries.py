"""Named read queries over a hand-built in-memory store.

``sample_store()`` is also used by test_reports.py and test_export.py.
"""

from __future__ import annotations

import pytest

from diplograph import queries
from diplograph.errors import StoreError
from diplograph.model import (
    Actor,
    Annotations,
    Article,
    Claim,
    Event,
    IngestError,
    Mention,
    Role,
    Sentence,
    TimeExpr,
    content_id,
    record_id,
)
from diplograph.store import Store
from diplograph.tables import event_lines, evidence

EXTRACTOR = "test@1"
HOSTILE_TITLE = "<script>alert(1)</script> Breaking"
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_URL = "javascript:alert(1)"

TEXT_1 = (
    "Azerbaijan and Armenia held talks in Brussels on Friday. "
    "NATO chief Jens Stoltenberg praised Azerbaijan. "
    "Defence Minister Zakir Hasanov met John Doe."
)
TEXT_2 = "Armenia threatened Azerbaijan with sanctions. NATO urged calm."
TEXT_3 = (
    f"{HOSTILE_IMG} Azerbaijan attacked Armenia, officials said. "
    "<script>alert(1)</script> Armenia denied it."
)
TEXT_4 = "An undated note with no actors at all in it, just words."


def _article(text: str, **kw: object) -> Article:
    base: dict[str, object] = {
        "id": content_id(text), "text": text, "title": None, "outlet": None, "author": None,
        "published": None, "published_source": "metadata",
        "origin": f"file:{content_id(text)}.txt", "url": None, "lang": "en",
        "word_count": len(text.split()),
    }  # fmt: skip
    base.update(kw)
    return Article(**base)  # type: ignore[arg-type]


def _sentences(art: Article) -> tuple[Sentence, ...]:
    out, start = [], 0
    for i, part in enumerate(art.text.split(". ")):
        end = start + len(part) + (1 if i < art.text.count(". ") else 0)
        out.append(Sentence(art.id, i, start, min(end, len(art.text))))
        start = end + 1
    return tuple(out)


def _sentence_of(sents: tuple[Sentence, ...], pos: int) -> int:
    return next(s.index for s in sents if s.start <= pos < s.end + 1)


def _mention(art: Article, sents, surface: str, actor: str, code: str, *, nth: int = 0,
             sector: str | None = None, org: str | None = None) -> Mention:  # fmt: skip
    start = -1
    for _ in range(nth + 1):
        start = art.text.index(surface, start + 1)
    end = start + len(surface)
    return Mention(
        record_id(art.id, start, end, "mention"), art.id, _sentence_of(sents, start), start,
        end, surface, actor, code, sector, org, "DICT", not actor.startswith("?"),
        "dictionary", EXTRACTOR,
    )  # fmt: skip


def _event(art: Article, sents, trigger: str, etype: str, quad: int, sources, targets,
           date: str | None, *, cameo: str, goldstein: float, negated: bool = False,
           spans: tuple[str, str] | None = None) -> Event:  # fmt: skip
    """An event; ``spans`` names the surface texts of the (single) source and target."""
    start = art.text.index(trigger)

    def span(surface: str) -> tuple[int, int]:
        at = art.text.index(surface)
        return (at, at + len(surface))

    src_spans = (span(spans[0]),) if spans else tuple((0, 0) for _ in sources)
    tgt_spans = (span(spans[1]),) if spans else tuple((0, 0) for _ in targets)
    return Event(
        record_id(art.id, start, etype), art.id, _sentence_of(sents, start), start,
        start + len(trigger), trigger, etype, None, None, cameo, quad, goldstein,
        tuple(sources), tuple(targets), src_spans, tgt_spans, negated, "asserted", None,
        date, False, "explicit" if date else "publication", None, 0.9, EXTRACTOR,
    )  # fmt: skip


def sample_store() -> tuple[Store, dict[str, Article]]:
    """Four articles (one hostile, one a reprint), actors, mentions, events, a claim."""
    a1 = _article(TEXT_1, title="Talks in Brussels", outlet="Trend", published="2024-05-03",
                  url="https://example.org/talks")  # fmt: skip
    a2 = _article(TEXT_2, title="Threats", outlet="Reuters", published="2024-06-10")
    a3 = _article(
        TEXT_3, title=HOSTILE_TITLE, outlet="<b>Evil</b>", published="2024-06-12",
        url=HOSTILE_URL, origin=HOSTILE_URL, reprint_of=a1.id, similarity=0.7,
        reprinted_from="<i>Wire</i>",
    )  # fmt: skip
    a4 = _article(TEXT_4, title="Note", outlet="Trend")
    store = Store.open(":memory:")
    store.add_articles([a1, a2, a3, a4])
    store.add_errors([IngestError("bad.bin", "E102", "binary content")])
    store.upsert_actors([
        Actor("AZE", "Azerbaijan", "state"), Actor("ARM", "Armenia", "state"),
        Actor("GEO", "Georgia", "state"), Actor("NATO", "NATO", "igo"),
        Actor("jens-stoltenberg", "Jens Stoltenberg", "person",
              roles=(Role("jens-stoltenberg", "NATO", "IGO", "Secretary General"),)),
        Actor("zakir-hasanov", "Zakir Hasanov", "person", country="AZE",
              roles=(Role("zakir-hasanov", "AZE", "MIL", "Defence Minister"),)),
    ])  # fmt: skip
    s1, s2, s3 = _sentences(a1), _sentences(a2), _sentences(a3)
    m1 = (
        _mention(a1, s1, "Azerbaijan", "AZE", "AZE"),
        _mention(a1, s1, "Armenia", "ARM", "ARM"),
        _mention(a1, s1, "NATO", "NATO", "NATO"),
        _mention(a1, s1, "Jens Stoltenberg", "jens-stoltenberg", "NATO", sector="IGO", org="NATO"),
        _mention(a1, s1, "Azerbaijan", "AZE", "AZE", nth=1),
        _mention(a1, s1, "Zakir Hasanov", "zakir-hasanov", "AZEMIL", sector="MIL", org="AZE"),
        _mention(a1, s1, "John Doe", "?john-doe", "?john-doe"),
    )
    m2 = (
        _mention(a2, s2, "Armenia", "ARM", "ARM"),
        _mention(a2, s2, "Azerbaijan", "AZE", "AZE"),
        _mention(a2, s2, "NATO", "NATO", "NATO"),
    )
    m3 = (
        _mention(a3, s3, "Azerbaijan", "AZE", "AZE"),
        _mention(a3, s3, "Armenia", "ARM", "ARM"),
        _mention(a3, s3, "Armenia", "ARM", "ARM", nth=1),
    )
    e1 = (
        _event(a1, s1, "held talks", "CONSULT", 1, ["AZE"], ["ARM"], "2024-05-03",
               cameo="04", goldstein=1.0),
        _event(a1, s1, "met", "CONSULT", 1, ["AZEMIL"], ["?john-doe"], "2024-05-02",
               cameo="04", goldstein=1.0, spans=("Zakir Hasanov", "John Doe")),
    )  # fmt: skip
    e2 = (_event(a2, s2, "threatened", "THREATEN", 3, ["ARM"], ["AZE"], None, cameo="13",
                 goldstein=-4.4),)  # fmt: skip
    e3 = (_event(a3, s3, "attacked", "ASSAULT", 4, ["AZE"], ["ARM"], "2024-06", cameo="18",
                 goldstein=-9.0, negated=True),)  # fmt: skip
    tx_start = a1.text.index("Friday")
    timex = TimeExpr(record_id(a1.id, tx_start, "timex"), a1.id, 0, tx_start, tx_start + 6,
                     "Friday", "DATE", "2024-05-03", "2024-05-03", "publication", False,
                     EXTRACTOR)  # fmt: skip
    c_start = a3.text.index("Azerbaijan attacked")
    claim = Claim(record_id(a3.id, c_start, "claim"), a3.id, 0, c_start, c_start + 29,
                  a3.text[c_start:c_start + 29], "indirect", None, "officials", None, None,
                  None, "said", None, None, "AZE", "attacked", "ARM", "affirmed", "asserted",
                  None, EXTRACTOR)  # fmt: skip
    store.save_annotations([
        Annotations(a1.id, EXTRACTOR, s1, m1, (timex,), e1),
        Annotations(a2.id, EXTRACTOR, s2, m2, (), e2),
        Annotations(a3.id, EXTRACTOR, s3, m3, (), e3, (claim,)),
    ])  # fmt: skip
    return store, {"a1": a1, "a2": a2, "a3": a3, "a4": a4}


@pytest.fixture
def sample():
    store, arts = sample_store()
    yield store, arts
    store.close()


def test_overview_counts_and_range(sample):
    store, _ = sample
    ov = queries.overview(store)
    assert ov["articles"] == 4
    assert ov["reprints"] == 1
    assert ov["outlets"] == 3
    assert ov["mentions"] == 13
    assert ov["events"] == 4
    assert ov["claims"] == 1
    assert ov["ingest_errors"] == 1
    assert ov["unresolved_actors"] == 1
    assert (ov["first_date"], ov["last_date"], ov["undated"]) == ("2024-05-03", "2024-06-12", 1)


def test_articles_filters(sample):
    store, arts = sample
    rows = queries.articles(store)
    assert [r["id"] for r in rows] == [arts[k].id for k in ("a1", "a2", "a3", "a4")]
    assert rows[0]["mentions"] == 7 and rows[0]["events"] == 2 and rows[0]["sources"] == 1
    assert "minhash" not in rows[0] and "text" not in rows[0]
    assert [r["id"] for r in queries.articles(store, outlet="Trend")] == [
        arts["a1"].id,
        arts["a4"].id,
    ]
    june = queries.articles(store, since="2024-06", until="2024-06")
    assert [r["title"] for r in june] == ["Threats", HOSTILE_TITLE]
    assert [r["id"] for r in queries.articles(store, until="2024-06-10")] == [
        arts["a1"].id,
        arts["a2"].id,
    ]
    assert len(queries.articles(store, limit=2)) == 2
    assert queries.articles(store, limit=1, with_text=True)[0]["text"] == TEXT_1


@pytest.mark.parametrize("bad", ["yesterday", "2024-5", "2024-05-03'; DROP TABLE articles; --"])
def test_date_filters_are_validated(sample, bad):
    store, _ = sample
    with pytest.raises(ValueError):
        queries.articles(store, since=bad)
    assert queries.overview(store)["articles"] == 4


def test_user_input_is_bound_not_formatted(sample):
    store, _ = sample
    hostile = "Trend' OR '1'='1"
    assert queries.articles(store, outlet=hostile) == []
    assert queries.mentions(store, actor="x' OR 1=1 --") == []
    assert queries.events(store, actor="%") == []


def test_articles_by_outlet_date(sample):
    store, _ = sample
    rows = queries.articles_by_outlet_date(store)
    assert {(r["outlet"], r["published"]): r["articles"] for r in rows} == {
        ("Trend", "2024-05-03"): 1, ("Reuters", "2024-06-10"): 1,
        ("<b>Evil</b>", "2024-06-12"): 1, ("Trend", None): 1,
    }  # fmt: skip


def test_actors_counts_and_unresolved(sample):
    store, _ = sample
    rows = {r["id"]: r for r in queries.actors(store)}
    assert rows["AZE"]["mentions"] == 4 and rows["AZE"]["articles"] == 3
    assert rows["ARM"]["mentions"] == 4
    assert rows["GEO"]["mentions"] == 0 and rows["GEO"]["resolved"] is True
    doe = rows["?john-doe"]
    assert (doe["kind"], doe["name"], doe["resolved"], doe["mentions"]) == (
        "unresolved", "John Doe", False, 1)  # fmt: skip
    assert rows["jens-stoltenberg"]["codes"] == ["NATO"]
    ordered = queries.actors(store)
    assert [r["mentions"] for r in ordered] == sorted(
        (r["mentions"] for r in ordered), reverse=True
    )
    assert {r["id"] for r in queries.actors(store, kind="person")} == {
        "jens-stoltenberg", "zakir-hasanov"}  # fmt: skip
    assert [r["id"] for r in queries.actors(store, resolved=False)] == ["?john-doe"]
    assert "GEO" not in {r["id"] for r in queries.actors(store, min_mentions=1)}
    assert len(queries.actors(store, limit=2)) == 2


def test_mentions_by_actor_id_or_code_prefix(sample):
    store, arts = sample
    aze = queries.mentions(store, actor="AZE")
    assert {m["actor_id"] for m in aze} == {"AZE", "zakir-hasanov"}
    assert any(m["code"] == "AZEMIL" for m in aze)
    assert len(aze) == 5
    assert len(queries.mentions(store, actor="aze")) == 5  # code prefix is case-insensitive
    by_person = queries.mentions(store, actor="jens-stoltenberg")
    assert [m["text"] for m in by_person] == ["Jens Stoltenberg"]
    in_a2 = queries.mentions(store, article=arts["a2"].id)
    assert [m["text"] for m in in_a2] == ["Armenia", "Azerbaijan", "NATO"]
    assert in_a2[0]["outlet"] == "Reuters"
    assert len(queries.mentions(store, limit=3)) == 3
    several = queries.mentions(store, article=[arts["a1"].id, arts["a2"].id])
    assert len(several) == 10 and {m["article_id"] for m in several} == {
        arts["a1"].id,
        arts["a2"].id,
    }
    assert queries.mentions(store, article=[]) == []


def test_co_mentions_sentence_level(sample):
    store, _ = sample
    pairs = {(p["actor_a"], p["actor_b"]): p for p in queries.co_mentions(store)}
    # AZE+ARM share sentence 0 of a1, a2 and a3: three sentences in three articles
    assert (pairs[("ARM", "AZE")]["sentences"], pairs[("ARM", "AZE")]["articles"]) == (3, 3)
    # NATO and Armenia are in the same articles but never the same sentence
    assert ("ARM", "NATO") not in pairs
    assert ("?john-doe", "zakir-hasanov") in pairs
    assert [(p["actor_a"], p["actor_b"]) for p in queries.co_mentions(store, min_count=2)] == [
        ("ARM", "AZE")]  # fmt: skip
    assert len(queries.co_mentions(store, limit=1)) == 1


def test_article_detail(sample):
    store, arts = sample
    d = queries.article_detail(store, arts["a1"].id)
    assert d is not None and d["text"] == TEXT_1
    assert len(d["sentences"]) == 3 and d["sentences"][0]["start_char"] == 0
    assert len(d["mentions"]) == 7
    for m in d["mentions"]:
        assert TEXT_1[m["start_char"] : m["end_char"]] == m["text"]
    assert [t["text"] for t in d["timexes"]] == ["Friday"]
    assert [e["trigger"] for e in d["events"]] == ["held talks", "met"]
    assert d["claims"] == [] and d["extracted"]["extractor"] == EXTRACTOR
    assert d["sources"][0]["outlet"] == "Trend"
    assert queries.article_detail(store, arts["a3"].id)["claims"][0]["cue"] == "said"
    assert queries.article_detail(store, "nope") is None


def test_ingest_errors(sample):
    store, _ = sample
    assert [(e["origin"], e["code"]) for e in queries.ingest_errors(store)] == [("bad.bin", "E102")]


def test_events_filters(sample):
    store, _ = sample
    rows = queries.events(store)
    # ISO strings sort by their prefix: month-precision "2024-06" before "2024-06-10"
    assert [r["trigger"] for r in rows] == ["met", "held talks", "attacked", "threatened"]
    assert rows[3]["event_date"] == "2024-06-10"  # no own date: the publication date
    assert [r["trigger"] for r in queries.events(store, actor="AZE")] == [
        "met",
        "held talks",
        "attacked",
    ]
    assert [r["trigger"] for r in queries.events(store, actor="AZEMIL")] == ["met"]
    assert [r["trigger"] for r in queries.events(store, target="AZE")] == ["threatened"]
    assert [r["trigger"] for r in queries.events(store, actor="ARM", target="AZ")] == ["threatened"]
    assert [r["trigger"] for r in queries.events(store, since="2024-06")] == [
        "attacked",
        "threatened",
    ]
    assert [r["trigger"] for r in queries.events(store, until="2024-05-02")] == ["met"]
    assert [r["trigger"] for r in queries.events(store, type="CONSULT")] == ["met", "held talks"]
    assert rows[0]["sources"] == ["AZEMIL"] and rows[0]["targets"] == ["?john-doe"]
    # each actor's own words in the article, in the order of the codes
    assert rows[0]["source_names"] == ["Zakir Hasanov"] and rows[0]["target_names"] == ["John Doe"]
    unresolved = {**rows[0], "targets": ["AZE", "---"], "target_names": ["Baku", "Alat Port"]}
    assert event_lines([unresolved])[0]["source -> target"] == 'AZEMIL -> AZE+?"Alat Port"'
    assert event_lines([{**rows[0], "sources": []}])[0]["source -> target"] == "? -> ?john-doe"


def test_read_only_store_queries(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store.open(path) as s:
        s.add_articles([_article(TEXT_2, published="2024-06-10")])
    with Store.open(path, read_only=True) as ro:
        assert queries.overview(ro)["articles"] == 1
        assert queries.actors(ro) == []
    with pytest.raises(StoreError):
        Store.open(tmp_path / "missing.duckdb", read_only=True)


def test_evidence_lines_read_each_sentence_once() -> None:
    one = {"outlet": "Trend", "date": "2024-05-03", "text": "NATO visited Baku and met Aliyev."}
    other = {**one, "text": "NATO left."}
    assert evidence([one, dict(one), other]).splitlines() == [
        "Trend, 2024-05-03: NATO visited Baku and met Aliyev.", "Trend, 2024-05-03: NATO left."]
