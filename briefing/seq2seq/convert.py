"""Turn a pickled PyTorch checkpoint (pytorch_model.bin) into safetensors without running its code.

Some models a user may want (mT5-XLSum for Korean condensing, opus-mt-ko-en) ship only
``pytorch_model.bin``. briefing's loader refuses pickles, because unpickling can run arbitrary
code. This converter reads them with ``torch.load(weights_only=True)``: PyTorch's restricted
unpickler, which rebuilds tensors, dicts and plain values and rejects any other object (a pickle
that would run code fails with an error instead). The tensors are then written as
``model.safetensors`` (one file per shard, with ``model.safetensors.index.json`` for sharded
checkpoints), written to temporary names and renamed, so a failed conversion leaves nothing.

    from briefing.seq2seq.convert import convert_checkpoint
    convert_checkpoint(Path("downloads/mt5-xlsum"), Path("models/mt5-xlsum"))
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from briefing.seq2seq.locate import WEIGHT_SUFFIXES_UNSAFE
from briefing.seq2seq.model_errors import ModelError, UnsafeWeights

#: Files copied beside the converted weights when writing to another folder.
_COPY_SUFFIXES = (".json", ".model", ".spm", ".txt", ".tiktoken")
_INDEX = "pytorch_model.bin.index.json"


def pickled_shards(folder: Path) -> list[Path]:
    """The pickled weight files of a checkpoint folder, in shard order."""
    index = folder / _INDEX
    if index.is_file():
        weight_map = json.loads(index.read_text(encoding="utf-8")).get("weight_map", {})
        return [folder / name for name in sorted(set(weight_map.values()))]
    single = folder / "pytorch_model.bin"
    return [single] if single.is_file() else []


def _read_tensors(path: Path) -> dict:
    import pickle

    import torch

    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        first = (str(exc).strip().splitlines() or ["not a plain checkpoint"])[0]
        raise UnsafeWeights(
            f"{path.name} holds objects other than tensors, so it was not loaded ({first[:160]}); "
            "get safetensors weights from a source you trust"
        ) from exc
    except (OSError, RuntimeError, EOFError) as exc:
        raise ModelError(f"cannot read {path}: {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}") from exc
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ModelError(f"{path.name} is not a dictionary of tensors")
    # safetensors stores each tensor on its own: tensors sharing memory (tied embeddings) are copied.
    seen: set[tuple[int, int]] = set()
    tensors = {}
    for name, tensor in state.items():
        storage = (tensor.untyped_storage().data_ptr(), tensor.storage_offset())
        tensor = tensor.contiguous()
        if storage in seen:
            tensor = tensor.clone()
        seen.add(storage)
        tensors[name] = tensor
    return tensors


def convert_checkpoint(folder: Path, out: Path | None = None) -> Path:
    """Write safetensors weights for the pickled checkpoint in `folder` into `out` (default:
    `folder` itself). With another `out`, the config and tokenizer files are copied beside them.
    Returns the folder that now loads with briefing. Raises UnsafeWeights for a pickle that holds
    anything but tensors, ModelError for a folder with no checkpoint; nothing is written then."""
    from safetensors.torch import save_file

    folder, out = Path(folder), Path(out) if out else Path(folder)
    if not (folder / "config.json").is_file():
        raise ModelError(f"{folder} is not a model folder (no config.json)")
    shards = pickled_shards(folder)
    if not shards:
        found = sorted(p.name for p in folder.iterdir() if p.name.endswith(WEIGHT_SUFFIXES_UNSAFE))
        raise ModelError(f"{folder} has no pytorch_model.bin to convert" + (f" (found {', '.join(found)})" if found else ""))
    missing = [s.name for s in shards if not s.is_file()]
    if missing:
        raise ModelError(f"{folder} lacks shards named in its index: {', '.join(missing)}")

    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".convert-", dir=out))
    try:
        names = ["model.safetensors"] if len(shards) == 1 else [
            f"model-{i:05d}-of-{len(shards):05d}.safetensors" for i in range(1, len(shards) + 1)
        ]
        weight_map: dict[str, str] = {}
        for shard, name in zip(shards, names):
            tensors = _read_tensors(shard)
            save_file(tensors, str(staging / name), metadata={"format": "pt", "converted_from": shard.name})
            weight_map.update(dict.fromkeys(tensors, name))
        if len(shards) > 1:
            index = {"metadata": {}, "weight_map": dict(sorted(weight_map.items()))}
            (staging / "model.safetensors.index.json").write_text(json.dumps(index, indent=2), encoding="utf-8")
        if out.resolve() != folder.resolve():
            for item in folder.iterdir():
                if item.is_file() and item.name.endswith(_COPY_SUFFIXES) and item.name != _INDEX:
                    shutil.copyfile(item, staging / item.name)
        # Weights first, config.json last: a folder counts as a model once config.json is there.
        ordered = sorted(staging.iterdir(), key=lambda p: (p.suffix != ".safetensors", p.name == "config.json"))
        for item in ordered:
            os.replace(item, out / item.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out
