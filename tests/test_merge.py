"""Merge: paraphrases from different articles become one point citing them all; nothing else does."""

from __future__ import annotations

import random

import pytest

from briefing.merge.points import MergedPoint, merge_points
from briefing.merge.sameness import FactMatcher
from briefing.merge.support import check_support
from briefing.model import Citation, Point


def point(article: str, line: int, text: str, salience: float = 0.5) -> Point:
    return Point(text=text, citations=[Citation(f"in/{article}.txt", line, line, text)], salience=salience,
                 article_ids=[article])


# Two outlets report one fact in different words; a third reports something else.
PROBE_A = point("a", 3, "Police opened a preliminary investigation into Telegram on Monday over deepfake sex crimes.", 0.9)
PROBE_B = point("b", 5, "On Monday, police launched a preliminary probe into Telegram over deepfake sex crimes.", 0.6)
STAFF_C = point("c", 2, "The media regulator will double its monitoring staff by the end of the year.", 0.95)
# One article's two sentences about reports; a fourth outlet repeats the first of them.
REPORTS_A = point("a", 7, "Police received 88 reports of deepfake crimes from Aug. 26 to 29.", 0.5)
YEAR_A = point("a", 9, "Police received 297 reports of deepfake crimes so far this year.", 0.5)
REPORTS_D = point("d", 4, "Police received 88 reports of deepfake crimes between Aug. 26 and 29.", 0.4)
# The same event with a different date.
ARREST_X = point("x", 2, "Durov was arrested by French police in Paris on Aug. 28.", 0.7)
ARREST_Y = point("y", 6, "Durov was arrested by French police in Paris on Aug. 24.", 0.6)
BILL_E = point("e", 1, "Lawmakers proposed a bill to punish possession of deepfake images.", 0.5)
RALLY_F = point("f", 1, "Civic groups staged a rally in central Seoul on Saturday.", 0.5)


def files(merged: MergedPoint) -> list[str]:
    return [c.file for c in merged.point.citations]


def signature(result: list[MergedPoint]) -> list[tuple]:
    return [
        (m.point.text, [(c.file, c.line_start, c.line_end) for c in m.point.citations], m.point.article_ids,
         [p.text for p in m.disagreeing], [p.text for p in m.related])
        for m in result
    ]


def test_paraphrases_merge_and_a_different_fact_stays_apart():
    result = merge_points({"a": [PROBE_A], "b": [PROBE_B], "c": [STAFF_C]})
    assert len(result) == 2
    probe = next(m for m in result if "Telegram" in m.point.text)
    staff = next(m for m in result if "regulator" in m.point.text)
    assert probe.point.text in (PROBE_A.text, PROBE_B.text)
    assert files(probe) == ["in/a.txt", "in/b.txt"]
    assert probe.point.article_ids == ["a", "b"]
    assert probe.point.outlets == 2
    assert {p.text for p in probe.members} == {PROBE_A.text, PROBE_B.text}
    assert files(staff) == ["in/c.txt"]
    assert staff.point.text == STAFF_C.text
    # The other wording is kept as a variant of the merged point.
    other = ({PROBE_A.text, PROBE_B.text} - {probe.point.text}).pop()
    assert probe.point.variants == [other]


def test_every_citation_of_a_merged_point_supports_its_text():
    result = merge_points({"a": [PROBE_A, REPORTS_A], "b": [PROBE_B], "c": [STAFF_C], "d": [REPORTS_D],
                           "x": [ARREST_X], "y": [ARREST_Y]})
    for merged in result:
        for citation in merged.point.citations:
            assert check_support(merged.point.text, citation.quote).supported, (merged.point.text, citation)


def test_two_sentences_of_one_article_are_never_one_cluster():
    result = merge_points({"a": [REPORTS_A, YEAR_A], "d": [REPORTS_D]})
    for merged in result:
        articles = [a for p in merged.members for a in p.article_ids]
        assert len(articles) == len(set(articles)), [p.text for p in merged.members]
    reports = next(m for m in result if "88" in m.point.text)
    assert files(reports) == ["in/a.txt", "in/d.txt"]
    assert all("297" not in c.quote for m in result for c in m.point.citations if "88" in m.point.text)


def test_same_article_sentences_with_identical_wording_stay_two_clusters():
    class Same(FactMatcher):
        def matrix(self, texts, background=None):
            return [[1.0] * len(texts) for _ in texts]

    result = merge_points({"a": [REPORTS_A, YEAR_A]}, matcher=Same())
    assert all(len(m.members) == 1 for m in result)
    assert all(m.point.citations == [REPORTS_A.citations[0]] or m.point.citations == [YEAR_A.citations[0]]
               for m in result)


def test_a_different_figure_from_the_same_article_stays_a_point():
    result = merge_points({"a": [REPORTS_A, YEAR_A], "d": [REPORTS_D]})
    shown = [m.point.text for m in result]
    assert YEAR_A.text in shown
    assert any("88" in text for text in shown)


