"""The seq2seq translator: a loaded Marian/OPUS-MT or M2M-100/NLLB model behind `Translator`.

Texts are split into sentences (the model's unit of training) and every sentence of every text
goes to one batched, length-sorted, cached :class:`briefing.seq2seq.generation.Generator` call, so a
whole document or brief is translated in a few forward passes, and a sentence seen before (same
model revision and settings) is not translated again. Decoding is deterministic (beam search or
greedy, never sampling).

Language handling by architecture:
- Marian (opus-mt): one direction per model; the direction is checked against the registry or
  the tokenizer's source_lang/target_lang. A multi-target Marian model (one whose vocabulary
  has `>>kor<<`-style tokens) gets that token in front of each sentence.
- M2M-100 / NLLB: the tokenizer's `src_lang` is set, and the target language token is forced as
  the first generated token (`forced_bos_token_id`), which is part of the cache key.

Each sentence's output is checked by the guards (numbers, dates, URLs, glossary); failures
become `Translation.flags`, which renderers show. A translation is never invented: with no
model there is no Seq2SeqTranslator (see `load_translator`).

Usage::

    from briefing.translate.seq2seq import load_translator
    translator = load_translator("en", "ko", model=None, device=None, cache=open_cache())
    translator.translate(["Police opened a probe."], "en", "ko")   # list[Translation]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from briefing.ingest.sentences import split_sentences
from briefing.model import Translation
from briefing.seq2seq.loading import LoadedModel, load
from briefing.seq2seq.model_errors import ModelError
from briefing.translate.base import Translator
from briefing.translate.guards import Guards

#: Marian's multi-target language tokens use ISO 639-3 codes.
_ISO3 = {"en": "eng", "ko": "kor"}
#: NLLB codes, for an unregistered NLLB folder (registered models carry lang_codes).
_NLLB = {"en": "eng_Latn", "ko": "kor_Hang"}


def job_for(source: str, target: str) -> str:
    """The registry job that translates source -> target ("translate-en-ko")."""
    return f"translate-{source}-{target}"


def _architecture(loaded: LoadedModel) -> str:
    if loaded.spec:
        return loaded.spec.architecture
    model_type = getattr(loaded.model.config, "model_type", "")
    return "nllb" if "nllb" in type(loaded.tokenizer).__name__.lower() else model_type


@dataclass
class _Unit:
    """One sentence to translate, and where its output goes."""

    text_index: int
    line: int
    source: str


@dataclass
class Seq2SeqTranslator(Translator):
    """Translates with one loaded model; see the module docstring."""

    loaded: LoadedModel
    cache: Any = None  # a briefing.seq2seq.cache.Cache, or None
    guards: Guards | None = None  # default: Guards.default() (the glossaries of briefing.settings.glossary_files)
    settings: Any = None  # a registry GenerationSettings; default: the model's registry settings
    progress: Callable[[int], None] | None = None  # called with n as n more sentences are done
    _generators: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    _src_lang: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    _lang_token: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    name = "seq2seq"

    def __post_init__(self) -> None:
        if self.guards is None:
            self.guards = Guards.default()

    # ------------------------------------------------------------------ languages

    def directions(self) -> list[tuple[str, str]] | None:
        """The (source, target) pairs this model translates; None when it is many-to-many."""
        arch = _architecture(self.loaded)
        if arch in ("m2m_100", "m2m100", "nllb"):
            return None
        spec = self.loaded.spec
        if spec and spec.source and spec.target:
            return [(spec.source, spec.target)]
        tok = self.loaded.tokenizer
        source, target = getattr(tok, "source_lang", None), getattr(tok, "target_lang", None)
        if source and target:
            return [(source, target)]
        return None  # an unregistered Marian folder that does not say: trust the caller

    def _generator(self, source: str, target: str) -> Any:
        from briefing.seq2seq.generation import Generator

        key = (source, target)
        if key in self._generators:
            return self._generators[key]
        directions = self.directions()
        if directions is not None and key not in directions:
            pairs = ", ".join(f"{s}->{t}" for s, t in directions)
            raise ModelError(f"{self.loaded.model_id} translates {pairs}, not {source}->{target}")
        kwargs: dict[str, Any] = {}
        arch = _architecture(self.loaded)
        if arch in ("m2m_100", "m2m100", "nllb"):
            tok = self.loaded.tokenizer
            codes = (self.loaded.spec.lang_codes if self.loaded.spec else {}) or (
                _NLLB if arch == "nllb" else {}
            )
            src_code, tgt_code = codes.get(source, source), codes.get(target, target)
            self._src_lang[key] = src_code
            forced = tok.convert_tokens_to_ids(tgt_code)
            if forced is None or forced == tok.unk_token_id:
                lang_id = getattr(tok, "get_lang_id", None)
                forced = lang_id(tgt_code) if lang_id else None
            if forced is None or forced == tok.unk_token_id:
                raise ModelError(f"{self.loaded.model_id} has no language token for {target!r} ({tgt_code})")
            kwargs["forced_bos_token_id"] = int(forced)
            self._lang_token[key] = tok.convert_ids_to_tokens(int(forced))
        generator = Generator(self.loaded, settings=self.settings, cache=self.cache, generate_kwargs=kwargs)
        self._generators[key] = generator
        return generator

    def _target_prefix(self, target: str) -> str:
        """`>>kor<< ` for a multi-target Marian model, else nothing."""
        if _architecture(self.loaded) != "marian":
            return ""
        vocab = self.loaded.tokenizer.get_vocab()
        for code in (_ISO3.get(target, target), target):
            if f">>{code}<<" in vocab:
                return f">>{code}<< "
        return ""

    # ------------------------------------------------------------------ translating

    def translate(self, texts: list[str], source: str, target: str) -> list[Translation]:
        if source == target:
            return [Translation(source=t, text=t, translated=True) for t in texts]
        generator = self._generator(source, target)
        prefix = self._target_prefix(target)
        if (source, target) in self._src_lang:
            # The generator tokenises with this tokenizer; M2M-100/NLLB put the source language
            # token from src_lang. The forced target token (in the cache key) fixes the
            # direction, and this tool only translates en<->ko, so the source is implied by it.
            self.loaded.tokenizer.src_lang = self._src_lang[(source, target)]

        units: list[_Unit] = []
        layout: list[list[list[int]]] = []  # per text, per line: unit indices
        for i, text in enumerate(texts):
            lines: list[list[int]] = []
            for n, line in enumerate(text.split("\n")):
                idx = []
                for sentence in split_sentences(line) if line.strip() else []:
                    idx.append(len(units))
                    units.append(_Unit(i, n, sentence.strip()))
                lines.append(idx)
            layout.append(lines)

        lang_token = self._lang_token.get((source, target))
        inputs = [prefix + u.source for u in units]
        outputs = generator(inputs, progress=self.progress) if inputs else []
        limit = generator.max_input_tokens - generator.prompt_overhead - (1 if prefix else 0)
        lengths = generator.count_tokens([u.source for u in units]) if units else []

        results: list[Translation] = []
        for i, text in enumerate(texts):
            flags: list[str] = []
            out_lines: list[str] = []
            count = sum(len(idx) for idx in layout[i])
            number = 0
            for idx in layout[i]:
                parts = []
                for u in idx:
                    number += 1
                    out = outputs[u].strip()
                    if lang_token and out.startswith(lang_token):
                        out = out[len(lang_token) :].strip()  # a forced language token left in
                    problems = self._check(units[u].source, out, lengths[u], limit, source, target)
                    where = f"sentence {number}: " if count > 1 else ""
                    flags.extend(where + p for p in problems)
                    parts.append(out)
                out_lines.append(" ".join(parts))
            results.append(Translation(source=text, text="\n".join(out_lines), translated=True, flags=flags))
        return results

    def _check(self, source: str, output: str, tokens: int, limit: int, src: str, tgt: str) -> list[str]:
        problems: list[str] = []
        if tokens > limit:
            problems.append(f"input truncated at {limit} tokens")
        if not output:
            problems.append("empty translation")
        return problems + self.guards.check(source, output, src, tgt)

    def describe(self) -> str:
        return f"seq2seq ({self.loaded.describe()})"


def load_translator(
    source: str,
    target: str,
    *,
    model: str | None = None,
    device: str | None = None,
    cache: Any = None,
    quantize: str | None = None,
    **kwargs: Any,
) -> Seq2SeqTranslator:
    """Load the model for source -> target (the registry default for the job, or `model`, a
    path or id) and wrap it. Raises briefing.seq2seq.model_errors.ModelNotFound (one line: which model, where
    it looked, the pull command) when it is not present; nothing is downloaded."""
    from briefing.seq2seq.registry import load_registry

    name = model or load_registry().default(job_for(source, target)).key
    loaded = load(name, device=device, quantize=quantize)
    return Seq2SeqTranslator(loaded, cache=cache, **kwargs)
