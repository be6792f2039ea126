"""Loading a seq2seq model into memory: locate it, pick the engine, device and quantisation, load
from local files only, and keep it for the rest of the process.

    from briefing.seq2seq.loading import load
    loaded = load("opus-mt-tc-big-en-ko", device=None)   # LoadedModel; raises briefing.seq2seq.model_errors.ModelError
    loaded.model, loaded.tokenizer, loaded.spec, loaded.fingerprint, loaded.engine, loaded.notes

Engines (`engine`, or BRIEFING_ENGINE; default "auto"): "ctranslate2" runs the model's
CTranslate2 conversion (briefing.seq2seq.ctranslate, written by `briefing models pull` and
`briefing models convert`); "torch" runs the safetensors weights on transformers + torch, int8
through briefing.seq2seq.quantize on CPU. "auto" is CTranslate2 on CPU when ctranslate2 is
installed and a conversion of these very weights is present at a precision --quantize allows,
else torch, with a one-line note saying why (`loaded.notes`); on a GPU it is torch, the path
measured there. benchmarks/seq2seq.py and the README's "Seq2seq engines" give the figures.

The jobs around it each have their module: briefing.seq2seq.locate (where a model is; no torch),
briefing.seq2seq.revision (content hash of a local folder), briefing.seq2seq.device (device and float type),
briefing.seq2seq.quantize_policy (which quantisation), briefing.seq2seq.hub (fetching from the Hub, the only
networked step), briefing.seq2seq.model_errors (the one-line errors). Importing this module does not
import torch; :func:`load` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.seq2seq.device import DeviceChoice, cpu_threads, pick_device
from briefing.seq2seq.locate import Location, locate
from briefing.seq2seq.model_errors import ModelError
from briefing.seq2seq.quantize_policy import (
    QUANT_SCHEMES,
    ctranslate2_compute_type,
    ctranslate2_loads_as,
    quantization_for,
    quantize_problem,
)
from briefing.seq2seq.registry import ModelSpec, Registry

ENGINES = ("auto", "ctranslate2", "torch")


@dataclass
class LoadedModel:
    """A model and tokenizer ready for generation, and where they came from."""

    model: Any
    tokenizer: Any
    location: Location
    device: DeviceChoice
    quantized: str | None = None  # "int8" for dynamic int8 quantisation on CPU; CTranslate2: its compute type
    engine: str = "torch"  # "torch" (transformers + torch) or "ctranslate2" (model is a ctranslate.CT2Model)
    engine_version: str = ""  # CTranslate2's version, part of the fingerprint
    notes: tuple[str, ...] = ()  # why the engine is not the default one, in one line each

    @property
    def spec(self) -> ModelSpec | None:
        return self.location.spec

    @property
    def model_id(self) -> str:
        return self.location.model_id

    @property
    def fingerprint(self) -> str:
        """Identifies the exact weights and numeric mode; part of every cache key."""
        if self.engine == "ctranslate2":
            mode = f"ctranslate2-{self.engine_version}/{self.quantized}"
        else:
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
        """Model, revision, device and engine, e.g. "…@3f1c0a9b2d4e on cpu (ctranslate2 int8)"."""
        if self.engine == "ctranslate2":
            how = f"ctranslate2 {self.quantized}"
        else:
            how = self.device.dtype + (f", {self.quantized}" if self.quantized else "")
        return f"{self.location.model_id}@{self.location.revision[:12]} on {self.device.device} ({how})"


#: Models loaded in this process, by (engine, folder, revision, device, dtype or compute type[, quantisation]).
_LOADED: dict[tuple, LoadedModel] = {}


def engine_problem(engine: str | None) -> str | None:
    """Why `engine` is not an engine name, in one line; None when it is (None means auto)."""
    if (engine or "auto").lower() in ENGINES:
        return None
    return f"unknown engine {engine!r} (use {', '.join(ENGINES)})"


def requested_engine(engine: str | None = None) -> str:
    """The engine asked for: `engine`, else BRIEFING_ENGINE, else "auto"."""
    import os

    chosen = (engine or os.environ.get("BRIEFING_ENGINE", "").strip() or "auto").lower()
    if problem := engine_problem(chosen):
        raise ModelError(problem)
    return chosen


def load(
    name: str,
    *,
    device: str | None = None,
    quantize: str | None = "auto",
    models_root: Path | str | None = None,
    hf_cache: Path | str | None = None,
    registry: Registry | None = None,
    engine: str | None = None,
    threads: int | None = None,
) -> LoadedModel:
    """Locate and load a model (local files only); memoised per process.

    `quantize`: "auto" (or None) is int8 on CPU and none on a GPU; "int8"; "none"
    (briefing.seq2seq.quantize_policy). `engine`: see the module docstring. `threads`: CPU
    threads (default: briefing.seq2seq.device.cpu_threads; one per Ray actor); a model already
    loaded keeps the CTranslate2 threads it was loaded with.
    """
    if problem := quantize_problem(quantize):
        raise ModelError(problem)
    wanted = requested_engine(engine)
    location = locate(name, models_root=models_root, hf_cache=hf_cache, registry=registry)
    notes: tuple[str, ...] = ()
    if wanted != "torch":
        loaded, why = _load_ctranslate2(location, device, quantize, models_root, threads, required=wanted == "ctranslate2")
        if loaded is not None:
            return loaded
        notes = (f"{location.model_id} runs on transformers + torch: {why}",)
    loaded = _load_torch(location, device, quantize, threads)
    if notes and not loaded.notes:
        loaded.notes = notes
    return loaded


def _load_ctranslate2(
    location: Location, device: str | None, quantize: str | None, models_root: Path | str | None,
    threads: int | None, required: bool,
) -> tuple[LoadedModel | None, str]:
    """The model on CTranslate2, or (None, why not) where "auto" falls back to torch; with
    `required` (engine "ctranslate2") the reason is raised as a ModelError instead."""
    from briefing.seq2seq import ctranslate

    def unavailable(why: str) -> tuple[None, str]:
        if required:
            raise ModelError(f"the CTranslate2 engine cannot run {location.model_id}: {why}")
        return None, why

    if why := ctranslate.problem():
        return unavailable(why)
    want = (device or "auto").lower()
    if want == "auto":
        want = "cuda" if ctranslate.cuda_devices() else "cpu"
        if want == "cuda" and not required:
            return None, ""  # a GPU: the torch path, measured there, without a note
    if want not in ("cpu",) and not want.startswith("cuda"):
        return unavailable(f"CTranslate2 runs on cpu or cuda, not {device}")
    folder, meta, why = ctranslate.find(location, models_root)
    if folder is None:
        return unavailable(why)
    arch = location.spec.architecture if location.spec else meta.get("architecture")
    compute = ctranslate2_compute_type(quantize, "cpu" if want == "cpu" else "cuda", arch)
    stored = str(meta.get("quantization"))
    if not ctranslate2_loads_as(stored, compute):
        return unavailable(
            f"its CTranslate2 conversion holds {stored} weights and --quantize {quantize or 'auto'} asks for {compute} "
            f"(`briefing models convert {location.name} --quantize {quantize}` converts at that precision)"
        )
    n = (threads or cpu_threads()) if want == "cpu" else 1
    key = ("ctranslate2", str(folder.resolve()), location.revision, want, compute)  # threads: the first load's
    if key in _LOADED:
        return _LOADED[key], ""
    tokenizer = _tokenizer(location)
    model = ctranslate.load(location, folder, device=want, compute_type=compute, threads=n, tokenizer=tokenizer)
    loaded = LoadedModel(model, tokenizer, location, DeviceChoice(want, "float32" if want == "cpu" else compute, n),
                         compute, engine="ctranslate2", engine_version=ctranslate.version())
    _LOADED[key] = loaded
    return loaded, ""


def _tokenizer(location: Location) -> Any:
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(str(location.path), local_files_only=True)
    except (OSError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"could not load {location.describe()}: {first}") from exc


def _load_torch(location: Location, device: str | None, quantize: str | None, threads: int | None) -> LoadedModel:
    arch = location.spec.architecture if location.spec else None
    choice = pick_device(device, arch, threads)
    quantized = quantization_for(quantize, choice.device)
    key = ("torch", str(location.path.resolve()), location.revision, choice.device, choice.dtype, quantized)
    if key in _LOADED:
        return _LOADED[key]

    import torch
    from transformers import AutoModelForSeq2SeqLM
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a per-tensor bar for a local load is noise

    tokenizer = _tokenizer(location)
    try:
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
    if quantized == "int8":
        from briefing.seq2seq.quantize import quantize_int8  # imports torch, like the rest of this function

        model = quantize_int8(model)
    loaded = LoadedModel(model, tokenizer, location, choice, quantized)
    _LOADED[key] = loaded
    return loaded


def forget_loaded() -> None:
    """Drop memoised models (tests; freeing memory between jobs)."""
    _LOADED.clear()
