"""Engine selection: seq2seq when the model is present locally, else the weight-free default
with a one-line note; the weight-free path imports neither torch nor transformers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefing.engines import select_engines
from briefing.seq2seq.model_errors import ModelError
from tests.tiny_models import install_model


@pytest.fixture
def models(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    root = tmp_path / "models"
    root.mkdir()
    return root, tmp_path / "hf", tmp_path / "cache"


def test_no_models_means_weight_free_engines_and_notes(models):
    root, hf, cache = models
    engines = select_engines(models_root=root, hf_cache=hf, cache_dir=cache)
    assert engines.condenser.name == "extractive" and engines.translator.name == "none"
    notes = "\n".join(engines.notes)
    assert "briefing models pull bart-large-cnn" in notes and "briefing models pull opus-mt-tc-big-en-ko" in notes
    assert all("\n" not in n for n in engines.notes)


def test_weight_free_path_does_not_import_torch(tmp_path):
    code = (
        "import sys; from briefing.engines import select_engines; "
        f"e = select_engines(models_root={str(tmp_path)!r}, hf_cache={str(tmp_path)!r}); "
        "print('torch' in sys.modules, 'transformers' in sys.modules, e.condenser.name)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"HF_HUB_OFFLINE": "1", "PATH": ""}, cwd=str(Path(__file__).resolve().parents[1]))
    assert out.stdout.split() == ["False", "False", "extractive"]


def test_explicit_seq2seq_without_model_raises_one_line(models):
    root, hf, cache = models
    with pytest.raises(ModelError) as info:
        select_engines("seq2seq", "none", models_root=root, hf_cache=hf)
    assert "\n" not in str(info.value) and "briefing models pull" in str(info.value)


@pytest.mark.slow
def test_present_models_are_used(models):
    root, hf, cache = models
    install_model("bart", root, "bart-large-cnn")
    install_model("marian", root, "opus-mt-tc-big-en-ko")
    engines = select_engines(models_root=root, hf_cache=hf, cache_dir=cache)
    assert engines.condenser.name == "seq2seq"
    assert "bart-large-cnn" not in " ".join(n for n in engines.notes if n.startswith("English"))
    assert any(n.startswith("Korean articles condensed extractively") for n in engines.notes)
    described = engines.describe()
    assert "facebook/bart-large-cnn" in described["condenser"]
    assert "en→ko: seq2seq" in described["translator"] and "ko→en: none" in described["translator"]
    assert engines.stats()["dropped_unsupported"] == 0 and engines.cache.enabled


@pytest.mark.slow
def test_model_option_and_no_cache(models, tmp_path):
    root, hf, cache = models
    path = install_model("t5", tmp_path, "my-t5")
    engines = select_engines("seq2seq", "none", model=str(path), no_cache=True, models_root=root, hf_cache=hf)
    assert str(path) in engines.describe()["condenser"]
    assert not engines.cache.enabled
