"""Finding dates in news text, completing years from the article date, and formatting them."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.dates import DateMention, find_dates, format_date, parse_iso

MONDAY = dt.date(2024, 9, 2)  # a Monday
assert MONDAY.weekday() == 0


def only(text: str, reference: dt.date | None = None) -> DateMention:
    mentions = find_dates(text, reference)
    assert len(mentions) == 1, mentions
    mention = mentions[0]
    assert text[mention.start : mention.end] == mention.text
    return mention


@pytest.mark.parametrize(
    "text, written, iso",
    [
        ("Durov was arrested on Aug. 28 in Paris.", "Aug. 28", "2024-08-28"),
        ("He was arrested in France on August 24.", "August 24", "2024-08-24"),
        ("Sep 4, 2024", "Sep 4, 2024", "2024-09-04"),
        ("date 2024-09-02 People hold a protest", "2024-09-02", "2024-09-02"),
        ("경찰청은 2024년 9월 2일 발표했다.", "2024년 9월 2일", "2024-09-02"),
        ("경찰청은 9월 2일 발표했다.", "9월 2일", "2024-09-02"),
        ("On Sept. 3rd, 2024, the bill passed.", "Sept. 3rd, 2024", "2024-09-03"),
        ("It ended on 28 August 2024.", "28 August 2024", "2024-08-28"),
        ("Back in August 2023, concerns grew.", "August 2023", "2023-08"),
        ("compared to 156 cases in 2021 when data collection began", "in 2021", "2021"),
    ],
)
def test_find_dates_with_reference(text, written, iso):
    mention = only(text, MONDAY)
    assert mention.text == written
    assert mention.iso == iso
    assert not mention.relative


@pytest.mark.parametrize(
    "text, month, day",
    [("arrested on Aug. 28 in Paris", 8, 28), ("in France on August 24", 8, 24), ("9월 2일 발표", 9, 2)],
)
def test_without_reference_the_year_is_not_invented(text, month, day):
    mention = only(text)
    assert (mention.year, mention.month, mention.day) == (None, month, day)
    assert mention.iso is None
    assert mention.sort_key.startswith("????")


def test_written_year_needs_no_reference():
    assert only("Sep 4, 2024").iso == "2024-09-04"
    assert only("2024년 9월 2일").iso == "2024-09-02"


@pytest.mark.parametrize(
    "text, iso",
    [
        ("Woo told reporters on Monday that", "2024-09-02"),  # the article's own day
        ("Cho mentioned on Friday that", "2024-08-30"),
        ("officials met last Friday", "2024-08-30"),
        ("officials met last Monday", "2024-08-26"),  # "last" never means today
        ("the suspect was detained yesterday", "2024-09-01"),
        ("Earlier on Sunday, Cho said", "2024-09-01"),
    ],
)
def test_relative_dates_resolve_against_the_article_date(text, iso):
    mention = only(text, MONDAY)
    assert mention.relative
    assert mention.iso == iso


@pytest.mark.parametrize("text", ["on Monday", "last Friday", "yesterday"])
def test_relative_dates_without_reference_stay_unresolved(text):
    mention = only(f"Officials met {text} to talk.")
    assert mention.relative
    assert (mention.year, mention.month, mention.day) == (None, None, None)
    assert mention.iso is None


def test_year_completion_across_a_year_boundary():
    january = dt.date(2025, 1, 5)
    december, early = find_dates("The chat began on Dec. 30 and was shut on Jan. 3.", january)
    assert december.iso == "2024-12-30"  # a December date in a January article is last year
    assert early.iso == "2025-01-03"


def test_year_completion_allows_a_few_days_ahead_but_not_months():
    reference = dt.date(2024, 9, 2)
    assert only("a hearing on Sept. 6", reference).iso == "2024-09-06"  # announced for later this week
    assert only("a ruling on Nov. 20", reference).iso == "2023-11-20"  # months ahead: last year's


def test_dates_are_in_order_and_do_not_overlap():
    text = "Reports rose from Aug. 26 to 29, 2024; Durov (arrested Aug. 24) was charged on 2024-08-28."
    mentions = find_dates(text, MONDAY)
    starts = [m.start for m in mentions]
    assert starts == sorted(starts)
    for a, b in zip(mentions, mentions[1:]):
        assert a.end <= b.start
    assert [m.text for m in mentions if m.text.startswith("2024-")] == ["2024-08-28"]


@pytest.mark.parametrize("text", ["Aug. 32", "2024-13-45", "2024-00-10", "13월 2일"])
def test_impossible_month_or_day_is_not_a_date(text):
    assert [m.iso for m in find_dates(text, MONDAY) if m.month is not None] == []


@pytest.mark.parametrize("text", ["Feb. 30, 2024", "2023-02-29", "2024년 4월 31일"])
def test_day_that_does_not_exist_in_that_month_is_not_a_date(text):
    assert [m for m in find_dates(text, MONDAY) if m.day is not None] == []


def test_leap_day_is_a_date():
    assert only("Feb. 29, 2024").iso == "2024-02-29"


def test_no_date_in_plain_text():
    assert find_dates("Police opened a probe into the messaging app.", MONDAY) == []


@pytest.mark.parametrize(
    "value, en, ko",
    [
        ("2024-09-02", "2 September 2024", "2024년 9월 2일"),
        ("2025-03-05", "5 March 2025", "2025년 3월 5일"),
        ("2024-08", "August 2024", "2024년 8월"),
        ("2021", "2021", "2021년"),
    ],
)
def test_format_date(value, en, ko):
    assert format_date(value, "en") == en
    assert format_date(value, "ko") == ko


def test_format_date_leaves_other_text_alone():
    assert format_date("September 2", "en") == "September 2"
    assert format_date("September 2", "ko") == "September 2"


def test_a_year_less_date_is_written_without_a_year_in_each_language():
    mention = only("arrested on Aug. 28")
    assert mention.written == "--08-28"
    assert format_date(mention.written, "en") == "28 August" and format_date(mention.written, "ko") == "8월 28일"
    dated = only("arrested on Aug. 28", MONDAY)
    assert format_date(dated.written, "ko") == "2024년 8월 28일"


def test_parse_iso():
    assert parse_iso("2024-09-02") == MONDAY
    assert parse_iso(None) is None
    assert parse_iso("September 2") is None
    assert parse_iso("2024-02-30") is None


@pytest.mark.parametrize(
    "text, iso, anchor",
    [
        ("The plan was unveiled last month.", "2024-08", "month-1"),
        ("Cases rose this year.", "2024", "year+0"),
        ("The law passed last year.", "2023", "year-1"),
        ("Talks resume next month.", "2024-10", "month+1"),
    ],
)
def test_relative_months_and_years_resolve_against_the_article_date(text, iso, anchor):
    mention = only(text, MONDAY)
    assert (mention.iso, mention.anchor, mention.relative) == (iso, anchor, True)


def test_a_weekday_alone_is_the_last_one_up_to_the_article_date():
    mention = only("Protesters gathered Saturday outside the court.", MONDAY)
    assert (mention.iso, mention.weekday) == ("2024-08-31", 5)


@pytest.mark.parametrize("text, month", [("Talks stalled in August.", 8), ("Prices rose since March.", 3)])
def test_a_month_named_after_a_preposition_is_a_date(text, month):
    mention = only(text, MONDAY)
    assert (mention.month, mention.year, mention.day) == (month, 2024, None)


def test_may_the_verb_is_not_a_month():
    assert find_dates("Officials may act in may.", MONDAY) == []


@pytest.mark.parametrize("text, time", [("at 10:15 BST", "10:15"), ("at 2 p.m.", "14:00"), ("at 5.30pm", "17:30"), ("at 12 am", "00:00")])
def test_times_of_day(text, time):
    assert only(text).time == time


def test_a_decade_is_not_a_year_in_the_timeline():
    mention = only("Crime fell in the 1990s.", MONDAY)
    assert (mention.year, mention.anchor) == (1990, "decade")


@pytest.mark.parametrize("value, en, ko", [
    ("2024-09-02", "2 September 2024", "2024년 9월 2일"),
    ("--08-24", "24 August", "8월 24일"),  # the year is not stated: written in each language all the same
    ("--11", "November", "11월"),
    ("in the autumn", "in the autumn", "in the autumn"),
])
def test_dates_are_written_in_the_brief_language_with_or_without_a_year(value, en, ko):
    assert format_date(value, "en") == en and format_date(value, "ko") == ko

