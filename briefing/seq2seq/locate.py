"""Finding a model on this machine, offline: no torch import, no network.

Resolution order for a model name (registry key, Hub id, or path):

1. an explicit path (``--model ./my-model``): used as is;
2. ``models/<name>/`` (briefing.settings.models_dir), where name is the registry key or the Hub
   id with '/' written '--';
3. the local Hugging Face cache (``HF_HUB_CACHE`` / ``HF_HOME``), at the registry's pinned
   revision or the cached ``main``;
4. the Hub, only through briefing.seq2seq.hub.pull (``briefing models pull NAME``), never at run time.

Only safetensors weights are used: unpickling a ``pytorch_model.bin`` runs code from whoever
made the file, so a folder with only pickled weights is refused with UnsafeWeights
(:func:`check_weights`).

    location = locate("opus-mt-tc-big-en-ko")    # Location, or raises ModelNotFound / ModelError
    location.path, location.revision, location.spec
    find_local("opus-mt-tc-big-en-ko")           # the same, or None when it is not present

Engine selection uses this to decide whether a model-backed engine is possible at all;
briefing.seq2seq.loading.load loads what it finds.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.seq2seq.model_errors import ModelError, ModelNotFound, UnsafeWeights
from briefing.seq2seq.registry import ModelSpec, Registry, load_registry
from briefing.seq2seq.revision import folder_revision
from briefing.settings import hf_cache_dir, models_dir

#: Weight files that are pickles (loading them runs code); briefing reads safetensors only.
WEIGHT_SUFFIXES_UNSAFE = (".bin", ".pt", ".pth", ".ckpt", ".pkl")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


@dataclass(frozen=True)
class Location:
    """Where a model was found."""

    name: str  # what was asked for
    model_id: str  # the Hub id, or the folder path for an unregistered local folder
    path: Path  # the folder that from_pretrained reads
    source: str  # "path" | "models" | "hf-cache"
    revision: str  # Hub commit hash, or a content hash of a local folder
    spec: ModelSpec | None = None

    def describe(self) -> str:
        return f"{self.model_id}@{self.revision[:12]} ({self.source}: {self.path})"


def is_hub_id(name: str) -> bool:
    """Whether `name` is written like a Hugging Face model id (``org/name`` or ``name``)."""
    return bool(_HUB_ID.match(name))


def pull_command(name: str) -> str:
    """The command that fetches `name`, for "not found" messages."""
    return f"briefing models pull {name}"


def local_folder_name(name: str, spec: ModelSpec | None) -> str:
    """The folder under models/ that holds `name`: its registry key, else the id with '/' as '--'."""
    return spec.key if spec else name.replace("/", "--")


def _looks_like_path(name: str) -> bool:
    return name.startswith((".", "/", "~")) or os.sep in name.replace("/", "", 1) or not is_hub_id(name)


def check_weights(path: Path) -> None:
    """Raise unless `path` holds a config and safetensors weights (and say why, in one line)."""
    if not (path / "config.json").is_file():
        raise ModelError(f"{path} is not a model folder (no config.json)")
    files = [p.name for p in path.iterdir()]
    if any(f.endswith(".safetensors") for f in files):
        return
    unsafe = sorted(f for f in files if f.endswith(WEIGHT_SUFFIXES_UNSAFE))
    if unsafe:
        raise UnsafeWeights(
            f"{path} has only pickled weights ({', '.join(unsafe)}); briefing loads safetensors only "
            f"because unpickling runs code: `briefing models convert {path}` rewrites the tensors alone as safetensors"
        )
    raise ModelError(f"{path} has no model weights (no *.safetensors file)")


def _from_hf_cache(model_id: str, revision: str | None, cache: Path) -> tuple[Path, str] | None:
    """The cached snapshot folder of `model_id` and its commit hash, or None."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # the models extra is not installed: read the cache layout directly
        repo = cache / f"models--{model_id.replace('/', '--')}"
        ref = repo / "refs" / (revision or "main")
        commit = ref.read_text().strip() if ref.is_file() else (revision or "")
        snap = repo / "snapshots" / commit
        return (snap, commit) if commit and (snap / "config.json").is_file() else None
    found = try_to_load_from_cache(model_id, "config.json", cache_dir=str(cache), revision=revision)
    if not isinstance(found, str):
        return None
    snap = Path(found).parent
    return snap, snap.name


def locate(
    name: str,
    *,
    models_root: Path | str | None = None,
    hf_cache: Path | str | None = None,
    registry: Registry | None = None,
) -> Location:
    """Find a model locally (steps 1-3 of the resolution order); no torch import, no network.

    Raises ModelNotFound (one line: which model, where it looked, how to fetch it),
    UnsafeWeights (only pickled weights) or ModelError (a folder that is not a model).
    """
    registry = registry or load_registry()
    if _looks_like_path(name) or Path(name).expanduser().is_dir():
        path = Path(name).expanduser()
        if not path.is_dir():
            raise ModelNotFound(name, [f"{path} (no such folder)"], None)
        check_weights(path)
        spec = registry.get(path.name)  # a folder belongs to a registry entry by its name (models/<key>/)
        return Location(name, spec.id if spec else str(path), path, "path", folder_revision(path), spec)

    spec = registry.get(name)
    model_id = spec.id if spec else name
    root = Path(models_root) if models_root else models_dir()
    searched: list[str] = []
    folder_names = [local_folder_name(name, spec)] + ([spec.dirname] if spec else [])
    for folder in dict.fromkeys(folder_names):
        path = root / folder
        searched.append(f"{path}/")
        if path.is_dir() and (path / "config.json").is_file():
            check_weights(path)
            return Location(name, model_id, path, "models", folder_revision(path), spec)

    cache = Path(hf_cache) if hf_cache else hf_cache_dir()
    searched.append(f"Hugging Face cache {cache}")
    if is_hub_id(model_id):
        hit = _from_hf_cache(model_id, spec.revision if spec else None, cache)
        if hit:
            path, commit = hit
            check_weights(path)
            return Location(name, model_id, path, "hf-cache", commit, spec)
    raise ModelNotFound(model_id if not spec else f"{spec.key} ({spec.id})", searched, pull_command(spec.key if spec else name))


def find_local(name: str, **kwargs: Any) -> Location | None:
    """Like locate(), but None when the model is not present (ModelError still raised for bad folders)."""
    try:
        return locate(name, **kwargs)
    except ModelNotFound:
        return None
