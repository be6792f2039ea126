"""Beams sharing one copy of each input's cross-attention keys/values give the same tokens as
plain ``generate``: same beams, same scores, same stopping, on every family that takes that path."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from briefing.seq2seq import cross_attention
from briefing.seq2seq.generation import Generator
from briefing.seq2seq.loading import load
from briefing.seq2seq.registry import GenerationSettings
from tests.tiny_models import tiny_model

pytestmark = pytest.mark.slow

TEXTS = [
    "Telegram agreed.",
    "Police said 88 people were arrested in Seoul on Tuesday.",
    "The National Office of Investigation opened a case against the channel operators in 2024.",
    "경찰은 88명을 체포했다.",
    "Officials said the number of reported cases rose 53% in 2024 and lawmakers passed a bill.",
]


def lively(arch: str, int8: bool = False):
    """The tiny model of `arch` with weights redrawn at a larger scale, on a private copy.

    At the tiny models' initial scale the output hardly depends on the input (every text gives
    the same tokens), so a wrong mask or a beam mix-up would go unseen; at this scale each input
    gives its own output. With `int8`, the redrawn model is then quantised as the loader does.
    """
    import torch

    loaded = load(str(tiny_model(arch)), device="cpu", quantize="none")
    model = copy.deepcopy(loaded.model)
    model.set_attn_implementation("sdpa")  # as loaded, whatever earlier tests switched it to
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for param in model.parameters():
            if param.dim() > 1:
                param.normal_(0.0, 0.5, generator=generator)
    if int8:
        from briefing.seq2seq.quantize import quantize_int8

        model = quantize_int8(model)
    return dataclasses.replace(loaded, model=model, quantized="int8" if int8 else None)


def plain_generate(loaded, texts, settings, **extra):
    """One ``model.generate`` call per text: the reference the shared path must reproduce.
    Returns (texts, beam scores)."""
    import torch

    tok, outputs, scores = loaded.tokenizer, [], []
    with torch.inference_mode():
        for text in texts:
            enc = tok(text, return_tensors="pt")
            result = loaded.model.generate(
                **enc, **settings.kwargs(), **extra, return_dict_in_generate=True, output_scores=True
            )
            outputs.append(tok.decode(result.sequences[0], skip_special_tokens=True).strip())
            if settings.num_beams > 1:
                scores.append(float(result.sequences_scores[0]))
    return outputs, scores


@pytest.mark.parametrize("arch", ["bart", "marian", "m2m100"])
@pytest.mark.parametrize("beams", [1, 3])
@pytest.mark.parametrize("int8", [False, True], ids=["fp32", "int8"])
def test_shared_cross_attention_matches_plain_generate(arch, beams, int8):
    import torch

    loaded = lively(arch, int8)
    assert cross_attention.supports(loaded.model)
    settings = GenerationSettings(num_beams=beams, max_new_tokens=8, min_new_tokens=2)
    extra = {"forced_bos_token_id": loaded.tokenizer.get_lang_id("ko")} if arch == "m2m100" else {}
    expected, expected_scores = plain_generate(loaded, TEXTS, settings, **extra)
    assert len(set(expected)) >= 3  # the outputs depend on the input, so a mix-up would show
    # One batch of five inputs of different lengths: padding, beams of different inputs side by side.
    # Keys/values in the model's dtype: the arithmetic of plain generate, so the same tokens.
    gen = Generator(loaded, settings=settings, prompt="{text}", generate_kwargs=extra, token_budget=100_000, cross_kv="model")
    assert gen(TEXTS) == expected
    assert gen.stats.batches == 1
    if beams > 1:  # the beam scores agree too, not only the winning tokens
        ids = [loaded.tokenizer(t)["input_ids"] for t in TEXTS]
        with torch.inference_mode():
            encoded = cross_attention.encode(loaded.model, loaded.tokenizer, ids, "cpu")
            result = cross_attention.generate(
                loaded.model, encoded, **settings.kwargs(), **extra, return_dict_in_generate=True, output_scores=True
            )
        assert result.sequences_scores.tolist() == pytest.approx(expected_scores, abs=1e-4)


def test_a_left_padding_tokenizer_still_encodes_right_padded():
    loaded = lively("bart")
    settings = GenerationSettings(num_beams=2, max_new_tokens=6)
    expected, _ = plain_generate(loaded, TEXTS, settings)
    side = loaded.tokenizer.padding_side
    loaded.tokenizer.padding_side = "left"
    try:
        assert Generator(loaded, settings=settings, prompt="{text}", token_budget=100_000)(TEXTS) == expected
    finally:
        loaded.tokenizer.padding_side = side


def test_encoder_chunks_stay_within_the_token_budget(monkeypatch):
    loaded = load(str(tiny_model("marian")), device="cpu", quantize="none")
    calls: list[tuple[int, int]] = []
    encoder = loaded.model.get_encoder()
    original = encoder.forward

    def recording(*args, input_ids=None, **kwargs):
        calls.append(tuple(input_ids.shape))
        return original(*args, input_ids=input_ids, **kwargs)

    monkeypatch.setattr(encoder, "forward", recording)
    monkeypatch.setattr(cross_attention, "ENCODER_TOKENS", 40)
    ids = [loaded.tokenizer(t)["input_ids"] for t in TEXTS]
    import torch

    with torch.inference_mode():
        encoded = cross_attention.encode(loaded.model, loaded.tokenizer, ids, "cpu")
    assert encoded.lengths == [len(x) for x in ids]
    assert encoded.mask.sum(dim=1).tolist() == encoded.lengths
    assert sum(rows for rows, _ in calls) == len(TEXTS)
    assert all(rows == 1 or rows * width <= 40 for rows, width in calls)


def test_t5_keeps_plain_generate():
    loaded = lively("t5")
    assert not cross_attention.prepare(loaded.model)
    settings = GenerationSettings(num_beams=2, max_new_tokens=6)
    expected, _ = plain_generate(loaded, TEXTS[:2], settings)
    assert Generator(loaded, settings=settings, prompt="{text}")(TEXTS[:2]) == expected


def test_a_model_that_refuses_the_attention_switch_keeps_plain_generate(monkeypatch):
    loaded = lively("marian")
    before = loaded.model.config._attn_implementation
    monkeypatch.setattr(type(loaded.model), "set_attn_implementation", lambda self, name: None)
    assert not cross_attention.prepare(loaded.model)
    assert loaded.model.config._attn_implementation == before
    settings = GenerationSettings(num_beams=2, max_new_tokens=6)
    expected, _ = plain_generate(loaded, TEXTS, settings)
    assert Generator(loaded, settings=settings, prompt="{text}", token_budget=100_000)(TEXTS) == expected


def test_int8_keeps_cross_attention_in_bfloat16_and_stays_close_to_float32():
    import torch

    loaded = lively("bart", int8=True)
    assert Generator(loaded).cross_kv_dtype() == torch.bfloat16
    assert Generator(lively("bart")).cross_kv_dtype() is None  # float32 models keep float32
    tok, model = loaded.tokenizer, loaded.model
    ids = [tok(t)["input_ids"] for t in TEXTS]
    with torch.inference_mode():
        narrow = cross_attention.encode(model, tok, ids, "cpu", torch.bfloat16)
        full = cross_attention.encode(model, tok, ids, "cpu")
        assert narrow.keys[0].dtype == torch.bfloat16 and full.keys[0].dtype == torch.float32
        prefix = torch.full((len(TEXTS), 5), model.config.decoder_start_token_id)
        prefix[:, 1:] = torch.arange(4, 8)
        reference = model(**tok(TEXTS, return_tensors="pt", padding=True), decoder_input_ids=prefix).logits
        exact = model(**cross_attention.decoder_inputs(model, full), decoder_input_ids=prefix).logits
        approx = model(**cross_attention.decoder_inputs(model, narrow), decoder_input_ids=prefix).logits
    # Teacher-forced through the prefilled cache: the same logits as the plain forward pass...
    assert torch.allclose(exact, reference, atol=1e-4, rtol=1e-4)
    # ...and bfloat16 keys/values move them a little, not a lot. The lively weights make attention
    # far more peaked than a trained model's, the worst case for rounded keys (about 6% here); on
    # BART-large shapes benchmarks/seq2seq.py sees no added error (1.6% with or without). A wrong
    # row, mask or cast gives errors near 100%.
    error = float((approx - exact).norm() / exact.norm())
    assert 0 < error < 0.1
