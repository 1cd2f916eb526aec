"""The DuckDB store: migrations, idempotent writes, atomic annotation batches."""

from __future__ import annotations

from pathlib import Path

import pytest

from diplograph.errors import ConfigError, StoreError
from diplograph.model import (
    Actor,
    Annotations,
    Article,
    IngestError,
    Mention,
    Role,
    Sentence,
    content_id,
)
from diplograph.store import Store, migrations


def make_article(text: str = "Baku hosted NATO officials on Monday.", **kw: object) -> Article:
    fields = {
        "id": content_id(text),
        "text": text,
        "title": "A title",
        "outlet": "Example Wire",
        "author": None,
        "published": "2024-03-21",
        "published_source": "metadata",
        "origin": "a.txt",
        "url": None,
        "lang": "en",
        "word_count": len(text.split()),
    }
    fields.update(kw)
    return Article(**fields)  # type: ignore[arg-type]


def make_annotations(article: Article, extractor: str = "test@1") -> Annotations:
    mention = Mention(
        id=f"m-{article.id}",
        article_id=article.id,
        sentence=0,
        start=0,
        end=4,
        text=article.text[0:4],
        actor_id="AZE",
        code="AZE",
        sector=None,
        org=None,
        label="GPE",
        resolved=True,
        method="metonym",
        extractor=extractor,
    )
    return Annotations(
        article_id=article.id,
        extractor=extractor,
        sentences=(Sentence(article.id, 0, 0, len(article.text)),),
        mentions=(mention,),
    )


