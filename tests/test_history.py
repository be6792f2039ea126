"""The day after (issue 21): a brief that continues from the earlier brief under --out.

Three hand-written days: an outbreak story that continues (its figure moves from 156 to 297 cases,
one fact is repeated, new ones come), a bridge story that ends after day one, a ferry strike that
starts on day two; then a damaged history file, --no-history, --since, and diff/review on the
new shape.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.eval.continuity import split_day
from briefing.pipeline import RunOptions, run
from briefing.review.check import review_file
from briefing.review.diff import diff_briefs, diff_markdown, load_brief

DAYS = {
    "day1": {
        "cholera-a.txt": "Cholera outbreak confirmed in Marlow port district\n\nHealth officials in the Marlow port district confirmed an outbreak of cholera on Friday.\n\nThe regional health office has recorded 156 cases since the start of the month.\n\nWater from two public wells in the old harbour quarter has been sealed off.\n",
        "cholera-b.txt": "Marlow health office confirms cholera outbreak\n\nThe regional health office in Marlow confirmed a cholera outbreak in the port district on Friday.\n\nOfficials said 156 cases have been recorded since the start of the month.\n\nEngineers sealed two public wells in the old harbour quarter.\n",
        "bridge-a.txt": "Kestrel Bridge closed for repairs after crack found\n\nThe Kestrel Bridge over the Tarn river was closed to traffic on Friday after inspectors found a crack in a main girder.\n\nThe transport ministry said repairs would take at least three weeks.\n",
        "bridge-b.txt": "Crack in girder shuts Kestrel Bridge\n\nInspectors found a crack in a main girder of the Kestrel Bridge, and the bridge over the Tarn river was closed to traffic on Friday.\n\nDrivers face long detours while the transport ministry repairs the girder.\n",
    },
    "day2": {
        "cholera-c.txt": "Cholera cases in Marlow nearly double\n\nThe regional health office in Marlow has now recorded 297 cases of cholera in the port district.\n\nHealth officials in the Marlow port district confirmed an outbreak of cholera on Friday.\n\nA field hospital with 40 beds opened on Sunday beside the harbour.\n",
        "cholera-d.txt": "Field hospital opens as Marlow cholera outbreak grows\n\nA field hospital with 40 beds opened on Sunday beside the harbour as the cholera outbreak in the Marlow port district grew.\n\nThe regional health office said 297 cases have been recorded in the port district.\n\nVolunteers are handing out bottled water in the old harbour quarter.\n",
        "ferry-a.txt": "Ferry crews walk out over pay\n\nFerry crews on the Orwen island routes began a 48-hour strike on Sunday over pay.\n\nThe crews' union said talks with the operator had broken down.\n",
        "ferry-b.txt": "Orwen island ferries halted by strike\n\nAll ferries on the Orwen island routes were halted on Sunday as crews began a 48-hour strike over pay.\n\nThe operator said it regretted the union's decision to strike.\n",
    },
    "day3": {
        "cholera-e.txt": "Marlow cholera outbreak slows\n\nThe regional health office in Marlow said new cholera cases in the port district fell for a second day.\n\nThe field hospital beside the harbour has discharged its first patients.\n",
        "cholera-f.txt": "Fewer new cholera cases in Marlow port district\n\nNew cholera cases in the Marlow port district fell for a second day, the regional health office said.\n\nSchools in the old harbour quarter will reopen next week.\n",
    },
}
DATES = {"day1": "2026-11-28", "day2": "2026-11-29", "day3": "2026-11-30"}
HISTORY_KEYS = ('"status"', '"first_seen"', '"previous_id"', '"previously_reported"', '"no_new_reports"', '"new"')


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("days")
    for day, files in DAYS.items():
        (root / day).mkdir()
        for name, text in files.items():
            (root / day / name).write_text(text, encoding="utf-8")
    return root


def brief_run(folders: Path, day: str, out: Path, **options):
    return run(RunOptions(input_dir=folders / day, out_dir=out, date=DATES[day], translator="none", **options))


def data(out: Path, day: str) -> dict:
    return json.loads((out / DATES[day] / "brief.json").read_text(encoding="utf-8"))


def outbreak(brief: dict) -> dict:
    return next(s for s in brief["stories"] + brief["also_reported"] if any("cholera" in a for a in s["article_ids"]))


@pytest.fixture(scope="module")
def chain(folders, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    for day in DAYS:
        brief_run(folders, day, out)
    return out


def test_a_fresh_out_gives_exactly_the_brief_of_the_day(chain, folders, tmp_path):
    text = (chain / DATES["day1"] / "brief.json").read_text(encoding="utf-8")
    assert not any(key in text for key in HISTORY_KEYS)
    brief_run(folders, "day1", tmp_path, history=0)
    for name in ("brief.json", "brief.en.md", "brief.ko.md"):
        assert (tmp_path / DATES["day1"] / name).read_bytes() == (chain / DATES["day1"] / name).read_bytes()


def test_day_two_marks_continuing_new_and_ended_stories(chain):
    one, two = data(chain, "day1"), data(chain, "day2")
    assert two["history"] == {"date": DATES["day1"], "path": two["history"]["path"]}
    story = outbreak(two)
    assert story["status"] == "continuing"
    assert story["first_seen"] == DATES["day1"]
    assert story["previous_id"] == outbreak(one)["id"]
    ferry = next(s for s in two["stories"] + two["also_reported"] if any("ferry" in a for a in s["article_ids"]))
    assert (ferry["status"], ferry["first_seen"], ferry["previous_id"]) == ("new", DATES["day2"], None)
    assert all(p["new"] for p in ferry["bottom_line"] + ferry["key_points"])
    assert [q["title"] for q in two["no_new_reports"]] == [s["title"] for s in one["stories"] + one["also_reported"]
                                                            if any("bridge" in a for a in s["article_ids"])]


def test_a_repeated_fact_is_previously_reported_and_the_section_opens_with_news(chain):
    story = outbreak(data(chain, "day2"))
    repeated = "Health officials in the Marlow port district confirmed an outbreak of cholera on Friday."
    assert [p["text"] for p in story["previously_reported"]] == [repeated]
    assert story["previously_reported"][0]["new"] is False
    shown = story["bottom_line"] + story["key_points"] + story["background"]
    assert shown and all(p["new"] for p in shown) and repeated not in [p["text"] for p in shown]
    # "Volunteers ... in the old harbour quarter" shares words with "Engineers sealed two wells in
    # the old harbour quarter" but is another fact: it stays news.
    assert any("Volunteers" in p["text"] for p in shown)


def test_a_moved_figure_shows_both_values(chain):
    rows = outbreak(data(chain, "day2"))["figures"]
    moved = [r for r in rows if r["value"] == "297"]
    assert moved and moved[0]["previous"] == {"value": "156", "date": DATES["day1"]}
    assert all(r["previous"] is None for r in rows if r["value"] != "297")
    english = (chain / DATES["day2"] / "brief.en.md").read_text(encoding="utf-8")
    assert "| 297 | cases of cholera, up from 156 reported on 28 November |" in english


def test_both_languages_mark_the_stories(chain):
    english = (chain / DATES["day2"] / "brief.en.md").read_text(encoding="utf-8")
    korean = (chain / DATES["day2"] / "brief.ko.md").read_text(encoding="utf-8")
    assert "(developing since 28 November · 2 sources)" in english and "(new · 2 sources)" in english
    assert "(11월 28일부터 계속 · 출처 2건)" in korean and "(신규 · 출처 2건)" in korean
    assert "### 1.2 Key points" in english or "### 1.2 Previously reported" in english
    assert "Previously reported" in english and "이전 보도" in korean
    assert "## No new reports today\n\n- Kestrel Bridge" in english and "## 오늘 새 보도 없음\n\n- Kestrel Bridge" in korean
    assert "11월 28일 보도 156에서 증가" in korean


def test_first_seen_follows_the_chain(chain):
    story = outbreak(data(chain, "day3"))
    assert (story["status"], story["first_seen"]) == ("continuing", DATES["day1"])
    assert story["previous_id"] == outbreak(data(chain, "day2"))["id"]
    three = data(chain, "day3")
    assert [q["title"] for q in three["no_new_reports"]] and all("ferr" in q["title"].lower() for q in three["no_new_reports"])
    # Day three's facts are new: the same place and office, other events.
    assert all(p["new"] for p in story["bottom_line"] + story["key_points"])


def test_the_same_inputs_and_history_give_the_same_bytes(chain, folders, tmp_path):
    for day in ("day1", "day2"):
        brief_run(folders, day, tmp_path)
    for name in ("brief.json", "brief.en.md", "brief.ko.md"):
        assert (tmp_path / DATES["day2"] / name).read_bytes() == (chain / DATES["day2"] / name).read_bytes()


def test_no_history_and_since(chain, folders, tmp_path):
    fresh = tmp_path / "fresh"
    brief_run(folders, "day2", fresh)
    ignored = tmp_path / "ignored"
    brief_run(folders, "day1", ignored)
    brief_run(folders, "day2", ignored, history=0)
    assert (ignored / DATES["day2"] / "brief.json").read_bytes() == (fresh / DATES["day2"] / "brief.json").read_bytes()
    named = tmp_path / "named"
    brief_run(folders, "day2", named, since=chain / DATES["day1"] / "brief.json")
    assert outbreak(data(named, "day2"))["status"] == "continuing"
    # Too far back for --history 1: day one's brief is two days before day three.
    window = tmp_path / "window"
    brief_run(folders, "day1", window)
    brief_run(folders, "day3", window, history=1)
    assert "status" not in outbreak(data(window, "day3"))


@pytest.mark.parametrize("damage", [b"{not json", b"", b'{"date": "2026-11-29", "bottom_line": []}', b"\xff\xfe"])
def test_a_damaged_history_brief_is_one_note_and_no_history(folders, tmp_path, damage):
    brief_run(folders, "day2", tmp_path)
    (tmp_path / DATES["day2"] / "brief.json").write_bytes(damage)
    result = brief_run(folders, "day3", tmp_path)
    notes = [w for w in result.warnings if w.startswith("history:")]
    assert len(notes) == 1 and "without history" in notes[0] and "\n" not in notes[0]
    text = (tmp_path / DATES["day3"] / "brief.json").read_text(encoding="utf-8")
    assert not any(key in text for key in HISTORY_KEYS)


def test_cli_options(folders, chain, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["run", str(folders / "day2"), "--out", str(tmp_path), "--date", DATES["day2"],
                                 "--since", str(tmp_path / "missing.json"), "--translator", "none"])
    assert result.exit_code == 0, result.output
    assert "history:" in result.output and "not found" in result.output
    result = runner.invoke(app, ["run", str(folders / "day2"), "--out", str(tmp_path), "--no-history", "--since", "x"])
    assert result.exit_code == 2 and "--no-history and --since" in result.output


def test_review_checks_the_new_shape_as_today(chain, folders):
    for name in ("brief.en.md", "brief.ko.md"):
        report = review_file(chain / DATES["day2"] / name, sources_dir=folders / "day2")
        assert report.ok, [str(f) for f in report.errors]
        assert report.segments_checked > 0


def test_review_still_catches_a_wrong_number_in_a_moved_figure_row(chain, folders, tmp_path):
    english = (chain / DATES["day2"] / "brief.en.md").read_text(encoding="utf-8")
    edited = tmp_path / "brief.en.md"
    edited.write_text(english.replace("| 297 | cases of cholera", "| 298 | cases of cholera"), encoding="utf-8")
    report = review_file(edited, sources_dir=folders / "day2", auto_pair=False)
    assert any("298" in str(f) for f in report.errors)


def test_diff_reads_the_new_shape(chain):
    one, two = (load_brief(chain / DATES[day] / "brief.json") for day in ("day1", "day2"))
    result = diff_briefs(one, two)
    marks = {s.status for s in result.stories}
    assert marks == {"new", "continuing", "quiet"}
    text = diff_markdown(result)
    assert "## Stories" in text and "(developing since 2026-11-28)" in text and "(no new reports today)" in text
    repeated = [c for c in result.changes if c.new and c.new.section == "previously_reported"]
    assert not [c for c in repeated if c.kind == "new"]  # the repeated fact pairs with day one's


def test_diff_refuses_a_bad_status(chain, tmp_path):
    two = data(chain, "day2")
    two["stories"][0]["status"] = "ongoing"
    path = tmp_path / "brief.json"
    path.write_text(json.dumps(two), encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(chain / DATES["day1"] / "brief.json"), str(path)])
    assert result.exit_code != 0 and "status" in result.output


def test_the_continuity_eval_splits_each_story_over_two_days():
    articles = [{"name": f"{story}{k}.txt", "story": story} for story, k in
                [("a", 0), ("b", 0), ("a", 1), ("c", 0), ("a", 2), ("d", 0), ("e", 0), ("e", 1)]]
    one, two = split_day(articles)
    assert [a["name"] for a in one] == ["a0.txt", "b0.txt", "d0.txt", "e0.txt"]
    assert [a["name"] for a in two] == ["a1.txt", "a2.txt", "c0.txt", "e1.txt"]


def test_eval_continuity_scores_the_second_day_beside_title_matching(tmp_path):
    stories = {"cholera": [], "ferry": [], "bridge": []}
    for files in DAYS.values():
        for name, text in sorted(files.items()):
            story = name.split("-")[0]
            if story in stories:
                title, _, body = text.partition("\n\n")
                stories[story].append({"name": name, "story": story, "lang": "en", "title": title, "text": body})
    row = {"day": "hand", "articles": [a for members in stories.values() for a in members]}
    data = tmp_path / "days.jsonl"
    data.write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "continuity", str(data), "--json"])
    assert result.exit_code == 0, result.output
    methods = json.loads(result.output.strip().splitlines()[-1])["methods"]
    assert [m["name"] for m in methods] == ["brief status (default)", "title matching"]
    default, titles = methods
    assert default["fresh_continuing"] == 0
    assert default["accuracy"] == 100.0 and default["continuing_recall"] == 100.0
    assert titles["accuracy"] < default["accuracy"]


@pytest.mark.parametrize("before, en, ko", [
    ("156", "cases, down from 156 reported on 28 November", "cases, 11월 28일 보도 156에서 감소"),
    ("88", "cases, up from 88 reported on 28 November", "cases, 11월 28일 보도 88에서 증가"),
    ("12%", "cases, 12% reported on 28 November", "cases, 11월 28일 보도 12%"),
])
def test_a_moved_figure_reads_up_down_or_changed(before, en, ko):
    from briefing.brief.render import render_markdown
    from briefing.model import Brief, Citation, Figure, HistoryInfo, Point, PreviousFigure, Story

    cite = Citation("in/a.txt", 3, 3, "The office has recorded 120 cases.")
    row = Figure("120", "cases", [cite], previous=PreviousFigure(before, "2026-11-28"))
    story = Story("story-1", "Outbreak", ["a"], [], None, [Point("The office has recorded 120 cases.", [cite])],
                  figures=[row], status="continuing", first_seen="2026-11-27", previous_id="story-3")
    brief = Brief("2026-11-29", "Outbreak", [story], [], [], {"condenser": "extractive", "translator": "none",
                  "stories": "lexical", "merger": "lexical"}, stats={"translation_install_hint": ""},
                  history=HistoryInfo("2026-11-28", "2026-11-28/brief.json"))
    assert f"| 120 | {en} |" in render_markdown(brief, "en")
    assert f"| 120 | {ko} |" in render_markdown(brief, "ko")
    assert "*developing since 27 November*" in render_markdown(brief, "en")
