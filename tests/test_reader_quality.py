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
        ("물론 그는 이 문제를 조속히 해결하겠다고 말했다.", "물론", "connective"),
        ("그것은 위원회가 다시 투표한다는 것을 의미한다.", "그것은", "pronoun"),
        ("The council voted on the plan again on Monday evening.", None, None),
        ("This year the council voted on the plan again in March.", None, None),
        ("Before then, the council will host the mayor on Thursday.", "Before then", "connective"),
        ("These measures will cost the city three million dollars.", "These", "pronoun"),
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


def test_a_korean_point_that_leans_on_the_sentence_before_after_its_connective_is_not_listed():
    article = article_from_text(
        "위원회 재투표\n\n위원회는 월요일에 예산을 논의하기 위해 모였다.\n"
        "물론 그는 이 계획에 대해 3월에 다시 투표하기로 결정했다.\n", "a", "in/a.txt")
    assert standing_alone(_point(article, 1), {article.path: article}) is None


def test_a_point_is_listed_only_when_its_wording_in_each_language_stands_alone():
    """The English brief shows a Korean point's English wording (a source there states the same
    fact): without its connective when it opens on one, and not at all when it leans on the
    sentence before. Keeping the Korean point with its English wording dropped showed the Korean
    sentence in the English brief, untranslated."""
    article = article_from_text(
        "영화 평\n\n전통적으로 영국 영화에서는 브렉시트의 의미를 찾는데, 이 영화도 그렇다.\n", "a", "in/a.ko.txt")
    point = _point(article, 0)
    point.language = "ko"
    point.alternates = {"en": "But this year the review looks for Brexit in every new British film, this one too."}
    alone = standing_alone(point, {article.path: article})
    assert alone is not None and alone.text_in("en") == "This year the review looks for Brexit in every new British film, this one too."
    assert alone.text == point.text
    point.alternates = {"en": "It is traditional now to look for Brexit in any new British film, this one too."}
    assert standing_alone(point, {article.path: article}) is None


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


@needs_parser
def test_whether_a_line_has_a_verb_is_read_from_its_tags_alone_and_a_batch_reads_the_same():
    """Listing a point asks only for its parts of speech: no dependency parse is made for it, and
    tagging a batch gives each sentence the tags it gets alone."""
    from briefing.language import english, read_all

    texts = ["For almost everybody else in the whole country.", "Almost everybody else in the country voted for him.",
             "The council will meet again on Monday to vote on the budget."]
    reset()
    facts = read_all(texts)
    assert [f.fragment for f in facts] == [True, False, False]
    assert not any(t in english._parsed for t in texts)
    batch = [[tok.pos_ for tok in english.tags(t)] for t in texts]
    reset()
    assert batch == [[tok.pos_ for tok in english.tags(t)] for t in texts]
    assert batch == [[tok.pos_ for tok in english.parse(t)] for t in texts]
    reset()


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


def test_an_ampersand_is_shown_as_written_unless_it_would_read_as_an_entity():
    from briefing.brief.render import md_escape, md_unescape

    assert md_escape("The S&P 500 fell; AT&T rose.") == "The S&P 500 fell; AT&T rose."
    assert md_escape("the text &amp; more") == "the text &amp;amp; more"
    for text in ("S&P 500", "a &lt;b&gt; &#39;"):
        assert md_unescape(md_escape(text)) == text


@pytest.mark.parametrize(
    "text, value",
    [
        ("Since the 9/11 attacks, 19 hijackers have been named by the inquiry.", "19"),
        ("COVID-19 cases rose to 300 people in the city this week.", "300"),
    ],
)
def test_a_number_inside_a_bigger_token_is_no_figure(text, value):
    from briefing.brief.sections import figure_quantities

    assert [q.text for q in figure_quantities(text)] == [value]


def test_what_a_figure_counts_ends_on_a_noun():
    from briefing.brief.sections import _english_figure, figure_quantities

    text = "Officials ran nearly 4.7 million gun background checks through the system, and 1,127 defections last year - a record."
    found = [_english_figure(text, q) for q in figure_quantities(text)]
    assert found == [("nearly 4.7 million", "gun background checks"), ("1,127", "defections")]


@pytest.mark.parametrize("text", ["“그것은 면밀히 생각한 결정이 아니었다”고 그녀는 웃으면서 말했다.", "그는 “반드시 해내겠다”고 말했다."])
def test_a_korean_pronoun_is_never_an_actor(text):
    from briefing.brief.sections import korean_actor

    assert korean_actor(text) is None


def test_a_quotation_split_into_sentences_is_cited_whole():
    from briefing.pipeline import _own_lead

    article = article_from_text(
        "Witness speaks\n\n\"I felt like somebody took me and said, 'You're worthless. You are nothing to us. You are disposable.'\"\n",
        "w", "in/w.txt")
    point = _own_lead(article)
    assert point is not None and point.text.startswith('"I felt') and point.text.endswith("disposable.'\"")
    # Nothing in it names the speaker, so it is not listed as a point; an article that must be
    # cited shows it whole rather than a piece of it.
    assert read(point.text).whole_statement and not read(point.text).stands_alone
    assert (point.citations[0].line_start, point.citations[0].line_end) == (3, 3)


