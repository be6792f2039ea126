"""Choosing the engines for a run: which condenser and which translator.

The weight-free defaults (extractive condensing, no translation) always work. Model-backed
engines are chosen only when their weights are present locally (briefing.seq2seq.locate: an
explicit path, models/<name>/, the Hugging Face cache; never the network); otherwise a one-line
note says which model was missing, where it was looked for and how to fetch it, and the run goes
on. On the weight-free path neither torch nor transformers is imported.

    engines = select_engines("auto", "auto", model=None, device=None, cache_dir=None, no_cache=False)
    engines.condenser, engines.translator     # Condenser, Translator
    engines.notes                             # one-line notes for the brief's warnings
    engines.describe()                        # {"condenser": ..., "translator": ...}
    engines.stats()                           # dropped_unsupported, cache hits ... after a run

With `ray` ("local", "auto" or an address) the seq2seq engines generate on a Ray actor pool
(briefing.seq2seq.distributed), with outputs identical to one process; `engines.close()` stops it.

Which inference engine runs a model (`engine`, or BRIEFING_ENGINE: auto | ctranslate2 | torch) is
briefing.seq2seq.loading's choice; the model descriptions in `describe()`, which the brief shows,
name it ("… on cpu (ctranslate2 int8)"), and a model that falls back to torch adds a note why.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the pipeline imports this module
    from briefing.pipeline import RunOptions

from briefing.condense.base import Condenser
from briefing.model import Translation
from briefing.seq2seq.loading import engine_problem, load
from briefing.seq2seq.locate import locate
from briefing.seq2seq.model_errors import ModelError
from briefing.seq2seq.quantize_policy import quantize_problem
from briefing.translate.base import Translator

SUMMARISERS = ("auto", "extractive", "seq2seq")
TRANSLATORS = ("auto", "none", "seq2seq")
DIRECTIONS = (("en", "ko"), ("ko", "en"))


@dataclass
class Engines:
    condenser: Condenser
    translator: Translator
    notes: list[str] = field(default_factory=list)
    cache: Any = None  # the run's briefing.seq2seq.cache.Cache when a model engine is in use
    # Short, machine-independent notes for the brief, keyed by the job they concern:
    # "summarise:en", "summarise:ko", "translate:en-ko", "translate:ko-en", or "all".
    brief_notes: dict[str, str] = field(default_factory=dict)
    ray: Any = None  # the briefing.seq2seq.distributed.RayBackend the engines generate on, with --ray

    def close(self) -> None:
        """Stop the Ray actors (and the runtime this run started), if any."""
        if self.ray is not None:
            self.ray.close()
            self.ray = None

    def notes_for(self, article_languages: set[str], translations: set[tuple[str, str]]) -> list[str]:
        """The brief notes about the models this run would have used."""
        wanted = {"all"} | {f"summarise:{lang}" for lang in article_languages}
        wanted |= {f"translate:{source}-{target}" for source, target in translations}
        return [note for job, note in sorted(self.brief_notes.items()) if job in wanted]

    def describe(self) -> dict[str, str]:
        from briefing.merge.support import describe_default

        return {"condenser": self.condenser.describe(), "translator": self.translator.describe(), "support": describe_default()}

    def stats(self) -> dict[str, Any]:
        """Counts for the brief's metadata (dropped unsupported sentences, cache use)."""
        out: dict[str, Any] = {"dropped_unsupported": self.condenser.dropped_unsupported}
        if hasattr(self.condenser, "stats"):
            out["condenser"] = self.condenser.stats()
        if self.cache is not None:
            out["cache"] = {"enabled": self.cache.enabled, "hits": self.cache.hits, "misses": self.cache.misses}
        return out


class RoutingTranslator(Translator):
    """One translator per direction (a Marian model translates one way); directions with no
    model go to the fallback, which marks the text untranslated."""

    name = "routing"

    def __init__(self, routes: dict[tuple[str, str], Translator], fallback: Translator):
        self.routes = routes
        self.fallback = fallback

    def translate(self, texts: list[str], source: str, target: str) -> list[Translation]:
        return self.routes.get((source, target), self.fallback).translate(texts, source, target)

    def describe(self) -> str:
        parts = [f"{s}→{t}: {tr.describe()}" for (s, t), tr in sorted(self.routes.items())]
        missing = [f"{s}→{t}" for s, t in DIRECTIONS if (s, t) not in self.routes]
        if missing:
            parts.append(f"{', '.join(missing)}: {self.fallback.describe()}")
        return "; ".join(parts)


