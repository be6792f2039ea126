"""Batched, deterministic, cached seq2seq generation with one loaded model.

This is "our path" in benchmarks/seq2seq.py, against a naive per-item ``pipeline(...)`` call:

- every input is tokenised once, inputs are sorted by length (longest first, so the batch that
  needs the most memory runs first) and grouped into batches whose padded size x beams stays
  within a token budget: little padding, few forward passes;
- ``torch.inference_mode`` and deterministic decoding (beam search or greedy, ``do_sample=False``);
- results come back in input order;
- with a :class:`briefing.seq2seq.cache.Cache`, texts already generated with the same model revision,
  prompt and settings are not generated again.

Usage (condenser and translator)::

    from briefing.seq2seq.loading import load
    from briefing.seq2seq.generation import Generator
    from briefing.seq2seq.cache import open_cache

    loaded = load("opus-mt-tc-big-en-ko")
    gen = Generator(loaded, cache=open_cache())            # settings/prompt from the registry
    outputs = gen(["First sentence.", "Second one."])      # list[str], same order
    gen.stats                                              # hits, generated, batches, seconds

Extra ``generate`` arguments (M2M-100/NLLB's ``forced_bos_token_id``) go in ``generate_kwargs``;
they are part of the cache key.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from briefing.seq2seq.loading import LoadedModel
from briefing.seq2seq.registry import GenerationSettings, load_prompt


@dataclass
class GenerationStats:
    requested: int = 0
    cache_hits: int = 0
    generated: int = 0
    batches: int = 0
    new_tokens: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def default_token_budget(device: str) -> int:
    """Padded input tokens x beams per batch: bounds memory, keeps CPU batches cache-friendly."""
    return 65536 if device.startswith("cuda") else 16384


def rows_per_input(loaded: LoadedModel) -> int | None:
    """Rows of an input's tokens a batch holds (see Generator.plan_batches): 1 where beams share
    the encoder output (CTranslate2; torch with briefing.seq2seq.cross_attention), else None (beams)."""
    if loaded.engine == "ctranslate2":
        return 1
    from briefing.seq2seq import cross_attention

    return 1 if cross_attention.prepare(loaded.model) else None


@dataclass
class Generator:
    """Generates text for a list of inputs with one model; see the module docstring."""

    loaded: LoadedModel
    settings: GenerationSettings | None = None  # default: the registry's settings for the model
    prompt: str | None = None  # template with "{text}"; default: the registry's prompt
    cache: Any = None  # a briefing.seq2seq.cache.Cache, or None
    token_budget: int | None = None
    max_batch: int = 64
    max_input_tokens: int | None = None  # default: the registry's input limit
    # Storage of the shared cross-attention keys/values (briefing.seq2seq.cross_attention): "auto" is
    # bfloat16 under int8 (CPU; it halves the memory traffic that bounds each decoding step)
    # and the model's own dtype otherwise; "model" always keeps the model's dtype.
    cross_kv: str = "auto"
    generate_kwargs: dict[str, Any] = field(default_factory=dict)
    stats: GenerationStats = field(default_factory=GenerationStats)

    def __post_init__(self) -> None:
        spec = self.loaded.spec
        if self.settings is None:
            self.settings = spec.generation if spec else GenerationSettings()
        if self.prompt is None:
            self.prompt = load_prompt(spec.prompt) if spec else "{text}"
        if self.token_budget is None:
            self.token_budget = default_token_budget(self.loaded.device.device)
        if self.max_input_tokens is None:
            self.max_input_tokens = self.loaded.max_input_tokens
        if self.generate_kwargs.get("do_sample"):
            raise ValueError("sampling is not allowed: outputs must be deterministic")

    # ------------------------------------------------------------------ helpers

    @property
    def tokenizer(self) -> Any:
        return self.loaded.tokenizer

    def render(self, text: str) -> str:
        return self.prompt.replace("{text}", text)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Token counts of bare texts (no prompt, no special tokens): for chunking by budget."""
        if not texts:
            return []
        enc = self.tokenizer(list(texts), add_special_tokens=False)
        return [len(ids) for ids in enc["input_ids"]]

    @property
    def prompt_overhead(self) -> int:
        """Tokens the prompt and special tokens add to a text."""
        return len(self.tokenizer(self.render(""))["input_ids"])

    def cache_key(self, text: str) -> str:
        from briefing.seq2seq.cache import make_key

        settings = {
            **self.settings.as_dict(),
            **self.generate_kwargs,
            "max_input_tokens": self.max_input_tokens,
            "cross_kv": self.cross_kv,
        }
        return make_key(self.loaded.fingerprint, self.prompt, settings, text)

    # ------------------------------------------------------------------ generation

    def __call__(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> list[str]:
        """Outputs for `texts`, in order. `progress(n)` is called as n more items are done."""
        texts = list(texts)
        self.stats.requested += len(texts)
        results: list[str | None] = [None] * len(texts)
        keys: list[str] = []
        if self.cache is not None and texts:
            keys = [self.cache_key(t) for t in texts]
            found = self.cache.get_many(keys)
            for i, k in enumerate(keys):
                if k in found:
                    results[i] = found[k]
            hits = sum(r is not None for r in results)
            self.stats.cache_hits += hits
            if progress and hits:
                progress(hits)
        todo = [i for i, r in enumerate(results) if r is None]
        # Identical inputs are generated once.
        unique: dict[str, list[int]] = {}
        for i in todo:
            unique.setdefault(texts[i], []).append(i)
        distinct = list(unique)
        outputs = self.generate_uncached(distinct, progress=progress) if distinct else []
        new_items: dict[str, str] = {}
        for text, out in zip(distinct, outputs):
            for i in unique[text]:
                results[i] = out
                if keys:
                    new_items[keys[i]] = out
        if self.cache is not None and new_items:
            self.cache.put_many(new_items)
        return [r if r is not None else "" for r in results]

    def cross_kv_dtype(self) -> Any:
        """The dtype shared cross-attention keys/values are stored in; None: the model's own."""
        if self.cross_kv not in ("auto", "model"):
            raise ValueError(f"cross_kv must be 'auto' or 'model', not {self.cross_kv!r}")
        if self.cross_kv == "auto" and self.loaded.quantized == "int8":
            import torch

            return torch.bfloat16
        return None

    def plan_batches(self, lengths: Sequence[int], rows_per_input: int | None = None) -> list[list[int]]:
        """Indices grouped into batches: longest first, padded tokens x rows within the budget.

        `rows_per_input` is how many copies of an input's tokens a batch holds in memory: the beam
        count for plain ``generate``, 1 when beams share the encoder output (cross_attention).
        """
        rows = max(1, self.settings.num_beams if rows_per_input is None else rows_per_input)
        order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
        batches: list[list[int]] = []
        current: list[int] = []
        width = 0
        for i in order:
            w = max(width, lengths[i])
            if current and ((len(current) + 1) * w * rows > self.token_budget or len(current) >= self.max_batch):
                batches.append(current)
                current, w = [], lengths[i]
            current.append(i)
            width = w
        if current:
            batches.append(current)
        return batches

    def generate_uncached(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> list[str]:
        started = time.perf_counter()
        tok = self.tokenizer
        prompts = [self.render(t) for t in texts]
        ids = tok(prompts, truncation=True, max_length=self.max_input_tokens)["input_ids"]
        batches = self.plan_batches([len(x) for x in ids], rows_per_input=rows_per_input(self.loaded))
        out: list[str] = [""] * len(texts)
        kwargs = {**self.settings.kwargs(), **self.generate_kwargs}
        run = self._batch_ctranslate2 if self.loaded.engine == "ctranslate2" else self._batch_torch
        pad_id = tok.pad_token_id
        for batch in batches:
            generated = run([ids[i] for i in batch], kwargs)
            decoded = tok.batch_decode(generated, skip_special_tokens=True)
            for row, i in enumerate(batch):
                out[i] = decoded[row].strip()
                self.stats.new_tokens += sum(1 for t in generated[row] if t != pad_id)
            self.stats.batches += 1
            self.stats.generated += len(batch)
            if progress:
                progress(len(batch))
        self.stats.seconds += time.perf_counter() - started
        return out

    def _batch_ctranslate2(self, ids: list[list[int]], kwargs: dict[str, Any]) -> list[list[int]]:
        from briefing.seq2seq.ctranslate import generate_batch

        return generate_batch(self.loaded.model, self.tokenizer, ids, kwargs)

    def _batch_torch(self, ids: list[list[int]], kwargs: dict[str, Any]) -> list[list[int]]:
        import torch

        from briefing.seq2seq import cross_attention

        tok = self.tokenizer
        device = self.loaded.device.device
        model = self.loaded.model
        with torch.inference_mode():
            if cross_attention.prepare(model):
                encoded = cross_attention.encode(model, tok, ids, device, self.cross_kv_dtype())
                generated = cross_attention.generate(model, encoded, **kwargs)
                del encoded
            else:
                padded = tok.pad([{"input_ids": x, "attention_mask": [1] * len(x)} for x in ids], return_tensors="pt")
                generated = model.generate(
                    input_ids=padded["input_ids"].to(device),
                    attention_mask=padded["attention_mask"].to(device),
                    **kwargs,
                )
        return generated.tolist()
