"""Korean numbers, dates and figures, on short Korean sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.brief.sections import figure_quantities, figures
from briefing.dates import find_dates
from briefing.model import Citation, Point
from briefing.text import quantities

SEPT_2 = dt.date(2024, 9, 2)  # a Monday


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("신고가 88건 접수됐다", ["88"]),
        ("1,200여 명이 모였다", ["1200"]),
        ("피해액은 3천만 원이다", ["30000000"]),
        ("1조 2천억 원의 예산", ["1200000000000"]),
        ("150만 파운드를 모았다", ["1500000"]),
        ("2천500명이 참가했다", ["2500"]),
        ("응답자의 53%가 찬성했다", ["53%"]),
        ("찬성은 53 퍼센트였다", ["53%"]),
        ("규모 7.1의 지진", ["7.1"]),
        ("1.5 million pounds", ["1500000"]),
        ("£1.5m in damages", ["1500000"]),
        ("53 percent of voters", ["53%"]),
    ],
)
def test_quantities_read_scales_in_both_languages(text, canonical):
    assert [q.canonical for q in quantities(text)] == canonical


def test_korean_and_english_amounts_compare_equal():
    ko = {q.canonical for q in quantities("정부는 1조 2천억 원과 150만 파운드를 지원한다.")}
    en = {q.canonical for q in quantities("The government gives 1.2 trillion won and 1.5 million pounds.")}
    assert ko == en


def test_counter_is_read_after_the_number():
    assert [q.unit for q in quantities("부상자 24명과 차량 3대, 45마일")] == ["명", "대", "마일"]


@pytest.mark.parametrize(
    "text, iso",
    [
        ("경찰은 2024년 8월 26일 수사에 착수했다.", ["2024-08-26"]),
        ("8월 26일 발표가 있었다.", ["2024-08-26"]),
        ("26일 회의가 열렸다.", ["2024-08-26"]),  # later than 2 September: the previous month
        ("1일 회의가 열렸다.", ["2024-09-01"]),
        ("8월 26일부터 29일까지 접수됐다.", ["2024-08-26", "2024-08-29"]),
        ("지난달 발표됐다.", ["2024-08"]),
        ("올해 297건이다.", ["2024"]),
        ("지난해 156건이었다.", ["2023"]),
        ("토요일 집회가 열렸다.", ["2024-08-31"]),
        ("오는 금요일 발표한다.", ["2024-09-06"]),
        ("2017년 9월 첫 보고가 있었다.", ["2017-09"]),
    ],
)
def test_korean_dates_are_anchored_to_the_article_date(text, iso):
    assert [m.iso for m in find_dates(text, SEPT_2) if m.time is None] == iso


def test_korean_dates_sort_with_english_ones():
    ko = find_dates("8월 26일 발표", SEPT_2)[0]
    en = find_dates("announced on Aug. 28", SEPT_2)[0]
    old = find_dates("in 2021", SEPT_2)[0]
    assert sorted([en.sort_key, ko.sort_key, old.sort_key]) == [old.sort_key, ko.sort_key, en.sort_key]


def test_without_article_date_a_korean_relative_date_stays_unresolved():
    mentions = find_dates("지난달 토요일 26일")
    assert [m.iso for m in mentions] == [None, None, None]
    assert [m.anchor for m in mentions[:2]] == ["month-1", "weekday5"]


@pytest.mark.parametrize("text", ["3일간 조사했다", "30일 동안 이어졌다", "1990년대 이후", "3개월 만에"])
def test_lengths_of_time_are_not_dates(text):
    assert [m for m in find_dates(text, SEPT_2) if m.month is not None] == []


def test_times_of_day_are_read_and_are_not_figures():
    mentions = find_dates("26일 오후 2시 30분 회의에서 88건을 보고했다")
    assert [m.time for m in mentions] == [None, "14:30"]
    assert [q.canonical for q in figure_quantities("26일 오후 2시 30분 회의에서 88건을 보고했다")] == ["88"]


def _points(*texts: str) -> list[Point]:
    return [Point(t, [Citation("k.txt", i + 1, i + 1, t)], language="ko") for i, t in enumerate(texts)]


def test_korean_figures_have_a_subject_from_their_own_sentence():
    rows = figures(
        _points(
            "경찰은 8월 26일부터 29일까지 딥페이크 성범죄 신고가 88건 접수됐다고 밝혔다.",
            "정부는 1조 2천억 원의 예산을 투입한다.",
            "응답자의 53%가 찬성했다.",
            "올해 들어 297건이 접수됐다.",
            "24시간 동안 상황실을 운영한다.",
            "피해 학생은 지금까지 1,200여 명으로 집계됐다.",
        )
    )
    assert [(f.value, f.counts) for f in rows] == [
        ("88건", "딥페이크 성범죄 신고"),
        ("1조 2천억 원", "예산"),
        ("53%", "응답자"),
        ("297건", "접수"),
        ("1,200여 명", "피해 학생"),
    ]
    assert rows[0].citations[0].line_start == 1


def test_english_figure_keeps_its_scale_and_a_duration_is_no_figure():
    texts = (
        "The state pledged $23.6 billion in subsidies.",
        "The line runs 24 hours a day.",
        "About 1,200 students had been harmed, up from 12 a year earlier.",
    )
    points = [Point(t, [Citation("e.txt", 1, 1, t)]) for t in texts]
    assert [(f.value, f.counts) for f in figures(points)] == [("$23.6 billion", "in subsidies"), ("About 1,200", "students")]


def test_a_korean_sentence_and_its_english_original_give_the_same_facts():
    from briefing.eval.korean import date_keys, figure_keys

    en = "On Saturday, 1.2 million people joined the 2 p.m. rally, up 53 percent since September 2017."
    ko = "토요일 오후 2시 집회에는 120만 명이 참가해 2017년 9월 이후 53% 늘었다."
    assert figure_keys(ko) == figure_keys(en) == {"1200000", "53%"}
    assert date_keys(ko) == date_keys(en) == {"weekday 5", "time 14:00", "year 2017", "month 09"}


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    ["경찰은", "신고가", " ", "  ", "88", "1,200", "3천만", "1조", "2천억", "150만", "여", "명", "건", "원", "%", "7.1",
     "2024년", "8월", "26일", "부터", "29일", "까지", "지난달", "올해", "토요일", "오후", "2시", "30분", "“", "”", "라고",
     "말했다.", "밝혔다.", "에 따르면", "측은", "해야", "한다", ",", ".", "Aug. 28", "million", "\n"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_korean_readers_never_fail_and_point_into_the_text(text):
    from briefing.brief.sections import position_actor

    for q in quantities(text, spelled=True):
        assert 0 <= q.start < q.end <= len(text) and text[q.start : q.end] == q.text
    for m in find_dates(text, SEPT_2):
        assert text[m.start : m.end] == m.text
    point = Point(text or "x", [Citation("k.txt", 1, 1, text or "x")], language="ko")
    for row in figures([point]):
        assert row.value in text
    actor = position_actor(text)
    assert actor is None or actor.split()[-1][:1] in text
