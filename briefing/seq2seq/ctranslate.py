"""The CTranslate2 engine: a local Hugging Face seq2seq folder converted once, then generated with.

CTranslate2 is the inference engine the field uses for exactly the architectures briefing runs
(BART, Marian, T5/mT5, M2M-100): on this project's 2-core CPU it condenses and translates faster
than the transformers + torch path, in less memory, and loads in a third of the time, because its
int8 weights are stored as int8 instead of being quantised at every start (benchmarks/seq2seq.py,
README "Seq2seq engines"). This module converts and loads; briefing.seq2seq.loading.load decides
which engine a model runs on, and briefing.seq2seq.generation.Generator generates on either.

Where a conversion lives: beside the model's Hugging Face folder, as ``<folder>.ctranslate2/``
(``models/bart-large-cnn.ctranslate2/`` for ``models/bart-large-cnn/``; a model found in the
Hugging Face cache gets ``models/<name>.ctranslate2/``). The folder holds CTranslate2's
``model.bin``, ``config.json`` and vocabulary, copies of the tokenizer files, and
``briefing-ctranslate2.json``: the registry key and Hub id, the revision of the folder it was
converted from (a conversion of other weights is not used), the CTranslate2 version and the
weights' quantisation. A conversion is written to a temporary folder and renamed into place,
so a failed or interrupted one leaves nothing. briefing itself reads the tokenizer from the model
folder, whose revision the conversion is checked against; the copies make the conversion usable
on its own with CTranslate2's tools.

    from briefing.seq2seq.ctranslate import convert, conversion_folder, problem
    problem()                                  # None, or why CTranslate2 cannot run here (one line)
    convert(locate("bart-large-cnn"))          # Path of models/bart-large-cnn.ctranslate2/

Converter fixes, in our code (no patched site-packages): CTranslate2 4.8.5's BART loader reads
``config.normalize_before``, which transformers 5 no longer sets (BART is post-norm: False makes
the conversion exact); its Marian loader assumes ``<pad>`` is the last vocabulary entry, as in
every OPUS-MT release, and drops that row; a Marian vocabulary laid out otherwise is kept whole.

Generation (:func:`generate_batch`) is deterministic: beam search or greedy with
``sampling_topk=1``, one inter-op thread and an explicit intra-op count
(briefing.seq2seq.device.cpu_threads), token ids in and out through the model's own tokenizer,
a decoding start forced where the Hugging Face generation config forces one (BART-CNN's ``<s>``,
M2M-100's target language). With float32 weights its outputs are token-identical to
transformers' ``generate`` on the tiny test models (tests/test_ctranslate.py).

Importing this module imports neither ctranslate2 nor torch; converting imports both (the
converter reads the Hugging Face weights with transformers), loading only ctranslate2.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.seq2seq.locate import Location, local_folder_name
from briefing.seq2seq.model_errors import ModelError
from briefing.seq2seq.quantize_policy import ctranslate2_compute_type

#: The suffix of a conversion's folder, beside the Hugging Face folder it was made from.
SUFFIX = ".ctranslate2"
#: briefing's record of a conversion, inside its folder.
META = "briefing-ctranslate2.json"
#: Tokenizer files copied into a conversion (config.json is CTranslate2's own there).
_TOKENIZER_FILES = (
    "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "source.spm",
    "target.spm", "spiece.model", "sentencepiece.bpe.model", "merges.txt", "added_tokens.json",
    "generation_config.json",
)
#: Architectures CTranslate2 has converters for (registry names and Hugging Face model types).
ARCHITECTURES = ("bart", "marian", "t5", "mt5", "m2m100", "m2m_100", "nllb")


def problem() -> str | None:
    """None when ctranslate2 imports here; else why not, in one line."""
    try:
        import ctranslate2  # noqa: F401
    except ImportError as exc:
        return f"ctranslate2 is not installed ({exc.name or exc}): pip install 'briefing[models]'"
    return None


def version() -> str:
    import ctranslate2

    return ctranslate2.__version__


def cuda_devices() -> int:
    """CUDA devices CTranslate2 can use (0 without ctranslate2 or a driver); imports no torch."""
    if problem():
        return 0
    import ctranslate2

    try:
        return int(ctranslate2.get_cuda_device_count())
    except RuntimeError:  # pragma: no cover - a broken driver
        return 0


def conversion_folder(location: Location, models_root: Path | str | None = None) -> Path:
    """Where the conversion of the model at `location` lives (whether or not it exists):
    ``<folder>.ctranslate2`` beside a local folder, ``models/<name>.ctranslate2`` for the HF cache."""
    if location.source == "hf-cache":
        from briefing.settings import models_dir

        root = Path(models_root) if models_root else models_dir()
        return root / (local_folder_name(location.name, location.spec) + SUFFIX)
    return location.path.with_name(location.path.name + SUFFIX)


def read_meta(folder: Path) -> dict[str, Any] | None:
    """briefing's record of the conversion in `folder`; None when there is none (or it is unreadable)."""
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and (folder / "model.bin").is_file() else None


