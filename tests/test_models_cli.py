"""`briefing models list | check | pull` through typer's CliRunner, on tiny models."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from tests.tiny_models import install_model

pytestmark = pytest.mark.slow


@pytest.fixture
def models(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    root = tmp_path / "models"
    root.mkdir()
    return root


def test_list_shows_registered_models_licences_and_presence(models):
    install_model("marian", models, "opus-mt-tc-big-en-ko")
    result = CliRunner().invoke(app, ["models", "list", "--models-dir", str(models)])
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.output.splitlines() if line.count("│") > 5}
    assert "yes" in rows["opus-mt-tc-big-en-ko"] and str(models) in result.output
    assert " no " in rows["bart-large-cnn"]
    assert "non-commercial" in rows["nllb-200-distilled-600m"]


def test_check_loads_present_models_and_generates(models):
    install_model("marian", models, "opus-mt-tc-big-en-ko")
    install_model("m2m100", models, "m2m100-418m")
    result = CliRunner().invoke(app, ["models", "check", "--models-dir", str(models)])
    assert result.exit_code == 0, result.output
    assert "ok   opus-mt-tc-big-en-ko" in result.output and "ok   m2m100-418m" in result.output


def test_check_reports_a_broken_model_and_fails(models):
    folder = models / "bart-large-cnn"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    (folder / "pytorch_model.bin").write_bytes(b"x")
    result = CliRunner().invoke(app, ["models", "check", "bart-large-cnn", "--models-dir", str(models)])
    assert result.exit_code == 1 and "FAIL bart-large-cnn" in result.output and "safetensors" in result.output


def test_check_with_nothing_present(models):
    result = CliRunner().invoke(app, ["models", "check", "--models-dir", str(models)])
    assert result.exit_code == 0 and "no registered model is present" in result.output


def test_pull_offline_fails_with_one_clear_line(models):
    result = CliRunner().invoke(app, ["models", "pull", "opus-mt-tc-big-en-ko"])
    assert result.exit_code == 1
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1 and "HF_HUB_OFFLINE" in lines[0]
