"""`briefing translate` end to end with a tiny model: structure kept, failures isolated,
and no model means one clear error and no output file."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from briefing.cli.translate import register

pytest.importorskip("torch")
pytest.importorskip("transformers")

from tests.test_translate_seq2seq import models_root  # noqa: E402,F401  (fixture)
from tests.tiny_models import install_model  # noqa: E402

pytestmark = pytest.mark.slow

SUMMARY = """# Telegram probe

Police said 88 people were arrested.[^1] Telegram agreed to remove videos.[^2]

## Key points

- The National Office of Investigation opened a case.[^1]
- Cases rose 53% in 2024.[^2]

[^1]: seeds/000_eae2fc57a7df6416.txt, lines 3-5: "Police said 88 people were arrested"
[^2]: seeds/001_5f152dda840e7045.txt, line 7: "Telegram agreed to remove"
"""


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:  # keeps `translate` a subcommand, as in the real app
        pass

    register(app)
    return app


@pytest.fixture()
def env(models_root, tmp_path, monkeypatch):
    """The seq2seq tests' empty models/ and HF cache, plus a private output cache."""
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    return models_root


def _structure(line: str) -> str:
    """What must not change in a line: heading/list prefix, footnote markers, definitions."""
    if line.startswith("[^"):
        return line
    prefix = line[: len(line) - len(line.lstrip("#- "))]
    return prefix + "".join(m for m in ("[^1]", "[^2]") for _ in range(line.count(m)))


def test_folder_of_summaries_keeps_structure(env, tmp_path):
    install_model("marian", env, "opus-mt-tc-big-en-ko")
    folder = tmp_path / "summaries"
    folder.mkdir()
    (folder / "a.en.md").write_text(SUMMARY, encoding="utf-8")
    (folder / "b.md").write_text(SUMMARY.replace("Telegram probe", "Second"), encoding="utf-8")
    (folder / "notes.txt").write_text("Police said 88 people were arrested.\n\nTelegram agreed.\n", encoding="utf-8")
    brief = {"title": "Telegram", "key_points": [{"text": "Police said 88 people were arrested.", "citations": [
        {"file": "seeds/000.txt", "line_start": 3, "line_end": 5, "quote": "Police said 88"}], "language": "en"}]}
    (folder / "brief.json").write_text(json.dumps(brief), encoding="utf-8")

    result = CliRunner().invoke(_app(), ["translate", str(folder), "--to", "ko"])
    assert result.exit_code == 0, result.output
    for name in ("a.ko.md", "b.ko.md"):
        out = (folder / name).read_text(encoding="utf-8")
        src = SUMMARY if name == "a.ko.md" else SUMMARY.replace("Telegram probe", "Second")
        assert [_structure(l) for l in out.split("\n")] == [_structure(l) for l in src.split("\n")]
        assert "⟦⚠ check translation:" in out  # random weights lose "88": flagged, not hidden
    text_out = (folder / "notes.ko.txt").read_text(encoding="utf-8").split("\n")
    assert len(text_out) == 4 and text_out[1] == ""
    data = json.loads((folder / "brief.ko.json").read_text(encoding="utf-8"))
    point = data["key_points"][0]
    assert point["citations"] == brief["key_points"][0]["citations"]  # citations untouched
    assert point["language"] == "ko" and point["text"] != brief["key_points"][0]["text"]
    assert "number 88 missing" in point["translation_flags"]
    assert "flagged for review" in result.output

    # A second run does not translate its own outputs, and the cache answers.
    again = CliRunner().invoke(_app(), ["translate", str(folder), "--to", "ko"])
    assert again.exit_code == 0, again.output
    assert not list(folder.glob("*.ko.ko.*"))