def models_extra_installed() -> bool:
    """torch and transformers importable (checked without importing them)."""
    return all(importlib.util.find_spec(m) is not None for m in ("torch", "transformers"))


@dataclass
class _Context:
    device: str | None
    quantize: str | None
    models_root: Path | None
    hf_cache: Path | None
    cache_dir: Path | None
    no_cache: bool
    notes: list[str]
    cache: Any = None
    brief_notes: dict[str, str] = field(default_factory=dict)
    ray: str | None = None  # --ray: generate on a Ray actor pool
    backend: Any = None  # its briefing.seq2seq.distributed.RayBackend, opened when a model is first found
    engine: str | None = None  # briefing.seq2seq.loading.ENGINES; None: BRIEFING_ENGINE, else auto

    def ray_backend(self) -> Any:
        if self.backend is None:
            from briefing.seq2seq.distributed import RayBackend

            self.backend = RayBackend.open(
                self.ray, device=self.device, quantize=self.quantize, cache_dir=self.cache_dir, no_cache=self.no_cache,
                engine=self.engine,
            )
        return self.backend

    def load(self, name: str) -> Any:
        """The model `name` on this run's device, quantisation and engine; its fallback notes kept."""
        loaded = load(name, device=self.device, quantize=self.quantize, models_root=self.models_root,
                      hf_cache=self.hf_cache, engine=self.engine)
        self.notes.extend(n for n in loaded.notes if n not in self.notes)
        return loaded

    def missing(self, job: str, full: str, short: str) -> None:
        self.notes.append(full)
        self.brief_notes[job] = short

    def open_cache(self) -> Any:
        if self.cache is None:
            from briefing.seq2seq.cache import open_cache

            self.cache = open_cache(self.cache_dir, enabled=not self.no_cache)
            self.notes.extend(self.cache.problems)
        return self.cache

    def locate(self, name: str):
        return locate(name, models_root=self.models_root, hf_cache=self.hf_cache)


def select_engines(
    summariser: str = "auto",
    translator: str = "auto",
    *,
    model: str | None = None,
    translate_models: dict[str, str] | None = None,
    device: str | None = None,
    quantize: str | None = None,
    cache_dir: Path | str | None = None,
    no_cache: bool = False,
    models_root: Path | str | None = None,
    hf_cache: Path | str | None = None,
    ray: str | None = None,
    engine: str | None = None,
) -> Engines:
    """Pick engines by name; "auto" means the best one whose model is present locally.

    summariser: "auto" | "extractive" | "seq2seq" (seq2seq raises ModelError when its model is
    missing; auto falls back with a note). `model` (--model) replaces the English summariser
    (and the Korean one too when it is a registered multilingual model).
    translator: "auto" | "none" | "seq2seq"; `translate_models` maps "en-ko" / "ko-en" to a model
    path or id instead of the registry default.
    ray: None (one process) or "local" | "auto" | a cluster address (briefing.seq2seq.distributed).
    engine: the inference engine of the seq2seq models, "auto" | "ctranslate2" | "torch"
    (briefing.seq2seq.loading; None reads BRIEFING_ENGINE).
    """
    if summariser not in SUMMARISERS:
        raise ValueError(f"unknown summariser {summariser!r} (choose from {', '.join(SUMMARISERS)})")
    if translator not in TRANSLATORS:
        raise ValueError(f"unknown translator {translator!r} (choose from {', '.join(TRANSLATORS)})")
    if problem := quantize_problem(quantize) or engine_problem(engine):
        raise ValueError(problem)
    if ray is not None:
        from briefing.seq2seq.distributed import ray_problem

        if problem := ray_problem(ray):
            raise ValueError(problem)
    from briefing.condense.extractive import ExtractiveCondenser
    from briefing.translate.none import NoTranslator

    ctx = _Context(
        device,
        quantize,
        Path(models_root) if models_root else None,
        Path(hf_cache) if hf_cache else None,
        Path(cache_dir) if cache_dir else None,
        no_cache,
        [],
        ray=ray,
        engine=engine,
    )
    extractive = ExtractiveCondenser()
    condenser: Condenser = extractive
    chosen_translator: Translator = NoTranslator()
    try:
        if summariser != "extractive":
            condenser = _seq2seq_condenser(ctx, model, extractive, required=summariser == "seq2seq") or extractive
        if translator != "none":
            chosen_translator = _seq2seq_translator(ctx, translate_models or {}, required=translator == "seq2seq")
    except BaseException:
        if ctx.backend is not None:
            ctx.backend.close()
        raise
    return Engines(condenser, chosen_translator, ctx.notes, ctx.cache, ctx.brief_notes, ctx.backend)


