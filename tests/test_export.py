"""Exports round-trip: CSV/JSONL read back with the stdlib, Parquet via the store."""

from __future__ import annotations

import csv
import json

import pytest

from diplograph import export as ex
from diplograph.errors import StoreError
from diplograph.model import Annotations
from diplograph.store import Store
from test_queries import (  # the shared hand-built store
    EXTRACTOR,
    HOSTILE_URL,
    TEXT_1,
    _article,
    _event,
    _sentences,
    sample_store,
)

GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code",
    "Actor1Name", "Actor1CountryCode", "Actor2Code", "Actor2Name", "Actor2CountryCode",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "ActionGeo_CountryCode",
    "DATEADDED", "SOURCEURL", "event_id", "article_id", "sentence", "trigger_start",
    "trigger_end", "trigger", "plover_type", "plover_mode", "plover_context", "modality",
    "negated", "date_approx", "confidence", "all_sources", "all_targets", "extractor",
]  # fmt: skip


@pytest.fixture
def sample():
    store, arts = sample_store()
    yield store, arts
    store.close()


def _csv(path, delimiter=","):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def _jsonl(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_csv_mentions_round_trip(sample, tmp_path):
    store, _ = sample
    out = ex.export(store, "csv", tmp_path / "sub" / "mentions.csv", table="mentions")
    rows = _csv(out)
    stored = store.query("SELECT id, text, start_char FROM mentions")
    assert {r["id"] for r in rows} == {r["id"] for r in stored}
    by_id = {r["id"]: r for r in stored}
    for r in rows:
        assert r["text"] == by_id[r["id"]]["text"]
        assert int(r["start_char"]) == by_id[r["id"]]["start_char"]


def test_jsonl_articles_with_date_filter(sample, tmp_path):
    store, arts = sample
    out = ex.export(store, "jsonl", tmp_path / "a.jsonl", table="articles", since="2024-06")
    rows = _jsonl(out)
    assert [r["id"] for r in rows] == [arts["a2"].id, arts["a3"].id]
    assert "minhash" not in rows[0]
    assert rows[1]["title"] == arts["a3"].title and rows[1]["url"] == HOSTILE_URL
    assert rows[0]["text"] == arts["a2"].text


def test_parquet_events_round_trip(sample, tmp_path):
    store, _ = sample
    out = ex.export(store, "parquet", tmp_path / "events.parquet", table="events")
    back = store.query("SELECT * FROM read_parquet(?) ORDER BY id", [str(out)])
    original = store.query("SELECT * FROM events ORDER BY id")
    assert back == original
    assert any(r["sources"] == ["AZEMIL"] for r in back)


def test_parquet_partitioned_by_year_month(sample, tmp_path):
    store, arts = sample
    out = ex.export(store, "parquet", tmp_path / "parts", table="articles", partition_by_date=True)
    assert (out / "year=2024" / "month=5").is_dir() and (out / "year=2024" / "month=6").is_dir()
    back = store.query(
        "SELECT id, year, month FROM read_parquet(?, hive_partitioning = true) ORDER BY id",
        [str(out / "**" / "*.parquet")],
    )
    assert len(back) == 4
    months = {r["id"]: (r["year"], r["month"]) for r in back}
    assert months[arts["a1"].id] == (2024, 5) and months[arts["a2"].id] == (2024, 6)
    assert months[arts["a4"].id] == (None, None)  # undated: the default partition
    with pytest.raises(StoreError):  # never writes into a folder that has content
        ex.export(store, "parquet", out, table="articles", partition_by_date=True)


def test_gdelt_tsv(sample, tmp_path):
    store, arts = sample
    rows = _csv(ex.export(store, "gdelt", tmp_path / "events.tsv"), delimiter="\t")
    assert list(rows[0]) == GDELT_COLUMNS
    assert [r["trigger"] for r in rows] == ["met", "held talks", "threatened"]  # negated left out
    talks = rows[1]
    assert (talks["SQLDATE"], talks["MonthYear"], talks["Year"]) == ("20240503", "202405", "2024")
    assert (talks["Actor1Code"], talks["Actor1Name"], talks["Actor2Code"]) == (
        "AZE", "Azerbaijan", "ARM")  # fmt: skip
    assert (talks["EventCode"], talks["EventRootCode"], talks["QuadClass"]) == ("04", "04", "1")
    assert talks["SOURCEURL"] == "https://example.org/talks"
    assert int(talks["GLOBALEVENTID"]) > 0 and talks["article_id"] == arts["a1"].id
    assert TEXT_1[int(talks["trigger_start"]) : int(talks["trigger_end"])] == "held talks"
    met = rows[0]
    # a person's code: the name is the source's surface text, the country its state prefix
    assert (met["Actor1Code"], met["Actor1Name"], met["Actor1CountryCode"]) == (
        "AZEMIL", "Zakir Hasanov", "AZE")  # fmt: skip
    assert met["Actor2Name"] == "John Doe"
    threat = rows[2]
    assert threat["SQLDATE"] == "20240610" and threat["GoldsteinScale"] == "-4.4"
    with_negated = _csv(
        ex.export(store, "gdelt", tmp_path / "all.tsv", include_negated=True), delimiter="\t"
    )
    attack = next(r for r in with_negated if r["trigger"] == "attacked")
    assert (attack["SQLDATE"], attack["MonthYear"], attack["negated"]) == ("", "202406", "true")
    assert [r["trigger"] for r in _csv(
        ex.export(store, "gdelt", tmp_path / "may.tsv", until="2024-05"), delimiter="\t"
    )] == ["met", "held talks"]  # fmt: skip
    # gdelt always exports events, whatever table a caller passes along
    again = _csv(ex.export(store, "gdelt", tmp_path / "t.tsv", table="mentions"), delimiter="\t")
    assert [r["event_id"] for r in again] == [r["event_id"] for r in rows]


def test_gdelt_counts_reports_of_the_same_event():
    """Two outlets reporting AZE CONSULT ARM on the same day: counted together."""
    store = Store.open(":memory:")
    texts = [TEXT_1, TEXT_1.replace("Friday", "Friday morning")]
    arts = [_article(t, outlet=o, published="2024-05-03") for t, o in zip(texts, ["X", "Y"])]
    store.add_articles(arts)
    anns = []
    for art in arts:
        sents = _sentences(art)
        ev = _event(art, sents, "held talks", "CONSULT", 1, ["AZE"], ["ARM"], None,
                    cameo="04", goldstein=1.0)  # fmt: skip
        anns.append(Annotations(art.id, EXTRACTOR, sents, (), (), (ev,)))
    store.save_annotations(anns)
    sql, params = ex.gdelt_sql()  # the query also runs without writing a file
    rows = store.query(sql, params)
    assert [(r["NumMentions"], r["NumSources"], r["NumArticles"]) for r in rows] == [(2, 2, 2)] * 2
    assert rows[0]["Actor1Name"] == "AZE"  # unknown code, no span: the code itself
    store.close()


def test_polecat_jsonl(sample, tmp_path):
    store, arts = sample
    rows = _jsonl(ex.export(store, "polecat", tmp_path / "events.jsonl"))
    assert [r["event_type"] for r in rows] == ["CONSULT", "CONSULT", "THREATEN"]
    met = rows[0]
    assert met["source_actors"] == [{"code": "AZEMIL", "name": "Zakir Hasanov", "sector": "MIL",
                                     "country": "AZE", "text": "Zakir Hasanov"}]  # fmt: skip
    assert met["target_actors"][0]["code"] == "?john-doe"
    assert met["story"]["publisher"] == "Trend" and met["story"]["article_id"] == arts["a1"].id
    prov = met["provenance"]
    assert prov["sentence_text"] == "Defence Minister Zakir Hasanov met John Doe."
    assert TEXT_1[prov["trigger_start"] : prov["trigger_end"]] == prov["trigger"] == "met"
    assert met["version"] == ex.POLECAT_VERSION and met["quad_class"] == 1
    assert rows[2]["event_date"] == "2024-06-10" and rows[2]["event_date_reason"] == "publication"


@pytest.mark.parametrize(
    ("fmt", "kwargs"),
    [
        ("xml", {}),
        ("csv", {"table": "nope"}),
        ("csv", {"table": "actors", "since": "2024"}),
        ("csv", {"partition_by_date": True}),
        ("gdelt", {"table": "nope"}),
        ("csv", {"since": "last week"}),
    ],
)
def test_bad_arguments(sample, tmp_path, fmt, kwargs):
    store, _ = sample
    with pytest.raises(ValueError):
        ex.export(store, fmt, tmp_path / "x", **kwargs)
    assert not (tmp_path / "x").exists()


def test_every_table_exports(sample, tmp_path):
    store, _ = sample
    counts = {t: store.scalar(f"SELECT count(*) FROM {t}") for t in ex.TABLES}
    for table in ex.TABLES:
        rows = _jsonl(ex.export(store, "jsonl", tmp_path / f"{table}.jsonl", table=table))
        assert len(rows) == counts[table], table