def test_a_bad_file_fails_alone(env, tmp_path):
    install_model("marian", env, "opus-mt-tc-big-en-ko")
    good = tmp_path / "good.md"
    good.write_text(SUMMARY, encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\x00" * 50)
    out_dir = tmp_path / "out"
    result = CliRunner().invoke(
        _app(), ["translate", str(bad), str(good), str(binary), "--to", "ko", "--out", str(out_dir), "--no-cache"]
    )
    assert result.exit_code == 1
    assert (out_dir / "good.ko.md").exists()
    assert not (out_dir / "bad.ko.json").exists() and not (out_dir / "binary.ko.txt").exists()
    failed = [l for l in result.output.splitlines() if l.startswith("failed:")]
    assert len(failed) == 2 and any("bad.json" in l for l in failed) and any("binary.txt" in l for l in failed)
    assert "2 of 3 failed" in result.output
    assert not list(tmp_path.glob("**/.*.tmp"))  # no temporary files left behind


def test_no_model_is_one_clear_error_and_no_output(env, tmp_path):
    src = tmp_path / "summary.md"
    src.write_text(SUMMARY, encoding="utf-8")
    result = CliRunner().invoke(_app(), ["translate", str(src), "--to", "ko"])
    assert result.exit_code == 1  # a failure (no model), not a usage error
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1, result.output
    assert "opus-mt-tc-big-en-ko" in lines[0]
    assert str(env) in lines[0]
    assert "briefing models pull opus-mt-tc-big-en-ko" in lines[0]
    assert list(tmp_path.glob("summary.*")) == [src]


def test_unknown_language_is_refused(env, tmp_path):
    src = tmp_path / "summary.md"
    src.write_text(SUMMARY, encoding="utf-8")
    result = CliRunner().invoke(_app(), ["translate", str(src), "--to", "fr"])
    assert result.exit_code == 2 and "--to must be one of en, ko" in result.output


def test_the_command_module_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, briefing.cli.translate, briefing.translate.markdown, briefing.translate.guards; " \
           "print('torch' in sys.modules or 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_brief_ko_md_made_by_run_is_not_overwritten(env, tmp_path, seeds_dir):
    """Issue 19: `briefing translate brief.en.md --to ko` replaced the brief.ko.md `run` wrote."""
    from briefing.pipeline import RunOptions, run

    install_model("marian", env, "opus-mt-tc-big-en-ko")
    folder = run(RunOptions(input_dir=seeds_dir, out_dir=tmp_path / "out", date="2024-09-05",
                            summariser="extractive", translator="none")).folder
    before = (folder / "brief.ko.md").read_bytes()
    result = CliRunner().invoke(_app(), ["translate", str(folder / "brief.en.md"), "--to", "ko", "--no-cache"])
    assert result.exit_code == 2  # refused before a model is loaded: nothing left to act on
    failed = [l for l in result.output.splitlines() if l.startswith("failed:")]
    assert failed == [f"failed: {folder / 'brief.en.md'}: {folder / 'brief.ko.md'} exists and was not written by "
                      "briefing translate; not replaced (--force replaces it)"]
    assert (folder / "brief.ko.md").read_bytes() == before


def test_a_read_only_cache_never_breaks_a_run(env, tmp_path, read_only):
    """Issue 19: a read-only cache database aborted a run that uses a model."""
    install_model("marian", env, "opus-mt-tc-big-en-ko")
    cache = tmp_path / "ro-cache"
    first = tmp_path / "first.md"
    first.write_text(SUMMARY, encoding="utf-8")
    done = CliRunner().invoke(_app(), ["translate", str(first), "--to", "ko", "--cache-dir", str(cache)])
    assert done.exit_code == 0, done.output
    read_only(cache)
    src = tmp_path / "summary.md"
    src.write_text(SUMMARY.replace("Telegram probe", "Second probe"), encoding="utf-8")
    result = CliRunner().invoke(_app(), ["translate", str(src), "--to", "ko", "--cache-dir", str(cache)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "cannot be written" in result.output and "reading it, new outputs are not stored" in result.output
    assert (tmp_path / "summary.ko.md").is_file()
