"""`briefing translate --ray` and `briefing run --ray` on a local Ray runtime (2 CPUs, started once
for the module) with tiny models built at test time: the files written are byte-identical to the
single-process commands', and a bad file gets one line while the others complete."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

pytest.importorskip("ray")

from tests.test_ray import SENTENCES, lively_marian, marian, ray_runtime  # noqa: E402,F401  (fixtures)
from tests.test_translate_cli import _app  # noqa: E402  (the translate command alone)
from tests.test_translate_seq2seq import models_root  # noqa: E402,F401  (fixture)
from tests.tiny_models import install_model  # noqa: E402

pytestmark = pytest.mark.slow


def test_translate_with_ray_writes_the_same_files_and_a_bad_file_gets_one_line(ray_runtime, marian, tmp_path):
    folder = tmp_path / "summaries"
    folder.mkdir()
    (folder / "a.md").write_text("# Probe\n\n- " + "\n- ".join(SENTENCES[:4]) + "\n", encoding="utf-8")
    (folder / "b.txt").write_text("\n\n".join(SENTENCES[3:]) + "\n", encoding="utf-8")
    (folder / "bad.json").write_text("{not json", encoding="utf-8")
    outputs = {}
    for name, extra in (("single", []), ("ray", ["--ray", "local"])):
        out = tmp_path / name
        result = CliRunner().invoke(_app(), ["translate", str(folder), "--to", "ko", "--out", str(out), "--no-cache", *extra])
        assert result.exit_code == 1, result.output  # the bad file
        failed = [line for line in result.output.splitlines() if line.startswith("failed:")]
        assert len(failed) == 1 and "bad.json" in failed[0], result.output
        assert sum(line.startswith("wrote ") for line in result.output.splitlines()) == 2
        outputs[name] = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
    assert sorted(outputs["single"]) == ["a.ko.md", "b.ko.txt"]
    assert outputs["ray"] == outputs["single"]


def test_run_seq2seq_with_ray_writes_the_same_brief(ray_runtime, models_root, seeds_dir, tmp_path, monkeypatch):
    from briefing.cli import app

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    install_model("bart", models_root, "bart-large-cnn")
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in sorted(seeds_dir.glob("*.txt"))[:2]:
        shutil.copy(path, articles / path.name)
    briefs = {}
    for name, extra in (("single", []), ("ray", ["--ray", "local"])):
        out = tmp_path / name
        args = ["run", str(articles), "--out", str(out), "--date", "2026-11-21", "--lang", "en",
                "--summariser", "seq2seq", "--translator", "none", "--no-cache", *extra]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        briefs[name] = {p.name: p.read_bytes() for p in (out / "2026-11-21").iterdir()}
    assert b"seq2seq" in briefs["single"]["brief.json"]  # the model condensed, not the fallback
    assert briefs["ray"] == briefs["single"]


def test_a_bad_ray_value_is_one_line_and_starts_nothing(tmp_path):
    (tmp_path / "a.md").write_text("# Probe\n", encoding="utf-8")
    result = CliRunner().invoke(_app(), ["translate", str(tmp_path / "a.md"), "--to", "ko", "--ray", "head node"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "--ray takes local, auto or a cluster address" in result.output


def test_without_ray_the_weight_free_run_never_imports_it(seeds_dir, tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom briefing.cli import app\n"
        f"result = CliRunner().invoke(app, ['run', {str(seeds_dir)!r}, '--out', {str(tmp_path)!r}, '-q'])\n"
        "assert result.exit_code == 0, result.output\nprint('ray' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