def test_a_story_with_no_headline_is_named_by_its_own_words():
    from briefing.pipeline import _title

    lead = [Point("Heavy rain flooded the river valley on Monday, and officials closed forty schools in the district.", [])]
    assert _title({}, lead) == "Heavy rain flooded the river valley on Monday, and officials closed forty …"
    # A Korean headline does not name a story the English brief tells in English words.
    assert _title({"ko": "홍수"}, lead) == _title({}, lead)
    assert _title({"ko": "홍수"}, [Point("강에 홍수가 났다.", [], language="ko")]) == "홍수"


def test_eval_reader_counts_the_defects_of_both_briefs(tmp_path: Path):
    from briefing.eval.reader import check_brief, load_days

    brief = (
        "# Policy brief: 2 stories\n\n## 1. News brief\n\n### 1.1 Bottom line\n\nBut the council met again.[^1]\n\n"
        "### 1.2 Key figures\n\n| Figure | What it counts | Sources |\n|---|---|---|\n| 19 | cases of the | [^2] |\n\n"
        "### 1.3 Policy options\n\n- **그**: He said “it is done.[^1]\n- **Jane Doe**: Jane Doe said the S&amp;P fell.[^2]\n\n"
        "_No figures reported._\n\n[^1]: `day/a.txt`, line 3: “But the council met again.”\n"
        "[^2]: `day/a.txt`, line 4: “COVID-19 cases of the city.”\n"
    )
    found = check_brief(brief, "en", ["a.txt", "b.txt"])
    assert found.cited_lines == 4
    for kind in ("generic_heading", "leans_on_context", "figure_fragment", "figure_label", "foreign_label",
                 "pronoun_actor", "dangling_quote", "entity", "filler", "uncited_article"):
        assert found.counts[kind] >= 1, kind
    assert found.examples["uncited_article"] == ["b.txt"]
    korean = check_brief("- **말하**: 시장은 대책을 발표했다.[^1]\n| 250달러 | 단지 | [^1] |\n| 297건 | 피해 신고 | [^1] |\n\n[^1]: `a.txt`, line 1: “…”\n", "ko")
    assert korean.counts["korean_verb_label"] == 2
    bad = tmp_path / "days.jsonl"
    bad.write_text('{"day": 1, "articles": "notalist"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        load_days(bad)


def test_a_story_whose_points_are_all_positions_still_has_a_bottom_line():
    from briefing.brief.sections import partition

    article = article_from_text(
        "Talks\n\nWhat happened next surprised everyone in the chamber that day?\n"
        "The union said it would strike on Monday unless pay rose.\n", "t", "in/t.txt")
    point = _point(article, 1)
    sections = partition([point], [article], bottom=0)
    assert [p.text for p in sections.bottom_line] == [point.text] and not sections.positions


def test_an_article_its_story_leaves_uncited_gets_its_lead_cited():
    """In a story's key points when its story is shown, under Also reported when it has none."""
    from briefing.merge.sameness import FactMatcher
    from briefing.model import Story
    from briefing.pipeline import _cite_every_article

    text = "Flooding\n\nHeavy rain flooded the river valley on Monday, and officials closed forty schools.\n"
    a, b = article_from_text(text, "a", "in/a.txt"), article_from_text(text.replace("Heavy", "Torrential"), "b", "in/b.txt")
    c = article_from_text("Talks\n\nNegotiators resumed talks on tariffs in Geneva on Tuesday after a pause.\n", "c", "in/c.txt")
    story = Story("story-1", "Flooding", ["a", "b"], [], None, bottom_line=[_point(a, 0)])
    also: list[Story] = []
    _cite_every_article([a, b, c], [story], also, {"b": [_point(b, 0)], "c": []}, FactMatcher())
    assert [p.citations[0].file for p in story.key_points] == ["in/b.txt"]
    assert [s.article_ids for s in also] == [["c"]] and also[0].bottom_line[0].citations[0].file == "in/c.txt"


@pytest.mark.parametrize("text", [
    "The Senate voted 52-48 on Monday night to confirm the judge.",
    "He returned for the 2-2 draw with the league leaders last week.",
    "The storm strengthened into a Category 4 hurricane overnight.",
    "Shares on the S&P 500 index closed lower on Friday afternoon.",
    "The bill, known as S.B. 8, went into effect in September.",
])
def test_a_score_a_vote_or_a_number_in_a_name_is_no_figure(text):
    from briefing.brief.sections import figure_quantities

    assert figure_quantities(text) == []


def test_a_count_beside_a_name_is_still_a_figure():
    from briefing.brief.sections import figure_quantities

    found = [q.text for q in figure_quantities("Police said 12 people were hurt near Highway 36 on Monday.")]
    assert found == ["12"]
    assert [q.text for q in figure_quantities("On Monday 800 people were evacuated from the valley.")] == ["800"]


@pytest.mark.parametrize("text", [
    "Hopefully, we can get three points but that will be a tough game for the squad.",
    "A little over 240 years ago, two of my ancestors put on the uniform of the army.",
    "나는 그들이 내 묘비에 무엇이라고 쓸까 하고 생각했던 것을 기억한다.",
])
def test_a_first_person_voice_with_no_speaker_is_not_listed(text):
    assert read(text).first_person and not read(text).stands_alone


@pytest.mark.parametrize("text", [
    "“We will win this trophy,” the coach Ola Brand said on Monday.",
    "The US and its allies met in the capital on Monday to agree a plan.",
    "“우리는 이길 것”이라고 브란트 감독은 월요일에 말했다.",
    "우리나라 경제는 올해 3% 성장했다고 정부가 밝혔다.",
])
def test_quoted_first_person_and_the_country_are_no_voice_of_their_own(text):
    assert not read(text).first_person


@pytest.mark.parametrize("text, shown", [
    ("(CNN) - The ministry raised fees for dozens of applications on Friday.", "The ministry raised fees for dozens of applications on Friday."),
    ("Washington (CNN)President Lena Orr mocked the activist on Monday night.", "President Lena Orr mocked the activist on Monday night."),
    ("ARLAND CITY, Arland—The president called the troops on Christmas Eve.", "The president called the troops on Christmas Eve."),
    ("We found: The mayor accused the council of hiding the budget figures.", "The mayor accused the council of hiding the budget figures."),
])
def test_a_wire_dateline_or_a_rubric_is_left_out_of_the_point(tmp_path: Path, text, shown):
    article = article_from_text(f"A headline\n\n{text}\n", "a", path="a.txt")
    listed = standing_alone(_point(article, 0), {article.path: article})
    assert listed is not None and listed.text == shown
    assert listed.citations == _point(article, 0).citations


def test_a_speakers_label_is_kept():
    article = article_from_text("A headline\n\nOrr: The council will vote on the budget next week.\n", "a", path="a.txt")
    assert standing_alone(_point(article, 0), {article.path: article}).text.startswith("Orr:")


SURNAME_ARTICLE = """Senate vote on aid bill delayed

Sen. Lena Marsh, a Democrat, blocked a quick vote on the aid bill on Thursday evening.
The bill would send 40 million dollars to the region's farmers this year.
Marsh said the spending had to be paid for by cuts elsewhere in the budget.
Police closed the road outside the Capitol building for two hours on Thursday.
"""


@needs_parser
def test_a_bare_surname_is_introduced_by_the_articles_full_name_the_first_time():
    from briefing.brief.names import introduce_names

    article = article_from_text(SURNAME_ARTICLE, "a", path="a.txt")
    later = [_point(article, 2), _point(article, 3)]
    shown = introduce_names(later, [article])
    assert shown[0].text == "[Lena Marsh] said the spending had to be paid for by cuts elsewhere in the budget."
    assert [c.line_start for c in shown[0].citations] == [3, 5]  # the name's sentence is cited too
    assert shown[1] == later[1]  # "Police", "Capitol", "Thursday": no person's name
    # Once the brief has named her, the surname is enough.
    assert introduce_names([_point(article, 0), _point(article, 2)], [article])[1].text.startswith("Marsh said")
    assert shown[0].citations[0].quote == "Lena Marsh"  # the name's footnote quotes the name alone


@needs_parser
def test_a_korean_source_of_the_point_does_not_keep_the_name_out():
    from briefing.brief.names import introduce_names

    article = article_from_text(SURNAME_ARTICLE, "a", path="a-en.txt")
    korean = article_from_text("마시 의원은 예산의 다른 곳을 줄여 지출을 메워야 한다고 말했다.\n", "a-ko", path="a-ko.txt")
    point = _point(article, 2)
    point.citations.append(korean.citation(korean.sentences[0]))
    point.alternates["ko"] = korean.sentences[0].text
    shown = introduce_names([point], [article, korean])[0]
    assert shown.text.startswith("[Lena Marsh] said")
    assert shown.alternates["ko"] == korean.sentences[0].text


@needs_parser
def test_a_surname_that_modifies_a_noun_is_left_as_written():
    from briefing.brief.names import introduce_names

    article = article_from_text(SURNAME_ARTICLE.replace(
        "Marsh said the spending", "The statements come as Marsh administration has said the spending"), "a", path="a.txt")
    later = [_point(article, 2)]
    assert introduce_names(later, [article]) == later


@pytest.mark.parametrize("text, alone", [
    ("\"I saw the striker coming and took one touch and just took the shot on.\"", False),
    ("“우리는 이번 경기에서 반드시 이길 것입니다.”", False),
    ("\"We saw the striker coming and took the shot on,\" the coach said after the match.", True),
    ("\"선수들은 끝까지 잘 싸웠습니다.”라고 감독이 경기 뒤에 말했다.", True),  # straight and curly marks mixed
    ("The mayor called the new budget plan \"a disgrace to the city\" on Monday.", True),
])
def test_a_quotation_whose_speaker_is_not_named_is_not_listed(text, alone):
    assert read(text).speakerless is not alone
    assert read(text).stands_alone_unparsed is alone
