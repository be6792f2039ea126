"""Sentence splitting: abbreviations, initials, decimals, quotes, ellipses, Korean endings, spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.ingest.sentences import split_sentences, split_spans

CASES = {
    "month abbreviation": (
        "Durov was arrested on Aug. 28 in Paris. He was charged later.",
        ["Durov was arrested on Aug. 28 in Paris.", "He was charged later."],
    ),
    "U.S. mid-sentence": (
        "The U.S. government responded quickly. The U.S. Senate did not.",
        ["The U.S. government responded quickly.", "The U.S. Senate did not."],
    ),
    "U.S. ending a sentence": (
        "Officials met their counterparts in the U.S. The talks ended early.",
        ["Officials met their counterparts in the U.S.", "The talks ended early."],
    ),
    "titles": (
        "Mr. Woo spoke first. Ms. Lee followed him. Dr. Kim did not attend.",
        ["Mr. Woo spoke first.", "Ms. Lee followed him.", "Dr. Kim did not attend."],
    ),
    "number abbreviation": (
        "He ranked No. 1 in the poll. Others trailed far behind.",
        ["He ranked No. 1 in the poll.", "Others trailed far behind."],
    ),
    "initials": (
        "A novel by J. K. Rowling sold well. It was a hit.",
        ["A novel by J. K. Rowling sold well.", "It was a hit."],
    ),
    "decimals": (
        "Prices rose 3.5 percent in July, and 0.25 points more in August. Analysts were surprised.",
        ["Prices rose 3.5 percent in July, and 0.25 points more in August.", "Analysts were surprised."],
    ),
    "quote closing after the full stop": (
        'He said, "We will act." Then he left the room.',
        ['He said, "We will act."', "Then he left the room."],
    ),
    "curly quote closing after the full stop": (
        "Woo said: “Investigating Telegram is difficult.” Police declined to comment further.",
        ["Woo said: “Investigating Telegram is difficult.”", "Police declined to comment further."],
    ),
    "comma inside a quote does not end": (
        "“We will act,” he said. It was late.",
        ["“We will act,” he said.", "It was late."],
    ),
    "three dots": (
        "He hesitated... Then he spoke again.",
        ["He hesitated...", "Then he spoke again."],
    ),
    "ellipsis character": (
        "He hesitated… Then he spoke again.",
        ["He hesitated…", "Then he spoke again."],
    ),
    "ellipsis before lower case continues": (
        "I ran two chatrooms … and still a student... and worried.",
        ["I ran two chatrooms … and still a student... and worried."],
    ),
    "question and exclamation": (
        "Is it true? Yes! It is, officials said.",
        ["Is it true?", "Yes!", "It is, officials said."],
    ),
    "korean endings": (
        "경찰은 텔레그램 수사에 착수했다. 정부는 대책을 발표할까? 정말 그래요! 다음 달에 결과가 나온다.",
        ["경찰은 텔레그램 수사에 착수했다.", "정부는 대책을 발표할까?", "정말 그래요!", "다음 달에 결과가 나온다."],
    ),
    "korean with a quote": (
        "그는 “수사하겠다.”라고 말했다. 경찰청은 8월 26일부터 29일까지 88건을 접수했다.",
        ["그는 “수사하겠다.”라고 말했다.", "경찰청은 8월 26일부터 29일까지 88건을 접수했다."],
    ),
    "korean quote then a spaced quotative particle goes on": (
        "“대응이 늦었습니다.” 라고 위원장은 말했다. 회의는 오후에 끝났다.",
        ["“대응이 늦었습니다.” 라고 위원장은 말했다.", "회의는 오후에 끝났다."],
    ),
    "korean quote ends a sentence when no particle follows": (
        "그는 “늦었습니다.” 이어 대책을 내놓았다.",
        ["그는 “늦었습니다.”", "이어 대책을 내놓았다."],
    ),
    "korean decimals, abbreviations and polite endings": (
        "규모 7.1의 지진이 났습니다. 미국은 A.I. 예산을 늘렸습니다. 피해는 3.5% 늘었나요? 아직 모릅니다.",
        ["규모 7.1의 지진이 났습니다.", "미국은 A.I. 예산을 늘렸습니다.", "피해는 3.5% 늘었나요?", "아직 모릅니다."],
    ),
    "korean ellipsis": (
        "결과는 아직… 조사는 계속된다.",
        ["결과는 아직…", "조사는 계속된다."],
    ),
    "lower case after a full stop is not a new sentence": (
        "The app is used by approx. ten million people in the region.",
        ["The app is used by approx. ten million people in the region."],
    ),
    "time of day": (
        "The hearing starts at 10 a.m. tomorrow in Seoul. It is public.",
        ["The hearing starts at 10 a.m. tomorrow in Seoul.", "It is public."],
    ),
    "military rank": (
        "Gen. Park arrived. Col. Kim left.",
        ["Gen. Park arrived.", "Col. Kim left."],
    ),
    "no terminal punctuation": (
        "Background of the Investigation",
        ["Background of the Investigation"],
    ),
}


@pytest.mark.parametrize("text, expected", list(CASES.values()), ids=list(CASES))
def test_split(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize("text, expected", list(CASES.values()), ids=list(CASES))
def test_spans_map_back_to_the_exact_text(text, expected):
    spans = split_spans(text)
    assert [text[a:b] for a, b in spans] == expected
    for (a, b), sentence in zip(spans, expected):
        assert text.index(sentence, a) == a


def test_spans_with_leading_and_trailing_whitespace_and_newlines():
    text = "  \n First sentence here.\n  Second one\nwraps over a line.   \n"
    spans = split_spans(text)
    assert [text[a:b] for a, b in spans] == ["First sentence here.", "Second one\nwraps over a line."]
    assert spans[0][0] == text.index("First")


def test_empty_and_blank():
    assert split_spans("") == []
    assert split_spans("   \n\t ") == []


_ALPHABET = st.sampled_from(
    list("abcXYZ는다요까")
    + [" ", "  ", "\n", ".", "!", "?", "…", "...", '"', "”", "'", ")", "(", "“", "3", ".5", ",", "U.S.", "Mr.", "Aug.", "J.", "다.", "까? "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_spans_cover_every_non_space_character_in_order(text):
    spans = split_spans(text)
    previous_end = 0
    for a, b in spans:
        assert previous_end <= a < b <= len(text), "spans are non-empty, ordered and do not overlap"
        assert text[previous_end:a].strip() == "", "only whitespace lies between spans"
        assert text[a:b] == text[a:b].strip(), "a span neither starts nor ends with whitespace"
        previous_end = b
    assert text[previous_end:].strip() == ""
    covered = "".join(text[a:b] for a, b in spans)
    assert "".join(covered.split()) == "".join(text.split())


def test_plural_titles_do_not_end_a_sentence():
    text = "Pelley asked Sens. Ann Kerr and Bo Dale whether it held. Reps. Lee and Cho agreed."
    assert split_sentences(text) == ["Pelley asked Sens. Ann Kerr and Bo Dale whether it held.", "Reps. Lee and Cho agreed."]
