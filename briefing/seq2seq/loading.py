"""Loading a seq2seq model into memory: locate it, pick the device and quantisation, load the
safetensors weights from local files only, and keep it for the rest of the process.

    from briefing.seq2seq.loading import load
    loaded = load("opus-mt-tc-big-en-ko", device=None)   # LoadedModel; raises briefing.seq2seq.model_errors.ModelError
    loaded.model, loaded.tokenizer, loaded.spec, loaded.fingerprint

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

from briefing.seq2seq.device import DeviceChoice, pick_device
from briefing.seq2seq.locate import Location, locate
from briefing.seq2seq.model_errors import ModelError
from briefing.seq2seq.quantize_policy import QUANT_SCHEMES, quantization_for
from briefing.seq2seq.registry import ModelSpec, Registry


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


#: Models loaded in this process, by (folder, revision, device, dtype, quantisation).
_LOADED: dict[tuple, LoadedModel] = {}


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

    `quantize`: "auto" (or None) is dynamic int8 on CPU and none on a GPU; "int8"; "none"
    (briefing.seq2seq.quantize_policy).
    """
    location = locate(name, models_root=models_root, hf_cache=hf_cache, registry=registry)
    arch = location.spec.architecture if location.spec else None
    choice = pick_device(device, arch)
    quantized = quantization_for(quantize, choice.device)
    key = (str(location.path.resolve()), location.revision, choice.device, choice.dtype, quantized)
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
    if quantized == "int8":
        from briefing.seq2seq.quantize import quantize_int8  # imports torch, like the rest of this function

        model = quantize_int8(model)
    loaded = LoadedModel(model, tokenizer, location, choice, quantized)
    _LOADED[key] = loaded
    return loaded


def forget_loaded() -> None:
    """Drop memoised models (tests; freeing memory between jobs)."""
    _LOADED.clear()
