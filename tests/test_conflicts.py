"""Where sources differ: real disagreements are found with both citations; consistent reports,
figures for another period and figures for another thing are not conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.brief.conflicts import find_conflicts
from briefing.ingest.folder import ingest_folder
from briefing.merge.support import check_support
from briefing.text import without_edit_marks
from briefing.pipeline import RunOptions, run


def _articles(tmp_path: Path, texts: dict[str, str]):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return ingest_folder(folder).articles


def _sides(conflict):
    return {(s.citation.file.split("/")[-1], s.value) for s in conflict.sides}


def _check_quotes(conflicts, articles):
    lines = {a.path: (Path(a.path) if Path(a.path).exists() else None) for a in articles}
    for conflict in conflicts:
        assert len({s.article_id for s in conflict.sides}) == len(conflict.sides) >= 2
        for side in conflict.sides:
            assert side.value in side.citation.quote  # the exact differing words
            assert side.citation.line_start <= side.citation.line_end
    return lines


def test_date_figure_name_and_period_conflicts_are_found(tmp_path):
    articles = _articles(
        tmp_path,
        {
            "a.txt": "Published: 2024-05-10\n\n"
            "Harbour tunnel closes after flooding\n\n"
            "Engineer Lars Holm was detained on May 3 in Oslo after the harbour tunnel flooded.\n\n"
            "Kari Berg, the head of the Norwegian Road Authority, told reporters the tunnel would stay closed.\n\n"
            "The authority received 40 complaints about leaks from April 1 to 7.\n\n"
            "Officials said 12 workers were evacuated from the flooded tunnel section.\n",
            "b.txt": "Published: 2024-05-11\n\n"
            "Oslo tunnel shut\n\n"
            "Lars Holm, the engineer in charge, was detained in Oslo on May 6 after the harbour tunnel flooded.\n\n"
            "Norwegian Road Authority Chief Ola Dahl said the tunnel would stay closed for weeks.\n\n"
            "In the past year, the authority received 40 complaints about leaks in the tunnel.\n\n"
            "Officials said 15 workers were evacuated from the flooded tunnel section.\n",
        },
    )
    conflicts = find_conflicts(articles)
    by_kind = {c.kind: c for c in conflicts}
    assert set(by_kind) == {"date", "name", "figure", "period"}, [(c.kind, c.subject) for c in conflicts]
    assert _sides(by_kind["date"]) == {("a.txt", "May 3"), ("b.txt", "May 6")}
    assert _sides(by_kind["figure"]) == {("a.txt", "12"), ("b.txt", "15")}
    assert _sides(by_kind["period"]) == {("a.txt", "from April 1 to 7"), ("b.txt", "In the past year")}
    name_values = {v for _, v in _sides(by_kind["name"])}
    assert any("Kari Berg" in v for v in name_values) and any("Ola Dahl" in v for v in name_values)
    _check_quotes(conflicts, articles)
    assert all(c.note == "" for c in conflicts)  # no winner picked


def test_consistent_reports_and_other_periods_or_things_are_not_conflicts(tmp_path):
    articles = _articles(
        tmp_path,
        {
            "a.txt": "Published: 2024-09-02\n\n"
            "Police recorded 297 cases of deepfake crimes from January to July, compared to 156 cases in 2021.\n\n"
            "Minister Han Ji-won was arrested on Aug. 28 in Seoul.\n\n"
            "Police identified 24 suspects in the deepfake chatrooms.\n",
            "b.txt": "Published: 2024-09-04\n\n"
            "Police have recorded 297 deepfake crime cases so far this year.\n\n"
            "Han Ji-won was arrested on August 28 in Seoul, police said.\n\n"
            "Police recorded 180 cases of deepfake crimes in 2022.\n\n"
            "Police identified 31 victims in the deepfake chatrooms.\n",
            "c.txt": "Published: 2024-09-05\n\n"
            "Police counted 297 deepfake crime cases in the first seven months of this year.\n",
        },
    )
    conflicts = find_conflicts(articles)
    assert conflicts == [], [(c.kind, c.subject, _sides(c)) for c in conflicts]


def test_a_stated_correction_is_noted(tmp_path):
    articles = _articles(
        tmp_path,
        {
            "a.txt": "Published: 2024-05-10\n\nEngineer Lars Holm was detained on May 3 in Oslo after the tunnel flooded.\n",
            "b.txt": "Published: 2024-05-12\n\nLars Holm was detained on May 4 in Oslo after the tunnel flooded, a corrected police statement said.\n",
        },
    )
    [conflict] = find_conflicts(articles)
    assert conflict.kind == "date" and "b.txt" in conflict.note


@pytest.fixture(scope="module")
def seeds_brief(tmp_path_factory, seeds_dir):
    out = tmp_path_factory.mktemp("out")
    return run(RunOptions(input_dir=seeds_dir, out_dir=out, date="2026-11-21", languages=("en",))).brief


def test_seed_disagreements_are_shown_with_both_sources(seeds_brief):
    conflicts = [c for story in seeds_brief.stories for c in story.conflicts]
    found = {(c.kind, frozenset(_sides(c))) for c in conflicts}
    durov = ("date", frozenset({("000_eae2fc57a7df6416.txt", "Aug. 28"), ("001_5f152dda840e7045.txt", "August 24")}))
    reports = ("period", frozenset({("000_eae2fc57a7df6416.txt", "from Aug. 26 to 29"), ("001_5f152dda840e7045.txt", "In the past month")}))
    assert durov in found and reports in found
    [head] = [c for c in conflicts if c.kind == "name"]
    values = sorted(v for _, v in _sides(head))
    assert any("Woo Jong-soo" in v and "National Office of Investigation" in v for v in values)
    assert any("Yoo Chong-soo" in v and "National Investigative Service" in v for v in values)
    # Nothing else: the 297 cases (January to July / so far this year / first seven months) agree,
    # and 156 cases in 2021 is another year.
    assert len(conflicts) == 3, [(c.kind, c.subject) for c in conflicts]


def test_every_emitted_citation_in_the_seeds_brief_is_supported(seeds_brief):
    brief = seeds_brief
    points = brief.shown_points
    checked = 0
    for point in points:
        # A point's passages of one source are read together (a full name from an earlier line).
        by_file: dict[str, list[str]] = {}
        for citation in point.citations:
            by_file.setdefault(citation.file, []).append(citation.quote)
        for file, quotes in by_file.items():
            result = check_support(without_edit_marks(point.text), " ".join(quotes))
            assert result.supported, (point.text, file, result.reasons)
            checked += len(quotes)
    for conflict in [c for story in brief.stories for c in story.conflicts]:
        for side in conflict.sides:
            assert check_support(side.value, side.citation.quote).supported
            checked += 1
    assert checked > len(points)
    # The investigation point keeps several outlets that report it.
    assert any(p.outlets >= 3 and "investigation" in p.text.lower() for p in points)


def test_figures_for_the_same_fixed_period_conflict_but_a_running_total_may_grow(tmp_path):
    fixed = "Police recorded 297 cases of deepfake crimes from January to July.\n"
    same_period = "Police have recorded 310 deepfake crime cases in the first seven months of this year.\n"
    running = "Police have recorded 310 deepfake crime cases so far this year.\n"
    articles = _articles(tmp_path, {"a.txt": "Published: 2024-09-02\n\n" + fixed, "b.txt": "Published: 2024-09-04\n\n" + same_period})
    [conflict] = find_conflicts(articles)
    assert conflict.kind == "figure" and _sides(conflict) == {("a.txt", "297"), ("b.txt", "310")}
    (tmp_path / "in" / "b.txt").write_text("Published: 2024-09-04\n\n" + running, encoding="utf-8")
    assert find_conflicts(ingest_folder(tmp_path / "in").articles) == []


def _figure_conflicts(tmp_path, a: str, b: str):
    tmp_path = tmp_path / str(len(list(tmp_path.iterdir())))
    tmp_path.mkdir()
    articles = _articles(tmp_path, {"a.txt": "Published: 2024-08-05\n\nShootings\n\n" + a + "\n",
                                    "b.txt": "Published: 2024-08-05\n\nShootings\n\n" + b + "\n"})
    return [c for c in find_conflicts(articles) if c.kind == "figure"]


def test_counts_of_different_places_are_no_conflict(tmp_path):
    """Issue 18: "number of people: 37 vs 13" where 13 was one city's toll of the total."""
    assert _figure_conflicts(
        tmp_path,
        "Police said 13 people were killed in Dayton in the shooting on Sunday.",
        "Police said 37 people were killed in the shooting on Sunday.",
    ) == []
    assert _figure_conflicts(
        tmp_path,
        "Police said 13 people were killed in Dayton in the shooting on Sunday.",
        "Police said 9 people were killed in Dayton in the shooting on Sunday.",
    ) != []  # the same place, different numbers: a conflict


