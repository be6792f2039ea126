"""The command line's shared conventions: --version, a strict --date, exit 2 for usage errors and
1 for failures, read errors said as reads, boolean options shown as flags, shared options alike."""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest
from typer.testing import CliRunner

from briefing.cli import app

runner = CliRunner()
ARTICLE = "Harbour council approves ferry route\n\nThe harbour council approved a new ferry route on 3 March 2026.\n"


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def one_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path / "in"


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and result.output.strip() == f"briefing {version('briefing')}"


@pytest.mark.parametrize("bad", ["20261130", "2026-W48-1", "", "2026-11-31", " 2026-11-30"])
def test_date_takes_only_a_calendar_day_as_yyyy_mm_dd(folder, tmp_path, bad):
    result = invoke("run", folder, "--out", tmp_path / "out", "--date", bad)
    assert result.exit_code == 2
    assert one_line(result).startswith("error: --date") and repr(bad) in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args", [
    ["--lang", "fr"], ["--max-points", "0"], ["--quantize", "int4"], ["--embedder", "other"], ["--summariser", "x"],
])
def test_bad_option_values_are_usage_errors(folder, tmp_path, args):
    result = invoke("run", folder, "--out", tmp_path / "out", "--date", "2026-03-04", *args)
    assert result.exit_code == 2 and one_line(result).startswith("error: ")
    assert not (tmp_path / "out").exists()


def test_missing_inputs_are_usage_errors_and_failures_exit_1(folder, tmp_path):
    assert invoke("run", tmp_path / "nowhere", "--out", tmp_path / "out").exit_code == 2
    assert invoke("diff", tmp_path / "a.json", tmp_path / "b.json").exit_code == 2
    assert invoke("eval", "stories", tmp_path / "none.jsonl").exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    failed = invoke("run", empty, "--out", tmp_path / "out", "--date", "2026-03-04")  # nothing readable in it
    assert failed.exit_code == 1 and one_line(failed).startswith("error: ")


def test_a_read_error_is_not_blamed_on_writing(folder, tmp_path, monkeypatch):
    from briefing.seq2seq.registry import load_registry

    monkeypatch.setenv("BRIEFING_REGISTRY", str(tmp_path / "missing-registry.toml"))
    with pytest.raises(FileNotFoundError):
        load_registry()  # the run below reads it (to say which model to pull)
    result = invoke("run", folder, "--out", tmp_path / "out", "--date", "2026-03-04", "--embedder", "lexical",
                    "--translator", "auto")
    if result.exit_code == 0:
        pytest.skip("this environment's run did not need the registry")
    message = one_line(result)
    assert result.exit_code == 1 and "could not read" in message and "missing-registry.toml" in message
    assert "could not write" not in message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [["run"], ["translate"], ["review"], ["models", "pull"], ["eval", "summaries"]])
def test_boolean_options_read_as_flags(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "<bool>" not in result.output and "BOOLEAN" not in result.output


def _option_help(command: list[str], option: str) -> str:
    text = invoke(*command, "--help").output
    match = re.search(rf"^\s+(?:-\w, )?{option}\b[^\n]*(?:\n {{10,}}[^\n-][^\n]*)*", text, flags=re.M)
    assert match, text
    return " ".join(match.group(0).split()[1:])


@pytest.mark.parametrize("option", ["--model", "--device", "--quantize", "--cache-dir", "--no-cache"])
def test_shared_options_are_the_same_everywhere(option):
    assert _option_help(["run"], option) == _option_help(["translate"], option)
    if option in ("--model", "--device", "--quantize"):
        assert _option_help(["run"], option) == _option_help(["eval", "translation"], option)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_written_files_respect_the_umask(folder, tmp_path, mask):
    import os
    import stat

    from briefing.outputs import write_file_atomically

    previous = os.umask(mask)
    try:
        result = invoke("run", folder, "--out", tmp_path / "out", "--date", "2026-03-04", "--embedder", "lexical")
        page = write_file_atomically(tmp_path / "page.html", "<p>x</p>\n")
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    day = tmp_path / "out" / "2026-03-04"
    assert stat.S_IMODE(day.stat().st_mode) == 0o777 & ~mask
    for path in [*day.iterdir(), page]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path
