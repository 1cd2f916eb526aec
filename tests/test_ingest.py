"""Tests for ingest.py: reading sources, bad-input handling, cleaning and metadata."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from diplograph import errors
from diplograph.clean import clean, english_ratio, parse_date, strip_boilerplate
from diplograph.ingest import ingest, iter_raw
from diplograph.model import Article, IngestError, RawDocument, content_id
from diplograph.settings import Settings

DATA = Path(__file__).parent / "data" / "ingest"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seeds"
SETTINGS = Settings()

BODY = (
    "The two governments agreed on Monday to reopen the northern border crossing for "
    "freight, officials said, after weeks of talks about customs checks and the cost of "
    "new inspection equipment that both sides will now share."
)


def run(*sources: str | Path, settings: Settings = SETTINGS) -> list[Article | IngestError]:
    return list(ingest([str(s) for s in sources], settings))


def one(source: str | Path, settings: Settings = SETTINGS) -> Article | IngestError:
    (result,) = run(source, settings=settings)
    return result


def text_article(text: str, **kw: object) -> Article | IngestError:
    raw = RawDocument(origin="t.txt", kind="txt", text=text, **kw)  # type: ignore[arg-type]
    return clean(raw, SETTINGS)


def lines_of(text: str) -> set[str]:
    return {ln.strip() for ln in text.splitlines() if ln.strip()}


# --------------------------------------------------------------------- sources


def test_folder_walk_is_recursive_sorted_and_skips_hidden_and_sidecars(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(DATA / "corpus", root)
    (root / ".hidden.txt").write_text(BODY)
    (root / ".cache").mkdir()
    (root / ".cache" / "x.txt").write_text(BODY)
    out = list(iter_raw([str(root)], SETTINGS))
    origins = [Path(r.origin).relative_to(root).as_posix() for r in out]
    assert origins == [
        "a_story.txt",
        "notes.md",
        "orphan.json",
        "sub/b_story.txt",
        "sub/c_page.html",
    ]
    codes = {o: r.code for o, r in zip(origins, out) if isinstance(r, IngestError)}
    assert codes == {"notes.md": errors.E_UNSUPPORTED, "orphan.json": errors.E_UNSUPPORTED}
    kinds = [r.kind for r in out if isinstance(r, RawDocument)]
    assert kinds == ["txt", "txt", "html"]


def test_sidecar_metadata_wins_and_is_recorded_as_sidecar() -> None:
    art = one(DATA / "sidecar_story.txt")
    assert isinstance(art, Article)
    assert (art.title, art.outlet, art.author) == (
        "River commission reviews drought rules",
        "Basin Weekly",
        "Ana Ruiz",
    )
    assert (art.published, art.published_source) == ("2019-11-05", "sidecar")
    assert art.url == "https://basin.example.org/news/drought-rules"


def test_plain_json_sidecar_and_free_form_date() -> None:
    art = one(DATA / "plain_sidecar.txt")
    assert isinstance(art, Article)
    assert (art.title, art.outlet, art.published) == (
        "Rail customs deal",
        "Freight Journal",
        "2020-03-03",
    )


def test_sidecar_given_explicitly_is_not_an_article() -> None:
    err = one(DATA / "sidecar_story.meta.json")
    assert isinstance(err, IngestError) and err.code == errors.E_UNSUPPORTED
    assert "sidecar_story.txt" in err.reason


def test_malformed_sidecar_is_reported_and_article_still_ingested() -> None:
    out = run(DATA / "bad_sidecar.txt")
    assert [type(r) for r in out] == [IngestError, Article]
    err = out[0]
    assert isinstance(err, IngestError) and err.code == errors.E_JSONL
    assert err.origin.endswith("bad_sidecar.meta.json")


def test_missing_path_unsupported_scheme_and_single_string() -> None:
    out = run(DATA / "no_such_file.txt", "ftp://example.com/a.txt")
    assert [r.code for r in out if isinstance(r, IngestError)] == [
        errors.E_NOT_FOUND,
        errors.E_UNSUPPORTED,
    ]
    with pytest.raises(TypeError):
        list(iter_raw(str(DATA / "short.txt"), SETTINGS))  # type: ignore[arg-type]


# --------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("empty.txt", errors.E_EMPTY),
        ("whitespace.txt", errors.E_EMPTY),
        ("fake_pdf.txt", errors.E_BINARY),
        ("nul.txt", errors.E_BINARY),
        ("broken_utf8.txt", errors.E_ENCODING),
        ("chrome_only.html", errors.E_NO_TEXT),
        ("short.txt", errors.E_NO_TEXT),
        ("german.txt", errors.E_LANGUAGE),
    ],
)
def test_bad_inputs_become_errors_with_a_reason(name: str, code: str) -> None:
    err = one(DATA / name)
    assert isinstance(err, IngestError)
    assert err.code == code
    assert err.reason and "\n" not in err.reason


def test_bad_inputs_do_not_stop_the_stream() -> None:
    out = run(DATA / "empty.txt", DATA / "nul.txt", DATA / "nav_article.txt", DATA / "german.txt")
    assert [type(r).__name__ for r in out] == [
        "IngestError",
        "IngestError",
        "Article",
        "IngestError",
    ]


def test_latin1_text_is_decoded_when_confidently_text() -> None:
    art = one(DATA / "latin1.txt")
    assert isinstance(art, Article)
    assert "café" in art.text and "\u2018fresh start\u2019" in art.text


def test_cyrillic_in_a_legacy_codepage_is_an_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "ru.txt"
    sentence = "Министры иностранных дел встретились в понедельник. "
    path.write_bytes((sentence * 5).encode("cp1251"))
    err = one(path)
    assert isinstance(err, IngestError) and err.code == errors.E_ENCODING


def test_declared_html_charset_is_used() -> None:
    art = one(DATA / "greek_charset.html")
    assert isinstance(art, Article)
    assert "Αθήνα" in art.text


def test_size_cap_is_checked_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.txt"
    path.write_text(BODY * 20)
    small = replace(SETTINGS, max_bytes=1000)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened although it is over the cap")

    monkeypatch.setattr(Path, "open", no_reading)
    err = one(path, settings=small)
    assert isinstance(err, IngestError) and err.code == errors.E_TOO_LARGE


def test_min_words_setting_applies() -> None:
    assert isinstance(text_article(BODY), Article)
    err = clean(RawDocument("t.txt", "txt", text=BODY), replace(SETTINGS, min_words=100))
    assert isinstance(err, IngestError) and err.code == errors.E_NO_TEXT


# --------------------------------------------------------------------- JSONL


def test_jsonl_lines_are_independent() -> None:
    out = run(DATA / "articles.jsonl")
    summary = [(r.origin.rsplit(":", 1)[1], getattr(r, "code", "ok")) for r in out]
    assert summary == [
        ("1", "ok"),
        ("2", errors.E_JSONL),
        ("3", errors.E_JSONL),
        ("5", errors.E_JSONL),
        ("6", errors.E_EMPTY),
        ("7", "ok"),
    ]
    first, last = out[0], out[-1]
    assert isinstance(first, Article) and isinstance(last, Article)
    assert (first.title, first.outlet, first.author) == (
        "Tariff deal on fish",
        "Shore News",
        "K. Osei",
    )
    assert (first.published, first.published_source) == ("2021-07-09", "jsonl")
    assert last.outlet == "visa-desk.example.net"  # from the URL's domain
    assert last.title == "Visa talks" and last.published_source == "unknown"


def test_jsonl_oversize_and_non_utf8_lines(tmp_path: Path) -> None:
    good = json.dumps({"text": BODY}).encode()
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        json.dumps({"text": BODY + " x" * 2000}).encode()
        + b"\n"
        + b'{"text": "caf\xe9 '
        + b"word " * 30
        + b'"}\n'
        + good
        + b"\n"
    )
    out = run(path, settings=replace(SETTINGS, max_bytes=2000))
    assert [getattr(r, "code", "ok") for r in out] == [errors.E_TOO_LARGE, errors.E_ENCODING, "ok"]


# --------------------------------------------------------------------- cleaning


def test_hostile_html_keeps_article_and_drops_chrome() -> None:
    art = one(DATA / "hostile.html")
    assert isinstance(art, Article)
    for junk in (
        "TRACKER",
        "cookies",
        "Login",
        "Politics",
        "PWNED",
        "Great article",
        "rights reserved",
        "Privacy",
        "Ferry strike",
        "JavaScript",
        "Share on",
    ):
        assert junk not in art.text
    paragraphs = [ln for ln in art.text.splitlines() if ln.strip()]
    starts = ("Delegations from", "The envoys agreed", "A mediator from")
    assert all(any(p.startswith(s) for p in paragraphs) for s in starts)
    assert (art.title, art.outlet, art.author) == (
        "Harbour talks resume after two-year pause",
        "The Coastal Ledger",
        "Mira Okafor",
    )
    assert (art.published, art.published_source) == ("2022-09-14", "metadata")


def test_plain_text_navigation_and_footer_are_stripped() -> None:
    raw = (DATA / "nav_article.txt").read_text()
    art = one(DATA / "nav_article.txt")
    assert isinstance(art, Article)
    kept = lines_of(art.text)
    raw_lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
    nav = raw_lines[: raw_lines.index("Lighthouse treaty signed after decade of haggling")]
    assert nav and not kept & set(nav)
    assert not kept & {"Advertisement", "Related stories", "Follow us on social media"}
    assert not any("Storm season" in ln for ln in kept)
    assert all(ln in kept for ln in raw_lines if len(ln.split()) >= 20)
    assert art.title == "Lighthouse treaty signed after decade of haggling"
    assert art.author == "Tomas Lindqvist"
    assert (art.published, art.published_source) == ("2021-06-02", "dateline")


def test_strip_boilerplate_keeps_body_lines_that_look_like_chrome_words() -> None:
    text = (
        "Menu\nSearch\nSign in\n\nShare prices fall\n\n"
        f"{BODY}\nShare prices fell sharply on Monday after the talks.\n"
        f"Read more: how the border deal was done\n{BODY}\n"
        "Most read\nA headline about something else entirely"
    )
    out, removed = strip_boilerplate(text)
    kept = lines_of(out)
    assert "Share prices fall" in kept  # a short title is not a menu item
    assert "Share prices fell sharply on Monday after the talks." in kept
    assert {"Menu", "Search", "Sign in", "Most read"} <= set(removed)
    assert "Read more: how the border deal was done" not in kept
    assert "A headline about something else entirely" not in kept


def test_a_navigation_bar_on_one_line_is_chrome() -> None:
    text = (f"Home | Politics | World | Opinion | Contact us\n\nBorder deal | Analysis\n\n{BODY}\n"
            "Teams from Ruritania · Freedonia · Capitalville met again.\n")
    out, removed = strip_boilerplate(text)
    kept = lines_of(out)
    assert "Home | Politics | World | Opinion | Contact us" in removed
    assert "Border deal | Analysis" in kept  # two items: a headline with its section
    assert "Teams from Ruritania · Freedonia · Capitalville met again." in kept  # prose


def test_identity_and_word_count() -> None:
    art = text_article("Border deal\n\n" + BODY)
    assert isinstance(art, Article)
    assert art.id == content_id(art.text)
    assert art.word_count == len(art.text.split())
    assert art.lang == "en" and art.title == "Border deal"


def test_windows_line_endings_and_nbsp_lines() -> None:
    art = text_article("Home\r\nWorld\r\n\u00a0\r\nBorder deal\r\n\r\n" + BODY + "\r\n")
    assert isinstance(art, Article)
    assert "\r" not in art.text and "\u00a0" not in art.text
    assert art.text.splitlines()[0] == "Border deal" == art.title


def test_plain_text_header_block_is_metadata_and_not_text() -> None:
    text = (
        "Title: Border deal signed\r\nOutlet: Nordic Wire\r\nDate: 2026-03-14\r\n"
        "Author: Kari Virtanen\r\nSection: World\r\n\r\n" + BODY
    )
    art = text_article(text)
    assert isinstance(art, Article)
    assert (art.title, art.outlet, art.author, art.published) == (
        "Border deal signed", "Nordic Wire", "Kari Virtanen", "2026-03-14",
    )
    assert art.published_source == "metadata"
    assert art.text == BODY  # the header is not article text (no "Title" speaker)


def test_a_title_that_opens_with_a_quote_keeps_it() -> None:
    art = text_article('Title: "We will not be a buffer state": an interview\nDate: 2026-09-01\n\n' + BODY)
    assert isinstance(art, Article)
    assert art.title == '"We will not be a buffer state": an interview'


def test_a_wire_datelines_agency_is_the_outlet_when_nothing_else_names_one() -> None:
    art = text_article("Border deal signed\n\nATHENS, March 3, 2026 (Aegean News) — " + BODY)
    assert isinstance(art, Article)
    assert (art.outlet, art.published, art.published_source) == ("Aegean News", "2026-03-03",
                                                                 "dateline")
    art = text_article("Title: Border deal\nOutlet: Nordic Wire\n\nATHENS, March 3 (AP) — " + BODY)
    assert isinstance(art, Article) and art.outlet == "Nordic Wire"


def test_front_matter_block_is_metadata() -> None:
    art = text_article('---\ntitle: "Border deal"\ndate: 2026-03-14\nslug: x\n---\n\n' + BODY)
    assert isinstance(art, Article)
    assert (art.title, art.published, art.text) == ("Border deal", "2026-03-14", BODY)


@pytest.mark.parametrize(
    "text",
    [
        "Source: a diplomat told us more.\n\n" + BODY,  # one field only: prose
        "Title: Border deal\nNote: unknown key\n\n" + BODY,  # an unknown key
        "---\ntitle: Border deal\n" + BODY,  # an unclosed fence
    ],
)
def test_text_without_a_header_block_is_left_alone(text: str) -> None:
    art = text_article(text)
    assert isinstance(art, Article)
    header_line = next(ln for ln in text.split("\n") if ln != "---")
    assert header_line in art.text.split("\n")
    assert art.published is None


def test_first_line_prose_is_not_a_title() -> None:
    art = text_article(BODY + "\n\n" + BODY)
    assert isinstance(art, Article) and art.title is None


# --------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("21.03.2024", "2024-03-21"),
        ("2024-03-21T10:15:00+04:00", "2024-03-21"),
        ("March 21, 2024", "2024-03-21"),
        ("21st March 2024", "2024-03-21"),
        ("Thu, 21 Mar 2024 10:00:00 GMT", "2024-03-21"),
        ("03/21/2024", "2024-03-21"),
        ("20240321", "2024-03-21"),
        ("03/04/2024", None),  # day/month order unknowable
        ("31 February 2024", None),
        ("1899-12-31", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value: str | None, expected: str | None) -> None:
    assert parse_date(value) == expected


def test_future_dates_are_rejected() -> None:
    soon = date.today() + timedelta(days=30)
    assert parse_date(soon.isoformat()) is None
    art = text_article(f"Border deal\n\n{soon:%d %B %Y}\n\n{BODY}")
    assert isinstance(art, Article) and art.published is None


@pytest.mark.parametrize(
    ("text", "expected", "source"),
    [
        (f"Border deal\n\n29 November 2023 10:15\n\n{BODY}", "2023-11-29", "dateline"),
        (f"Border deal\nPublished: 21.03.2024\n{BODY}", "2024-03-21", "dateline"),
        (f"Border deal\nPosted 2 May 2021 | Updated 3 May 2021\n{BODY}", "2021-05-02", "dateline"),
        (f"Border deal\nUpdated: 3 May 2021 10:00 GMT\n{BODY}", "2021-05-03", "dateline"),
        (f"BAKU, March 21, 2024 (Reuters) - {BODY}", "2024-03-21", "dateline"),
        (f"Border deal\n\n{BODY}\n\nPublished on 5 May 2020", "2020-05-05", "text"),
        (f"Border deal\n\nOn 4 May 2019 the ministry said so. {BODY}", None, "unknown"),
        (f"BAKU, March 21 (Reuters) - {BODY}", None, "unknown"),  # no year stated
        (
            f"Home\nWorld\nMonday, 2 January 2023\n\nBorder deal\n\n{BODY}",
            None,
            "unknown",
        ),  # banner
        (f"Monday, 2 January 2023\n\nBorder deal\n\n{BODY}", "2023-01-02", "dateline"),
        (f"Border deal\n\n{BODY}", None, "unknown"),
    ],
)
def test_dates_stated_in_text(text: str, expected: str | None, source: str) -> None:
    art = text_article(text)
    assert isinstance(art, Article)
    assert (art.published, art.published_source) == (expected, source)


def test_metadata_date_beats_text_date() -> None:
    art = text_article(f"Border deal\n\n29 November 2023\n\n{BODY}", published="2023-11-30")
    assert isinstance(art, Article) and art.published == "2023-11-30"
    assert art.published_source == "metadata"


# --------------------------------------------------------------------- language


def test_english_ratio_separates_languages() -> None:
    english = english_ratio(BODY)
    german = english_ratio((DATA / "german.txt").read_text())
    assert english > 0.25 and german < SETTINGS.min_english_ratio < english


# --------------------------------------------------------------------- seeds


def _seed(prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip("shared seed corpus not available")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def test_seed_dates() -> None:
    a3, a4 = one(_seed("003")), one(_seed("004"))
    assert isinstance(a3, Article) and isinstance(a4, Article)
    assert a3.published == "2024-03-21" and a4.published == "2023-11-29"
    assert a3.published_source == a4.published_source == "dateline"


def test_seed_outlets() -> None:
    a0, a2, a4 = one(_seed("000")), one(_seed("002")), one(_seed("004"))
    assert isinstance(a0, Article) and isinstance(a2, Article) and isinstance(a4, Article)
    # 000 names both: the outlet that reprints it, and the one it reprints
    assert (a0.outlet, a0.reprinted_from) == ("Caliber.Az", "Malaysian Digest")
    assert a2.outlet == "Eurasia Daily Monitor" and a4.outlet == "Caliber.az"
    a3 = one(_seed("003"))  # named only by its related-links heading, "More from The Post"
    assert isinstance(a3, Article) and a3.outlet == "The Post"


@pytest.mark.parametrize(("heading", "outlet"), [
    ("More from The Nordic Wire", "The Nordic Wire"),
    ("MORE FROM REUTERS", "REUTERS"),
    ("More from our partners", None),  # no capitalized name
    ("More from Europe", None),  # a section
    ("More from this author", None),
])  # fmt: skip
def test_more_from_heading_names_the_outlet(heading: str, outlet: str | None) -> None:
    text = "Border deal\n\n" + BODY + "\n\n" + BODY + "\n\n" + heading + "\nTalks resume in the capital\n"
    art = text_article(text)
    assert isinstance(art, Article) and art.outlet == outlet


def test_seed_004_navigation_is_gone_and_body_kept() -> None:
    path = _seed("004")
    raw = [ln.strip() for ln in path.read_text("utf-8").splitlines()]
    date_line = next(i for i, ln in enumerate(raw) if "29 November 2023" in ln)
    header = [ln for ln in raw[:date_line] if ln]
    headline, nav = header[-1], header[:-1]
    assert len(nav) >= 10
    art = one(path)
    assert isinstance(art, Article)
    kept = lines_of(art.text)
    assert not kept & set(nav), kept & set(nav)
    assert art.title == headline
    assert all(ln in kept for ln in raw if len(ln.split()) >= 25)


def test_all_seeds_are_english_articles_without_trailing_chrome() -> None:
    if not SEEDS.is_dir():
        pytest.skip("shared seed corpus not available")
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 5
    for path, art in zip(paths, run(*paths)):
        assert isinstance(art, Article), art
        assert art.lang == "en" and art.word_count > 300
        raw = [ln.strip() for ln in path.read_text("utf-8").splitlines()]
        last_prose = max(i for i, ln in enumerate(raw) if len(ln.split()) >= 25)
        kept = lines_of(art.text)
        assert all(ln in kept for ln in raw if len(ln.split()) >= 25), path.name
        assert not kept & {ln for ln in raw[last_prose + 1 :] if ln}, path.name
