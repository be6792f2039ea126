"""Int8 with per-row activation scales: a row's result never depends on its batch-mates."""

from __future__ import annotations

import warnings

import pytest

from briefing.seq2seq.generation import Generator
from briefing.seq2seq.loading import load
from briefing.seq2seq.model_errors import ModelError
from briefing.seq2seq.quantize_policy import resolve_quantize
from briefing.seq2seq.registry import GenerationSettings
from tests.test_cross_attention import TEXTS, lively
from tests.tiny_models import tiny_model

torch = pytest.importorskip("torch")

from briefing.seq2seq.quantize import Int8Linear, quantize_int8  # noqa: E402


def rows_of_mixed_scale(n: int = 6, width: int = 64):
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(n, width, generator=generator)
    x[1] *= 200.0  # an outlier row, as attention sinks and special tokens give
    x[3] *= 0.01
    x[4] = torch.rand(width, generator=generator)  # all positive
    x[5] = 0.0
    return x


def test_each_row_is_quantised_alone():
    linear = torch.nn.Linear(64, 48)
    q = Int8Linear(linear)
    x = rows_of_mixed_scale()
    with torch.inference_mode():
        together = q(x)
        alone = torch.cat([q(x[i : i + 1]) for i in range(len(x))])
        reversed_batch = q(x.flip(0)).flip(0)
    assert torch.equal(together, alone)
    assert torch.equal(together, reversed_batch)


def test_error_is_small_on_every_row_even_beside_an_outlier():
    torch.manual_seed(0)
    linear = torch.nn.Linear(64, 48)
    x = rows_of_mixed_scale()
    with torch.inference_mode():
        exact = linear(x)
        ours = Int8Linear(linear)(x)
        with warnings.catch_warnings():  # torch.ao's deprecation notice
            warnings.simplefilter("ignore")
            per_tensor = torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(linear), {torch.nn.Linear}, dtype=torch.qint8)(x)
    for i in (0, 2, 3, 4):  # ordinary rows next to the outlier
        signal = (exact[i] - linear.bias).norm()
        assert (ours[i] - exact[i]).norm() / signal < 0.03
        # One scale for the whole batch drowns the small rows in the outlier's rounding step.
        assert (per_tensor[i] - exact[i]).norm() > 3 * (ours[i] - exact[i]).norm()
    assert torch.allclose(ours[5], linear.bias)  # a zero row gives the bias, not NaN


def test_quantize_int8_replaces_every_linear_and_keeps_shapes():
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Sequential(torch.nn.Linear(16, 4, bias=False)))
    x = torch.randn(3, 8)
    with torch.inference_mode():
        before = model(x)
        quantize_int8(model)
        after = model(x)
    assert not any(type(m) is torch.nn.Linear for m in model.modules())
    assert after.shape == before.shape
    assert torch.allclose(after, before, atol=0.05 * before.abs().max().item())


def test_cpu_default_is_int8_and_none_keeps_float32():
    path = str(tiny_model("marian"))
    default = load(path, device="cpu")
    assert default.quantized == "int8" and default.fingerprint.endswith("float32+int8-row")
    assert any(isinstance(m, Int8Linear) for m in default.model.modules())
    plain = load(path, device="cpu", quantize="none")
    assert plain.quantized is None and plain.fingerprint.endswith("/float32")
    assert not any(isinstance(m, Int8Linear) for m in plain.model.modules())
    assert "int8" in default.describe() and "int8" not in plain.describe()


def test_quantize_choices():
    assert resolve_quantize(None, "cpu") == "int8"
    assert resolve_quantize("auto", "cuda") is None
    assert resolve_quantize("none", "cpu") is None
    with pytest.raises(ModelError, match="CPU only"):
        resolve_quantize("int8", "cuda")
    with pytest.raises(ModelError, match="unknown quantisation"):
        resolve_quantize("int4", "cpu")


@pytest.mark.slow
@pytest.mark.parametrize("arch", ["bart", "t5"])
def test_an_inputs_output_does_not_depend_on_its_batch(arch):
    """The property the cache relies on: one article gives the same summary alone or batched."""
    loaded = lively(arch, int8=True)
    settings = GenerationSettings(num_beams=3, max_new_tokens=8, min_new_tokens=2)
    batched = Generator(loaded, settings=settings, prompt="{text}", token_budget=100_000)(TEXTS)
    alone = [Generator(loaded, settings=settings, prompt="{text}")([t])[0] for t in TEXTS]
    assert len(set(alone)) >= 3
    assert batched == alone


def test_without_int8_kernels_the_default_falls_back_to_float32_and_int8_fails_in_one_line(monkeypatch):
    import briefing.seq2seq.quantize as quantize

    monkeypatch.setattr(quantize, "int8_available", lambda: "qnnpack: no per-channel dynamic linear")
    path = str(tiny_model("bart"))
    loaded = load(path, device="cpu")
    assert loaded.quantized is None and loaded.fingerprint.endswith("/float32")
    with pytest.raises(ModelError) as info:
        load(path, device="cpu", quantize="int8")
    assert "qnnpack" in str(info.value) and "--quantize none" in str(info.value) and "\n" not in str(info.value)


def test_int8_kernels_are_available_on_this_machine():
    from briefing.seq2seq.quantize import int8_available

    assert int8_available() is None
