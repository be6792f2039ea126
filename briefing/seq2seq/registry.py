"""The model registry: which seq2seq model does which job (models/registry.toml, plus the
user's own entries; briefing.settings says where both are).

Plain data and a TOML reader; no torch, no network. Usage::

    reg = load_registry()
    spec = reg.default("summarise-en")        # ModelSpec of the job's default
    spec = reg.get("facebook/bart-large-cnn")  # by registry key or Hub id
    prompt = reg.prompt(spec)                  # template text with a "{text}" slot
    spec.generation.kwargs()                   # keyword arguments for model.generate()
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from briefing import settings
from briefing.settings import models_dir  # noqa: F401  (where local model folders live; re-exported)

JOBS = ("summarise-en", "summarise-ko", "translate-en-ko", "translate-ko-en")


@dataclass(frozen=True)
class GenerationSettings:
    """Deterministic decoding settings: beam search (num_beams > 1) or greedy, never sampling."""

    num_beams: int = 4
    max_new_tokens: int = 128
    min_new_tokens: int = 0
    no_repeat_ngram_size: int = 0
    length_penalty: float = 1.0
    early_stopping: bool = True

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `model.generate`; `do_sample=False` is always explicit."""
        kw: dict[str, Any] = {
            "do_sample": False,
            "num_beams": self.num_beams,
            "max_new_tokens": self.max_new_tokens,
        }
        if self.min_new_tokens:
            kw["min_new_tokens"] = self.min_new_tokens
        if self.no_repeat_ngram_size:
            kw["no_repeat_ngram_size"] = self.no_repeat_ngram_size
        if self.num_beams > 1:
            kw["length_penalty"] = self.length_penalty
            kw["early_stopping"] = self.early_stopping
        return kw

    def as_dict(self) -> dict[str, Any]:
        return {
            "num_beams": self.num_beams,
            "max_new_tokens": self.max_new_tokens,
            "min_new_tokens": self.min_new_tokens,
            "no_repeat_ngram_size": self.no_repeat_ngram_size,
            "length_penalty": self.length_penalty,
            "early_stopping": self.early_stopping,
        }


@dataclass(frozen=True)
class ModelSpec:
    """One registered model."""

    key: str  # registry key, e.g. "bart-large-cnn"; also the folder name under models/
    id: str  # Hugging Face Hub id
    task: str  # "summarise" | "translate"
    languages: tuple[str, ...]
    architecture: str  # "bart" | "t5" | "mt5" | "marian" | "m2m100" | "nllb"
    licence: str
    commercial_use: bool
    params_m: int
    size_mb: int
    weights: str  # what the Hub repository ships (safetensors, or a warning)
    prompt: str | None  # file name in prompts/, a template with a "{text}" slot
    input_tokens: int  # the encoder's input limit, in tokens
    generation: GenerationSettings
    source: str | None = None  # translation direction, for single-pair models
    target: str | None = None
    lang_codes: dict[str, str] = field(default_factory=dict)  # many-to-many models' language codes
    licence_note: str = ""
    figures: tuple[str, ...] = ()
    notes: str = ""
    revision: str | None = None  # a Hub revision to pin, when set

    @property
    def dirname(self) -> str:
        """The Hub id as a folder name ("facebook--bart-large-cnn"), the Hub cache's convention."""
        return self.id.replace("/", "--")


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    default: str
    alternatives: tuple[str, ...]


@dataclass
class Registry:
    models: dict[str, ModelSpec]
    jobs: dict[str, Job]
    path: Path | None = None

    def get(self, name: str) -> ModelSpec | None:
        """A spec by registry key, Hub id, or Hub id with '/' written '--'; None when unknown."""
        if name in self.models:
            return self.models[name]
        for spec in self.models.values():
            if name in (spec.id, spec.dirname):
                return spec
        return None

    def default(self, job: str) -> ModelSpec:
        return self.models[self.jobs[job].default]

    def candidates(self, job: str) -> list[ModelSpec]:
        """The job's default first, then its alternatives."""
        entry = self.jobs[job]
        return [self.models[k] for k in (entry.default, *entry.alternatives)]

    def prompt(self, spec: ModelSpec | None) -> str:
        return load_prompt(spec.prompt if spec else None)


def load_prompt(name: str | None) -> str:
    """A prompt template's text (one "{text}" slot); "{text}" when the model takes no prompt."""
    if not name:
        return "{text}"
    template = settings.prompt_file(name).read_text(encoding="utf-8").rstrip("\n")
    if "{text}" not in template:
        raise ValueError(f"prompt template {name} has no {{text}} slot")
    return template


def _spec(key: str, raw: dict[str, Any]) -> ModelSpec:
    gen = GenerationSettings(**raw.get("generation", {}))
    return ModelSpec(
        key=key,
        id=raw["id"],
        task=raw["task"],
        languages=tuple(raw.get("languages", ())),
        architecture=raw["architecture"],
        licence=raw["licence"],
        commercial_use=bool(raw.get("commercial_use", False)),
        params_m=int(raw.get("params_m", 0)),
        size_mb=int(raw.get("size_mb", 0)),
        weights=raw.get("weights", ""),
        prompt=raw.get("prompt"),
        input_tokens=int(raw.get("input_tokens", 512)),
        generation=gen,
        source=raw.get("source"),
        target=raw.get("target"),
        lang_codes=dict(raw.get("lang_codes", {})),
        licence_note=raw.get("licence_note", ""),
        figures=tuple(raw.get("figures", ())),
        notes=raw.get("notes", ""),
        revision=raw.get("revision"),
    )


def parse_registry(data: dict[str, Any], path: Path | None = None) -> Registry:
    models = {key: _spec(key, raw) for key, raw in data.get("models", {}).items()}
    jobs: dict[str, Job] = {}
    for name, raw in data.get("jobs", {}).items():
        job = Job(name, raw.get("description", ""), raw["default"], tuple(raw.get("alternatives", ())))
        for key in (job.default, *job.alternatives):
            if key not in models:
                raise ValueError(f"registry job {name} names unknown model {key!r}")
        jobs[name] = job
    return Registry(models, jobs, path)


@lru_cache(maxsize=8)
def _load(files: tuple[Traversable, ...], mtimes: tuple[float, ...]) -> Registry:
    """The registry of `files`, later files' models and jobs replacing earlier ones by key."""
    data: dict[str, Any] = {"models": {}, "jobs": {}}
    for file in files:
        with file.open("rb") as fh:
            raw = tomllib.load(fh)
        for table in ("models", "jobs"):
            data[table].update(raw.get(table, {}))
    return parse_registry(data, Path(str(files[-1])))


def load_registry(path: Path | str | None = None) -> Registry:
    """Read the registry: `path` alone when given, else the packaged registry with the user's
    entries over it (briefing.settings.registry_files); cached until a file changes."""
    files = (Path(path),) if path else tuple(settings.registry_files())
    return _load(files, tuple(f.stat().st_mtime if isinstance(f, Path) else 0.0 for f in files))
