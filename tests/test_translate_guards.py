"""Guards on translations: numbers, dates, URLs and glossary terms must survive."""

from __future__ import annotations

import pytest

from briefing.translate.guards import Date, Glossary, Guards, Term, dates, digit_numbers, urls


@pytest.fixture(scope="module")
def guards() -> Guards:
    return Guards.default()


def test_default_glossary_has_institution_names():
    terms = {t.en: t.ko for t in Glossary.load().terms}
    assert terms["United Nations"] == "유엔"
    assert terms["National Assembly"] == "국회"
    assert terms["National Police Agency"] == "경찰청"
    assert len(terms) >= 15


def test_glossary_rejects_malformed_lines(tmp_path):
    bad = tmp_path / "g.tsv"
    bad.write_text("United Nations 유엔\n", encoding="utf-8")
    with pytest.raises(ValueError, match="g.tsv:1"):
        Glossary.load(bad)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("on Sept. 2, 2024 police said", Date(2024, 9, 2)),
        ("2024년 9월 2일 경찰은", Date(2024, 9, 2)),
        ("published 2024-09-02", Date(2024, 9, 2)),
        ("arrested on Aug. 28 in Paris", Date(None, 8, 28)),
        ("8월 28일 파리에서", Date(None, 8, 28)),
        ("on 28 August 2024", Date(2024, 8, 28)),
    ],
)
def test_dates_are_read_in_every_form(text, expected):
    found, _rest = dates(text)
    assert found == [expected]


def test_month_names_need_a_word_boundary_and_capital():
    assert dates("Janet may go in March")[0] == [Date(None, 3, None)]


def test_date_digits_are_not_counted_again_as_numbers():
    _found, rest = dates("2024년 9월 2일, 88 reports")
    assert digit_numbers(rest) == ["88"]


def test_number_words_are_not_demanded_but_digits_are():
    assert digit_numbers("three suspects and 1,200 members, a 10-fold rise, 30 percent") == [
        "1200", "10", "30%",
    ]


@pytest.mark.parametrize(
    "source, output",
    [
        ("A chatroom with around 1,200 participants.", "약 1200명이 참여한 대화방."),
        ("Minors were over 30% of cases.", "미성년자가 30 퍼센트 이상이었다."),
        ("Police arrested him on Sept. 2, 2024.", "경찰은 2024년 9월 2일 그를 체포했다."),
        ("A 10-fold increase.", "10배 증가."),
        ("Fines of 12 million won.", "1200만 원의 벌금."),
        ("See https://example.com/report for details.", "자세한 내용은 https://example.com/report 참조."),
    ],
)
def test_equivalent_forms_pass(guards, source, output):
    assert guards.check(source, output, "en", "ko") == []


def test_korean_to_english_dates_and_numbers(guards):
    assert guards.check("2024년 9월 2일 1,200명", "1,200 people on Sept. 2, 2024", "ko", "en") == []
    flags = guards.check("2024년 9월 2일 1,200명", "1,201 people on Sept. 3, 2024", "ko", "en")
    assert flags == ["date 2024-09-02 missing", "number 1200 missing"]


def test_each_kind_of_loss_is_flagged(guards):
    source = "The United Nations saw 88 reports at the National Assembly from Aug. 26, see https://example.com/x."
    flags = guards.check(source, "아무 말", "en", "ko")
    assert "number 88 missing" in flags
    assert "date 08-26 missing" in flags
    assert "URL https://example.com/x missing" in flags
    assert "term United Nations -> 유엔 missing" in flags
    assert "term National Assembly -> 국회 missing" in flags


def test_a_year_in_the_source_must_be_kept(guards):
    assert guards.check("on Sept. 2, 2024", "9월 2일", "en", "ko") == ["date 2024-09-02 missing"]


def test_glossary_prefers_the_longest_term():
    glossary = Glossary([Term("Police", "경찰"), Term("National Police Agency", "경찰청")])
    assert glossary.required("the National Police Agency said", "en") == [
        ("National Police Agency", "경찰청")
    ]


def test_glossary_matches_inflections_and_particles(guards):
    assert guards.check("The United Nations' envoys met the National Assembly's speaker.", "유엔의 특사들이 국회의 의장을 만났다.", "en", "ko") == []
    # Korean source side: particles attached, but 경찰청 inside 서울경찰청 is another body.
    assert ("경찰청", "National Police Agency") in Glossary.load().required("경찰청은 밝혔다", "ko")
    assert Glossary.load().required("서울경찰청은 밝혔다", "ko") == []


def test_urls_drop_trailing_punctuation():
    assert urls("see https://example.com/a_b.") == ["https://example.com/a_b"]