def engines_for(options: RunOptions) -> Engines:
    """The engines a briefing.pipeline.RunOptions asks for (its --ray included)."""
    return select_engines(
        options.summariser,
        options.translator,
        model=options.model,
        device=options.device,
        quantize=options.quantize,
        cache_dir=options.cache_dir,
        no_cache=options.no_cache,
        ray=options.ray,
    )


def _unavailable(ctx: _Context, required: bool, message: str) -> None:
    if required:
        raise ModelError(message)
    ctx.missing("all", message, message)


def _seq2seq_condenser(ctx: _Context, model: str | None, fallback: Condenser, required: bool) -> Condenser | None:
    from briefing.seq2seq.registry import load_registry

    if not models_extra_installed():
        _unavailable(ctx, required, "seq2seq condensing needs the models extra (pip install 'briefing[models]'); condensing extractively")
        return None
    registry = load_registry()
    wanted: dict[str, str] = {"en": model or registry.default("summarise-en").key}
    spec = registry.get(model) if model else None
    multilingual = spec is not None and ("ko" in spec.languages or "multilingual" in spec.languages)
    wanted["ko"] = model if multilingual else registry.default("summarise-ko").key
    language_names = {"en": "English", "ko": "Korean"}

    generators: dict[str, Any] = {}
    loaded_by_name: dict[str, Any] = {}
    for lang, name in wanted.items():
        try:
            ctx.locate(name)
            if name not in loaded_by_name:
                loaded_by_name[name] = _generator(ctx, name)
            generators[lang] = loaded_by_name[name]
        except ModelError as exc:
            message = f"{language_names[lang]} articles condensed extractively: {exc}"
            if required and lang == "en":
                raise ModelError(message) from exc
            ctx.missing(
                f"summarise:{lang}",
                message,
                f"{language_names[lang]} articles condensed extractively: model {name} is not installed "
                f"(fetch it with `briefing models pull {name}`)",
            )
    if not generators:
        return None
    from briefing.condense.seq2seq import Seq2SeqCondenser

    return Seq2SeqCondenser(generators, fallback=fallback)


def _generator(ctx: _Context, name: str) -> Any:
    if ctx.ray is not None:
        return ctx.ray_backend().generator(name, cache=ctx.open_cache(), models_root=ctx.models_root, hf_cache=ctx.hf_cache)
    from briefing.seq2seq.generation import Generator

    return Generator(ctx.load(name), cache=ctx.open_cache())


def _seq2seq_translator(ctx: _Context, models: dict[str, str], required: bool) -> Translator:
    from briefing.seq2seq.registry import load_registry
    from briefing.translate.none import NoTranslator

    fallback = NoTranslator()
    if not models_extra_installed():
        _unavailable(ctx, required, "translation needs the models extra (pip install 'briefing[models]'); Korean text is shown untranslated")
        return fallback
    try:
        from briefing.translate.seq2seq import Seq2SeqTranslator
    except ImportError as exc:  # pragma: no cover - part of the same package
        _unavailable(ctx, required, f"seq2seq translation unavailable ({exc}); text shown untranslated")
        return fallback
    registry = load_registry()
    routes: dict[tuple[str, str], Translator] = {}
    for source, target in DIRECTIONS:
        direction = f"{source}-{target}"
        name = models.get(direction) or registry.default(f"translate-{direction}").key
        try:
            ctx.locate(name)
            if ctx.ray is not None:
                routes[(source, target)] = ctx.ray_backend().translator(
                    name, cache=ctx.open_cache(), models_root=ctx.models_root, hf_cache=ctx.hf_cache
                )
                continue
            routes[(source, target)] = Seq2SeqTranslator(ctx.load(name), cache=ctx.open_cache())
        except ModelError as exc:
            ctx.missing(
                f"translate:{direction}",
                f"{source}→{target} left untranslated: {exc}",
                f"{source}→{target} left untranslated: model {name} is not installed "
                f"(fetch it with `briefing models pull {name}`)",
            )
    if not routes:
        if required:
            raise ModelError("; ".join(ctx.notes[-len(DIRECTIONS):]))
        return fallback
    return RoutingTranslator(routes, fallback)
