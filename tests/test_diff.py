"""`briefing diff`: new, changed and dropped points between two briefs."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.review.diff import diff_briefs, diff_markdown


def cite(file: str, line: int) -> dict:
    return {"file": file, "line_start": line, "line_end": line, "quote": ""}


@pytest.fixture
def old() -> dict:
    return {
        "date": "2026-11-20",
        "bottom_line": [
            {"text": "South Korean police launched an investigation into Telegram over deepfake sex crimes.",
             "citations": [cite("seeds/a.txt", 3)]},
        ],
        "key_points": [
            {"text": "Police have recorded 297 deepfake sex crime cases so far this year.", "citations": [cite("seeds/b.txt", 13)]},
            {"text": "Criminal networks in Southeast Asia use Telegram to trade hacked data.", "citations": [cite("seeds/c.txt", 5)]},
        ],
        "background": [],
        "positions": [
            {"actor": "KCSC", "statement": {"text": "The KCSC plans a 24-hour hotline for victims.", "citations": [cite("seeds/c.txt", 3)]}},
        ],
    }


def test_new_changed_dropped(old):
    new = copy.deepcopy(old)
    new["date"] = "2026-11-21"
    new["key_points"][0]["text"] = "Police have recorded 310 deepfake sex crime cases so far this year."
    del new["key_points"][1]
    new["key_points"].append(
        {"text": "Telegram removed 25 deepfake videos at the regulator's request.", "citations": [cite("seeds/d.txt", 4)]}
    )
    new["positions"][0]["statement"]["text"] = "The KCSC said it plans to set up a 24-hour hotline for deepfake victims."
    result = diff_briefs(old, new)
    new_points = [c.new.text for c in result.of_kind("new")]
    dropped = [c.old.text for c in result.of_kind("dropped")]
    changed = {c.new.text: c.detail for c in result.of_kind("changed")}
    assert new_points == ["Telegram removed 25 deepfake videos at the regulator's request."]
    assert dropped == ["Criminal networks in Southeast Asia use Telegram to trade hacked data."]
    assert changed["Police have recorded 310 deepfake sex crime cases so far this year."] == "numbers changed: 297 → 310"
    assert changed["The KCSC said it plans to set up a 24-hour hotline for deepfake victims."] == "reworded"
    assert result.unchanged == 1
    text = diff_markdown(result)
    assert text.startswith("# Changes in the brief of 2026-11-21 since 2026-11-20")
    assert "## New (1)" in text and "## Changed (2)" in text and "## Dropped (1)" in text
    assert "was: Police have recorded 297" in text


def test_identical_briefs_have_no_changes(old):
    result = diff_briefs(old, copy.deepcopy(old))
    assert result.changes == [] and result.unchanged == 4


def test_cli_diff(old, tmp_path: Path):
    new = copy.deepcopy(old)
    new["key_points"] = new["key_points"][:1]
    a, b = tmp_path / "old.json", tmp_path / "new.json"
    a.write_text(json.dumps(old), encoding="utf-8")
    b.write_text(json.dumps(new), encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(a), str(b)])
    assert result.exit_code == 0, result.output
    assert "## Dropped (1)" in result.output and "Southeast Asia" in result.output


def test_review_since_prints_the_diff(tmp_path: Path, seeds_dir: Path):
    from briefing.pipeline import RunOptions, run

    folder = run(RunOptions(input_dir=seeds_dir, out_dir=tmp_path, date="2026-11-21", summariser="extractive", translator="none")).folder
    old = json.loads((folder / "brief.json").read_text(encoding="utf-8"))
    old["date"] = "2026-11-20"
    dropped = old["stories"][0]["key_points"][0]["text"]
    old["stories"][0]["key_points"].append({"text": "Telegram closed its Seoul office last week.", "citations": [cite("seeds/z.txt", 1)]})
    yesterday = tmp_path / "old.json"
    yesterday.write_text(json.dumps(old), encoding="utf-8")
    result = CliRunner().invoke(app, ["review", str(folder / "brief.en.md"), "--sources", str(seeds_dir), "--since", str(yesterday)])
    assert "# Changes in the brief of 2026-11-21 since 2026-11-20" in result.output
    assert "## Dropped (1)" in result.output and "Telegram closed its Seoul office" in result.output
    assert dropped not in result.output.split("## Dropped")[1]


def test_points_of_every_story_and_of_also_reported_are_compared():
    def story(*texts):
        return {"bottom_line": [{"text": t, "citations": [cite(f"day/{k}.txt", 1)]} for k, t in enumerate(texts)]}

    old = {"date": "2026-11-29", "stories": [story("The central bank raised its rate to 3.5 percent.")], "also_reported": []}
    new = {
        "date": "2026-11-30",
        "stories": [story("The central bank raised its rate to 3.75 percent.")],
        "also_reported": [story("A storm closed two ports on the east coast.")],
    }
    diff = diff_briefs(old, new)
    assert [c.new.text for c in diff.of_kind("new")] == ["A storm closed two ports on the east coast."]
    assert [c.new.text for c in diff.of_kind("changed")] == ["The central bank raised its rate to 3.75 percent."]
    # A brief written before stories existed (sections at the top level) still compares.
    flat = {"date": "2026-11-28", "bottom_line": old["stories"][0]["bottom_line"]}
    assert diff_briefs(flat, new).of_kind("changed")