def find(location: Location, models_root: Path | str | None = None) -> tuple[Path | None, dict[str, Any] | None, str]:
    """(folder, meta, "") for a usable conversion of `location`, or (None, None, why not)."""
    folder = conversion_folder(location, models_root)
    meta = read_meta(folder)
    command = f"`briefing models convert {location.name}`"
    if meta is None:
        return None, None, f"no CTranslate2 conversion of {location.model_id} at {folder} ({command} writes one)"
    if meta.get("revision") != location.revision:
        return None, None, (
            f"the CTranslate2 conversion at {folder} is of revision {str(meta.get('revision'))[:12]}, "
            f"not {location.revision[:12]} ({command} redoes it)"
        )
    return folder, meta, ""


# ----------------------------------------------------------------------------- conversion


_CONVERTING = threading.Lock()


@contextmanager
def _converter():
    """TransformersConverter with briefing's fixes for BART and Marian (see the module docstring).

    CTranslate2 looks its loaders up in a module-level table by config class; ours replace its
    BART and Marian loaders while a conversion runs (under a lock) and the originals are put back."""
    from ctranslate2.converters import transformers as ct2

    class BartLoader(ct2.BartLoader):
        def get_model_spec(self, model):
            if not hasattr(model.config, "normalize_before"):
                model.config.normalize_before = False  # BART is post-norm; transformers 5 dropped the field
            return super().get_model_spec(model)

        def set_config(self, config, model, tokenizer):
            super().set_config(config, model, tokenizer)
            if config.bos_token is None:  # a tokenizer without <s> (T5-style vocabularies)
                config.bos_token = config.decoder_start_token or config.eos_token

    class MarianLoader(ct2.MarianMTLoader):
        pad_last = True

        def get_model_spec(self, model):
            # Every OPUS-MT release puts <pad> last (its id is vocab_size - 1); CTranslate2 drops that
            # row and starts decoding from a zero embedding. Another layout keeps the vocabulary whole.
            self.pad_last = model.config.pad_token_id == model.config.vocab_size - 1
            return super().get_model_spec(model)

        def _remove_pad_weights(self, spec):
            if self.pad_last:
                super()._remove_pad_weights(spec)

        def get_vocabulary(self, model, tokenizer):
            if self.pad_last:
                return super().get_vocabulary(model, tokenizer)
            return ct2.BartLoader.get_vocabulary(self, model, tokenizer)

    ours = {"BartConfig": BartLoader(), "MarianConfig": MarianLoader()}
    with _CONVERTING:
        saved = {name: ct2._MODEL_LOADERS.get(name) for name in ours}
        ct2._MODEL_LOADERS.update(ours)
        try:
            yield ct2.TransformersConverter
        finally:
            ct2._MODEL_LOADERS.update(saved)


