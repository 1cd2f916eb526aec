"""The CLI as a user drives it: exit codes, formats, filters and messages.

One store is built from the example corpus (``diplograph run``) for the module; the
commands below read it. Each command is a thin adapter over the library, so these tests
check the adapter's contract: options reach the library, JSON is complete, tables are
readable, bad input gives a one-line reason and the right exit code.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diplograph.cli import app

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "demo.duckdb"
    report = path.with_suffix(".html")
    code, _, stderr = invoke("run", str(CORPUS), "--db", str(path), "--report", str(report))
    assert code == 0, stderr
    assert report.read_text("utf-8").startswith("<!DOCTYPE html>")
    return str(path)


def as_json(*args: str) -> list[dict]:
    code, stdout, stderr = invoke(*args, "--format", "json")
    assert code == 0, stderr
    return json.loads(stdout)


def test_every_command_has_help() -> None:
    commands = ["ingest", "extract", "run", "reconcile", "actors", "mentions", "events",
                "claims", "contradictions", "sources", "relation", "sql", "report", "export",
                "migrate", "serve", "bench", "eval dates", "eval events", "eval quotes"]  # fmt: skip
    for command in commands:
        code, stdout, _ = invoke(*command.split(), "--help")
        assert code == 0 and "Usage" in stdout, command


def test_actors_table_and_json(db: str) -> None:
    rows = as_json("actors", "--db", db)
    ids = {r["id"] for r in rows}
    assert {"AZE", "NATO", "ARM", "jens-stoltenberg"} <= ids
    code, stdout, _ = invoke("actors", "--db", db, "--limit", "5")
    assert code == 0 and "AZE" in stdout and "aliases" not in stdout  # wide columns hidden
    assert "aliases" in rows[0]  # but JSON keeps every field


def test_events_filters_reach_the_query(db: str) -> None:
    rows = as_json("events", "--db", db, "--actor", "AZE", "--since", "2019-01-01")
    assert rows, "the example corpus has events with Azerbaijani sources after 2019"
    for row in rows:
        assert any(code.startswith("AZE") for code in row["sources"]), row
        assert row["date"] is None or row["date"] >= "2019-01-01"
    typed = as_json("events", "--db", db, "--type", "CONSULT")
    assert typed and {r["type"] for r in typed} == {"CONSULT"}
    located = [r for r in as_json("events", "--db", db) if r["location"]]
    assert located, "the example corpus has events with a country-level location"
    where = located[0]["location"]
    there = as_json("events", "--db", db, "--location", where.lower())
    assert there and {r["location"] for r in there} == {where}
    assert len(there) == sum(r["location"] == where for r in as_json("events", "--db", db))
    code, stdout, _ = invoke("events", "--db", db, "--type", "CONSULT")  # the table view
    assert code == 0 and "CONSULT" in stdout and "trigger" in stdout
    assert "extractor" not in stdout and typed[0]["id"] not in stdout  # no internals
    code, stdout, _ = invoke("mentions", "--db", db, "--actor", "AZE")
    assert code == 0 and "AZE" in stdout and "extractor" not in stdout


def test_contradictions_show_both_sides_with_provenance(db: str) -> None:
    rows = as_json("contradictions", "--db", db)
    assert rows
    for row in rows:
        assert row["reason"]
        for side in (row["a"], row["b"]):
            assert side["article_id"] and side["text"] and side["end"] > side["start"]
            assert side["where"]  # the article's original path or URL
    code, stdout, _ = invoke("contradictions", "--db", db)
    assert code == 0 and "side A" in stdout and "seeks_membership" in stdout
    sides = [s for row in rows for s in (row["a"], row["b"])]
    spoken = [s for s in sides if s["speaker"]]
    assert spoken and all(s["speaker_name"] for s in spoken)
    flat = " ".join(stdout.split())
    assert all(" ".join(s["speaker_name"].split()) in flat for s in spoken)  # names, not ids
    anonymous = [s for s in sides if not s["outlet"]]
    assert anonymous, "the example corpus has an article without an outlet"
    assert all(Path(s["origin"]).name in flat for s in anonymous)  # its file, not "?"


def test_sources_scorecards_show_components(db: str) -> None:
    rows = as_json("sources", "--db", db)
    outlets = [r for r in rows if r["scope"] == "outlet"]
    assert outlets and all(0 <= r["score"] <= 1 for r in rows)
    for row in outlets:
        total = sum(c["contribution"] for c in row["components"].values())
        assert total == pytest.approx(row["score"], abs=0.01)
    code, stdout, _ = invoke("sources", "--db", db)
    assert code == 0 and "corr" in stdout and "reprint" in stdout and "0." in stdout


def test_relation_at_a_date(db: str) -> None:
    code, stdout, stderr = invoke("relation", "AZE", "NATO", "--db", db, "--at", "2019-05",
                                  "--format", "json")  # fmt: skip
    assert code == 0, stderr
    data = json.loads(stdout)
    assert data and "AZE" in json.dumps(data) and "NATO" in json.dumps(data)
    code, stdout, _ = invoke("relation", "AZE", "NATO", "--db", db, "--at", "2019-05")
    assert code == 0 and "supported by" in stdout and "in force" in stdout
    assert '"article_id"' not in stdout  # evidence as lines, not JSON


def test_claims_csv(db: str) -> None:
    code, stdout, _ = invoke("claims", "--db", db, "--actor", "AZE", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert rows and "predicate" in rows[0]
    code, stdout, _ = invoke("claims", "--db", db, "--actor", "AZE")  # the table view
    forms = [f"{r['subject']} {r['predicate']}" for r in rows if r["predicate"] and r["polarity"] == "affirmed"]
    assert code == 0 and "evidence" in stdout and '"article_id"' not in stdout
    assert forms and forms[0] in stdout.replace("\n", " ")


def test_claims_table_names_unresolved_sources_in_their_own_words(db: str) -> None:
    facts = as_json("claims", "--db", db)
    unnamed = [e for f in facts for e in f["evidence"] if not e["speaker"] and e["speaker_text"]]
    assert unnamed, "the example corpus has quotes from sources that name no actor"
    code, stdout, _ = invoke("claims", "--db", db)
    flat = " ".join(stdout.split())
    assert code == 0 and all(f"\u201c{' '.join(e['speaker_text'].split())}\u201d" in flat for e in unnamed)


def test_sql_is_read_only(db: str) -> None:
    rows = as_json("sql", "SELECT count(*) AS n FROM articles", "--db", db)
    assert rows[0]["n"] >= 10
    code, _, stderr = invoke("sql", "DELETE FROM articles", "--db", db)
    assert code != 0 and "error" in stderr.lower()
    assert as_json("sql", "SELECT count(*) AS n FROM articles", "--db", db) == rows


def test_export_gdelt_and_polecat(db: str, tmp_path: Path) -> None:
    gdelt, polecat = tmp_path / "events.tsv", tmp_path / "events.jsonl"
    assert invoke("export", str(gdelt), "--db", db, "--format", "gdelt")[0] == 0
    assert invoke("export", str(polecat), "--db", db, "--format", "polecat")[0] == 0
    lines = gdelt.read_text("utf-8").splitlines()
    records = [json.loads(line) for line in polecat.read_text("utf-8").splitlines()]
    assert len(records) == len(lines) - 1 > 0  # a header, then one row per event


def test_memory_limit_setting_reaches_the_store(db: str) -> None:
    sql = "SELECT current_setting('memory_limit') AS m"
    assert as_json("sql", sql, "--db", db) == [{"m": "953.6 MiB"}]  # the 1GB default
    result = runner.invoke(app, ["sql", sql, "--db", db, "--format", "json"],
                           env={"DIPLOGRAPH_MEMORY_LIMIT": "512MB"})  # fmt: skip
    assert result.exit_code == 0 and json.loads(result.stdout) == [{"m": "488.2 MiB"}]
    result = runner.invoke(app, ["sql", sql, "--db", db], env={"DIPLOGRAPH_MEMORY_LIMIT": "x"})
    assert result.exit_code != 0 and "E507" in result.stderr


def test_ingest_exit_codes_and_reasons(tmp_path: Path) -> None:
    db = str(tmp_path / "bad.duckdb")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "blob.txt").write_bytes(bytes(range(256)) * 8)
    code, _, stderr = invoke("ingest", str(tmp_path / "in"), "--db", db)
    assert code == 1, "nothing was ingested: non-zero exit"
    assert "empty.txt" in stderr and "blob.txt" in stderr
    good = tmp_path / "good.txt"
    good.write_text((CORPUS / "yerevan-dateline-stoltenberg.txt").read_text("utf-8"))
    code, _, stderr = invoke("ingest", str(tmp_path / "in"), str(good), "--db", db)
    assert code == 0, "something was ingested: the batch succeeds"
    assert "1 new" in stderr and "2 rejected" in stderr
    code, _, _ = invoke("ingest", str(tmp_path / "in"), "--db", db, "--strict")
    assert code == 1
    rows = as_json("sql", "SELECT count(*) AS n FROM ingest_errors", "--db", db)
    assert rows[0]["n"] == 2  # each rejected input is recorded once, however often it is seen
    assert as_json("sql", "SELECT count(*) AS n FROM articles", "--db", db)[0]["n"] == 1


def test_bad_setting_is_a_config_error(tmp_path: Path) -> None:
    code, _, stderr = invoke("extract", "--db", str(tmp_path / "x.duckdb"),
                             "--set", "no_such_setting=1")  # fmt: skip
    assert code == 2 and "no_such_setting" in stderr
