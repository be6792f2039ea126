"""What a reader of a brief trips over, on small hand-written articles: points that lean on the
sentence before them, questions, fragments, pieces of quotations, articles cited nowhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.brief.standalone import standing_alone
from briefing.ingest.folder import article_from_text, ingest_folder
from briefing.language import read, reader, reset
from briefing.model import Point
from briefing.pipeline import RunOptions, run

needs_parser = pytest.mark.skipif(reader() == "rules", reason="spaCy's English pipeline is not installed")


def _point(article, index: int) -> Point:
    """The article's `index`-th statement (its headline is not one), as a point."""
    sentence = [s for s in article.sentences if not s.is_fragment][index]
    return Point(sentence.text, [article.citation(sentence)], article_ids=[article.id])


@pytest.mark.parametrize(
    "text, opener, kind",
    [
        ("But now the council has decided to vote again on the plan.", "But", "connective"),
        ("Because of this, officials recommended another app to users.", "Because of this", "connective"),
        ("He will also sign an executive order on the matter next week.", "He", "pronoun"),
        ("“They want it done soon,” a spokesman said on Monday.", "They", "pronoun"),
        ("그러나 경찰은 이 사건에 대한 수사를 시작했다고 밝혔다.", "그러나", "connective"),
        ("그는 이 문제를 조속히 해결하겠다고 말했다.", "그는", "pronoun"),
        ("The council voted on the plan again on Monday evening.", None, None),
    ],
)
def test_how_a_sentence_opens(text, opener, kind):
    facts = read(text)
    assert (facts.opener, facts.opener_kind) == (opener, kind)
    assert facts.stands_alone is (opener is None)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("Will the new rules cost the party its majority in the state?", "question"),
        ("Yes, I can win.”", "fragment"),
        ("The mayor said the plan would be announced", "fragment"),
        ("“This has got to be done soon, before the winter comes.", "unclosed"),
        ("and that is what the voters will remember in November.\"", "unopened"),
    ],
)
def test_what_cannot_be_listed(text, problem):
    facts = read(text)
    assert not facts.stands_alone
    assert {"question": facts.question, "fragment": facts.fragment}.get(problem, facts.quotation == problem)


def test_mixed_quotation_marks_still_pair_up():
    assert read("She said platforms must “regulate what can be used for crime.\"").quotation == "balanced"


def test_a_connective_opening_is_dropped_and_the_point_kept():
    article = article_from_text(
        "Council votes again\n\nThe council met on Monday to discuss the budget.\n"
        "But now the council has decided to vote again on the plan in March.\n", "a", "in/a.txt")
    point = standing_alone(_point(article, 1), {article.path: article})
    assert point is not None and point.text == "Now the council has decided to vote again on the plan in March."
    assert point.citations == _point(article, 1).citations


@needs_parser
def test_a_pronoun_is_replaced_by_the_subject_before_it_and_both_lines_are_cited():
    article = article_from_text(
        "Senate race\n\nRoy Moore lost the special election for the Senate in 2017.\n"
        "He has now decided to run for the Senate again next year.\n", "m", "in/m.txt")
    point = standing_alone(_point(article, 1), {article.path: article})
    assert point is not None
    assert point.text == "[Roy Moore] has now decided to run for the Senate again next year."
    (citation,) = point.citations
    assert (citation.line_start, citation.line_end) == (3, 4)
    assert "Roy Moore" in citation.quote and "decided to run" in citation.quote


@needs_parser
def test_a_pronoun_with_no_named_subject_before_it_is_not_listed():
    article = article_from_text(
        "Chess\n\nThe complaint was made by a rival player during the sixth round.\n"
        "He said the player kept leaving the room during the game.\n", "c", "in/c.txt")
    assert standing_alone(_point(article, 1), {article.path: article}) is None


def test_a_pronoun_that_names_nothing_is_not_listed():
    article = article_from_text(
        "Markets\n\nStocks fell sharply on Tuesday in every market.\nIt has been two days since the vote was counted.\n",
        "s", "in/s.txt")
    assert standing_alone(_point(article, 1), {article.path: article}) is None


def test_rules_only_reads_without_the_parser(monkeypatch):
    monkeypatch.setenv("BRIEFING_PARSER", "rules")
    reset()
    try:
        assert reader() == "rules"
        facts = read("And for almost everybody else in the country today.")
        assert facts.verbless is None and facts.people == ()
        assert facts.opener == "And"
    finally:
        monkeypatch.delenv("BRIEFING_PARSER")
        reset()


@needs_parser
def test_a_verbless_line_is_a_fragment():
    assert read("For almost everybody else in the whole country.").fragment
    assert not read("Almost everybody else in the country voted for him.").fragment


def _cited_files(markdown: str) -> set[str]:
    return set(re.findall(r"^\[\^\d+\]: `([^`]+)`", markdown, re.M))


def test_every_article_is_cited_even_a_headline_and_one_line(tmp_path: Path):
    """A headline plus one sentence cut before its full stop is an article, and it is cited."""
    folder = tmp_path / "day"
    folder.mkdir()
    story = ("Flooding closes schools\n\nHeavy rain flooded the river valley on Monday, and officials closed 40 schools "
             "in the district.\nThe regional council said 1,200 homes were without power by the evening.\n")
    (folder / "a.txt").write_text(story, encoding="utf-8")
    (folder / "b.txt").write_text(story.replace("Heavy rain", "Torrential rain").replace("the evening", "nightfall"), encoding="utf-8")
    (folder / "c.txt").write_text(
        "Trade talks resume in Geneva\n\nNegotiators from both countries resumed talks on tariffs in Geneva on "
        "Tuesday after a pause of six months\n", encoding="utf-8")
    assert len(ingest_folder(folder).articles) == 3
    result = run(RunOptions(input_dir=folder, out_dir=tmp_path / "out", date="2026-11-30", translator="none"))
    english = (result.folder / "brief.en.md").read_text(encoding="utf-8")
    assert {"day/a.txt", "day/b.txt", "day/c.txt"} <= _cited_files(english)
    assert "_No " not in english
