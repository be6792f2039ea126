"""Dynamic int8 linear layers whose activations are quantised row by row (per token).

Why not ``torch.ao.quantization.quantize_dynamic``: it quantises a layer's whole input with one
scale, taken from the largest value in the batch. Every row's rounding then depends on the other
rows, so an article's summary would change with the articles that happened to share its batch,
and a cached output would not be what a cold run gives. Here each row is divided by its own
largest magnitude before the same fbgemm int8 kernel runs, one constant anchor row pins the
kernel's scale to [-1, 1], and the output row is multiplied back: every row's result is
independent of the batch (tests/test_quantize.py), the rounding error is lower (one scale per
token instead of one per batch: 1.6% against 2.1% relative error on BART-large shapes), and the
speed is the same. Weights are int8 with one scale per output channel.

CPU only (fbgemm). ``quantize_int8(model)`` replaces every ``nn.Linear`` in place. torch 2.13
marks quantised tensor creation deprecated (still supported; the project pins torch 2.13.0), so
the warning is silenced where the weights are packed. This module imports torch: import it only
where a model is loaded. Which models get int8 (`--quantize`) is decided by briefing.seq2seq.quantize_policy.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

import torch


class Int8Linear(torch.nn.Module):
    """``y = x W^T + b`` with W in int8 per output channel and each row of x quantised alone."""

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__()
        weight = linear.weight.detach().float()
        if weight.shape[1] < 2:
            raise ValueError("Int8Linear needs at least 2 input features (one anchor value of each sign)")
        self.in_features, self.out_features = weight.shape[1], weight.shape[0]
        scales = (weight.abs().amax(dim=1).clamp(min=1e-12) / 127).double()
        zero_points = torch.zeros(weight.shape[0], dtype=torch.long)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            qweight = torch.quantize_per_channel(weight, scales, zero_points, 0, torch.qint8)
            self._packed = torch.ops.quantized.linear_prepack(qweight, None)
        bias = None if linear.bias is None else linear.bias.detach().float().clone()
        self.register_buffer("bias", bias)

    @property
    def weight(self) -> None:
        """No float weight: code that checks ``layer.weight`` for a dtype (T5's feed-forward)
        sees None, as with torch's own quantised layers."""
        return None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = x.shape
        rows = x.reshape(-1, shape[-1]).float()
        peak = rows.abs().amax(dim=1, keepdim=True).clamp(min=1e-30)
        scaled = rows.new_empty(rows.shape[0] + 1, rows.shape[1])
        torch.div(rows, peak, out=scaled[:-1])
        # The anchor row: with it the batch always spans exactly [-1, 1], so the kernel picks the
        # same activation scale and zero point whatever the other rows hold.
        scaled[-1].zero_()
        scaled[-1, 0] = 1.0
        scaled[-1, -1] = -1.0
        out = torch.ops.quantized.linear_dynamic(scaled, self._packed, True)[:-1]
        out.mul_(peak)
        if self.bias is not None:
            out.add_(self.bias)
        return out.reshape(*shape[:-1], self.out_features).to(x.dtype)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}, int8 per-row"


@functools.cache
def int8_available() -> str | None:
    """None when this CPU's quantised engine runs Int8Linear; else the reason, in one line.

    fbgemm (x86) is what it was built and measured on; other engines (qnnpack on ARM) may lack
    per-channel or dynamic kernels, and a failure there must not cost a run its model.
    """
    try:
        with torch.inference_mode():
            Int8Linear(torch.nn.Linear(4, 4))(torch.randn(2, 4))
    except (RuntimeError, NotImplementedError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return f"{torch.backends.quantized.engine}: {first[:120]}"
    return None


def quantize_int8(model: Any) -> Any:
    """Replace every ``nn.Linear`` of `model` (a CPU float model) with :class:`Int8Linear`."""
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if type(child) is torch.nn.Linear:
                setattr(parent, name, Int8Linear(child))
    return model