def test_a_source_that_does_not_support_the_wording_is_not_cited():
    result = merge_points({"x": [ARREST_X], "y": [ARREST_Y]})
    assert len(result) == 1  # one event, reported with two dates
    merged = result[0]
    assert merged.point.text in (ARREST_X.text, ARREST_Y.text)
    other = ARREST_Y if merged.point.text == ARREST_X.text else ARREST_X
    # Only the source that gives the shown date is cited for it ...
    assert [c.quote for c in merged.point.citations] == [merged.point.text]
    assert other.citations[0] not in merged.point.citations
    assert merged.point.article_ids == [a for a in ("x", "y") if a not in other.article_ids]
    # ... and the other report is not lost: it is kept aside as a disagreement.
    assert [p.text for p in merged.disagreeing] == [other.text]


def test_more_outlets_first_then_salience():
    result = merge_points({"a": [PROBE_A], "b": [PROBE_B], "c": [STAFF_C], "e": [BILL_E]})
    outlets = [m.point.outlets for m in result]
    assert outlets == sorted(outlets, reverse=True)
    assert result[0].point.outlets == 2
    # STAFF_C is more salient than the merged point's sources, yet one outlet ranks it lower.
    assert STAFF_C.salience > max(PROBE_A.salience, PROBE_B.salience)
    assert [m.point.text for m in result][1:] == [STAFF_C.text, BILL_E.text]


def test_equal_importance_is_ordered_by_file_and_line():
    late = point("f", 9, "A second rally is planned in the southern port city of Busan next month.", 0.5)
    result = merge_points({"f": [late, RALLY_F], "e": [BILL_E]})
    keys = [(m.point.citations[0].file, m.point.citations[0].line_start) for m in result]
    assert keys == sorted(keys)
    assert len(result) == 3


ALL = {
    "a": [PROBE_A, REPORTS_A, YEAR_A], "b": [PROBE_B], "c": [STAFF_C], "d": [REPORTS_D], "x": [ARREST_X],
    "y": [ARREST_Y], "e": [BILL_E], "f": [RALLY_F],
}


def test_merge_is_deterministic_and_independent_of_input_order():
    reference = signature(merge_points(ALL))
    assert signature(merge_points(ALL)) == reference
    rng = random.Random(7)
    for _ in range(10):
        keys = list(ALL)
        rng.shuffle(keys)
        shuffled = {k: rng.sample(ALL[k], len(ALL[k])) for k in keys}
        assert signature(merge_points(shuffled)) == reference


def test_merge_does_not_modify_its_input():
    before = {k: [(p.text, list(p.citations), list(p.article_ids)) for p in v] for k, v in ALL.items()}
    merge_points(ALL)
    assert {k: [(p.text, list(p.citations), list(p.article_ids)) for p in v] for k, v in ALL.items()} == before


def test_no_point_is_lost_or_duplicated():
    result = merge_points(ALL)
    accounted = [p.text for m in result for p in m.members] + [p.text for m in result for p in m.related
                                                               if p.text not in {q.text for q in m.members}]
    expected = [p.text for points in ALL.values() for p in points]
    assert sorted(set(accounted)) == sorted(expected)
    shown = [m.point.text for m in result]
    assert len(shown) == len(set(shown))


def test_empty_input():
    assert merge_points({}) == []
    assert merge_points({"a": []}) == []


def test_dissimilar_embedder_merges_nothing():
    class Apart(FactMatcher):
        def matrix(self, texts, background=None):
            return [[1.0 if i == j else 0.0 for j in range(len(texts))] for i in range(len(texts))]

    result = merge_points({"a": [PROBE_A], "b": [PROBE_B]}, matcher=Apart())
    assert all(len(m.members) == 1 for m in result)
    assert sorted(c.file for m in result for c in m.point.citations) == ["in/a.txt", "in/b.txt"]


def test_lexical_matrix_is_the_same_pair_by_pair_and_as_sparse_products(monkeypatch):
    import briefing.merge.similarity as similarity

    texts = [p.text for p in (PROBE_A, PROBE_B, REPORTS_A, YEAR_A)] + ["Heavy rain flooded the valley on Monday.", "", "12,000 people left."]
    by_pairs = similarity.LexicalEmbedder().similarity_matrix(texts, background=texts[:2])
    monkeypatch.setattr(similarity, "_PAIRWISE_UP_TO", 0)
    by_products = similarity.LexicalEmbedder().similarity_matrix(texts, background=texts[:2])
    assert by_pairs[0][1] > 0.2  # not trivially all zero
    for row_a, row_b in zip(by_pairs, by_products):
        assert row_a == pytest.approx(row_b, abs=1e-12)


def test_a_citation_backs_a_point_in_the_wording_shown_beside_it(monkeypatch):
    """A Korean point shown in the English brief in its English source's wording is checked
    against an English citation in that wording (what review reads), not across languages."""
    matcher = FactMatcher()
    seen = []
    monkeypatch.setattr(matcher, "supports", lambda statement, span: seen.append(statement) or True)
    korean = Point(text="경찰은 월요일 수사에 착수했다.", citations=[], language="ko",
                   alternates={"en": "Police opened an investigation on Monday."})
    matcher.backs(korean, "Police opened an investigation on Monday, officials said.")
    matcher.backs(korean, "경찰은 월요일 수사를 시작했다.")
    english_only = Point(text="Police opened an investigation on Monday.", citations=[])
    matcher.backs(english_only, "경찰은 월요일 수사를 시작했다.")
    assert seen == ["Police opened an investigation on Monday.", "경찰은 월요일 수사에 착수했다.",
                    "Police opened an investigation on Monday."]
