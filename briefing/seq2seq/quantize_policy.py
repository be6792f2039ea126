"""Which quantisation a model gets (`--quantize auto | int8 | none`), and its name in cache keys.

The default ("auto") is dynamic int8 on CPU (briefing.seq2seq.quantize: per-row activation scales, so
outputs do not depend on batch-mates) and none on a GPU, which runs bf16/fp16 instead; where
this CPU's quantised engine cannot run the int8 layers, "auto" falls back to float32 and an
explicit "int8" fails in one line.

    quantize_problem("fp8")                 # "unknown quantisation 'fp8' (use auto, int8, none)"
    quantization_for("auto", "cpu")         # "int8" (or None where int8 does not run)

This module does not import torch: option checks in the CLI and engine selection use it on the
weight-free path. briefing.seq2seq.quantize, which holds the int8 layers and imports torch, is imported
only when int8 is actually chosen.
"""

from __future__ import annotations

from briefing.seq2seq.model_errors import ModelError

QUANTIZE_CHOICES = ("auto", "int8", "none")
#: The numeric scheme behind each --quantize value, named in cache keys (see briefing/seq2seq/quantize.py).
QUANT_SCHEMES = {"int8": "int8-row"}


def quantize_problem(quantize: str | None) -> str | None:
    """Why `quantize` is not a --quantize value, in one line; None when it is (None means auto)."""
    if (quantize or "auto").lower() in QUANTIZE_CHOICES:
        return None
    return f"unknown quantisation {quantize!r} (use {', '.join(QUANTIZE_CHOICES)})"


def resolve_quantize(quantize: str | None, device: str) -> str | None:
    """The quantisation the options ask for on `device`: "int8" or None.

    "auto" (or None) is int8 on CPU, none elsewhere: in benchmarks/seq2seq.py int8 runs
    BART-large condensing 1.7x and transformer-big translation 1.8x faster than float32; "none"
    keeps float32 weights. Raises ModelError for an unknown value or int8 off the CPU.
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


def quantization_for(quantize: str | None, device: str) -> str | None:
    """:func:`resolve_quantize`, checked against this CPU: the default falls back to float32
    (None) where int8 does not run, rather than lose the model; an explicit "int8" raises."""
    chosen = resolve_quantize(quantize, device)
    if chosen != "int8":
        return chosen
    from briefing.seq2seq.quantize import int8_available  # imports torch: only when int8 is chosen

    problem = int8_available()
    if problem and (quantize or "auto").lower() == "int8":
        raise ModelError(f"int8 quantisation does not run on this CPU ({problem}); use --quantize none")
    return None if problem else chosen


#: CTranslate2 compute types a weights file of one type can be loaded as without losing precision.
_CT2_LOSSLESS = {
    "float32": {"float32", "float16", "bfloat16", "int8", "int8_float32", "int8_float16", "int8_bfloat16"},
    "float16": {"float16", "int8_float16", "int8", "int8_float32"},
    "bfloat16": {"bfloat16", "int8_bfloat16", "int8", "int8_float32"},
    "int8": {"int8", "int8_float32", "int8_float16", "int8_bfloat16"},
}


def ctranslate2_compute_type(quantize: str | None, device: str, architecture: str | None = None) -> str:
    """The CTranslate2 compute type (and conversion type) the same --quantize values give.

    CPU: "auto" and "int8" are int8 (CTranslate2's own int8 kernels, so no fbgemm check), "none"
    is float32. GPU: "auto" is float16 as the torch path's half floats (T5-family models overflow
    in fp16: bfloat16 for them), "int8" is int8_float16 (int8 weights, fp16 activations), "none"
    float32. Raises ModelError for an unknown value.
    """
    problem = quantize_problem(quantize)
    if problem:
        raise ModelError(problem)
    choice = (quantize or "auto").lower()
    if choice == "none":
        return "float32"
    if device == "cpu":
        return "int8"
    if choice == "int8":
        return "int8_float16"
    return "bfloat16" if architecture in ("t5", "mt5") else "float16"


def ctranslate2_loads_as(stored: str, compute_type: str) -> bool:
    """Whether weights converted as `stored` run as `compute_type` at their full precision
    (int8 weights do not become float32 by loading them so)."""
    return compute_type in _CT2_LOSSLESS.get(stored, {stored})
