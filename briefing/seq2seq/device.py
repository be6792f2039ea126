"""Where a model runs and in which float type: CUDA with bf16 when present, else CPU in float32.

    choice = pick_device(None, "marian")   # DeviceChoice("cpu", "float32", threads=4) on a CPU box
    choice = pick_device("cuda:1")         # raises ModelError when CUDA is not available
    cpu_threads()                          # threads for one model on this CPU, now: 1 or more

torch is imported when a device is picked, not when this module is imported.

Threads (:func:`cpu_threads`, the one place both engines get their CPU thread count from): the
cores this process may use (its affinity), less the cores other processes are busy on right now,
shared among the workers that run at once (one per Ray actor), never below 1. Why it matters: on
2 cores with another process holding one, torch on 2 threads took 14 s for 8 decoding steps and
0.37 s on 1 thread (its threads wait for each other at every operation), so a thread count that
ignores a busy core costs far more than the idle core it might have used.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from briefing.seq2seq.model_errors import ModelError


@dataclass(frozen=True)
class DeviceChoice:
    device: str  # "cpu", "cuda", "cuda:1", "mps"
    dtype: str  # "float32" | "bfloat16" | "float16"
    threads: int | None = None  # CPU threads set for torch


def pick_device(device: str | None = None, architecture: str | None = None, threads: int | None = None) -> DeviceChoice:
    """CUDA with bf16 (fp16 where bf16 is missing) when present, else CPU in float32.

    T5-family models overflow in fp16, so they stay in float32 on a GPU without bf16.
    On CPU the thread count is `threads`, else :func:`cpu_threads` (free cores, or
    BRIEFING_THREADS/OMP_NUM_THREADS).
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
    threads = threads or cpu_threads()
    torch.set_num_threads(threads)
    return DeviceChoice("cpu", "float32", threads)


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def running_tasks() -> int | None:
    """Threads running or ready to run on the whole machine right now (/proc/stat's
    procs_running, which counts the caller too); None where the kernel does not say."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("procs_running"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def busy_cores(cores: int, sample: Callable[[], int | None] = running_tasks, samples: int = 5,
               pause: float = 0.01) -> int:
    """Of this process's `cores`, how many other processes keep busy now: the fewest running
    tasks over a few samples (so a short spike does not count), less this process's own thread,
    scaled from the whole machine to this process's share of it; the one-minute load average
    where running counts are not available."""
    counts = []
    for n in range(samples):
        if n:
            time.sleep(pause)
        value = sample()
        if value is None:
            break
        counts.append(value)
    if counts:
        others = max(0, min(counts) - 1)
    else:
        try:
            others = int(os.getloadavg()[0])
        except OSError:  # pragma: no cover - no load average
            others = 0
    machine = max(cores, os.cpu_count() or cores)
    return min(cores - 1, round(others * cores / machine)) if cores > 1 else 0


def cpu_threads(workers: int = 1, *, cores: int | None = None, busy: int | None = None) -> int:
    """CPU threads for one model: the free cores shared among `workers`, at least 1.

    BRIEFING_THREADS (or OMP_NUM_THREADS) set by the user wins. `cores` and `busy` default to
    :func:`usable_cores` and :func:`busy_cores` (tests pass them)."""
    for name in ("BRIEFING_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    cores = usable_cores() if cores is None else cores
    busy = busy_cores(cores) if busy is None else busy
    return max(1, (cores - busy) // max(1, workers))
