"""A point worded by the sentence that states it in the story's other language (articles written for the tests)."""

from __future__ import annotations

import pytest

from briefing.brief.standalone import standing_alone
from briefing.ingest.folder import article_from_text
from briefing.merge.sameness import FactMatcher
from briefing.merge.siblings import word_in_every_language
from briefing.model import Point

EN = """The city council approved a new budget of 40 million dollars for public libraries on Monday.

The mayor said the plan would open three new branches next year.

He said he was proud of it."""

KO = """시의회는 월요일 공공 도서관을 위한 4천만 달러의 새 예산을 승인했다.

시장은 이 계획으로 내년에 새 분관 세 곳이 문을 열 것이라고 말했다.

그는 그것이 자랑스럽다고 말했다."""


@pytest.fixture
def matcher(embedder_matcher):
    return embedder_matcher


def _articles():
    return [article_from_text(EN, "city-en", "news/city-en.txt"), article_from_text(KO, "city-ko", "news/city-ko.txt")]


def _point(article, k: int) -> Point:
    sentence = article.sentences[k]
    return Point(sentence.text, [article.citation(sentence)], language=article.language, article_ids=[article.id])


def _stand_alone(articles):
    by_path = {a.path: a for a in articles}
    return lambda point: standing_alone(point, by_path)


def test_a_korean_point_gets_the_english_sentence_that_states_it(matcher):
    en, ko = _articles()
    worded = word_in_every_language([_point(ko, 0)], [en, ko], matcher, _stand_alone([en, ko]))
    assert len(worded) == 1
    assert worded[0].text_in("en") == en.sentences[0].text
    assert {c.file for c in worded[0].citations} == {en.path, ko.path}
    assert worded[0].article_ids == sorted([en.id, ko.id])


def test_a_korean_point_repeating_a_cited_english_sentence_is_folded_into_that_point(matcher):
    en, ko = _articles()
    english, korean = _point(en, 1), _point(ko, 1)
    worded = word_in_every_language([english, korean], [en, ko], matcher, _stand_alone([en, ko]))
    assert [p.text for p in worded] == [english.text]
    assert worded[0].text_in("ko") == korean.text
    assert {c.file for c in worded[0].citations} == {en.path, ko.path}


def test_a_korean_point_whose_english_twin_leans_on_the_sentence_before_is_not_listed(matcher):
    en, ko = _articles()
    from briefing.language import reader

    if reader() == "rules":
        pytest.skip("the English parser is not installed")
    worded = word_in_every_language([_point(ko, 0), _point(ko, 2)], [en, ko], matcher, _stand_alone([en, ko]))
    assert [p.text for p in worded] == [ko.sentences[0].text]


def test_a_sentence_missing_the_points_number_is_no_twin(matcher):
    en, ko = _articles()
    other = article_from_text("The city council approved a new budget for public libraries on Monday.", "other-en",
                              "news/other-en.txt")
    worded = word_in_every_language([_point(ko, 0)], [other, ko], matcher, _stand_alone([other, ko]))
    assert worded[0].text_in("en") is None


def test_without_an_embedder_nothing_is_matched():
    en, ko = _articles()
    point = _point(ko, 0)
    assert word_in_every_language([point], [en, ko], FactMatcher(None), _stand_alone([en, ko])) == [point]
