"""Where a model runs and in which float type: CUDA with bf16 when present, else CPU in float32.

    choice = pick_device(None, "marian")   # DeviceChoice("cpu", "float32", threads=4) on a CPU box
    choice = pick_device("cuda:1")         # raises ModelError when CUDA is not available

torch is imported when a device is picked, not when this module is imported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from briefing.seq2seq.model_errors import ModelError


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
