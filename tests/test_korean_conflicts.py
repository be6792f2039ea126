"""Where a Korean and an English article on the same story disagree (articles written for the tests)."""

from __future__ import annotations

import pytest

from briefing.brief.conflicts import find_conflicts
from briefing.ingest.folder import article_from_text
from briefing.merge.sameness import FactMatcher

EN = """Police said they received 88 reports of deepfake crimes from Aug. 26 to 29.

The platform's founder, Pavel Durov, was arrested on Aug. 28 in Paris.

The government will spend $20 million on prevention."""


def _article(text: str, name: str):
    article = article_from_text(text, name, f"news/{name}.txt")
    article.published = "2024-09-02"
    return article


def _found(korean: str, matcher: FactMatcher) -> list[tuple[str, list[str]]]:
    return [(c.kind, [s.value for s in c.sides]) for c in find_conflicts([_article(EN, "en"), _article(korean, "ko")], matcher=matcher)]


NO_EMBEDDER = FactMatcher(None)


def test_a_different_count_for_the_same_period_is_found_across_languages():
    korean = "경찰은 8월 26일부터 29일까지 딥페이크 범죄 신고 78건을 접수했다고 밝혔다."
    assert _found(korean, NO_EMBEDDER) == [("figure", ["88", "78건"])]


def test_the_same_count_for_another_period_is_found_across_languages():
    korean = "경찰은 지난 한 달 동안 딥페이크 범죄 신고 88건을 접수했다고 밝혔다."
    assert _found(korean, NO_EMBEDDER) == [("period", ["from Aug. 26 to 29", "지난 한 달 동안"])]


def test_a_small_shared_number_alone_pairs_nothing():
    korean = "경찰은 지난 한 달 동안 관련 회의를 3차례 열었다."
    assert _found(korean, NO_EMBEDDER) == []


def test_the_same_facts_in_korean_are_no_conflict():
    korean = (
        "경찰은 8월 26일부터 29일까지 딥페이크 범죄 신고 88건을 접수했다고 밝혔다.\n\n"
        "창업자 파벨 두로프(Pavel Durov)는 8월 28일 파리에서 체포됐다.\n\n정부는 예방에 2천만 달러를 쓸 예정이다."
    )
    assert _found(korean, NO_EMBEDDER) == []


def test_with_the_multilingual_embedder_dates_and_periods_conflict_across_languages(embedder_matcher):
    korean = (
        "경찰은 지난 한 달 동안 딥페이크 범죄 신고 88건을 접수했다고 밝혔다.\n\n"
        "창업자 파벨 두로프(Pavel Durov)는 8월 24일 파리에서 체포됐다.\n\n정부는 예방에 2천만 달러를 쓸 예정이다."
    )
    assert _found(korean, embedder_matcher) == [
        ("date", ["Aug. 28", "8월 24일"]),
        ("period", ["from Aug. 26 to 29", "지난 한 달 동안"]),
    ]


def test_the_same_figure_and_date_in_both_languages_are_one_row_with_the_embedder(embedder_matcher):
    from briefing.brief.sections import figures, timeline
    from briefing.model import Citation, Point

    en = "Police received 88 reports of deepfake crimes from Aug. 26 to 29."
    ko = "경찰은 8월 26일부터 29일까지 딥페이크 범죄 신고 88건을 접수했다."
    points = [Point(en, [Citation("news/en.txt", 1, 1, en)]), Point(ko, [Citation("news/ko.txt", 1, 1, ko)], language="ko")]
    articles = [_article(EN, "en"), _article(ko, "ko")]
    rows = figures(points, embedder_matcher)
    assert [(f.value, [c.file for c in f.citations]) for f in rows] == [("88", ["news/en.txt", "news/ko.txt"])]
    events = timeline(points, articles, embedder_matcher)
    assert [(e.date, [c.file for c in e.citations]) for e in events] == [("2024-08-26", ["news/en.txt", "news/ko.txt"])]
    # Without the embedder the two languages stay apart: nothing is merged on a guess.
    assert len(figures(points)) == 2
