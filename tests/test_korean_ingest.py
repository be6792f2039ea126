"""A Korean news page read end to end: metadata, furniture, sentences, positions, timeline.

The article below was written for these tests (no real outlet's text)."""

from __future__ import annotations

import pytest

from briefing.brief.sections import position_actor, timeline
from briefing.ingest.folder import ingest_file
from briefing.ingest.metadata import extract
from briefing.model import Citation, Point

ARTICLE = """딥페이크 성범죄 신고 한 주 만에 급증

입력 2024.08.30 14:05 수정 2024.08.30 16:20

홍길동 기자

(서울=가상통신) 홍길동 기자 = 경찰청은 8월 26일부터 29일까지 딥페이크 성범죄 신고가 88건 접수됐다고 30일 밝혔다. 지난해 같은 기간에는 12건이었다.

김민수 경찰청 국가수사본부장은 기자간담회에서 “플랫폼 운영사도 수사에 협조해야 한다”고 강조했다.

교육부에 따르면 피해 학생은 지금까지 1,200여 명으로 집계됐다.

[사진=가상통신]

<저작권자 ⓒ 가상통신, 무단 전재 및 재배포 금지>
"""


@pytest.fixture()
def article(tmp_path):
    path = tmp_path / "ko_article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return ingest_file(path, "news/ko_article.txt", "ko_article")


def test_korean_page_metadata(article):
    assert article.language == "ko"
    assert article.published == "2024-08-30"
    assert article.byline == "홍길동"
    assert article.outlet == "가상통신"


def test_korean_furniture_and_dateline_are_not_sentences(article):
    texts = [s.text for s in article.sentences if not s.is_fragment]
    assert texts[0] == "경찰청은 8월 26일부터 29일까지 딥페이크 성범죄 신고가 88건 접수됐다고 30일 밝혔다."
    assert not any("재배포" in t or "사진=" in t or "입력" in t for t in texts)
    assert len(texts) == 4


def test_korean_sentence_lines_point_back_to_the_file(article):
    lines = ARTICLE.splitlines()
    for sentence in article.sentences:
        assert sentence.text in "\n".join(lines[sentence.line_start - 1 : sentence.line_end])


@pytest.mark.parametrize(
    "text, actor",
    [
        ("김민수 경찰청 국가수사본부장은 기자간담회에서 “플랫폼 운영사도 수사에 협조해야 한다”고 강조했다.", "김민수 경찰청 국가수사본부장"),
        ("교육부에 따르면 정부는 피해 학생 지원을 강화할 계획이다.", "교육부"),
        ("플랫폼 운영사 측은 “법을 지키고 있다”고 밝혔다.", "플랫폼 운영사"),
        ("“대응이 늦었다”라고 이 위원장은 말했다.", "이 위원장"),
        ("한편 여성가족부는 피해자 지원을 늘릴 계획이라고 전했다.", "여성가족부"),
        ("시민단체들이 정부의 대책 마련을 촉구했다.", "시민단체들"),
    ],
)
def test_korean_attribution_gives_the_actor(text, actor):
    assert position_actor(text) == actor


@pytest.mark.parametrize(
    "text",
    [
        "경찰은 수사에 착수했다.",  # no attribution
        "경찰청은 신고가 88건 접수됐다고 밝혔다.",  # a reported fact, not a position
        "교육부에 따르면 피해 학생은 지금까지 1,200여 명으로 집계됐다.",
    ],
)
def test_a_korean_fact_is_no_position(text):
    assert position_actor(text) is None


def test_korean_timeline_is_anchored_and_sorted_with_english(article):
    english = Point("Police said 156 cases were reported in 2021.", [Citation("en.txt", 1, 1, "Police said 156 cases were reported in 2021.")])
    korean = [Point(s.text, [article.citation(s)], language="ko") for s in article.sentences if not s.is_fragment]
    events = timeline(korean + [english], [article])
    # 26-29 August is one range, placed at its start; the 30th is the day it was announced.
    assert [e.date for e in events][:3] == ["2021", "2024-08-26", "2024-08-30"]
    assert events[1].citations[0].file == "news/ko_article.txt"


def test_dotted_stamp_and_byline_without_dateline():
    meta = extract(["제목 한 줄입니다", "기사입력 2024-08-30 09:00", "김철수·이영희 기자 reporter@example.com", "본문이다."])
    assert meta.published == "2024-08-30"
    assert meta.byline == "김철수·이영희"


def test_an_english_byline_with_outlet_and_date():
    meta = extract(["A headline of several words", "By Jane Doe | The Daily Ledger | August 30, 2024", "Body."])
    assert (meta.byline, meta.outlet, meta.published) == ("Jane Doe", "The Daily Ledger", "2024-08-30")


def test_a_short_korean_headline_is_the_title(tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("경찰, 딥페이크 수사 착수\n\n경찰청은 딥페이크 성범죄에 대한 수사에 착수했다고 30일 밝혔다.\n", encoding="utf-8")
    article = ingest_file(path, "news/short.txt", "short")
    assert article.title == "경찰, 딥페이크 수사 착수"
    assert [s.text for s in article.sentences] == ["경찰청은 딥페이크 성범죄에 대한 수사에 착수했다고 30일 밝혔다."]
