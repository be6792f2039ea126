"""Beam search that projects each input's cross-attention keys and values once, not once per beam.

Why: transformers' beam search copies the encoder output to batch x beams rows, projects every
copy to cross-attention keys and values in each decoder layer, and at every step reorders the
cross-attention cache together with the self-attention cache: a copy of beams x source tokens x
d_model per layer per step. For BART-large on a 1000-token article at beam 4 that copy is
~400 MB a step, and most of a naive ``generate`` call's time on CPU. The beams of one input share
one encoder output and only ever swap places among themselves, so all of it is redundant.

What this module does instead, for the BART family (BART, mBART, Marian, M2M-100/NLLB, Pegasus:
decoder layers with ``encoder_attn.k_proj`` / ``v_proj``):

- runs the encoder on the unexpanded batch, in chunks small enough that its activations stay in
  the allocator's reused memory (see :data:`ENCODER_TOKENS`);
- projects each decoder layer's cross-attention keys/values once per input, writes them straight
  into the batch's padded tensors (optionally narrower: bfloat16 under int8, where reading them
  is the largest cost of a decoding step) and hands them to ``generate`` in a cache already
  marked filled, so the model never projects them again; ``generate`` gets a one-wide stand-in
  for the encoder output, so its copy for every beam costs nothing;
- skips them when the cache is reordered between beams (:class:`SharedCrossAttentionCache`);
- registers an attention function (:data:`ATTENTION`) that lets an input's beams attend to its
  single copy as extra query rows; every other attention call is plain SDPA.

Beam scores, lengths, stopping and every other decoding rule stay transformers' own. With the
keys/values in the model's dtype the arithmetic per beam is the same, and
tests/test_cross_attention.py checks the outputs are token-identical to plain ``generate`` on
tiny BART, Marian and M2M-100 models (float32 and int8). Other models (T5's attention has
its own cache handling) use plain ``generate``; :func:`prepare` says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

#: Attention implementation name registered with transformers.
ATTENTION = "briefing_shared_cross_sdpa"

#: Padded source tokens per encoder call. glibc maps an allocation above its mmap threshold (at
#: most 32 MB) afresh each time, and the page faults of those fresh pages are slow on a VM.
#: BART-large's feed-forward activations take 16 KB a token, so 1024 tokens (16 MB) stay under it
#: and reuse heap memory; on the 2-core machine 2048-token calls made the whole job 10-20% slower.
ENCODER_TOKENS = 1024

_registered = False


def supports(model: Any) -> bool:
    """True for encoder-decoder models whose decoder layers project cross-attention as BART does."""
    if not getattr(model.config, "is_encoder_decoder", False):
        return False
    try:
        layers = model.get_decoder().layers
    except AttributeError:
        return False
    if not len(layers):
        return False
    attn = getattr(layers[0], "encoder_attn", None)
    return all(hasattr(attn, name) for name in ("k_proj", "v_proj", "head_dim", "layer_idx"))


def prepare(model: Any) -> bool:
    """Switch `model` to the shared-beam attention; False (model untouched) where it cannot take
    it, and the caller then uses plain ``generate``. Other attention calls stay plain SDPA."""
    if not supports(model):
        return False
    _register()
    if model.config._attn_implementation != ATTENTION:
        model.set_attn_implementation(ATTENTION)  # logs and keeps the old one if the model refuses
    return model.config._attn_implementation == ATTENTION


def _shared_sdpa(module, query, key, value, attention_mask, **kwargs):
    """SDPA where ``key``/``value`` may hold one row per input and ``query`` one row per beam.

    Beam rows are laid out input-major (input 0's beams, then input 1's...), so an input's
    beams become extra query positions against its single key/value copy. The cross-attention
    mask is the same for every beam and query position of an input, so its first row serves all.
    """
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    if key.dtype != query.dtype:  # keys/values stored narrower (bfloat16 under int8): meet them there
        out, weights = _shared_sdpa(module, query.to(key.dtype), key, value, attention_mask, **kwargs)
        return out.to(query.dtype), weights
    groups = query.shape[0] // key.shape[0]
    if groups == 1:
        return sdpa_attention_forward(module, query, key, value, attention_mask, **kwargs)
    inputs, heads, q_len, dim = key.shape[0], query.shape[1], query.shape[2], query.shape[3]
    query = query.reshape(inputs, groups, heads, q_len, dim).transpose(1, 2).reshape(inputs, heads, groups * q_len, dim)
    if attention_mask is not None:
        if attention_mask.shape[0] == inputs * groups:
            attention_mask = attention_mask[::groups]
        attention_mask = attention_mask[:, :, :1, :]
    out, _ = sdpa_attention_forward(module, query, key, value, attention_mask, **{**kwargs, "is_causal": False})
    # out: (inputs, groups * q_len, heads, dim) -> (inputs * groups, q_len, heads, dim)
    return out.reshape(inputs, groups, q_len, heads, dim).reshape(inputs * groups, q_len, heads, dim), None


def _register() -> None:
    global _registered
    if _registered:
        return
    from transformers import AttentionInterface, AttentionMaskInterface
    from transformers.masking_utils import sdpa_mask

    AttentionInterface.register(ATTENTION, _shared_sdpa)
    AttentionMaskInterface.register(ATTENTION, sdpa_mask)
    _registered = True


@cache
def _cache_class():
    from transformers.cache_utils import EncoderDecoderCache

    class SharedCrossAttentionCache(EncoderDecoderCache):
        """Reorders only the self-attention cache between beams; the cross-attention cache holds
        one row per input, which all of its beams share."""

        def reorder_cache(self, beam_idx):
            self.self_attention_cache.reorder_cache(beam_idx)

    return SharedCrossAttentionCache


@dataclass
class EncodedBatch:
    """What the decoder needs from the encoder for a batch of inputs, in input order, padded on
    the right to the longest: per decoder layer, the cross-attention keys and values."""

    lengths: list[int]
    mask: Any  # (inputs, width), 1 on real tokens
    keys: list[Any]  # per decoder layer: (inputs, heads, width, head_dim)
    values: list[Any]


def encode(model: Any, tokenizer: Any, ids: list[list[int]], device: str, kv_dtype: Any = None) -> EncodedBatch:
    """Run the encoder over `ids` (in chunks of at most ENCODER_TOKENS padded tokens, longest
    first) and project each decoder layer's cross-attention keys/values once per input, stored in
    `kv_dtype` (default: the model's). Call in inference mode."""
    import torch

    lengths = [len(x) for x in ids]
    width = max(lengths)
    order = sorted(range(len(ids)), key=lambda i: -lengths[i])
    chunks: list[list[int]] = []
    for i in order:
        if chunks and (len(chunks[-1]) + 1) * lengths[chunks[-1][0]] <= ENCODER_TOKENS:
            chunks[-1].append(i)
        else:
            chunks.append([i])
    encoder = model.get_encoder()
    layers = model.get_decoder().layers
    keys: list[Any] = []
    values: list[Any] = []
    for chunk in chunks:
        # Right padding whatever the tokenizer's default: learned positions then match the unpadded input.
        features = [{"input_ids": ids[i], "attention_mask": [1] * lengths[i]} for i in chunk]
        padded = tokenizer.pad(features, return_tensors="pt", padding_side="right")
        hidden = encoder(
            input_ids=padded["input_ids"].to(device), attention_mask=padded["attention_mask"].to(device)
        ).last_hidden_state
        rows = torch.tensor(chunk, device=hidden.device)
        for n, layer in enumerate(layers):
            attn = layer.encoder_attn
            shape = (hidden.shape[0], hidden.shape[1], -1, attn.head_dim)
            k = attn.k_proj(hidden).view(shape).transpose(1, 2)
            v = attn.v_proj(hidden).view(shape).transpose(1, 2)
            if len(keys) <= n:  # zeros: padded positions are masked, but must stay finite
                dtype = kv_dtype or k.dtype
                keys.append(k.new_zeros(len(ids), k.shape[1], width, k.shape[3], dtype=dtype))
                values.append(v.new_zeros(len(ids), v.shape[1], width, v.shape[3], dtype=dtype))
            keys[n][:, :, : k.shape[2]].index_copy_(0, rows, k.to(keys[n].dtype))
            values[n][:, :, : v.shape[2]].index_copy_(0, rows, v.to(values[n].dtype))
    mask = torch.zeros(len(ids), width, dtype=torch.long, device=keys[0].device)
    for row, n in enumerate(lengths):
        mask[row, :n] = 1
    return EncodedBatch(lengths, mask, keys, values)


def decoder_inputs(model: Any, batch: EncodedBatch) -> dict[str, Any]:
    """Keyword arguments for ``model.generate`` (or a forward pass) that decode from `batch`.

    The cache arrives already filled, so the decoder never reads the encoder's hidden states; it
    only takes their shape for the cross-attention mask. A (inputs, width, 1) stand-in carries
    that shape, so ``generate``'s copy of it for every beam costs nothing.
    """
    from transformers.cache_utils import DynamicCache
    from transformers.modeling_outputs import BaseModelOutput

    if not prepare(model):
        raise ValueError(f"{type(model).__name__} cannot share cross-attention between beams")
    cross = DynamicCache()
    for n, (k, v) in enumerate(zip(batch.keys, batch.values)):
        cross.update(k, v, n)
    dtype = model.get_input_embeddings().weight.dtype
    stand_in = batch.mask.new_zeros(*batch.mask.shape, 1, dtype=dtype)
    return {
        "encoder_outputs": BaseModelOutput(last_hidden_state=stand_in),
        "attention_mask": batch.mask,
        "past_key_values": _cache_class()(DynamicCache(), cross),
    }


def generate(model: Any, batch: EncodedBatch, **generate_kwargs: Any) -> Any:
    """``model.generate`` over an encoded batch, its beams sharing each input's cross-attention
    keys/values. Returns the generated ids, one row per input."""
    return model.generate(**decoder_inputs(model, batch), **generate_kwargs)
