"""Kiwi's reading of Korean figure and attribution sentences (briefing.language.korean), and the
rules it falls back to, on short Korean sentences and a small article written for these tests."""

from __future__ import annotations

import sys

import pytest

from briefing.brief.sections import figures, position_actor
from briefing.language import korean, korean_reader, reset
from briefing.model import Citation, Point

needs_kiwi = pytest.mark.skipif(korean.pipeline() is None, reason="kiwipiepy or its model is not installed")


def _points(*texts: str) -> list[Point]:
    return [Point(t, [Citation("k.txt", i + 1, i + 1, t)], language="ko") for i, t in enumerate(texts)]


def _rows(*texts: str) -> list[tuple[str, str]]:
    return [(f.value, f.counts) for f in figures(_points(*texts))]


@needs_kiwi
@pytest.mark.parametrize(
    "text, row",
    [
        ("서울시는 올해 딥페이크 피해 신고가 297건 접수됐다고 밝혔다.", ("297건", "딥페이크 피해 신고")),
        ("한국 정부는 1953년 이후 3만 명 이상의 북한 주민들이 국경을 넘어왔다고 밝혔다.", ("3만 명", "북한 주민들")),
        ("시는 2조 5천억 원 규모의 예산을 편성했다.", ("2조 5천억 원", "예산")),
        ("조사 결과 약 4만 건의 새로운 사례가 보고됐다.", ("약 4만 건", "새로운 사례")),
        ("사망자는 37명으로 늘었다.", ("37명", "사망자")),
        ("피해자 중 5명은 관광객이었다.", ("5명", "피해자")),
        ("학생은 지금까지 1,200여 명이 피해를 입었다.", ("1,200여 명", "학생")),
        ("재단은 올해 150만 파운드를 모금했다.", ("150만 파운드", "모금")),
    ],
)
def test_a_korean_figure_is_labelled_with_nouns_of_its_own_sentence(text, row):
    assert _rows(text) == [row]


@needs_kiwi
@pytest.mark.parametrize(
    "text",
    [
        "24세의 그는 중등학교에 진학했다.",  # a pronoun counts nothing
        "바라는 것은 우리가 3점을 얻는 일이다.",
        "당신이 어려움을 겪고 있다면 116 123으로 전화하면 된다.",  # no noun: a phone number
        "또한 38%는 그가 거짓말을 했을 것이라고 답했다.",  # a connective is no label
    ],
)
def test_no_korean_figure_row_without_a_noun_for_it(text):
    assert all(label not in ("그", "우리", "그들", "또한") for _, label in _rows(text))
    assert not any(label.endswith(("하", "고", "며")) for _, label in _rows(text))


@needs_kiwi
@pytest.mark.parametrize(
    "text, actor",
    [
        ("보건복지부 장관은 “의료 인력을 늘려야 한다”고 말했다.", "보건복지부 장관"),
        ("그는 “의료 인력을 늘려야 한다”고 말했다.", None),
        ("그들은 필요한 모든 수단을 써서 권력을 되찾아야 한다고 주장했다.", None),
        ("독일산업협회(BDI)는 관세를 철회해야 한다고 촉구했다.", "독일산업협회"),
        ("재인스씨는 “정말 다행이었다”고 말했다.", "재인스씨"),
    ],
)
def test_a_korean_actor_is_a_noun_subject_never_a_pronoun(text, actor):
    assert position_actor(text) == actor


def test_without_kiwi_the_rules_read_korean_figures(monkeypatch):
    monkeypatch.setitem(sys.modules, "kiwipiepy", None)  # as if it were not installed
    reset()
    try:
        assert korean.pipeline() is None and korean_reader() == "rules"
        assert _rows("경찰은 딥페이크 성범죄 신고가 88건 접수됐다고 밝혔다.") == [("88건", "딥페이크 성범죄 신고")]
        assert position_actor("그는 “수사를 확대해야 한다”고 말했다.") is None
    finally:
        monkeypatch.undo()
        reset()


def test_rules_only_does_not_load_kiwi(monkeypatch):
    monkeypatch.setenv("BRIEFING_PARSER", "rules")
    reset()
    try:
        assert korean.pipeline() is None
        assert _rows("응답자의 53%가 찬성했다.") == [("53%", "응답자")]
    finally:
        monkeypatch.undo()
        reset()


@needs_kiwi
def test_a_korean_article_brief_has_kiwi_labels_and_no_pronoun_actor(tmp_path):
    from briefing.pipeline import RunOptions, run

    source = tmp_path / "in"
    source.mkdir()
    (source / "deepfake.txt").write_text(
        "딥페이크 피해 신고 급증\n\n"
        "서울시는 올해 딥페이크 피해 신고가 297건 접수됐다고 3일 밝혔다.\n"
        "지난해 같은 기간보다 두 배 넘게 늘어난 수치다.\n"
        "그는 “플랫폼 사업자의 책임을 강화해야 한다”고 말했다.\n"
        "시 관계자는 “피해자 지원 예산을 늘려야 한다”고 강조했다.\n",
        encoding="utf-8",
    )
    result = run(RunOptions(input_dir=source, out_dir=tmp_path / "out", date="2026-11-30", no_cache=True))
    brief = (result.folder / "brief.ko.md").read_text(encoding="utf-8")
    assert "딥페이크 피해 신고" in brief and "297건" in brief
    assert "**그**" not in brief and "**그는**" not in brief