def test_migrations_are_recorded_and_rerunnable(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store.open(path) as s:
        versions = [r["version"] for r in s.query("SELECT version FROM schema_migrations")]
        assert versions == [m[0] for m in migrations.MIGRATIONS]
    with Store.open(path) as s:  # second open applies nothing new
        assert migrations.apply(s.con) == []
        assert s.scalar("SELECT count(*) FROM schema_migrations") == len(migrations.MIGRATIONS)


def test_read_only_store_rejects_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        Store.open(tmp_path / "nope.duckdb", read_only=True)
    assert info.value.code == "E401"


def test_read_only_store_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store.open(path).close()
    with Store.open(path, read_only=True) as s, pytest.raises(StoreError):
        s.execute_sql("CREATE TABLE x (a INT)")


def test_add_articles_is_idempotent_and_records_every_origin(store: Store) -> None:
    art = make_article()
    assert store.add_articles([art], {art.id: [1, 2, 3]}) == [art.id]
    again = make_article(origin="https://example.org/copy", url="https://example.org/copy")
    assert store.add_articles([again]) == []
    assert store.scalar("SELECT count(*) FROM articles") == 1
    origins = {r["origin"] for r in store.query("SELECT origin FROM article_sources")}
    assert origins == {"a.txt", "https://example.org/copy"}
    assert list(store.signatures()) == [(art.id, "2024-03-21", [1, 2, 3])]
    assert store.article(art.id) == art


def test_save_annotations_replaces_and_marks_extracted(store: Store) -> None:
    art = make_article()
    store.add_articles([art])
    assert [a.id for a in store.pending_articles("test@1")] == [art.id]
    store.save_annotations([make_annotations(art)])
    store.save_annotations([make_annotations(art)])
    assert store.scalar("SELECT count(*) FROM mentions") == 1
    assert store.pending_articles("test@1") == []
    # a new extractor version makes the article pending again
    assert [a.id for a in store.pending_articles("test@2")] == [art.id]


def test_failed_batch_rolls_back_completely(store: Store) -> None:
    art = make_article()
    store.add_articles([art])
    good = make_annotations(art)
    bad_mention = Mention(**{**good.mentions[0].to_dict(), "id": "m-bad", "text": None})  # type: ignore[arg-type]
    bad = Annotations(article_id=art.id, extractor="test@1", mentions=(good.mentions[0], bad_mention))
    with pytest.raises(Exception, match="(?i)null|constraint"):
        store.save_annotations([bad])
    assert store.scalar("SELECT count(*) FROM mentions") == 0
    assert store.pending_articles("test@1") != []


def test_errors_and_actors_upsert(store: Store) -> None:
    err = IngestError("empty.txt", "E101", "empty file")
    store.add_errors([err])
    store.add_errors([err])
    assert store.scalar("SELECT count(*) FROM ingest_errors") == 1
    person = Actor(
        id="jens-stoltenberg",
        name="Jens Stoltenberg",
        kind="person",
        roles=(Role("jens-stoltenberg", "NATO", "IGO", "Secretary General", "2014-10-01", "2024-10-01"),),
    )
    store.upsert_actors([person])
    store.upsert_actors([person])
    assert store.scalar("SELECT count(*) FROM roles") == 1
    assert store.query("SELECT org FROM roles")[0]["org"] == "NATO"
    store.upsert_actors([Actor(id="PFP", name="Partnership for Peace", kind="programme", parent="NATO")])
    assert store.query("SELECT parent FROM actors WHERE id = 'PFP'") == [{"parent": "NATO"}]


def test_copy_to_streams_a_query(store: Store, tmp_path: Path) -> None:
    store.add_articles([make_article()])
    target = tmp_path / "a.parquet"
    store.copy_to("SELECT id, outlet FROM articles", target, "parquet")
    rows = store.query("SELECT * FROM read_parquet(?)", [str(target)])
    assert rows[0]["outlet"] == "Example Wire"
    with pytest.raises(ValueError):
        store.copy_to("SELECT 1", tmp_path / "x", "xml")


def test_copy_to_without_header_and_on_one_thread(store: Store, tmp_path: Path) -> None:
    art = make_article()
    store.add_articles([art])
    threads = store.scalar("SELECT current_setting('threads')")
    target = tmp_path / "a.csv"
    store.copy_to("SELECT id, outlet FROM articles", target, "csv", header=False, threads=1)
    assert target.read_text("utf-8").splitlines() == [f"{art.id},Example Wire"]
    assert store.scalar("SELECT current_setting('threads')") == threads  # restored


def _duckdb_settings(store: Store) -> tuple:
    return store.con.execute(
        "SELECT current_setting('memory_limit'), current_setting('temp_directory'), "
        "current_setting('enable_progress_bar')"
    ).fetchone()


def test_open_caps_memory_and_spills_next_to_the_store(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store.open(path, memory_limit="256MB") as s:
        assert _duckdb_settings(s) == ("244.1 MiB", f"{path}.tmp", False)
    with Store.open(path, read_only=True) as s:  # the default limit: 1GB
        assert _duckdb_settings(s) == ("953.6 MiB", f"{path}.tmp", False)
    with Store.open(path, memory_limit="") as s:  # "": DuckDB's own default
        assert _duckdb_settings(s)[0] != "953.6 MiB"
    with pytest.raises(ConfigError) as info:
        Store.open(path, memory_limit="lots")
    assert info.value.code == "E507"


def test_role_valid_at() -> None:
    role = Role("jens-stoltenberg", "NATO", "IGO", "Secretary General", "2014-10-01", "2024-10-01")
    assert role.valid_at("2024-03-21")
    assert not role.valid_at("2010-01-01")
    assert not role.valid_at("2024-10-01")
    assert role.valid_at(None)


def test_fts_extension_loads_from_its_package() -> None:
    from diplograph.store.extensions import fts_extension_path

    assert fts_extension_path().is_file()
    with Store.open() as store:
        store.load_fts()
        store.load_fts()  # idempotent
        assert store.scalar("SELECT stem('villages', 'porter')") == "villag"


def test_fts_extension_missing_is_a_clear_store_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from diplograph.store import extensions

    monkeypatch.setattr(extensions, "FTS_PACKAGE", "diplograph_no_such_package")
    with pytest.raises(StoreError) as err, Store.open() as store:
        store.load_fts()
    assert err.value.code == "E440" and "pip install 'duckdb-extension-fts==" in str(err.value)
    monkeypatch.undo()
    monkeypatch.setattr("diplograph.store.extensions.duckdb.__version__", "0.0.1")
    with pytest.raises(StoreError) as err:
        extensions.fts_extension_path()
    assert err.value.code == "E440" and "DuckDB 0.0.1" in str(err.value)


def test_a_store_killed_right_after_migrating_reopens(tmp_path: Path) -> None:
    # DuckDB 1.5.5 cannot replay a WAL holding migration 3 (ALTER TABLE ... ADD COLUMN on
    # a table with DEFAULT current_timestamp); migrations.apply checkpoints so none is left.
    import subprocess
    import sys

    path = tmp_path / "killed.duckdb"
    code = ("import os, sys; from diplograph.store import Store; "
            "s = Store.open(sys.argv[1]); s.add_articles([]); os._exit(0)")  # fmt: skip
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=120)
    with Store.open(path, read_only=True) as store:
        assert store.scalar("SELECT max(version) FROM schema_migrations") == migrations.latest_version()
