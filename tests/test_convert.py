"""Pickled checkpoints become safetensors without running pickled code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.seq2seq.convert import convert_checkpoint
from briefing.seq2seq.generation import Generator
from briefing.seq2seq.loading import load
from briefing.seq2seq.locate import check_weights
from briefing.seq2seq.model_errors import ModelError, UnsafeWeights
from briefing.seq2seq.registry import GenerationSettings
from tests.tiny_models import tiny_model

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.slow

TEXTS = ["Police said 88 people were arrested in Seoul on Tuesday.", "Telegram agreed."]
SETTINGS = GenerationSettings(num_beams=2, max_new_tokens=6)


def pickled_copy(arch: str, dest: Path, shards: int = 1) -> Path:
    """The tiny model of `arch` as the Hub ships older models: config, tokenizer, pytorch_model.bin."""
    source = tiny_model(arch)
    dest.mkdir(parents=True)
    for item in source.iterdir():
        if item.is_file() and item.suffix != ".safetensors" and not item.name.endswith(".index.json"):
            shutil.copyfile(item, dest / item.name)
    state = load(str(source), device="cpu", quantize="none").model.state_dict()
    if shards == 1:
        torch.save(state, dest / "pytorch_model.bin")
    else:
        names = sorted(state)
        weight_map = {}
        for i in range(shards):
            file = f"pytorch_model-{i + 1:05d}-of-{shards:05d}.bin"
            part = {k: state[k] for k in names[i::shards]}
            torch.save(part, dest / file)
            weight_map.update(dict.fromkeys(part, file))
        (dest / "pytorch_model.bin.index.json").write_text(json.dumps({"weight_map": weight_map}))
    return dest


def outputs(path: Path) -> list[str]:
    loaded = load(str(path), device="cpu", quantize="none")
    return Generator(loaded, settings=SETTINGS, prompt="{text}")(TEXTS)


@pytest.mark.parametrize("arch,shards", [("marian", 1), ("t5", 1), ("bart", 3)])
def test_converted_checkpoint_loads_and_generates_as_the_original(tmp_path, arch, shards):
    folder = pickled_copy(arch, tmp_path / "hub", shards)
    with pytest.raises(UnsafeWeights, match="briefing models convert"):
        check_weights(folder)
    out = convert_checkpoint(folder, tmp_path / "models" / arch)
    check_weights(out)
    assert not list(out.glob("*.bin")) and (out / "config.json").is_file()
    assert (out / "model.safetensors.index.json").is_file() == (shards > 1)
    assert outputs(out) == outputs(tiny_model(arch))
    assert not [p for p in out.iterdir() if p.name.startswith(".convert-")]  # no staging left


def test_in_place_conversion_adds_safetensors_beside_the_pickle(tmp_path):
    folder = pickled_copy("marian", tmp_path / "m")
    assert convert_checkpoint(folder) == folder
    assert (folder / "model.safetensors").is_file() and (folder / "pytorch_model.bin").is_file()
    check_weights(folder)


class _RunsCode:
    def __reduce__(self):
        import os

        return (os.system, ("touch PWNED",))


def test_a_pickle_that_would_run_code_is_refused_and_nothing_runs_or_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = pickled_copy("marian", tmp_path / "evil")
    state = torch.load(folder / "pytorch_model.bin", weights_only=True)
    state["payload"] = _RunsCode()
    torch.save(state, folder / "pytorch_model.bin")
    out = tmp_path / "out"
    with pytest.raises(UnsafeWeights) as info:
        convert_checkpoint(folder, out)
    assert "\n" not in str(info.value) and "objects other than tensors" in str(info.value)
    assert not (tmp_path / "PWNED").exists()
    assert not out.exists() or not any(out.iterdir())
    # The payload is live: a plain unpickling would have run it.
    torch.load(folder / "pytorch_model.bin", weights_only=False)
    assert (tmp_path / "PWNED").exists()


def test_folders_without_a_checkpoint_fail_in_one_line(tmp_path):
    with pytest.raises(ModelError, match="no config.json"):
        convert_checkpoint(tmp_path)
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match="no pytorch_model.bin"):
        convert_checkpoint(tmp_path)


def test_models_convert_command(tmp_path):
    folder = pickled_copy("marian", tmp_path / "hub")
    result = CliRunner().invoke(app, ["models", "convert", str(folder), "--out", str(tmp_path / "ok")])
    assert result.exit_code == 0 and "converted" in result.output
    check_weights(tmp_path / "ok")
    bad = CliRunner().invoke(app, ["models", "convert", str(tmp_path / "nothing-here")])
    assert bad.exit_code == 1 and "no config.json" in bad.output