def test_a_part_of_a_total_a_forecast_and_a_rounded_figure_are_no_conflict(tmp_path):
    assert _figure_conflicts(
        tmp_path,
        "Police said 40 people were hurt in the shootings, including 13 people treated at the city hospital.",
        "Police said 40 people were hurt in the shootings, and 27 people were treated at the city hospital.",
    ) == []
    assert _figure_conflicts(
        tmp_path,
        "Employers added 250,000 jobs in October, past expectations for an increase of 190,000 jobs.",
        "The report showed that employers added a stellar 250,000 jobs in October.",
    ) == []
    assert _figure_conflicts(
        tmp_path,
        "The agency said nearly 4.7 million Americans underwent background checks in March.",
        "The agency said 4.69 million Americans underwent background checks in March.",
    ) == []
    assert _figure_conflicts(
        tmp_path,
        "The agency said 4.7 million Americans underwent background checks in March.",
        "The agency said 3.9 million Americans underwent background checks in March.",
    ) != []


def test_an_earlier_value_and_a_date_counted_from_are_no_conflict(tmp_path):
    assert _figure_conflicts(
        tmp_path,
        "The agency said nearly 4.7 million Americans underwent background checks in March.",
        "The 4.69 million checks in March is a 25% increase from a then-record 3.69 million checks.",
    ) == []
    articles = _articles(tmp_path, {
        "a.txt": "Published: 2021-06-08\n\nJobs\n\nJob openings at the Labor Department soared to a record at the end of April.\n",
        "b.txt": "Published: 2021-06-08\n\nJobs\n\nJob openings soared in April, the most since the Labor Department began counting openings in December 2000.\n",
    })
    assert [c for c in find_conflicts(articles) if c.kind == "date"] == []
