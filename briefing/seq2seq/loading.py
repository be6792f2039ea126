"""Finding and loading seq2seq models, offline first.

Resolution order for a model name (registry key, Hub id, or path):

1. an explicit path (``--model ./my-model``): used as is;
2. ``models/<name>/``, where name is the registry key or the Hub id with '/' written '--';
3. the local Hugging Face cache (``HF_HUB_CACHE`` / ``HF_HOME``), at the registry's pinned
   revision or the cached ``main``;
4. the Hub, only through :func:`pull` (``briefing models pull NAME``), never at run time.

Only safetensors weights are loaded: unpickling a ``pytorch_model.bin`` runs code from whoever
made the file, so a folder with only ``.bin`` weights is refused with :class:`UnsafeWeights`.

Usage (what the condenser and translator do)::

    from briefing.seq2seq.loading import load, locate, ModelNotFound
    loaded = load("opus-mt-tc-big-en-ko", device=None)   # LoadedModel, raises ModelError
    loaded.model, loaded.tokenizer, loaded.spec, loaded.fingerprint

:func:`locate` does steps 1-3 with no torch import (engine selection uses it to decide whether a
model-backed engine is possible at all).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.seq2seq.registry import ModelSpec, Registry, load_registry
from briefing.settings import hf_cache_dir, models_dir  # noqa: F401  (re-exported: the folders are settings')

WEIGHT_SUFFIXES_UNSAFE = (".bin", ".pt", ".pth", ".ckpt", ".pkl")
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


class ModelError(RuntimeError):
    """A model could not be used; the message is one line meant for the user."""


class ModelNotFound(ModelError):
    def __init__(self, name: str, searched: list[str], fetch: str | None):
        self.name = name
        self.searched = searched
        self.fetch = fetch
        where = "; ".join(searched) if searched else "nowhere"
        hint = f"; fetch it with `{fetch}`" if fetch else ""
        super().__init__(f"model {name} not found (looked in {where}){hint}")


class UnsafeWeights(ModelError):
    """The folder has pickled weights (pytorch_model.bin) and no safetensors."""


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


def env_offline() -> bool:
    """HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE as set now (huggingface_hub reads them at import)."""
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        if os.environ.get(var, "").strip().lower() in ("1", "true", "yes", "on"):
            return True
    return False


def pull_command(name: str) -> str:
    return f"briefing models pull {name}"


def _looks_like_path(name: str) -> bool:
    return name.startswith((".", "/", "~")) or os.sep in name.replace("/", "", 1) or not _HUB_ID.match(name)


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


_REVISIONS: dict[tuple, str] = {}


def folder_revision(path: Path) -> str:
    """A content hash of a local model folder, for cache keys.

    Small files (config, tokenizer) are hashed whole; a weights file by its name, size and first
    and last megabyte, so that a 1.6 GB checkpoint is fingerprinted in milliseconds and a different
    checkpoint of the same shape still gets a different key.
    """
    files = sorted(p for p in path.iterdir() if p.is_file())
    stamp = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    key = (str(path.resolve()), stamp)
    if key in _REVISIONS:
        return _REVISIONS[key]
    digest = hashlib.sha256()
    chunk = 1 << 20
    for p in files:
        size = p.stat().st_size
        digest.update(f"{p.name}\0{size}\0".encode())
        with p.open("rb") as fh:
            if size <= 4 * chunk:
                digest.update(fh.read())
            else:
                digest.update(fh.read(chunk))
                fh.seek(size - chunk)
                digest.update(fh.read(chunk))
    _REVISIONS[key] = digest.hexdigest()[:16]
    return _REVISIONS[key]


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
        spec = _spec_for_folder(path, registry)
        return Location(name, spec.id if spec else str(path), path, "path", folder_revision(path), spec)

    spec = registry.get(name)
    model_id = spec.id if spec else name
    root = Path(models_root) if models_root else models_dir()
    searched: list[str] = []
    folder_names = [spec.key, spec.dirname] if spec else [name.replace("/", "--")]
    for folder in dict.fromkeys(folder_names):
        path = root / folder
        searched.append(f"{path}/")
        if path.is_dir() and (path / "config.json").is_file():
            check_weights(path)
            return Location(name, model_id, path, "models", folder_revision(path), spec)

    cache = Path(hf_cache) if hf_cache else hf_cache_dir()
    searched.append(f"Hugging Face cache {cache}")
    if _HUB_ID.match(model_id):
        hit = _from_hf_cache(model_id, spec.revision if spec else None, cache)
        if hit:
            path, commit = hit
            check_weights(path)
            return Location(name, model_id, path, "hf-cache", commit, spec)
    raise ModelNotFound(model_id if not spec else f"{spec.key} ({spec.id})", searched, pull_command(spec.key if spec else name))


def _spec_for_folder(path: Path, registry: Registry) -> ModelSpec | None:
    """The registry entry a folder belongs to, judged by its folder name (models/<key>/)."""
    return registry.get(path.name)


def find_local(name: str, **kwargs: Any) -> Location | None:
    """Like locate(), but None when the model is not present (ModelError still raised for bad folders)."""
    try:
        return locate(name, **kwargs)
    except ModelNotFound:
        return None


# ----------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class DeviceChoice:
    device: str  # "cpu", "cuda", "cuda:1", "mps"
    dtype: str  # "float32" | "bfloat16" | "float16"
    threads: int | None = None  # CPU threads set for torch


def pick_device(device: str | None = None, architecture: str | None = None) -> DeviceChoice:
    """CUDA with bf16 (fp16 where bf16 is missing) when present, else CPU in float32.

    T5-family models overflow in fp16, so they stay in float32 on a GPU without bf16.
    On CPU the thread count is the cores this process may use (affinity), unless the user set
    OMP_NUM_THREADS.
    """
    import torch

    want = (device or "auto").lower()
    if want == "auto":
        want = "cuda" if torch.cuda.is_available() else "cpu"
    if want.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ModelError(f"device {device} requested but CUDA is not available")
        if torch.cuda.is_bf16_supported():
            return DeviceChoice(want, "bfloat16")
        if architecture in ("t5", "mt5"):
            return DeviceChoice(want, "float32")
        return DeviceChoice(want, "float16")
    if want == "mps":
        return DeviceChoice("mps", "float32")
    if want != "cpu":
        raise ModelError(f"unknown device {device!r} (use auto, cpu, cuda, cuda:N or mps)")
    threads = None
    if not os.environ.get("OMP_NUM_THREADS"):
        try:
            threads = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not Linux
            threads = os.cpu_count() or 1
        torch.set_num_threads(max(1, threads))
    return DeviceChoice("cpu", "float32", threads)


@dataclass
class LoadedModel:
    """A model and tokenizer ready for generation, and where they came from."""

    model: Any
    tokenizer: Any
    location: Location
    device: DeviceChoice
    quantized: str | None = None  # "int8" for dynamic int8 quantisation on CPU

    @property
    def spec(self) -> ModelSpec | None:
        return self.location.spec

    @property
    def model_id(self) -> str:
        return self.location.model_id

    @property
    def fingerprint(self) -> str:
        """Identifies the exact weights and numeric mode; part of every cache key."""
        mode = self.device.dtype + (f"+{QUANT_SCHEMES[self.quantized]}" if self.quantized else "")
        return f"{self.location.model_id}@{self.location.revision}/{mode}"

    @property
    def max_input_tokens(self) -> int:
        if self.spec:
            return self.spec.input_tokens
        # Tokenizers without a limit report a huge sentinel (1e30); T5's relative positions have none.
        limit = getattr(self.tokenizer, "model_max_length", None) or 512
        config = self.model.config
        positions = getattr(config, "max_position_embeddings", None) or getattr(config, "n_positions", None)
        if positions:
            limit = min(limit, positions)
        return int(limit if limit < 100_000 else 512)

    def describe(self) -> str:
        q = f", {self.quantized}" if self.quantized else ""
        return f"{self.location.model_id}@{self.location.revision[:12]} on {self.device.device} ({self.device.dtype}{q})"


_LOADED: dict[tuple, LoadedModel] = {}

QUANTIZE_CHOICES = ("auto", "int8", "none")
#: The numeric scheme behind each --quantize value, named in cache keys (see briefing/seq2seq/quantize.py).
QUANT_SCHEMES = {"int8": "int8-row"}


def quantize_problem(quantize: str | None) -> str | None:
    """Why `quantize` is not a --quantize value, in one line; None when it is (None means auto)."""
    if (quantize or "auto").lower() in QUANTIZE_CHOICES:
        return None
    return f"unknown quantisation {quantize!r} (use {', '.join(QUANTIZE_CHOICES)})"


def resolve_quantize(quantize: str | None, device: str) -> str | None:
    """The quantisation to apply: "int8" or None.

    The default ("auto", or None) is dynamic int8 on CPU (briefing.seq2seq.quantize: per-row activation
    scales, so outputs do not depend on batch-mates): in benchmarks/seq2seq.py it runs BART-large
    condensing 1.7x and transformer-big translation 1.8x faster than float32; "none" keeps
    float32 weights. GPUs run bf16/fp16 instead.
    """
    problem = quantize_problem(quantize)
    if problem:
        raise ModelError(problem)
    choice = (quantize or "auto").lower()
    if choice == "auto":
        return "int8" if device == "cpu" else None
    if choice == "int8" and device != "cpu":
        raise ModelError("int8 dynamic quantisation runs on CPU only; use --quantize none or --device cpu")
    return "int8" if choice == "int8" else None


def load(
    name: str,
    *,
    device: str | None = None,
    quantize: str | None = "auto",
    models_root: Path | str | None = None,
    hf_cache: Path | str | None = None,
    registry: Registry | None = None,
) -> LoadedModel:
    """Locate and load a model (safetensors only, local files only); memoised per process.

    `quantize`: "auto" (or None) is dynamic int8 on CPU and none on a GPU; "int8"; "none".
    """
    location = locate(name, models_root=models_root, hf_cache=hf_cache, registry=registry)
    arch = location.spec.architecture if location.spec else None
    choice = pick_device(device, arch)
    asked = (quantize or "auto").lower()
    quantize = resolve_quantize(quantize, choice.device)
    if quantize == "int8":
        from briefing.seq2seq.quantize import int8_available

        problem = int8_available()
        if problem and asked == "int8":
            raise ModelError(f"int8 quantisation does not run on this CPU ({problem}); use --quantize none")
        if problem:  # the default: fall back to float32 rather than lose the model
            quantize = None
    key = (str(location.path.resolve()), location.revision, choice.device, choice.dtype, quantize)
    if key in _LOADED:
        return _LOADED[key]

    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a per-tensor bar for a local load is noise

    try:
        tokenizer = AutoTokenizer.from_pretrained(str(location.path), local_files_only=True)
        model = AutoModelForSeq2SeqLM.from_pretrained(
            str(location.path),
            local_files_only=True,
            use_safetensors=True,
            dtype=getattr(torch, choice.dtype),
        )
    except (OSError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"could not load {location.describe()}: {first}") from exc
    model.to(choice.device)
    model.eval()
    if quantize == "int8":
        from briefing.seq2seq.quantize import quantize_int8

        model = quantize_int8(model)
    loaded = LoadedModel(model, tokenizer, location, choice, quantize)
    _LOADED[key] = loaded
    return loaded


def forget_loaded() -> None:
    """Drop memoised models (tests; freeing memory between jobs)."""
    _LOADED.clear()


# ----------------------------------------------------------------------------- fetching

#: What `pull` downloads: configs, tokenizers and safetensors weights; pickles only with --convert.
PULL_PATTERNS = ["*.json", "*.safetensors", "*.model", "*.spm", "*.txt", "*.tiktoken", "*.py.sha"]
PICKLE_PATTERNS = ["pytorch_model.bin", "pytorch_model-*.bin"]


def pull(
    name: str,
    *,
    hf_cache: Path | str | None = None,
    registry: Registry | None = None,
    progress: bool = True,
    convert: bool = False,
    models_root: Path | str | None = None,
) -> Location:
    """Download a model from the Hub into the Hugging Face cache (the only networked step).

    With `convert`, a repository that has only pytorch_model.bin is fetched with it and converted
    by briefing.seq2seq.convert (tensors only, no pickled code runs) into models/<name>/.
    Raises ModelError with one line when offline (HF_HUB_OFFLINE), unreachable, or when the
    repository has no safetensors weights and `convert` is off.
    """
    registry = registry or load_registry()
    spec = registry.get(name)
    model_id = spec.id if spec else name
    if not _HUB_ID.match(model_id):
        raise ModelError(f"{name!r} is not a registry name or a Hugging Face model id")
    if env_offline():
        raise ModelError(f"cannot fetch {model_id}: HF_HUB_OFFLINE is set (unset it to allow network)")
    cache = Path(hf_cache) if hf_cache else hf_cache_dir()
    try:
        from huggingface_hub import snapshot_download
        from huggingface_hub.utils import disable_progress_bars, enable_progress_bars

        (enable_progress_bars if progress else disable_progress_bars)()
        folder = snapshot_download(
            model_id,
            revision=spec.revision if spec else None,
            cache_dir=str(cache),
            allow_patterns=PULL_PATTERNS + (PICKLE_PATTERNS if convert else []),
            etag_timeout=10,
        )
    except ImportError as exc:
        raise ModelError("fetching models needs the models extra: pip install 'briefing[models]'") from exc
    except Exception as exc:  # network, auth, missing repo: all reported in one line
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ModelError(
            f"could not fetch {model_id} from the Hugging Face Hub ({type(exc).__name__}: {first[:200]}); "
            f"check the network, or copy the model folder to {models_dir() / (spec.key if spec else model_id.replace('/', '--'))}/"
        ) from exc
    path = Path(folder)
    if not any(p.suffix == ".safetensors" for p in path.iterdir()):
        if not convert:
            raise UnsafeWeights(
                f"{model_id} on the Hub has no safetensors weights and briefing does not unpickle pytorch_model.bin; "
                f"`briefing models pull {name} --convert` fetches it and converts the tensors alone, running no pickled code"
            )
        from briefing.seq2seq.convert import convert_checkpoint

        target = Path(models_root) if models_root else models_dir()
        target = convert_checkpoint(path, target / (spec.key if spec else model_id.replace("/", "--")))
        return Location(name, model_id, target, "models", folder_revision(target), spec)
    check_weights(path)
    return Location(name, model_id, path, "hf-cache", path.name, spec)
