"""Model resolution (path -> models/ -> HF cache), safetensors-only loading, batched generation."""

from __future__ import annotations

import json
import shutil

import pytest

from briefing.seq2seq.device import pick_device
from briefing.seq2seq.generation import Generator
from briefing.seq2seq.hub import pull
from briefing.seq2seq.loading import load
from briefing.seq2seq.locate import locate
from briefing.seq2seq.model_errors import ModelError, ModelNotFound, UnsafeWeights
from briefing.seq2seq.registry import GenerationSettings
from briefing.seq2seq.revision import folder_revision
from tests.tiny_models import ARCHITECTURES, install_model, tiny_model

pytestmark = pytest.mark.slow

FAST = GenerationSettings(num_beams=2, max_new_tokens=6)


@pytest.fixture
def empty(tmp_path, monkeypatch):
    """An empty models folder and HF cache, and no network."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    models, cache = tmp_path / "models", tmp_path / "hf"
    models.mkdir()
    cache.mkdir()
    return models, cache


def test_missing_model_error_is_one_line_naming_places_and_command(empty):
    models, cache = empty
    with pytest.raises(ModelNotFound) as info:
        locate("opus-mt-tc-big-en-ko", models_root=models, hf_cache=cache)
    message = str(info.value)
    assert "\n" not in message
    assert "Helsinki-NLP/opus-mt-tc-big-en-ko" in message
    assert str(models / "opus-mt-tc-big-en-ko") in message and str(cache) in message
    assert "briefing models pull opus-mt-tc-big-en-ko" in message


def test_explicit_path_wins(empty, tmp_path):
    models, cache = empty
    loc = locate(str(tiny_model("marian")), models_root=models, hf_cache=cache)
    assert loc.source == "path" and loc.path == tiny_model("marian")
    with pytest.raises(ModelNotFound):
        locate(str(tmp_path / "nowhere"), models_root=models, hf_cache=cache)


def test_models_folder_by_registry_key_or_hub_id(empty):
    models, cache = empty
    install_model("marian", models, "opus-mt-tc-big-en-ko")
    loc = locate("opus-mt-tc-big-en-ko", models_root=models, hf_cache=cache)
    assert loc.source == "models" and loc.spec.key == "opus-mt-tc-big-en-ko"
    assert locate("Helsinki-NLP/opus-mt-tc-big-en-ko", models_root=models, hf_cache=cache).path == loc.path
    install_model("t5", models, "someone--tiny-t5")
    assert locate("someone/tiny-t5", models_root=models, hf_cache=cache).spec is None


def test_hugging_face_cache_layout_is_found(empty):
    models, cache = empty
    repo = cache / "models--Helsinki-NLP--opus-mt-tc-big-ko-en"
    commit = "0123456789abcdef0123456789abcdef01234567"
    shutil.copytree(tiny_model("marian"), repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    loc = locate("opus-mt-tc-big-ko-en", models_root=models, hf_cache=cache)
    assert loc.source == "hf-cache" and loc.revision == commit


def test_pickled_weights_are_refused(empty):
    models, cache = empty
    folder = models / "opus-mt-ko-en"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "marian"}))
    (folder / "pytorch_model.bin").write_bytes(b"\x80\x04not unpickled")
    with pytest.raises(UnsafeWeights) as info:
        locate("opus-mt-ko-en", models_root=models, hf_cache=cache)
    assert "safetensors" in str(info.value) and "\n" not in str(info.value)


def test_pull_is_refused_offline(empty):
    with pytest.raises(ModelError, match="HF_HUB_OFFLINE"):
        pull("opus-mt-tc-big-en-ko")


def test_revision_changes_with_content(tmp_path):
    folder = shutil.copytree(tiny_model("t5"), tmp_path / "m")
    before = folder_revision(folder)
    config = json.loads((folder / "config.json").read_text())
    config["num_heads"] = config["num_heads"]  # same content: same revision
    assert folder_revision(folder) == before
    (folder / "generation_config.json").write_text("{}")
    assert folder_revision(folder) != before


def test_device_choice_on_cpu():
    choice = pick_device("cpu")
    assert choice.device == "cpu" and choice.dtype == "float32"
    with pytest.raises(ModelError):
        pick_device("tpu")


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_every_architecture_loads_and_generates_in_input_order(arch):
    loaded = load(str(tiny_model(arch)), device="cpu")
    assert loaded.location.path == tiny_model(arch)
    texts = ["Telegram agreed.", "Police said 88 people were arrested in Seoul on Tuesday.", "경찰은 88명을 체포했다."]
    batched = Generator(loaded, settings=FAST, token_budget=10_000)(texts)
    one_by_one = [Generator(loaded, settings=FAST)([t])[0] for t in texts]
    assert batched == one_by_one  # batching and sorting do not change or reorder outputs
    assert all(isinstance(o, str) for o in batched)


def test_batches_are_sorted_by_length_and_within_budget():
    gen = Generator(load(str(tiny_model("bart"))), settings=FAST, token_budget=100, max_batch=8)
    lengths = [5, 40, 10, 30, 5, 20]
    batches = gen.plan_batches(lengths)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    flat = [lengths[i] for b in batches for i in b]
    assert flat == sorted(flat, reverse=True)
    for b in batches:
        assert len(b) == 1 or len(b) * max(lengths[i] for i in b) * FAST.num_beams <= 100


def test_sampling_is_refused():
    with pytest.raises(ValueError):
        Generator(load(str(tiny_model("bart"))), generate_kwargs={"do_sample": True})