def convert(
    location: Location,
    *,
    models_root: Path | str | None = None,
    quantize: str | None = "auto",
    device: str = "cpu",
    out: Path | None = None,
) -> Path:
    """Convert the Hugging Face model at `location` for CTranslate2, into its conversion folder
    (or `out`), replacing an older conversion; returns the folder. The weights' type is what the
    quantisation policy gives `device` (int8 on CPU by default). Raises ModelError in one line
    (ctranslate2 missing, an architecture it cannot convert); nothing is left behind then."""
    if why := problem():
        raise ModelError(why)
    arch = location.spec.architecture if location.spec else _model_type(location.path)
    if arch not in ARCHITECTURES:
        raise ModelError(f"CTranslate2 has no converter for {location.model_id} ({arch or 'unknown architecture'})")
    quantization = ctranslate2_compute_type(quantize, device, arch)
    target = Path(out) if out else conversion_folder(location, models_root)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    built = staging / "model"
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        try:
            with _converter() as Converter:
                Converter(str(location.path)).convert(str(built), quantization=quantization, force=True)
        except (ValueError, AttributeError, KeyError, RuntimeError, OSError) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise ModelError(f"CTranslate2 could not convert {location.model_id}: {first[:200]}") from exc
        for name in _TOKENIZER_FILES:
            if (location.path / name).is_file():
                shutil.copyfile(location.path / name, built / name)
        meta = {
            "name": location.name,
            "model_id": location.model_id,
            "registry_key": location.spec.key if location.spec else None,
            "architecture": arch,
            "revision": location.revision,
            "converted_from": str(location.path),
            "ctranslate2": version(),
            "quantization": quantization,
        }
        (built / META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        if target.exists():  # an older conversion: out of the way first, removed with the staging folder
            os.replace(target, staging / "old")
        os.replace(built, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _model_type(path: Path) -> str | None:
    try:
        return json.loads((path / "config.json").read_text(encoding="utf-8")).get("model_type")
    except (OSError, ValueError):
        return None


# ----------------------------------------------------------------------------- generation


@dataclass
class CT2Model:
    """A loaded CTranslate2 translator and what generation needs beside it."""

    translator: Any  # ctranslate2.Translator
    config: Any  # the Hugging Face config (limits, model type)
    path: Path
    compute_type: str
    threads: int
    start_tokens: tuple[str, ...] = ()  # tokens forced at the start of every output (forced_bos_token_id)
    forced_eos: bool = False  # transformers ends an output that reaches the length limit with </s>


def load(location: Location, folder: Path, *, device: str, compute_type: str, threads: int, tokenizer: Any) -> CT2Model:
    """Load the conversion in `folder` (see :func:`find`) for `device`."""
    import ctranslate2
    from transformers import AutoConfig, GenerationConfig

    try:
        config = AutoConfig.from_pretrained(str(location.path), local_files_only=True)
        translator = ctranslate2.Translator(
            str(folder), device=device.split(":")[0], device_index=int(device.split(":")[1]) if ":" in device else 0,
            compute_type=compute_type, inter_threads=1, intra_threads=threads,
        )
    except (OSError, ValueError, RuntimeError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ModelError(f"could not load the CTranslate2 conversion at {folder}: {first[:200]}") from exc
    try:
        generation = GenerationConfig.from_pretrained(str(location.path), local_files_only=True)
    except (OSError, ValueError):
        generation = GenerationConfig.from_model_config(config)
    forced = getattr(generation, "forced_bos_token_id", None)
    start = (tokenizer.convert_ids_to_tokens(int(forced)),) if forced is not None else ()
    forced_eos = getattr(generation, "forced_eos_token_id", None) is not None
    return CT2Model(translator, config, folder, compute_type, threads, start, forced_eos)


def translate_options(settings: dict[str, Any], forced_eos: bool = False) -> dict[str, Any]:
    """CTranslate2 options for `Generator` settings (GenerationSettings.kwargs() and the extra
    generate arguments); deterministic: greedy or beam search, never sampling.

    Where transformers forces </s> as the last of `max_new_tokens` tokens (forced_eos_token_id:
    BART, Marian), that step costs nothing and the text ends one token earlier, so CTranslate2
    is given one token less to reach the same text."""
    beams = int(settings.get("num_beams", 1))
    longest = int(settings["max_new_tokens"]) - (1 if forced_eos else 0)
    return {
        "beam_size": beams,
        "length_penalty": float(settings.get("length_penalty", 1.0)) if beams > 1 else 1.0,
        "no_repeat_ngram_size": int(settings.get("no_repeat_ngram_size", 0)),
        "max_decoding_length": max(1, longest),
        "min_decoding_length": min(int(settings.get("min_new_tokens", 0)), max(1, longest)),
        "max_input_length": 0,  # the Generator truncates to the model's limit
        "sampling_topk": 1,
        "return_scores": False,
        "max_batch_size": 0,  # the Generator plans the batches
    }


def generate_batch(model: CT2Model, tokenizer: Any, ids: list[list[int]], settings: dict[str, Any]) -> list[list[int]]:
    """Token ids generated for a batch of tokenised inputs (forced start tokens included, as
    transformers returns them; the decoder start and end tokens excluded)."""
    source = [tokenizer.convert_ids_to_tokens(row) for row in ids]
    start = list(model.start_tokens)
    forced = settings.get("forced_bos_token_id")
    if forced is not None:
        start = [tokenizer.convert_ids_to_tokens(int(forced))]
    results = model.translator.translate_batch(
        source, target_prefix=[start] * len(source) if start else None, **translate_options(settings, model.forced_eos)
    )
    return [tokenizer.convert_tokens_to_ids(r.hypotheses[0]) for r in results]
